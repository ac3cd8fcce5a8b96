"""The Decidim value mappings (pure): answer states, result statuses, times, HTML, names."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engagement.io.decidim_zip import entry_entity, restore_guarded
from engagement.services.exchange.decidim_text import (
    _fast_parts,
    _parsed_parts,
    plain_text,
    plain_texts,
)
from engagement.services.exchange.decidim_values import (
    response_of,
    split_organizations,
    status_of,
    translated,
    utc_time,
)

_ENDS = ("", " ", " x")
_ATTRS = ("", " class='x'", ' a="1"', " b=c", " d", ' e = "f>g"', "/", " /", " a=b/", "\xa0c=1")


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        ("accepted", "accepted"),
        ("rejected", "rejected"),
        ("evaluating", "under_review"),
        ("aceptada_parcialmente", "partly_accepted"),
        ("partially_accepted", "partly_accepted"),
        ("aceptada", "accepted"),
        ("no_aceptada", "rejected"),
        ("rechazada", "rejected"),
        ("en_evaluacion", "under_review"),
        ("en_consulta_vecinal", None),
    ],
)
def test_answer_states_map_by_name(state: str, expected: str | None) -> None:
    assert response_of(state) == expected


def test_a_state_chosen_by_the_user_wins() -> None:
    assert response_of("en_consulta_vecinal", {"en_consulta_vecinal": "rejected"}) == "rejected"


@pytest.mark.parametrize(
    ("key", "name", "progress", "expected"),
    [
        ("completed", "", 100, ("done", True)),
        ("", "Finalizado", 100, ("done", True)),
        ("in_progress", "En ejecución", 40, ("in_progress", True)),
        ("planned", "Planificado", 0, ("open", True)),
        ("cancelled", "", 10, ("dropped", True)),
        ("fase_3", "Fase 3", 100, ("done", False)),
        ("fase_2", "Fase 2", 30, ("in_progress", False)),
        ("", "", 0, ("open", False)),
    ],
)
def test_result_statuses_map_by_name_else_by_progress(
    key: str, name: str, progress: int, expected: tuple[str, bool]
) -> None:
    assert status_of(key, name, progress) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-07-19 18:30:00 UTC", dt.datetime(2024, 7, 19, 18, 30, tzinfo=dt.UTC)),
        ("2024-07-19 18:30:00", dt.datetime(2024, 7, 19, 18, 30, tzinfo=dt.UTC)),
        ("2024-07-19 11:30:00 -0700", dt.datetime(2024, 7, 19, 18, 30, tzinfo=dt.UTC)),
        ("2024-07-20 00:00:00 +05:30", dt.datetime(2024, 7, 19, 18, 30, tzinfo=dt.UTC)),
        ("2024-07-19T18:30:00.25Z", dt.datetime(2024, 7, 19, 18, 30, tzinfo=dt.UTC)),
        (" 2024-07-19 18:30:00 UTC\n", dt.datetime(2024, 7, 19, 18, 30, tzinfo=dt.UTC)),
        ("", None),
        ("mañana", None),
        ("2024-02-30 10:00:00 UTC", None),
    ],
)
def test_times_are_read_as_utc(text: str, expected: dt.datetime | None) -> None:
    assert utc_time(text) == expected


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("<p>Uno</p><p>Dos</p>", "Uno\n\nDos"),
        ("a<br>b", "a\nb"),
        ("<img src=x onerror=alert(1)>ok", "ok"),
        ("<style>p{}</style><script>alert(1)</script>Texto", "Texto"),
        ("&lt;b&gt; no es HTML &amp; punto", "<b> no es HTML & punto"),
        ("línea\r\nsiguiente", "línea\nsiguiente"),
    ],
)
def test_html_becomes_plain_text(html: str, expected: str) -> None:
    assert plain_text(html) == expected


_PIECES = st.sampled_from(
    [
        *(f"<{t}{a}>" for t in ("p", "B", "br", "li", "script", "style", "iframe") for a in _ATTRS),
        *(f"</{t}{s}>" for t in ("p", "b", "BR", "script", "Style", "iframe") for s in _ENDS),
        *("<!--c-->", "<!--", "-->", "<", ">", "<>", "</>", "<!x>", "<?pi>", "<!DOCTYPE html>"),
        *("&amp;", "&", "&#233;", "&#x41", "&notin;", "&am", "p;", "\r\n", "\n\n\n", " ", "\xa0"),
        *("Hola", "más luz", "a&b", "\x0b", "\u2028"),
    ]
)


@settings(max_examples=2000)
@given(st.lists(_PIECES, max_size=14).map("".join))
def test_markup_read_without_the_parser_reads_as_the_parser_reads_it(html: str) -> None:
    """The fast reading (most of Decidim's rich text) never differs from HTMLParser's."""
    fast = _fast_parts(html)
    assert fast is None or "".join(fast) == "".join(_parsed_parts(html))


#: Rich text as Decidim writes it, and white space of every kind around it.
_CELL_PIECES = st.sampled_from(
    [
        *("<p>", "</p>", "<b>", "</B>", "<br>", "<BR/>", "<li>", "<H2>", "<h7>", "<em>"),
        *("<script>", "</script>", "<p class='x'>", "<", ">", "&amp;", "&am", "p;"),
        *(" ", "  ", "\n", "\n\n\n", "\r\n", "\r", "\t", "\xa0", "\x0b", "\u2028"),
        *("Hola", "más luz", "\x00"),
    ]
)
_CELLS = st.lists(st.lists(_CELL_PIECES, max_size=10).map("".join), max_size=8)


@settings(max_examples=1000)
@given(_CELLS)
def test_a_column_read_at_once_reads_as_cell_by_cell(cells: list[str]) -> None:
    """plain_texts joins cells to read them together: never a different text."""
    assert plain_texts(cells) == [plain_text(c) for c in cells]


def test_a_column_mixes_plain_markup_entities_and_hidden_text() -> None:
    cells = ["<p>Uno</p>\n<p>dos  tres</p>", "sin  marcas ", "<b>a</b> &amp; b", "x<script>y"]
    cells += ["", "<p>último</p>\n\n\n\n<p>fin</p>", "a < b"]
    assert plain_texts(cells) == [
        "Uno\n\ndos tres",
        "sin  marcas",
        "a & b",
        "x",
        "",
        "último\n\nfin",
        "a < b",
    ]


def test_plain_markup_is_read_without_the_parser() -> None:
    html = "<p class='x'>Más <b>luz</b><br/></p><!-- n --><script>x</script>"
    assert "".join(_fast_parts(html) or ["(parser)"]) == "\nMás luz\n\n\n"
    assert _fast_parts("a < b") is None


def test_translated_fields_prefer_the_language_then_the_first_non_empty() -> None:
    row = {"title/en": "", "title/es-MX": "Foro", "title/machine_translations/en": "Forum"}
    assert translated(row, "title", "es") == "Foro"
    assert translated(row, "title", "en") == "Foro"
    assert translated({"title": "Solo"}, "title", "es") == "Solo"
    # With the table's header (the planner's way): the same choice, whatever cells a
    # row leaves empty.
    header = ("id", "title/en", "title/es-MX", "title/machine_translations/en")
    assert translated(row, "title", "es", header) == "Foro"
    assert translated({"title/en": "Forum"}, "title", "es", header) == "Forum"
    assert translated({"id": "1"}, "title", "es", header) == ""


def test_organisations_split_on_commas_and_line_breaks() -> None:
    text = "Colectivo Verde,  vecinos unidos\r\nVecinos Unidos\n\nCámara"
    assert split_organizations(text) == ["Colectivo Verde", "vecinos unidos", "Cámara"]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("tepic.gob.mx-open-data-meetings.csv", ("tepic.gob.mx", "meetings")),
        ("www.decidim.barcelona-open-data-result_comments.csv",
         ("www.decidim.barcelona", "result_comments")),
        ("dir/tepic.gob.mx-open-data-meetings.csv", None),
        ("..tepic-open-data-meetings.csv", None),
        ("C:\\x-open-data-meetings.csv", None),
        ("README.md", None),
    ],
)  # fmt: skip
def test_entry_names(name: str, expected: tuple[str, str] | None) -> None:
    assert entry_entity(name) == expected


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("'=SUM(A1)", "=SUM(A1)"), ("'+1 a esto", "+1 a esto"), ("'-", "-"), ("'@x", "@x"),
     ("'hola", "'hola"), ("=raw", "=raw")],
)  # fmt: skip
def test_the_formula_guard_is_taken_off(cell: str, expected: str) -> None:
    assert restore_guarded(cell) == expected
