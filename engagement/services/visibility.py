"""What one reader may see of a program: the rules, written once.

- Restricted actors, and everything that names them (ties, assessments, attendance,
  changes, snapshots), only for those who may see restricted data (leads and mentors).
  Rows that exist in their own right but mention a hidden actor (an input raised by a
  restricted citizen, a commitment a restricted actor is responsible for) stay, without
  the actor.
- Personal contact fields only for the same readers, and never in presentation mode.
- Presentation mode puts stand-in names ("Persona 3") on individual citizens everywhere
  their name appears, numbered the same way on every page, map and export.
- Who changed what (the audit's user names) only for those who may read the audit.

Readers with the same :class:`Visibility` see exactly the same data, so the read cache
(:mod:`engagement.services.readcache`) is keyed by :attr:`Visibility.key`, never by user.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from engagement.i18n import t
from engagement.model import Principal
from engagement.services.access import permissions, privacy


@dataclass(frozen=True)
class Visibility:
    """A class of readers who see the same data.

    ``restricted``: sees restricted actors, contact data and the audit's user names.
    ``presentation``: citizens under stand-in names, no contact data.
    """

    restricted: bool
    presentation: bool = False
    person_label: str = "Persona"

    @property
    def key(self) -> tuple[bool, bool, str]:
        return (self.restricted, self.presentation, self.person_label if self.presentation else "")

    @property
    def full(self) -> bool:
        """Sees everything exactly as stored."""
        return self.restricted and not self.presentation


def visibility_of(
    by: Principal, program_id: int, *, presentation: bool = False, lang: str = "es"
) -> Visibility:
    """The visibility class of ``by`` in the program."""
    return Visibility(
        restricted=permissions.can_see_restricted(by, program_id),
        presentation=presentation,
        person_label=t("privacy.person", lang),
    )


@dataclass(frozen=True)
class Lens:
    """One reader's view of the actors of one program version.

    ``hidden``: ids of the actors the reader may not see. ``names``: the name shown for
    every actor the reader may see (stand-ins for citizens in presentation mode).
    """

    visibility: Visibility
    hidden: frozenset[int]
    names: Mapping[int, str]
    stand_ins: Mapping[int, str]

    @classmethod
    def of(cls, everyone: pd.DataFrame, visibility: Visibility) -> Lens:
        """The lens for a frame of every actor of the program, live and deleted."""
        hidden = (
            frozenset()
            if visibility.restricted
            else frozenset(
                int(i) for i in everyone.loc[everyone["confidentiality"] == "restricted", "id"]
            )
        )
        stand_ins = (
            privacy.stand_in_names(
                everyone, see_restricted=visibility.restricted, label=visibility.person_label
            )
            if visibility.presentation
            else {}
        )
        names = {
            int(i): stand_ins.get(int(i), str(n))
            for i, n in zip(everyone["id"], everyone["name"], strict=True)
            if int(i) not in hidden
        }
        return cls(visibility, hidden, names, stand_ins)

    def seen(self, actor_id: Any) -> bool:
        return not _missing(actor_id) and int(actor_id) not in self.hidden

    def actors(self, frame: pd.DataFrame) -> pd.DataFrame:
        """An actors frame (columns of the registry) as the reader may see it."""
        v = self.visibility
        return privacy.visible_actors(
            frame,
            see_restricted=v.restricted,
            presentation=v.presentation,
            person_label=v.person_label,
            names=self.stand_ins,
        )

    def rows(self, frame: pd.DataFrame, columns: Mapping[str, str]) -> pd.DataFrame:
        """Rows naming actors (``{name column: id column}``): those naming a hidden actor
        left out, the others under the names the reader sees."""
        ids = [c for c in columns.values() if c in frame]
        kept = frame
        if self.hidden and ids:
            keep = pd.Series(True, index=frame.index)
            for column in ids:
                keep &= ~frame[column].isin(list(self.hidden))
            kept = frame[keep]
        return self.rename(kept.reset_index(drop=True), columns)

    def mentions(self, frame: pd.DataFrame, columns: Mapping[str, str]) -> pd.DataFrame:
        """Rows that only mention an actor: kept, with a hidden actor's id and name empty."""
        shown = frame.copy()
        for name_col, id_col in columns.items():
            if id_col not in shown:
                continue
            hidden = shown[id_col].isin(list(self.hidden))
            if hidden.any():
                if name_col in shown:
                    shown[name_col] = shown[name_col].where(~hidden, "")
                ids = [None if h else i for i, h in zip(shown[id_col], hidden, strict=True)]
                shown[id_col] = pd.Series(ids, index=shown.index, dtype="Int64")
        return self.rename(shown, columns)

    def rename(self, frame: pd.DataFrame, columns: Mapping[str, str]) -> pd.DataFrame:
        if not self.stand_ins:
            return frame
        return privacy.rename_actors(frame, self.stand_ins, columns)

    def name_list(self, names: Iterable[str], everyone: Mapping[str, int]) -> tuple[str, ...]:
        """A list of actor names (e.g. co-responsible), hidden ones dropped, stand-ins in."""
        shown = []
        for name in names:
            actor_id = everyone.get(name)
            if actor_id is None:
                shown.append(name)
            elif actor_id not in self.hidden:
                shown.append(self.names.get(actor_id, name))
        return tuple(shown)

    def frozen(self, state: Mapping[str, Any]) -> dict[str, Any]:
        """A snapshot's frozen data without hidden actors, under the names shown."""

        def seen(key: str, *ids: str) -> list[dict[str, Any]]:
            return [
                dict(item)
                for item in state.get(key, [])
                if all(self.seen(item.get(i)) for i in ids)
            ]

        actors = seen("actors", "id")
        for actor in actors:
            actor["name"] = self.stand_ins.get(int(actor["id"]), actor["name"])
        measures = seen("measures", "id")
        for row in measures:
            if "name" in row:
                row["name"] = self.stand_ins.get(int(row["id"]), row["name"])
        return {
            **state,
            "actors": actors,
            "assessments": seen("assessments", "actor_id"),
            "ties": seen("ties", "source", "target"),
            "measures": measures,
        }


def _missing(value: Any) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and value != value)
