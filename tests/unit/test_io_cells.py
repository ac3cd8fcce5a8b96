"""Cell values: formula neutralisation and typed parsing, in both languages."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from engagement.io.cells import (
    FORMULA_STARTS,
    as_bool,
    as_direction,
    as_int,
    as_text,
    neutralise,
    restore_neutralised,
)
from engagement.io.writers import Table, csv_bytes, xlsx_bytes


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+57 300", "'+57 300"),
        ("-x", "'-x"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("Alcaldía", "Alcaldía"),
        ("", ""),
        (-3, -3),
        (None, None),
    ],
)
def test_neutralise(value: object, expected: object) -> None:
    assert neutralise(value) == expected


@pytest.mark.parametrize("text", ["=cmd|' /C calc'!A0", "+1", "-", "@x", "a=b", "'quoted"])
def test_neutralised_text_reads_back_unchanged(text: str) -> None:
    assert restore_neutralised(str(neutralise(text))) == text
    assert as_text(neutralise(text)) == text.strip()


@pytest.mark.parametrize(
    ("value", "expected"),
    [(2, 2), (2.0, 2), ("3", 3), (" 3 ", 3), ("2,0", 2), ("2.00", 2), ("-1", -1)],
)
def test_as_int_accepts_whole_numbers(value: object, expected: int) -> None:
    assert as_int(value) == expected


@pytest.mark.parametrize("value", ["2.5", 2.5, "dos", "", True])
def test_as_int_refuses_the_rest(value: object) -> None:
    with pytest.raises(ValueError):
        as_int(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("sí", True), ("Si", True), ("yes", True), ("X", True), (1, True), (True, True),
        ("verdadero", True), ("no", False), ("falso", False), ("", False), (None, False),
        (0, False),
    ],
)  # fmt: skip
def test_as_bool_in_either_language(value: object, expected: bool) -> None:
    assert as_bool(value) is expected


def test_as_bool_refuses_other_words() -> None:
    with pytest.raises(ValueError):
        as_bool("quizás")


@pytest.mark.parametrize(
    ("value", "directed"),
    [
        ("directed", True), ("", True), (None, True), ("Dirigido", True),
        ("undirected", False), ("mutual", False), ("Mutuo", False), ("no dirigido", False),
    ],
)  # fmt: skip
def test_kumu_direction(value: object, directed: bool) -> None:
    assert as_direction(value) is directed


def test_unknown_direction_is_refused() -> None:
    with pytest.raises(ValueError):
        as_direction("sideways")


def test_as_text_of_spreadsheet_values() -> None:
    assert as_text(3.0) == "3"
    assert as_text(dt.datetime(2024, 5, 1)) == "2024-05-01"
    assert as_text(dt.date(2024, 5, 1)) == "2024-05-01"
    assert as_text("  Red  ") == "Red"


cells = st.one_of(
    st.text(max_size=30),
    st.sampled_from(FORMULA_STARTS).flatmap(lambda c: st.text(max_size=20).map(lambda t: c + t)),
    st.integers(-1000, 1000),
    st.none(),
)


def _dangerous(value: object) -> bool:
    """Text a spreadsheet would run. (A number such as -3 written to CSV is a number.)"""
    return (
        isinstance(value, str)
        and value.startswith(FORMULA_STARTS)
        and re.fullmatch(r"-\d+", value) is None
    )


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(cells, min_size=3, max_size=3), min_size=1, max_size=5))
def test_exported_cells_never_start_with_a_formula_character(rows: list[list[object]]) -> None:
    table = Table("Actores", ("Nombre", "=Tipo", "Nota"), rows)
    book = load_workbook(io.BytesIO(xlsx_bytes([table])))
    for row in book["Actores"].iter_rows(values_only=True):
        assert not any(_dangerous(v) for v in row), row
    for delimiter in (",", ";"):
        text = csv_bytes(table, delimiter=delimiter).decode("utf-8-sig")
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            assert not any(_dangerous(v) for v in row), row


def test_control_characters_never_uncover_a_formula() -> None:
    table = Table("A", ("x", "y"), [["\x1f=cmd", ["\x08@a", "b"]]])
    row = next(load_workbook(io.BytesIO(xlsx_bytes([table])))["A"].iter_rows(min_row=2))
    assert [c.value for c in row] == ["'=cmd", "'@a|b"]


def test_xlsx_keeps_a_formula_as_visible_text() -> None:
    table = Table("Vínculos", ("Nota",), [['=HYPERLINK("http://evil","clic")']])
    book = load_workbook(io.BytesIO(xlsx_bytes([table])))
    cell = book["Vínculos"]["A2"]
    assert cell.data_type == "s"
    assert cell.value == '\'=HYPERLINK("http://evil","clic")'
