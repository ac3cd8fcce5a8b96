"""Imports say what they did not understand (issue 12, point 10), and the plan is typed
without logic on translated text (issue 10, point 5)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from engagement import i18n
from engagement.cli import main
from engagement.i18n import describe_problem
from engagement.model import Principal
from engagement.services.exchange import imports
from engagement.services.exchange.import_model import DEFAULT_TIE_TYPE_KEY, NewTerm, Ref, RowUpdate
from engagement.services.registry import programs
from engagement.storage.db import Database
from engagement.storage.queries import programs as stored_programs
from engagement.storage.queries import registry as stored_registry

ANA = Principal("ana")
LIMIT = 1 << 20


@pytest.fixture
def pid(db: Database) -> int:
    # A new program's sectors include "Ciudadana o ciudadano" and "Organismo
    # multilateral / agencia ONU" (and "Sociedad civil" as another name of one).
    return programs.create_program(db, ANA, "Xela").id


def _csv(text: str, name: str = "actores.csv") -> list[imports.ParsedFile]:
    return [imports.read_upload(name, text.encode(), LIMIT)]


def test_a_misspelt_column_is_named_with_what_happens_to_it(db: Database, pid: int) -> None:
    preview = imports.preview_import(
        db, ANA, pid, _csv("Nombre;sectr;Presupuesto\nAna;Academia;3\n")
    )
    [warning] = preview.warnings
    assert (warning.code, warning.params["suggestion"]) == ("custom_column_like", "sector")
    es = describe_problem(warning, "es")
    assert "«sectr»" in es and "campo personalizado" in es and "¿Quiso decir «sector»?" in es
    [notice] = preview.notices  # a column that resembles none of ours: said, not warned
    assert notice.code == "custom_column" and "«Presupuesto»" in describe_problem(notice, "es")
    ties = _csv("From;To;Strenght\nA;B;2\n", "vinculos.csv")
    [tie_warning] = imports.preview_import(db, ANA, pid, ties).warnings
    assert tie_warning.code == "ignored_column_like"
    assert "Did you mean “strength”?" in describe_problem(tie_warning, "en")


@pytest.mark.parametrize(
    ("written", "existing"),
    [
        ("Ciudadano o ciudadana", "Ciudadana o ciudadano"),
        ("Organismo multilateral", "Organismo multilateral / agencia ONU"),
        ("Organización de la sociedad civl", "Organización de la sociedad civil"),
    ],
)
def test_a_new_sector_like_an_existing_one_is_pointed_out(
    db: Database, pid: int, written: str, existing: str
) -> None:
    preview = imports.preview_import(db, ANA, pid, _csv(f"Nombre;Sector\nAna;{written}\n"))
    [warning] = preview.warnings
    assert warning.code == "similar_sector" and (warning.sheet, warning.row) == ("actores.csv", 2)
    assert f"«{written}»" in describe_problem(warning, "es")
    assert f"«{existing}»" in describe_problem(warning, "es")
    assert preview.added_terms == {"sector": [written]}


def test_a_new_sector_unlike_any_is_just_added(db: Database, pid: int) -> None:
    preview = imports.preview_import(db, ANA, pid, _csv("Nombre;Sector\nAna;Radio local\n"))
    assert preview.warnings == [] and preview.added_terms == {"sector": ["Radio local"]}


def test_the_cli_prints_the_warnings(db_url: str, db: Database, pid: int, tmp_path: Path) -> None:
    path = tmp_path / "actores.csv"
    path.write_text("Nombre;sectr\nAna;Ciudadano o ciudadana\n", encoding="utf-8")
    out = io.StringIO()
    args = ["--database-url", db_url, "--lang", "es", "import", str(path), "--program", "Xela"]
    assert main([*args, "--dry-run"], out=out) == 0
    text = out.getvalue()
    assert "  ! " in text and "¿Quiso decir «sector»?" in text
    path.write_text("Nombre;Sector\nAna;Ciudadano o ciudadana\n", encoding="utf-8")
    out = io.StringIO()
    assert main([*args, "--dry-run"], out=out) == 0
    assert "se parece a «Ciudadana o ciudadano»" in out.getvalue()


def test_the_plan_is_typed(db: Database, pid: int) -> None:
    imports.apply_import(db, ANA, pid, _csv("Nombre;Sector\nAna;Academia\n"))
    preview = imports.preview_import(db, ANA, pid, _csv("Nombre;Sector\nAna;Nueva cosa\n"))
    assert preview.plan is not None
    [update] = preview.plan.actor_updates
    assert isinstance(update, RowUpdate) and set(update.changes) == {"sector_id"}
    assert preview.plan.new_terms == {
        Ref("sector", "nueva cosa"): NewTerm("sector", "Nueva cosa", "Nueva cosa")
    }


def test_the_default_tie_type_is_found_by_its_key_not_its_translated_name(
    db: Database, pid: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    imports.apply_import(db, ANA, pid, _csv("Nombre\nA\nB\nC\n"))
    imports.apply_import(db, ANA, pid, _csv("From;To\nA;B\n", "v1.csv"))
    program = stored_programs.get_program(db, pid)
    [default] = [t for t in program.tie_types if t.key == DEFAULT_TIE_TYPE_KEY]
    assert (default.label_es, default.label_en) == ("Vínculo", "Connection")
    # The catalog's wording changes (a new release, say): the entry is still found.
    reworded = {"es": "Relación", "en": "Relationship"}
    original = i18n.catalog
    monkeypatch.setattr(
        i18n,
        "catalog",
        lambda lang: dict(original(lang)) | {"io.default_tie_type": reworded[lang]},
    )
    preview = imports.preview_import(db, ANA, pid, _csv("From;To\nB;C\n", "v2.csv"))
    assert preview.added_terms == {}
    imports.apply_import(db, ANA, pid, preview)
    types = set(stored_registry.relationships_frame(db, pid)["tie_type_key"])
    assert types == {DEFAULT_TIE_TYPE_KEY}
