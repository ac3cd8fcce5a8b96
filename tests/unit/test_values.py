"""The fixed value lists: StrEnums whose values are the stored strings and catalog keys."""

from __future__ import annotations

import pytest
from sqlalchemy import Enum

from engagement import values
from engagement.i18n import LANGUAGES, catalog
from engagement.storage.access_models import Membership
from engagement.storage.models import Actor
from engagement.storage.tracking_models import (
    Attendance,
    Commitment,
    EvidenceItem,
    FollowUpTask,
    Input,
)
from engagement.values import Choice

#: Every list, the catalog prefix its labels live under, and its stored values (which
#: must never change: they are in the databases and files people already have).
LISTS: list[tuple[type[Choice], str, tuple[str, ...]]] = [
    (values.Confidentiality, "confidentiality", ("normal", "restricted")),
    (values.Role, "role", ("lead", "mentor", "facilitator", "viewer")),
    (values.AttendanceRole, "tracking.role", ("convener", "participant", "observer")),
    (values.Sentiment, "tracking.sentiment", ("positive", "neutral", "negative")),
    (values.TaskStatus, "tracking.task_status", ("open", "in_progress", "done", "cancelled")),
    (
        values.InputResponse,
        "tracking.response",
        ("accepted", "partly_accepted", "rejected", "under_review"),
    ),
    (
        values.CommitmentStatus,
        "tracking.commitment_status",
        ("open", "in_progress", "done", "referred", "dropped"),
    ),
    (
        values.EvidenceKind,
        "tracking.evidence_kind",
        ("minutes", "report", "publication", "page_update", "dataset", "media", "other"),
    ),
    (values.Gender, "tracking.gender", ("women", "men", "other_gender")),
    (values.AgeGroup, "tracking.age", ("under_18", "age_18_29", "age_30_59", "age_60_plus")),
]

#: (column, its enum, its stored length): the length is what migrations 0001-0003 made.
COLUMNS = [
    (Actor.__table__.c.confidentiality, values.Confidentiality, 10),
    (Membership.__table__.c.role, values.Role, 20),
    (Attendance.__table__.c.role, values.AttendanceRole, 11),
    (Attendance.__table__.c.sentiment, values.Sentiment, 8),
    (FollowUpTask.__table__.c.status, values.TaskStatus, 11),
    (Input.__table__.c.response, values.InputResponse, 15),
    (Commitment.__table__.c.status, values.CommitmentStatus, 11),
    (EvidenceItem.__table__.c.kind, values.EvidenceKind, 11),
]


@pytest.mark.parametrize(
    ("enum", "prefix", "stored"), LISTS, ids=lambda x: getattr(x, "__name__", "")
)
def test_values_are_the_stored_strings_and_have_labels(
    enum: type[Choice], prefix: str, stored: tuple[str, ...]
) -> None:
    assert enum.values() == stored
    assert all(member == value for member, value in zip(enum, stored, strict=True))
    for lang in LANGUAGES:
        assert [v for v in stored if f"{prefix}.{v}" not in catalog(lang)] == []


def test_every_choice_in_the_domain_is_listed_here() -> None:
    found = {c for c in vars(values).values() if isinstance(c, type) and issubclass(c, Choice)}
    assert found - {Choice} == {enum for enum, _, _ in LISTS}


@pytest.mark.parametrize(("column", "enum", "length"), COLUMNS, ids=lambda x: str(x))
def test_columns_map_the_enums_as_portable_strings(column, enum, length) -> None:  # type: ignore[no-untyped-def]
    assert isinstance(column.type, Enum)
    assert column.type.enum_class is enum
    assert column.type.native_enum is False and column.type.create_constraint is False
    assert tuple(column.type.enums) == enum.values()
    assert column.type.length == length


def test_parse_never_raises() -> None:
    assert values.TaskStatus.parse("done") is values.TaskStatus.DONE
    assert values.TaskStatus.parse("Done") is None
    assert values.TaskStatus.parse(None) is None
    assert values.TaskStatus.parse(3) is None
    assert {"open", "in_progress"} == values.OPEN_TASKS
    assert {"open", "in_progress"} == values.OPEN_COMMITMENTS
