"""Names on the network map are written whole, wrapped on at most three lines."""

from __future__ import annotations

import pytest

from engagement.text import wrap_name
from tests.support.name_wrapping import CASES, CHARS, LINES


@pytest.mark.parametrize(("name", "expected"), CASES)
def test_a_name_is_wrapped_whole_between_words(name: str, expected: tuple[str, ...]) -> None:
    lines = wrap_name(name, CHARS, LINES)
    assert lines == expected
    assert len(lines) <= LINES
    # Whole: every character of the name, in order, nothing added (no "…").
    assert "".join("".join(lines).split()) == "".join(name.split())
    assert all(line == line.strip() and line for line in lines)


@pytest.mark.parametrize(("name", "expected"), CASES)
def test_lines_grow_longer_only_when_the_name_needs_all_of_them(
    name: str, expected: tuple[str, ...]
) -> None:
    lines = wrap_name(name, CHARS, LINES)
    if any(len(line) > CHARS for line in lines):
        assert len(lines) == LINES
    words = name.split()
    if all(len(word) <= CHARS for word in words):
        assert " ".join(lines) == " ".join(words)  # no word broken


@pytest.mark.parametrize("max_lines", [1, 2, 3, 4])
def test_fewer_lines_allowed_make_longer_lines(max_lines: int) -> None:
    name = "Centro de Formación de la Cooperación Española en La Antigua Guatemala"
    lines = wrap_name(name, CHARS, max_lines)
    assert len(lines) <= max_lines
    assert " ".join(lines) == name
    if max_lines == 1:
        assert lines == (name,)


def test_two_lines_come_out_even() -> None:
    """Balanced, not greedy: a greedy fill would leave one word on the second line."""
    lines = wrap_name("Cooperativa de Ahorro y Crédito", CHARS)
    assert lines == ("Cooperativa de", "Ahorro y Crédito")
