from __future__ import annotations

import pytest

from engagement.errors import DuplicateActor, Problem, StaleEdit, ValidationFailed
from engagement.i18n import catalog, describe_error, describe_problem, t
from engagement.palette import TOL_MUTED, sector_colours
from engagement.text import clean_name, name_key, shorten, split_multi
from engagement.vocabulary import SECTORS


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Municipalidad de Antigua", "  municipalidad   de ANTIGUA "),
        ("Asociación", "asociacion"),
        ("ONU-Hábitat", "onu-habitat"),
        ("Ñandutí", "nanduti"),
    ],
)
def test_name_key_ignores_case_accents_and_spaces(a: str, b: str) -> None:
    assert name_key(a) == name_key(b)


def test_name_key_keeps_different_names_apart() -> None:
    assert name_key("San Felipe") != name_key("San Felipe de Jesús")


def test_clean_name_and_split_multi() -> None:
    assert clean_name("  Cámara   de  Comercio ") == "Cámara de Comercio"
    assert split_multi("turismo | patrimonio|Turismo||") == ["turismo", "patrimonio"]
    assert split_multi(None) == []


def test_t_fills_params_and_falls_back_to_the_key() -> None:
    assert t("common.showing", "en", shown=3, total=9) == "Showing 3 of 9"
    assert t("common.showing", "es", shown=3, total=9) == "Mostrando 3 de 9"
    assert t("no.such.key", "es") == "no.such.key"
    assert t("common.save", "xx") == "Guardar"  # unknown language falls back to Spanish


def test_a_count_of_one_takes_the_singular_text() -> None:
    assert t("grid.count", "es", count=1) == "1 actor en el mapa."
    assert t("grid.count", "es", count=2) == "2 actores en el mapa."
    assert t("grid.count", "en", count=1) == "1 actor on the grid."
    assert t("grid.count", "en", count=0) == "0 actors on the grid."
    assert t("common.showing", "es", shown=1, total=1) == "Mostrando 1 de 1"


def test_every_singular_text_belongs_to_a_counted_text() -> None:
    for lang in ("es", "en"):
        texts = catalog(lang)
        singular = [k for k in texts if k.endswith(".one")]
        assert singular, "no singular texts at all"
        for key in singular:
            assert "{count}" in texts[key.removesuffix(".one")], key
            assert "{count}" not in texts[key], key


def test_shorten_folds_spaces_and_cuts_with_an_ellipsis() -> None:
    assert shorten("Taller  de\nco-diseño", 40) == "Taller de co-diseño"
    assert shorten("Taller de co-diseño con vecinos", 12) == "Taller de c…"
    assert len(shorten("x" * 100, 80)) == 80


def test_catalogs_have_the_same_keys() -> None:
    assert set(catalog("es")) == set(catalog("en"))


def test_problem_names_sheet_row_and_column_in_both_languages() -> None:
    problem = Problem("power", "out_of_range", {"min": 1, "max": 5, "value": 9}, "Actores", 7)
    assert describe_problem(problem, "es") == (
        "Hoja «Actores», fila 7, columna «Poder»: debe ser un número entero entre 1 y 5"
        " (se recibió «9»)."
    )
    assert describe_problem(problem, "en").startswith("Sheet “Actores”, row 7, column “Power”")


def test_errors_are_translated_with_their_facts() -> None:
    assert "«Municipalidad»" in describe_error(DuplicateActor(name="m", existing="Municipalidad"))
    stale = StaleEdit(
        entity="actor", name="INGUAT", changed_by="ana", changed_at="2026-11-23 10:00"
    )
    assert describe_error(stale, "en") == (
        "Not saved: ana changed this actor (“INGUAT”) at 2026-11-23 10:00, after you opened it."
        " Reload it to see their changes."
    )
    assert describe_error(ValidationFailed([Problem("name", "required")]), "es").startswith("Hay 1")


def test_builtin_sectors_have_distinct_palette_colours() -> None:
    keys = [s.key for s in SECTORS]
    colours = sector_colours([*keys, "iglesias"])
    assert len(set(colours.values())) == len(keys) + 1
    assert set(colours.values()) <= set(TOL_MUTED)
    assert (
        sector_colours(["iglesias", *keys])["municipal_government"]
        == colours["municipal_government"]
    )


@pytest.mark.parametrize("builtin", ["stage", "sector", "tie"])
def test_every_builtin_list_entry_has_labels(builtin: str) -> None:
    from engagement import vocabulary

    items = {"stage": vocabulary.STAGES, "sector": vocabulary.SECTORS, "tie": vocabulary.TIE_TYPES}
    for item in items[builtin]:
        for lang in ("es", "en"):
            assert f"{builtin}.{item.key}" in catalog(lang)
