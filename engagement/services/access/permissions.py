"""Who may do what in a program. Enforced here, in the services, not by hiding buttons.

| role | may |
|---|---|
| lead | everything in the program, including its users and settings |
| mentor | edit actors, ties, assessments, activities, commitments, inputs; import |
| facilitator | record activities and attendance, add actors, edit what they created |
| viewer | read what is not restricted; change nothing |

Restricted actors and personal contact fields are visible only to leads and mentors.
"""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from engagement.errors import NotAMember, PermissionDenied
from engagement.model import Principal
from engagement.storage.db import Database
from engagement.storage.models import AuditEntry
from engagement.storage.queries.audit import creator
from engagement.values import Role


class Action(StrEnum):
    MANAGE_PROGRAM = "manage_program"
    """Program settings, its lists (stages, sectors, tie types) and its users."""
    EDIT_REGISTRY = "edit_registry"
    """Change or delete any actor or tie; restore."""
    ADD_ACTOR = "add_actor"
    ASSESS = "assess"
    RECORD_ACTIVITY = "record_activity"
    """Activities, attendance and follow-up tasks."""
    EDIT_TRACKING = "edit_tracking"
    """Inputs and responses, commitments, snapshots."""
    IMPORT = "import"
    VIEW_RESTRICTED = "view_restricted"
    """See restricted actors and personal contact data."""


ROLE_ACTIONS: dict[Role, frozenset[Action]] = {
    Role.LEAD: frozenset(Action),
    Role.MENTOR: frozenset(Action) - {Action.MANAGE_PROGRAM},
    Role.FACILITATOR: frozenset({Action.ADD_ACTOR, Action.RECORD_ACTIVITY}),
    Role.VIEWER: frozenset(),
}

#: What a facilitator may also do to a record they created themselves.
OWN_RECORD_ACTIONS = frozenset({Action.EDIT_REGISTRY, Action.RECORD_ACTIVITY})


def allowed(by: Principal, program_id: int, action: Action, created_by: str | None = None) -> bool:
    role = by.role_in(program_id)
    if role is None:
        return False
    if action in ROLE_ACTIONS[role]:
        return True
    return (
        role == Role.FACILITATOR
        and action in OWN_RECORD_ACTIONS
        and created_by is not None
        and created_by == by.username
    )


def require(by: Principal, program_id: int, action: Action, created_by: str | None = None) -> None:
    """Raise :class:`PermissionDenied` unless ``by`` may do ``action`` in the program."""
    if not allowed(by, program_id, action, created_by):
        raise PermissionDenied(action=action.value, user=by.username)


def require_member(by: Principal, program_id: int) -> None:
    """Raise :class:`NotAMember` unless ``by`` has a role in the program (reading it)."""
    if by.role_in(program_id) is None:
        raise NotAMember(user=by.username, program=program_id)


def can_see_restricted(by: Principal, program_id: int) -> bool:
    return allowed(by, program_id, Action.VIEW_RESTRICTED)


def require_admin(by: Principal) -> None:
    """Creating programs and managing accounts across programs."""
    if not (by.operator or by.admin):
        raise PermissionDenied(action="admin", user=by.username)


def own_records(db: Database, by: Principal, program_id: int, entity: str) -> frozenset[int]:
    """Ids of the ``entity`` records of the program that ``by`` created (the audit
    trail's "create" entries): what a facilitator may change."""
    with db.reading() as session:
        ids = session.scalars(
            select(AuditEntry.entity_id).where(
                AuditEntry.program_id == program_id,
                AuditEntry.entity == entity,
                AuditEntry.action == "create",
                AuditEntry.username == by.username,
            )
        )
        return frozenset(int(i) for i in ids)


def require_owned(
    session: Session,
    by: Principal,
    program_id: int,
    action: Action,
    entity: str,
    entity_id: int,
) -> None:
    """Like :func:`require`, letting a facilitator change a record they created."""
    if allowed(by, program_id, action):
        return
    created_by = None
    if by.role_in(program_id) == Role.FACILITATOR:
        created_by = creator(session, entity, entity_id)
    require(by, program_id, action, created_by)


def require_activity_edit(
    session: Session, by: Principal, program_id: int, activity_id: int
) -> None:
    """Facilitators change the activities they recorded (and their tasks); mentors and
    leads, any."""
    own = creator(session, "activity", activity_id) == by.username
    require(by, program_id, Action.RECORD_ACTIVITY if own else Action.EDIT_TRACKING)
