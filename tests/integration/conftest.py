from tests.support.databases import db, db_url, pg_base_url, sqlite_db  # noqa: F401
