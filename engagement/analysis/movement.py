"""Movement between two frozen states of a program (snapshots, or a snapshot and now).

Pure functions of the frozen dictionaries that :mod:`engagement.services.tracking.snapshots` keeps:
``actors``, ``assessments`` (with ``quadrant`` and ``salience``), ``ties``, ``measures``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

MEASURES = ("degree", "betweenness", "eigenvector", "pagerank", "reach_two_steps", "constraint")
ACTOR_COLUMNS = [
    "id", "name", "presence", "quadrant_before", "quadrant_after", "salience_before",
    "salience_after", "engagement_before", "engagement_after", "power_before", "power_after",
    "interest_before", "interest_after", "quadrant_changed", "salience_changed",
    "engagement_changed",
]  # fmt: skip
TIE_COLUMNS = ["source", "target", "source_name", "target_name", "tie_type"]


@dataclass(frozen=True)
class Comparison:
    """What moved. ``actors`` has one row per actor in either state (``presence``: both,
    added, removed); ``measures`` one row per actor whose measures changed."""

    actors: pd.DataFrame
    measures: pd.DataFrame
    ties_added: pd.DataFrame
    ties_removed: pd.DataFrame

    @property
    def moved(self) -> pd.DataFrame:
        """Actors present in both states who changed quadrant, salience or engagement."""
        frame = self.actors
        changed = (
            frame["quadrant_changed"] | frame["salience_changed"] | frame["engagement_changed"]
        )
        return frame[changed & (frame["presence"] == "both")]

    def counts(self) -> dict[str, int]:
        frame = self.actors
        both = frame[frame["presence"] == "both"]
        return {
            "actors_added": int((frame["presence"] == "added").sum()),
            "actors_removed": int((frame["presence"] == "removed").sum()),
            "quadrant_changed": int(both["quadrant_changed"].sum()),
            "salience_changed": int(both["salience_changed"].sum()),
            "engagement_changed": int(both["engagement_changed"].sum()),
            "ties_added": len(self.ties_added),
            "ties_removed": len(self.ties_removed),
            "measures_changed": len(self.measures),
        }


def _scores(state: dict[str, Any]) -> dict[int, dict[str, Any]]:
    return {int(a["actor_id"]): a for a in state.get("assessments", [])}


def compare_actors(before: dict[str, Any], after: dict[str, Any]) -> pd.DataFrame:
    """Quadrant, salience and engagement of every actor, before and after."""
    names = {int(a["id"]): a["name"] for a in before.get("actors", [])}
    names_after = {int(a["id"]): a["name"] for a in after.get("actors", [])}
    old, new = _scores(before), _scores(after)
    rows = []
    for actor_id in sorted(set(names) | set(names_after)):
        presence = (
            "both" if actor_id in names and actor_id in names_after
            else "removed" if actor_id in names else "added"
        )  # fmt: skip
        a, b = old.get(actor_id, {}), new.get(actor_id, {})
        row: dict[str, Any] = {
            "id": actor_id,
            "name": names_after.get(actor_id, names.get(actor_id)),
            "presence": presence,
        }
        for key, field in (
            ("quadrant", "quadrant"),
            ("salience", "salience"),
            ("engagement", "engagement_current"),
            ("power", "power"),
            ("interest", "interest"),
        ):
            row[f"{key}_before"], row[f"{key}_after"] = a.get(field), b.get(field)
        for key in ("quadrant", "salience", "engagement"):
            row[f"{key}_changed"] = bool(a and b and row[f"{key}_before"] != row[f"{key}_after"])
        rows.append(row)
    return pd.DataFrame(rows, columns=ACTOR_COLUMNS)


def compare_measures(before: dict[str, Any], after: dict[str, Any]) -> pd.DataFrame:
    """Actors whose network measures changed: before, after and change of each."""
    names = {int(a["id"]): a["name"] for a in [*before.get("actors", []), *after.get("actors", [])]}
    old = {int(m["id"]): m for m in before.get("measures", [])}
    new = {int(m["id"]): m for m in after.get("measures", [])}
    columns = ["id", "name"] + [f"{m}_{s}" for m in MEASURES for s in ("before", "after", "change")]
    rows = []
    for actor_id in sorted(set(old) & set(new)):
        row: dict[str, Any] = {"id": actor_id, "name": names.get(actor_id)}
        changed = False
        for m in MEASURES:
            a, b = old[actor_id].get(m), new[actor_id].get(m)
            delta = None if a is None or b is None else round(b - a, 6)
            row |= {f"{m}_before": a, f"{m}_after": b, f"{m}_change": delta}
            changed = changed or (delta is not None and abs(delta) > 1e-9)
        if changed:
            rows.append(row)
    return pd.DataFrame(rows, columns=columns)


def _tie_keys(state: dict[str, Any]) -> dict[tuple[int, int, str], dict[str, Any]]:
    keys = {}
    for tie in state.get("ties", []):
        source, target = int(tie["source"]), int(tie["target"])
        if not tie.get("directed", True) and source > target:
            source, target = target, source
        keys[(source, target, str(tie["tie_type"]))] = tie
    return keys


def compare_ties(
    before: dict[str, Any], after: dict[str, Any]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Ties added and removed (a tie is its two actors and its type)."""
    names = {int(a["id"]): a["name"] for a in [*before.get("actors", []), *after.get("actors", [])]}
    old, new = _tie_keys(before), _tie_keys(after)

    def frame(keys: set[tuple[int, int, str]]) -> pd.DataFrame:
        rows = [
            [s, t, names.get(s, str(s)), names.get(t, str(t)), kind] for s, t, kind in sorted(keys)
        ]
        return pd.DataFrame(rows, columns=TIE_COLUMNS)

    return frame(set(new) - set(old)), frame(set(old) - set(new))


def compare_frozen(before: dict[str, Any], after: dict[str, Any]) -> Comparison:
    added, removed = compare_ties(before, after)
    return Comparison(
        actors=compare_actors(before, after),
        measures=compare_measures(before, after),
        ties_added=added,
        ties_removed=removed,
    )


def coalition_frame(state: dict[str, Any]) -> pd.DataFrame:
    """A frozen state as a coalition frame (actors with their scores), for the grid's
    movement view (:func:`engagement.analysis.grid.movement`)."""
    scores = _scores(state)
    rows = []
    for actor in state.get("actors", []):
        s = scores.get(int(actor["id"]), {})
        rows.append(
            {
                "id": int(actor["id"]),
                "name": actor["name"],
                "sector": actor.get("sector"),
                "tags": [],
                "territory": "",
                "power": s.get("power"),
                "interest": s.get("interest"),
                "legitimacy": s.get("legitimacy"),
                "urgency": s.get("urgency"),
                "engagement_current": s.get("engagement_current"),
                "engagement_desired": s.get("engagement_desired"),
                "participation_target": None,
                "assessed_on": s.get("assessed_on"),
                "stage_id": s.get("stage_id"),
            }
        )
    frame = pd.DataFrame(rows, columns=_COALITION_COLUMNS)
    for column in ("power", "interest", "engagement_current", "engagement_desired", "stage_id"):
        frame[column] = frame[column].astype("Int64")
    return frame


_COALITION_COLUMNS = [
    "id", "name", "sector", "tags", "territory", "power", "interest", "legitimacy", "urgency",
    "engagement_current", "engagement_desired", "participation_target", "assessed_on", "stage_id",
]  # fmt: skip
