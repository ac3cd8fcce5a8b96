"""The one error family of Tejido.

Every error carries facts (which row, which field, what was expected), never UI text.
``code`` names a catalog key under ``error.``; ``params`` fill it in. The UI and the CLI
turn errors into words through :func:`engagement.i18n.t`.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dc_field
from typing import Any


class EngagementError(Exception):
    """Base of every error Tejido raises on purpose."""

    code = "generic"

    def __init__(self, **params: Any) -> None:
        self.params: dict[str, Any] = params
        super().__init__(f"{self.code}: {params}" if params else self.code)


class NotFound(EngagementError):
    """An entity that should exist does not (or is deleted). params: entity, key."""

    code = "not_found"


class ProgramNotFound(NotFound):
    code = "program_not_found"


class ActorNotFound(NotFound):
    code = "actor_not_found"


class RelationshipNotFound(NotFound):
    code = "relationship_not_found"


class DuplicateName(EngagementError):
    """A name that must be unique is taken. params: entity, name, existing."""

    code = "duplicate_name"


class DuplicateActor(DuplicateName):
    code = "duplicate_actor"


class DuplicateRelationship(EngagementError):
    code = "duplicate_relationship"


class SelfTie(EngagementError):
    code = "self_tie"


class StaleEdit(EngagementError):
    """Saving over a newer version. params: entity, name, changed_by, changed_at."""

    code = "stale_edit"


class ConcurrentEdit(StaleEdit):
    """Someone saved the same record at the same moment (caught by the version column)."""

    code = "concurrent_edit"


class InUse(EngagementError):
    """A list entry (sector, tie type, stage) cannot be removed while in use."""

    code = "in_use"


class PermissionDenied(EngagementError):
    """The acting user's role does not allow this. params: action, user."""

    code = "permission_denied"


class NotAMember(PermissionDenied):
    """The acting user has no role in the program they read. params: user, program."""

    code = "not_a_member"


class UnknownAccount(EngagementError):
    """A name given to act as (``--user``) is no active account. params: user."""

    code = "unknown_account"


class LoginFailed(EngagementError):
    """Unknown user, wrong password or deactivated account (deliberately not told apart)."""

    code = "login_failed"


class LoginThrottled(EngagementError):
    """Too many failed sign-ins: wait. params: seconds (until the next try is allowed)."""

    code = "login_throttled"


class AccountLocked(EngagementError):
    """Locked after repeated failures. params: minutes."""

    code = "account_locked"


class DatabaseUnavailable(EngagementError):
    """The database server cannot be reached (restarting, network). params: writing
    (True when a write was under way: it was not saved)."""

    code = "database_unavailable"


@dataclass(frozen=True)
class Problem:
    """One problem with one value: where it is and what is wrong.

    ``code`` is a catalog key under ``problem.``; ``sheet`` and ``row`` are set for file
    input (row numbers as the user sees them in a spreadsheet, header = row 1).
    """

    field: str
    code: str
    params: dict[str, Any] = dc_field(default_factory=dict)
    sheet: str | None = None
    row: int | None = None


class ValidationFailed(EngagementError):
    """One or more values are not acceptable. Nothing was written."""

    code = "validation_failed"

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        super().__init__(count=len(self.problems))


class UnreadableFile(EngagementError):
    """A file is empty, too large, or not a spreadsheet. params: name, reason."""

    code = "unreadable_file"


class FileTooLarge(UnreadableFile):
    """params: name, size_mb, limit_mb."""

    code = "file_too_large"


class EmptyFile(UnreadableFile):
    """params: name."""

    code = "empty_file"


class NotASpreadsheet(UnreadableFile):
    """params: name."""

    code = "not_a_spreadsheet"


class UnknownTable(UnreadableFile):
    """Nothing in the file says it holds actors, ties or assessments. params: name."""

    code = "unknown_table"


class TooManyRows(UnreadableFile):
    """params: name, sheet, limit."""

    code = "too_many_rows"


class CannotOpenFile(UnreadableFile):
    """A file named on the command line cannot be opened. params: name."""

    code = "cannot_open_file"


class Damaged(UnreadableFile):
    """The file is not what it claims to be; readers report it as not a spreadsheet."""

    code = "not_a_spreadsheet"


class FileLimitExceeded(UnreadableFile):
    """A file holds more than Tejido reads. params: name, maximum.

    ``code`` names the limit passed (``file_limit.cells``…), so that each limit has its
    own sentence in the catalog.
    """

    code = "file_limit"

    def __init__(self, *, name: str, limit: str, maximum: int) -> None:
        super().__init__(name=name, maximum=maximum)
        self.limit = limit
        self.code = f"file_limit.{limit}"


class UnknownFormat(EngagementError):
    """An export format name that does not exist. params: format, known."""

    code = "unknown_format"


class NotABackup(EngagementError):
    """The file is not a Tejido backup. params: name."""

    code = "not_a_backup"


class BackupTooNew(EngagementError):
    """Made by a newer Tejido (schema unknown here). params: revision."""

    code = "backup_too_new"


class UnexpectedSchema(EngagementError):
    """A backup file holds objects Tejido does not make. params: name, objects."""

    code = "backup_schema"


class SqliteOnly(EngagementError):
    """A file copy of the database exists only for SQLite. params: path."""

    code = "sqlite_only"


class DatabaseNotEmpty(EngagementError):
    """A whole-database restore would overwrite programs. params: count."""

    code = "database_not_empty"


class ImportAlreadyUndone(EngagementError):
    """params: batch, at."""

    code = "import_already_undone"


class ImportUndoBlocked(EngagementError):
    """The import's rows were changed or used since.

    params: entity, key, changed_by, changed_at.
    """

    code = "import_undo_blocked"
