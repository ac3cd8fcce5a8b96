"""Engagement tracking: activities and attendance, follow-up tasks, inputs and
responses, commitments, evidence, snapshots, the stage dashboard.
"""
