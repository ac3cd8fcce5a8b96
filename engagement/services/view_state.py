"""What the read layer holds of a program, what one reader sees of it, and how cached
values are handed out.

:class:`ProgramState` is everything :mod:`engagement.services.view` reads of one program
at one data version, in one transaction: every reader's raw material, never handed out
unfiltered. The frames of the tracking tables already carry the program's rules
(overdue, answered, progress) as of the state's day; what each reader may see is applied
later, per visibility class, through a :class:`~engagement.services.visibility.Lens`
(the ``*_seen`` functions here, and the lens's own methods).
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
from dataclasses import dataclass, replace
from typing import Any, TypeVar

import pandas as pd

from engagement.model import ProgramInfo
from engagement.services.coalition.layout_store import StoredLayout
from engagement.services.tracking import changes
from engagement.services.visibility import Lens
from engagement.tracking import ActivityInfo, SnapshotInfo
from engagement.tracking import CommitmentInput as CommitmentValues

T = TypeVar("T")


@dataclass(frozen=True)
class ProgramState:
    """Everything read of one program at one data version (see the module)."""

    version: int
    as_of: dt.date
    program: ProgramInfo
    actors: pd.DataFrame
    deleted_actors: pd.DataFrame
    ties: pd.DataFrame
    deleted_ties: pd.DataFrame
    assessments: pd.DataFrame
    activities: pd.DataFrame
    deleted_activities: pd.DataFrame
    attendance: pd.DataFrame
    tasks: pd.DataFrame
    inputs: pd.DataFrame
    waiting: pd.DataFrame
    commitments: pd.DataFrame
    evidence: pd.DataFrame
    last_call: dt.date | None
    snapshots: tuple[tuple[SnapshotInfo, dict[str, Any]], ...]
    layout: tuple[str, StoredLayout] | None

    @property
    def everyone(self) -> pd.DataFrame:
        """Every actor of the program, live and deleted."""
        return pd.concat([self.actors, self.deleted_actors], ignore_index=True)


def handed_out(value: T) -> T:
    """A cached value as a caller gets it: frames are copies (cheap under pandas' copy on
    write), dataclasses are frozen with copied frames, dicts are deep copies; so no caller
    can change what the next reader gets."""
    if isinstance(value, pd.DataFrame):
        return value.copy(deep=False)  # type: ignore[return-value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        frames = {
            f.name: getattr(value, f.name).copy(deep=False)
            for f in dataclasses.fields(value)
            if isinstance(getattr(value, f.name), pd.DataFrame)
        }
        return dataclasses.replace(value, **frames) if frames else value  # type: ignore[return-value]
    if isinstance(value, dict):
        return copy.deepcopy(value)  # type: ignore[return-value]
    if isinstance(value, list):
        return [handed_out(v) for v in value]  # type: ignore[return-value]
    return value


def commitments_seen(promised: pd.DataFrame, everyone: pd.DataFrame, lens: Lens) -> pd.DataFrame:
    """The commitments frame as the reader sees it: a hidden actor who answers for one is
    left out (the commitment stays), names under stand-ins (``everyone``: every actor of
    the program, to find the co-responsible by name)."""
    shown = lens.mentions(promised, {"responsible": "responsible_id"})
    if lens.hidden or lens.stand_ins:
        by_name = {str(n): int(i) for i, n in zip(everyone["id"], everyone["name"], strict=True)}
        shown["co_responsible"] = [
            list(lens.name_list(names or [], by_name)) for names in shown["co_responsible"]
        ]
    return shown


def changes_seen(found: changes.Changes, whose: dict[int, int], lens: Lens) -> changes.Changes:
    """What changed, as the reader sees it: changes of a hidden actor (or of her
    assessments: ``whose`` says whose each assessment is) left out, names under
    stand-ins, and who made each change only for readers of the audit trail."""
    entries = found.entries
    if lens.hidden or lens.stand_ins:
        subjects = [
            int(i) if e == "actor" else whose.get(int(i)) if e == "assessment" else None
            for e, i in zip(entries["entity"], entries["entity_id"], strict=True)
        ]
        keep = [a is None or lens.seen(a) for a in subjects]
        labels = [
            label if a is None else lens.stand_ins.get(a, label)
            for a, label in zip(subjects, entries["label"], strict=True)
        ]
        entries = entries.assign(label=labels)[keep].reset_index(drop=True)
    if not lens.visibility.restricted:
        entries = entries.assign(username="")
    counts = entries.drop_duplicates(["category", "entity", "entity_id"])["category"]
    tally = counts.value_counts()
    return changes.Changes(
        since=found.since,
        counts={c: int(tally.get(c, 0)) for c in changes.CATEGORIES},
        entries=entries,
    )


def activity_seen(found: ActivityInfo, lens: Lens) -> ActivityInfo:
    """One activity as the reader sees it: only the attendees they may see; who recorded
    it only for readers of the audit trail."""
    return replace(
        found,
        attendees=tuple(a for a in found.attendees if lens.seen(a.actor_id)),
        created_by=found.created_by if lens.visibility.restricted else "",
    )


def commitment_seen(values: CommitmentValues, lens: Lens) -> CommitmentValues:
    """One commitment's values as the reader sees them: a hidden actor neither answers
    for it nor shares it."""
    responsible = values.responsible_id
    return replace(
        values,
        responsible_id=responsible if lens.seen(responsible) else None,
        co_responsible_ids=tuple(i for i in values.co_responsible_ids if lens.seen(i)),
    )
