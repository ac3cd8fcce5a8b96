"""Files in and out: imports (actors, ties, assessments, activities) with preview and
undo, exports, backups and restores, the demo programs.
"""
