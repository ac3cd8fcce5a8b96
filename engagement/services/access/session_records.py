"""Ending every session of a user inside a transaction that changes the account.

Kept apart from ``engagement.services.access.sessions`` so the account services (password
change, deactivation) can call it without importing the session logic, which reads
accounts itself.
"""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.orm import Session

from engagement.storage.access_models import UserSession
from engagement.storage.base import utcnow


def revoke_all(session: Session, user_id: int, reason: str) -> None:
    """End every session of a user, inside the caller's transaction (password change,
    deactivation): a token copied earlier is refused from then on."""
    session.execute(
        update(UserSession)
        .where(UserSession.user_id == user_id, UserSession.revoked_at.is_(None))
        .values(revoked_at=utcnow(), revoked_reason=reason, handoff_hash=None)
    )
