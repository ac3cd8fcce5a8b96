"""Use cases. Each takes a Database, the acting Principal and plain values, and returns
plain values. Every write records an audit entry through :mod:`engagement.services.audit`.
"""
