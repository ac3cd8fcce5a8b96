"""Storage: SQLAlchemy 2 typed models, the database engine and the unit of work.

ORM rows never leave this package and ``engagement.services``.
"""
