"""A program's team and trail, as the audit and team pages show them.

Reading the audit trail needs the right to see restricted data (it holds earlier values
of contact fields): leads and mentors. Managing the team needs the lead role.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pandas as pd

from engagement.model import Principal
from engagement.services import audit
from engagement.services.access import permissions, users
from engagement.services.access.permissions import Action
from engagement.services.audit_names import audit_names
from engagement.services.view import ProgramView, kept
from engagement.storage.db import Database
from engagement.storage.queries import audit as stored_audit
from engagement.storage.queries import programs as stored_programs


def audit_summary(view: ProgramView) -> pd.DataFrame:
    """Who and what appear in the program's trail (``username``, ``entity``; one row per
    entry), for the audit filters: nothing is named or written out.

    Raises
    ------
    PermissionDenied
        Unless the view's reader may read the audit trail (leads and mentors).
    """
    permissions.require(view.by, view.program_id, Action.VIEW_RESTRICTED)

    def read() -> pd.DataFrame:
        return stored_audit.audit_log(view.db, view.program_id)[["username", "entity", "at"]]

    return kept(view, "audit_summary", read)


def program_audit(
    view: ProgramView,
    *,
    username: str | None = None,
    entity: str | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    field_label: Callable[[str], str] = str,
    value_text: Callable[[Any], str] = str,
    lang: str = "es",
) -> pd.DataFrame:
    """The program's audit entries within the filters (dates inclusive), newest first,
    with the changes written out as ``field: old → new`` (ids as names, in ``lang``) and
    a ``subject`` column: what each entry is about (an actor's name, "A → B" for a tie).

    Raises
    ------
    PermissionDenied
        Unless the view's reader may read the audit trail (leads and mentors).
    """
    permissions.require(view.by, view.program_id, Action.VIEW_RESTRICTED)
    filters = (username or None, entity or None, start, end, field_label, value_text, lang)

    def read() -> pd.DataFrame:
        return _program_audit(view, *filters)

    return kept(view, "program_audit", read, *filters)


def _program_audit(
    view: ProgramView,
    username: str | None,
    entity: str | None,
    start: dt.date | None,
    end: dt.date | None,
    field_label: Callable[[str], str],
    value_text: Callable[[Any], str],
    lang: str,
) -> pd.DataFrame:
    since = dt.datetime.combine(start, dt.time()) if start else None
    until = dt.datetime.combine(end + dt.timedelta(days=1), dt.time()) if end else None
    db = view.db
    with db.snapshot() as session:
        log = stored_audit.audit_log(
            db, view.program_id, username=username, entity=entity, since=since, until=until
        )
        program = stored_programs.get_program(db, view.program_id)
        names = audit_names(session, program, lang)
    log["subject"] = [
        names.subject(e, i) for e, i in zip(log["entity"], log["entity_id"], strict=True)
    ]
    log["changes"] = [
        audit.describe_changes(names.changes(c, e, a), field_label, value_text)
        for c, e, a in zip(log["changes"], log["entity"], log["action"], strict=True)
    ]
    return log


def team(db: Database, by: Principal, program_id: int) -> pd.DataFrame:
    """Members of the program: username, name, role, active."""
    permissions.require(by, program_id, Action.MANAGE_PROGRAM)
    rows = [
        {
            "username": u.username,
            "display_name": u.display_name,
            "role": dict(u.roles).get(program_id),
            "active": u.active,
        }
        for u in users.list_users(db, program_id)
    ]
    return pd.DataFrame(rows, columns=["username", "display_name", "role", "active"])


def candidates(db: Database, by: Principal, program_id: int) -> list[str]:
    """Active accounts not yet in the program, for the "add a member" chooser."""
    permissions.require(by, program_id, Action.MANAGE_PROGRAM)
    return [
        u.username for u in users.list_users(db) if u.active and program_id not in dict(u.roles)
    ]
