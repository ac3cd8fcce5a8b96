"""What an import would do: rows matched against the program, nothing written.

The plan is pure bookkeeping over a snapshot of the program (its lists, live actors,
live ties, assessments): every row becomes new, updated, unchanged or rejected, and
references to things the import itself creates (actors, list entries) stay symbolic
(:class:`Ref`) until the write resolves them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.orm import Session

from engagement.errors import Problem
from engagement.i18n import t
from engagement.io import columns
from engagement.io.readers import ParsedFile, Sheet
from engagement.services import audit
from engagement.services.exchange.import_model import (
    DEFAULT_TIE_TYPE_KEY,
    NewTerm,
    Plan,
    Ref,
    RowUpdate,
    Snapshot,
    TermKind,
    fold,
    score_key,
    snapshot,
)
from engagement.services.exchange.import_rows import actor_rows, assessment_rows, tie_rows
from engagement.services.registry.terms import match_term, similar_term
from engagement.text import name_key

ENTITIES = ("actor", "relationship", "assessment")
REQUIRED = {
    "actors": ("name",),
    "ties": ("source", "target"),
    "assessments": (
        "actor", "stage", "assessed_on", "power", "interest", "engagement_current",
        "engagement_desired", "participation_target",
    ),
}  # fmt: skip


def make_plan(session: Session, program_id: int, files: Sequence[ParsedFile]) -> Plan:
    """Match every row of ``files`` against the program; write nothing."""
    return Planner(snapshot(session, program_id)).run(files)


class Planner:
    def __init__(self, snap: Snapshot) -> None:
        self.snap, self.plan = snap, Plan()
        # Files repeat the same names (sectors, tie types, actors in From/To) thousands of
        # times: fold and match each distinct name once.
        self._folded: dict[str, str] = {}
        self._terms: dict[tuple[str, str], int | Ref] = {}
        self._default_type: int | Ref | None = None
        #: Actor names resolved once actors are all read (ties and assessments come after).
        self._resolved: dict[str, int | Ref | None] = {}
        self.live_by_key = {v["name_key"]: i for i, v in snap.actors.items()}
        self.live_by_ext = {v["external_id"]: i for i, v in snap.actors.items() if v["external_id"]}
        #: name key / external id in the file → the actor it designates (id or Ref)
        self.file_actors: dict[str, int | Ref] = {}
        self.file_ext: dict[str, int | Ref] = {}

    def run(self, files: Sequence[ParsedFile]) -> Plan:
        sheets = [(f, s) for f in files for s in f.sheets]
        for f in files:
            for name in f.ignored_sheets:
                self.plan.notices.append(
                    Problem(f.name, "ignored_sheet", {"value": name}, f.name, None)
                )
        for kind, handler in (
            ("actors", self._actors),
            ("ties", self._ties),
            ("assessments", self._assessments),
        ):
            for _f, sheet in sheets:
                if sheet.kind == kind and self._columns_ok(sheet):
                    handler(sheet)
        order = {s.name: i for i, (_f, s) in enumerate(sheets)}
        self.plan.problems.sort(key=lambda p: (order.get(p.sheet or "", -1), p.row or 0))
        return self.plan

    def _columns_ok(self, sheet: Sheet) -> bool:
        missing = [f for f in REQUIRED[sheet.kind] if f not in sheet.fields]
        for name in missing:
            self.plan.problems.append(Problem(name, "missing_column", {}, sheet.name, 1))
        entity = {"actors": "actor", "ties": "relationship", "assessments": "assessment"}
        if missing:
            self.plan.count("rejected", entity[sheet.kind], len(sheet.rows))
        self._unknown_columns(sheet)
        return not missing

    def _unknown_columns(self, sheet: Sheet) -> None:
        """Name every column that is not one of ours, and what happens to it: an actor
        sheet keeps it as a custom field, other sheets leave it out. One that looks like
        a misspelt column of ours is a warning, with the column it resembles."""
        taken = [f for f in sheet.fields if f]
        fate = "custom_column" if sheet.kind == "actors" else "ignored_column"
        for header, found in zip(sheet.headers, sheet.fields, strict=True):
            if found is not None or not header:
                continue
            like = columns.close_header(sheet.kind, header, taken)
            if like is None:
                self.plan.notices.append(Problem(header, fate, {"value": header}, sheet.name, 1))
            else:
                params = {"value": header, "suggestion": like}
                self.plan.warnings.append(Problem(header, f"{fate}_like", params, sheet.name, 1))

    # -- list entries ---------------------------------------------------------------
    def key(self, name: str) -> str:
        folded = self._folded.get(name)
        if folded is None:
            folded = self._folded[name] = fold(name)
        return folded

    def _term(self, kind: TermKind, name: str, sheet: Sheet, row: int) -> int | Ref:
        cached = self._terms.get((kind, name))
        if cached is None:
            cached = self._terms[(kind, name)] = self._match_term(kind, name, sheet, row)
        return cached

    def _match_term(self, kind: TermKind, name: str, sheet: Sheet, row: int) -> int | Ref:
        terms = self.snap.sectors if kind == "sector" else self.snap.tie_types
        found = match_term(terms, name)
        if found is not None:
            return found.id
        ref = Ref(kind, self.key(name))
        if ref not in self.plan.new_terms:
            self.plan.new_terms[ref] = NewTerm(kind, name, name)
            like = similar_term(terms, name)
            if like is not None:  # a second entry beside one that reads almost the same
                params = {"value": name, "existing": like}
                column = sheet.header_of(kind)
                self.plan.warnings.append(
                    Problem(column, f"similar_{kind}", params, sheet.name, row)
                )
        return ref

    def _default_tie_type(self) -> int | Ref:
        """The tie type of rows that name none: found by its key, else added."""
        if self._default_type is None:
            self._default_type = self._find_default_tie_type()
        return self._default_type

    def _find_default_tie_type(self) -> int | Ref:
        terms = self.snap.tie_types
        found = next((term for term in terms if term.key == DEFAULT_TIE_TYPE_KEY), None)
        label_es, label_en = t("io.default_tie_type", "es"), t("io.default_tie_type", "en")
        # An entry already named as the default would be, under another key: the list
        # refuses a second entry of the same name (see terms.new_term), so it is that one.
        found = found or match_term(terms, label_es) or match_term(terms, label_en)
        if found is not None:
            return found.id
        ref = Ref("tie_type", DEFAULT_TIE_TYPE_KEY)
        term = NewTerm("tie_type", label_es, label_en, slug=DEFAULT_TIE_TYPE_KEY)
        self.plan.new_terms.setdefault(ref, term)
        return ref

    # -- actors -----------------------------------------------------------------------
    def _actors(self, sheet: Sheet) -> None:
        seen: dict[str, int] = {}
        seen_ext: dict[str, int] = {}
        for row in actor_rows(sheet):
            problems = list(row.problems)
            name = row.fields.get("name", "")
            key = self.key(name)
            ext = row.fields.pop("external_id", None)
            if key in seen:
                problems.append(
                    Problem(
                        sheet.header_of("name"),
                        "duplicate_in_file",
                        {"value": name, "other_row": seen[key]},
                        sheet.name,
                        row.row,
                    )
                )
            if ext and ext in seen_ext:
                problems.append(
                    Problem(
                        sheet.header_of("external_id"),
                        "duplicate_in_file",
                        {"value": ext, "other_row": seen_ext[ext]},
                        sheet.name,
                        row.row,
                    )
                )
            existing = self.live_by_ext.get(ext) if ext else None
            existing = existing if existing is not None else self.live_by_key.get(key)
            clash = self.live_by_key.get(key)
            if key and existing is not None and clash is not None and clash != existing:
                problems.append(
                    Problem(
                        sheet.header_of("name"),
                        "duplicate_actor",
                        {"value": name},
                        sheet.name,
                        row.row,
                    )
                )
            if key:
                seen.setdefault(key, row.row)
                target: int | Ref = existing if existing is not None else Ref("actor", key)
                self.file_actors.setdefault(key, target)
                if ext:
                    self.file_ext.setdefault(ext, target)
            if ext:
                seen_ext.setdefault(ext, row.row)
                row.fields["external_id"] = ext
            if problems:
                self.plan.problems += problems
                self.plan.count("rejected", "actor")
                continue
            values = dict(row.fields)
            if row.sector is not None:
                values["sector_id"] = (
                    self._term("sector", row.sector, sheet, row.row) if row.sector else None
                )
            if existing is None:
                custom = dict(row.custom)
                self.plan.actor_inserts.append(values | {"custom_fields": custom, "name_key": key})
                self.plan.new_actors.append(name)
                self.plan.count("new", "actor")
            else:
                self._actor_update(existing, values, row.custom, row.blank_custom)

    def _actor_update(
        self, actor_id: int, values: dict[str, Any], custom: dict[str, Any], blank: list[str]
    ) -> None:
        old = self.snap.actors[actor_id]
        merged = {k: v for k, v in dict(old["custom_fields"] or {}).items() if k not in blank}
        merged |= custom
        values["custom_fields"] = merged
        changes = audit.diff(old, values)
        if not changes:
            self.plan.count("unchanged", "actor")
            return
        if "name" in changes:
            values["name_key"] = name_key(values["name"])
        self.plan.actor_updates.append(
            RowUpdate(actor_id, {k: values[k] for k in changes} | _key(values), changes)
        )
        self.plan.updated_actors.append(str(values.get("name", old["name"])))
        self.plan.count("updated", "actor")

    def _actor(self, name: str) -> int | Ref | None:
        if name in self._resolved:
            return self._resolved[name]
        found = self._resolved[name] = self._find_actor(name)
        return found

    def _find_actor(self, name: str) -> int | Ref | None:
        key = self.key(name)
        for table, wanted in (
            (self.file_actors, key),
            (self.live_by_key, key),
            (self.file_ext, name),
            (self.live_by_ext, name),
        ):
            found = table.get(wanted)
            if found is not None:
                return found
        return None

    # -- ties --------------------------------------------------------------------------
    def _ties(self, sheet: Sheet) -> None:
        by_key: dict[tuple[Any, ...], int] = {}
        for tie_id, v in self.snap.ties.items():
            by_key[(v["source_id"], v["target_id"], v["tie_type_id"])] = tie_id
        by_ext = {v["external_id"]: i for i, v in self.snap.ties.items() if v["external_id"]}
        seen: dict[tuple[Any, ...], int] = {}
        seen_ext: dict[str, int] = {}
        new = rejected = 0
        for row in tie_rows(sheet):
            problems = row.problems
            ext_id = row.fields.get("external_id")
            if ext_id and ext_id in seen_ext:
                problems.append(
                    Problem(
                        sheet.header_of("external_id"),
                        "duplicate_in_file",
                        {"value": ext_id, "other_row": seen_ext[ext_id]},
                        sheet.name,
                        row.row,
                    )
                )
            elif ext_id:
                seen_ext[ext_id] = row.row
            ends = []
            for column, names in (("source", row.sources), ("target", row.targets)):
                for name in names:
                    if self._actor(name) is None:
                        problems.append(
                            Problem(
                                sheet.header_of(column),
                                "unknown_actor",
                                {"value": name},
                                sheet.name,
                                row.row,
                            )
                        )
            type_ref: int | Ref | None = None
            if not problems:
                type_ref = (
                    self._term("tie_type", row.tie_type, sheet, row.row)
                    if row.tie_type
                    else self._default_tie_type()
                )
            pairs = [(s, g) for s in row.sources for g in row.targets] if not problems else []
            ext = row.fields.pop("external_id", None)
            for source, target in pairs:
                s, g = self._actor(source), self._actor(target)
                if s == g:
                    problems.append(
                        Problem(
                            sheet.header_of("target"),
                            "self_tie",
                            {"value": source},
                            sheet.name,
                            row.row,
                        )
                    )
                    continue
                directed = row.fields.get("directed", True)
                key = (s, g, type_ref) if directed else (*sorted((s, g), key=repr), type_ref)
                if key in seen:
                    problems.append(
                        Problem(
                            sheet.header_of("target"),
                            "duplicate_in_file",
                            {"value": f"{source} → {target}", "other_row": seen[key]},
                            sheet.name,
                            row.row,
                        )
                    )
                    continue
                seen[key] = row.row
                ends.append((s, g, source, target))
            if problems:
                self.plan.problems += problems
                rejected += 1
                continue
            for s, g, _source, _target in ends:
                values = {**row.fields, "source_id": s, "target_id": g, "tie_type_id": type_ref}
                if ext and len(ends) == 1:
                    values["external_id"] = ext
                existing = by_ext.get(ext) if ext and len(ends) == 1 else None
                if existing is None:
                    existing = by_key.get((s, g, type_ref))
                if existing is None and not values.get("directed", True):
                    existing = by_key.get((g, s, type_ref))
                    if existing is not None:
                        values["source_id"], values["target_id"] = g, s
                if existing is None:
                    self.plan.tie_inserts.append(values)
                    new += 1
                else:
                    self._tie_update(existing, values)
        if new:
            self.plan.count("new", "relationship", new)
        if rejected:
            self.plan.count("rejected", "relationship", rejected)

    def _tie_update(self, tie_id: int, values: dict[str, Any]) -> None:
        changes = audit.diff(self.snap.ties[tie_id], values)
        if changes:
            self.plan.tie_updates.append(
                RowUpdate(tie_id, {k: values[k] for k in changes}, changes)
            )
            self.plan.count("updated", "relationship")
        else:
            self.plan.count("unchanged", "relationship")

    # -- assessments -------------------------------------------------------------------
    def _assessments(self, sheet: Sheet) -> None:
        seen: dict[tuple[Any, ...], int] = {}
        for row in assessment_rows(sheet):
            problems = list(row.problems)
            actor = self._actor(row.actor) if row.actor else None
            if row.actor and actor is None:
                problems.append(
                    Problem(
                        sheet.header_of("actor"),
                        "unknown_actor",
                        {"value": row.actor},
                        sheet.name,
                        row.row,
                    )
                )
            stage = match_term(self.snap.stages, row.stage) if row.stage else None
            if row.stage and stage is None:
                problems.append(
                    Problem(
                        sheet.header_of("stage"),
                        "not_in_list",
                        {"value": row.stage},
                        sheet.name,
                        row.row,
                    )
                )
            if problems:
                self.plan.problems += problems
                self.plan.count("rejected", "assessment")
                continue
            assert stage is not None
            values = row.fields | {"actor_id": actor, "stage_id": stage.id}
            key = score_key(values)
            if key in seen:
                self.plan.problems.append(
                    Problem(
                        sheet.header_of("actor"),
                        "duplicate_in_file",
                        {"value": row.actor, "other_row": seen[key]},
                        sheet.name,
                        row.row,
                    )
                )
                self.plan.count("rejected", "assessment")
                continue
            seen[key] = row.row
            if key in self.snap.assessment_keys:
                self.plan.count("unchanged", "assessment")
            else:
                self.plan.assessment_inserts.append(values)
                self.plan.count("new", "assessment")


def _key(values: dict[str, Any]) -> dict[str, Any]:
    return {"name_key": values["name_key"]} if "name_key" in values else {}
