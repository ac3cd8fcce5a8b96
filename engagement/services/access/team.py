"""A program's team and trail, as the audit and team pages show them.

Reading the audit trail needs the right to see restricted data (it holds earlier values
of contact fields): leads and mentors. Managing the team needs the lead role; the team's
accounts are read once per accounts version, like a program's data once per data version.
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
from engagement.services.readcache import cached, database_key
from engagement.services.view import ProgramView, kept
from engagement.storage.db import Database
from engagement.storage.queries import audit as stored_audit
from engagement.storage.queries import programs as stored_programs
from engagement.storage.queries.accounts import read_accounts_version


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


def team(
    db: Database, by: Principal, program_id: int, *, accounts_version: int | None = None
) -> pd.DataFrame:
    """Members of the program: username, name, role, active.

    ``accounts_version``: the accounts version already read (by the sign-in check of the
    page run); ``None`` reads it. The accounts are read once per version (see
    :func:`_accounts`).
    """
    permissions.require(by, program_id, Action.MANAGE_PROGRAM)
    rows = [
        {
            "username": u.username,
            "display_name": u.display_name,
            "role": dict(u.roles)[program_id],
            "active": u.active,
        }
        for u in _accounts(db, accounts_version)
        if program_id in dict(u.roles)
    ]
    return pd.DataFrame(rows, columns=["username", "display_name", "role", "active"])


def candidates(
    db: Database, by: Principal, program_id: int, *, accounts_version: int | None = None
) -> list[str]:
    """Active accounts not yet in the program, for the "add a member" chooser."""
    permissions.require(by, program_id, Action.MANAGE_PROGRAM)
    return [
        u.username
        for u in _accounts(db, accounts_version)
        if u.active and program_id not in dict(u.roles)
    ]


def _accounts(db: Database, version: int | None) -> tuple[users.UserInfo, ...]:
    """Every account by name with its roles, read once per accounts version and shared
    by every reader: every write to accounts or roles raises the version
    (:mod:`engagement.storage.queries.accounts`), on whichever server it is made, so a
    role given shows at the next page run, and a rerun on unchanged accounts reads
    nothing."""
    current = read_accounts_version(db) if version is None else version
    return cached((database_key(db), "accounts", current), lambda: tuple(users.list_users(db)))
