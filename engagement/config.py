"""Settings, read from environment variables (all optional).

| variable | meaning | default |
|---|---|---|
| TEJIDO_DATABASE_URL | SQLAlchemy URL of the database | SQLite file ``data/tejido.db`` |
| TEJIDO_DATA_DIR | folder for the default database and backups | ``data/`` beside ``app.py`` |
| TEJIDO_LANG | language of the CLI's messages (es, en) | es |
| TEJIDO_UPLOAD_LIMIT_MB | largest file accepted for import | 20 |
| TEJIDO_USER | name recorded in the audit log in single-user mode and by the CLI | ``local`` |
| TEJIDO_AUTH | password, proxy (SSO header), oidc, none (one local user) | password |
| TEJIDO_PROXY_USER_HEADER | header naming the user behind an SSO proxy | X-Forwarded-User |
| TEJIDO_SESSION_TIMEOUT_MIN | minutes of inactivity before signing out | 60 |
| TEJIDO_BACKUP_KEEP | automatic daily SQLite backups kept under ``data/backups`` (0: none) | 7 |
| TEJIDO_SESSION_MAX_HOURS | hours a sign-in lasts at most, however active | 24 |
| TEJIDO_DB_POOL_SIZE | database connections each server keeps open (PostgreSQL) | 5 |
| TEJIDO_DB_MAX_OVERFLOW | extra connections each server may open at a peak (PostgreSQL) | 5 |
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
AUTH_MODES = ("password", "proxy", "oidc", "none")


@dataclass(frozen=True)
class Settings:
    database_url: str
    data_dir: Path
    lang: str
    upload_limit_mb: int
    local_user: str
    auth: str = "password"
    proxy_user_header: str = "X-Forwarded-User"
    session_timeout_min: int = 60
    backup_keep: int = 7
    session_max_hours: int = 24
    db_pool_size: int = 5
    db_max_overflow: int = 5

    @property
    def upload_limit_bytes(self) -> int:
        return self.upload_limit_mb * 1024 * 1024


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    # Read in place, not copied: every script run asks for the settings several times.
    env = os.environ if env is None else env
    data_dir = Path(env.get("TEJIDO_DATA_DIR") or PROJECT_ROOT / "data")
    url = env.get("TEJIDO_DATABASE_URL") or f"sqlite:///{data_dir / 'tejido.db'}"
    lang = env.get("TEJIDO_LANG", "es")
    auth = env.get("TEJIDO_AUTH", "password").strip().lower()
    return Settings(
        database_url=url,
        data_dir=data_dir,
        lang=lang if lang in ("es", "en") else "es",
        upload_limit_mb=int(env.get("TEJIDO_UPLOAD_LIMIT_MB", "20")),
        local_user=env.get("TEJIDO_USER", "local"),
        auth=auth if auth in AUTH_MODES else "password",
        proxy_user_header=env.get("TEJIDO_PROXY_USER_HEADER", "X-Forwarded-User"),
        session_timeout_min=int(env.get("TEJIDO_SESSION_TIMEOUT_MIN", "60")),
        backup_keep=int(env.get("TEJIDO_BACKUP_KEEP", "7")),
        session_max_hours=int(env.get("TEJIDO_SESSION_MAX_HOURS", "24")),
        db_pool_size=int(env.get("TEJIDO_DB_POOL_SIZE", "5")),
        db_max_overflow=int(env.get("TEJIDO_DB_MAX_OVERFLOW", "5")),
    )
