"""Plain domain values that services return (never ORM rows)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from engagement.values import Confidentiality, Role


@dataclass(frozen=True)
class Principal:
    """Who is acting, and with which roles.

    ``memberships`` holds ``(program_id, role)`` pairs for a signed-in user. ``None`` means
    an operator outside the role system: the command line (whoever runs it already holds
    the database) and single-user mode (``TEJIDO_AUTH=none``). The app always builds a
    signed-in user's principal with their memberships, so the services enforce roles.
    """

    username: str
    memberships: tuple[tuple[int, str], ...] | None = None
    admin: bool = False

    @property
    def operator(self) -> bool:
        return self.memberships is None

    def role_in(self, program_id: int) -> Role | None:
        """The user's role in a program: admins lead everywhere; operators too.

        >>> Principal("ana", ((1, "viewer"),)).role_in(1), Principal("ana", ()).role_in(1)
        (<Role.VIEWER: 'viewer'>, None)
        """
        if self.operator or self.admin:
            return Role.LEAD
        assert self.memberships is not None
        return next((Role(role) for pid, role in self.memberships if pid == program_id), None)


@dataclass(frozen=True)
class Term:
    """An entry of one of a program's editable lists (stage, sector, tie type)."""

    id: int
    key: str
    label_es: str
    label_en: str
    aliases: tuple[str, ...] = ()
    position: int = 0
    negative: bool = False
    directed: bool = True
    closed_on: dt.date | None = None
    forum: bool = False

    def label(self, lang: str) -> str:
        return self.label_en if lang == "en" else self.label_es


@dataclass(frozen=True)
class ProgramInfo:
    id: int
    name: str
    municipality: str
    country: str
    description: str
    start_date: dt.date | None
    end_date: dt.date | None
    power_threshold: int
    stale_days: int
    illustrative: bool
    data_version: int
    version: int
    stages: tuple[Term, ...] = ()
    sectors: tuple[Term, ...] = ()
    tie_types: tuple[Term, ...] = ()
    activity_types: tuple[Term, ...] = ()
    #: IANA name; imported UTC times (Decidim meetings) are converted to it.
    time_zone: str = "America/Guatemala"

    def stage(self, stage_id: int) -> Term:
        return next(s for s in self.stages if s.id == stage_id)


@dataclass(frozen=True)
class ActorInfo:
    id: int
    program_id: int
    name: str
    sector_id: int | None
    sector_key: str | None
    description: str
    tags: tuple[str, ...]
    territory: str
    website: str
    contact_name: str
    contact_email: str
    contact_phone: str
    consent_to_contact: bool
    confidentiality: Confidentiality
    last_verified: dt.date | None
    custom_fields: dict[str, Any]
    external_id: str | None
    version: int
    deleted: bool


@dataclass(frozen=True)
class RelationshipInfo:
    id: int
    program_id: int
    source_id: int
    target_id: int
    tie_type_id: int
    tie_type_key: str
    directed: bool
    strength: int
    valid_from: dt.date | None
    valid_to: dt.date | None
    source_info: str
    note: str
    tags: tuple[str, ...]
    external_id: str | None
    version: int
    deleted: bool


@dataclass(frozen=True)
class AssessmentInput:
    """One assessment to record. Validated by the service."""

    actor_id: int
    stage_id: int
    assessed_on: dt.date
    power: int
    interest: int
    engagement_current: int
    engagement_desired: int
    participation_target: int
    legitimacy: bool = False
    urgency: bool = False
    assessor: str = ""
    note: str = ""


@dataclass(frozen=True)
class Change:
    """A field-level change as the audit log keeps it."""

    field: str
    old: Any
    new: Any


@dataclass
class ImportSummary:
    """Counts of what an import would do or did, per entity."""

    new: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)
    rejected: dict[str, int] = field(default_factory=dict)
    added_terms: dict[str, list[str]] = field(default_factory=dict)
