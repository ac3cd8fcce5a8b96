"""Program settings through the services: list entries' other names, threshold checks."""

from __future__ import annotations

import pytest

from engagement.errors import DuplicateName, ValidationFailed
from engagement.i18n import describe_problem
from engagement.model import Principal, ProgramInfo
from engagement.services.registry import programs, terms
from engagement.storage.db import Database
from engagement.storage.queries import programs as stored_programs

ANA = Principal("ana")


@pytest.fixture
def program(db: Database) -> ProgramInfo:
    return programs.create_program(db, ANA, "Ciudades Abiertas")


def test_aliases_are_saved_cleaned_and_used_for_matching(
    db: Database, program: ProgramInfo
) -> None:
    media = next(s for s in program.sectors if s.key == "media")
    saved = terms.update_term(
        db, ANA, program.id, "sector", media.id,
        label_es="Medios", label_en="Media",
        aliases=["  Radio  comunitaria ", "radio comunitaria", "Medios", "Periódicos"],
    )  # fmt: skip
    assert saved.aliases == ("Radio comunitaria", "Periódicos")
    again = stored_programs.get_program(db, program.id)
    assert terms.match_term(again.sectors, "RADIO COMUNITARIA") == saved
    assert terms.match_term(again.sectors, "periodicos") == saved


def test_an_alias_naming_another_entry_is_refused(db: Database, program: ProgramInfo) -> None:
    media = next(s for s in program.sectors if s.key == "media")
    with pytest.raises(DuplicateName) as caught:
        terms.update_term(
            db, ANA, program.id, "sector", media.id,
            label_es="Medios", label_en="Media", aliases=["Academia"],
        )  # fmt: skip
    assert caught.value.params["name"] == "Academia"


def test_renaming_without_aliases_keeps_them(db: Database, program: ProgramInfo) -> None:
    media = next(s for s in program.sectors if s.key == "media")
    saved = terms.update_term(
        db, ANA, program.id, "sector", media.id, label_es="Prensa y radio", label_en="Press"
    )
    assert saved.label_es == "Prensa y radio" and saved.aliases == media.aliases


def test_too_long_label_names_the_field(db: Database, program: ProgramInfo) -> None:
    media = next(s for s in program.sectors if s.key == "media")
    with pytest.raises(ValidationFailed) as caught:
        terms.update_term(
            db, ANA, program.id, "sector", media.id, label_es="x" * 201, label_en="Media"
        )
    assert [(p.field, p.code) for p in caught.value.problems] == [("label_es", "too_long")]


@pytest.mark.parametrize(
    ("field", "value", "text"),
    [
        ("power_threshold", 9, "«Umbral de poder/interés»: debe ser un número entero entre 1 y 5"
         " (se recibió «9»)."),
        ("stale_days", 0, "«Días sin actividad para alertar»: debe ser un número entero entre 1"
         " y 3650 (se recibió «0»)."),
    ],
)  # fmt: skip
def test_out_of_range_settings_name_the_field_and_the_value(
    db: Database, program: ProgramInfo, field: str, value: int, text: str
) -> None:
    with pytest.raises(ValidationFailed) as caught:
        programs.update_program(db, ANA, program.id, {field: value}, program.version)
    assert [describe_problem(p, "es") for p in caught.value.problems] == [text]
