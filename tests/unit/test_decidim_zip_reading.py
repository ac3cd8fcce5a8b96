"""Reading a Decidim open-data ZIP (pure, no database): the shortcuts the reader takes
for speed give what reading cell by cell gives."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engagement.errors import FileLimitExceeded
from engagement.io import decidim_zip, limits
from engagement.io.decidim_zip import holds_controls, read_decidim_zip
from engagement.text import has_controls
from tests.support.decidim_zips import HOST, proposal
from tests.support.decidim_zips import decidim_zip as make_zip

NAME = f"{HOST}-open-data.zip"
#: Code points around every edge of the control ranges, and ordinary text.
_EDGES = [0x00, 0x08, 0x09, 0x0A, 0x0B, 0x0D, 0x1F, 0x20, 0x7E, 0x7F, 0x80, 0x85, 0x9F, 0xA0]
_EDGES += [0xC2, 0xE9, 0x2028, 0xFFFD, 0xFFFE, 0xFFFF, 0x10000, 0x1F600, 0x10FFFF]
_TEXT = st.text(
    alphabet=st.one_of(
        st.sampled_from([chr(c) for c in _EDGES]), st.characters(exclude_categories=("Cs",))
    )
)


@given(_TEXT)
def test_controls_told_from_the_bytes_as_from_the_text(text: str) -> None:
    assert holds_controls(text.encode()) == has_controls(text)


def test_controls_are_flagged_per_table() -> None:
    clean = read_decidim_zip(NAME, make_zip(proposals=[proposal("0.28", 1)]))
    assert not clean.controls
    ruled = proposal("0.28", 1, **{"title/es": "Más\x0b luz"})
    export = read_decidim_zip(NAME, make_zip(proposals=[ruled]))
    assert export.controls and export.tables["proposals"].controls


def test_guard_quotes_are_taken_off_only_where_they_open_a_cell() -> None:
    rows = [
        proposal("0.28", 1, **{"title/es": "-menos ruido"}),
        proposal("0.28", 2, **{"title/es": "Dijo '=' y se fue"}),
        proposal("0.28", 3, **{"title/es": "l'@rroba"}),
    ]
    export = read_decidim_zip(NAME, make_zip(proposals=rows))
    titles = [r["title/es"] for r in export.rows("proposals")]
    assert titles == ["-menos ruido", "Dijo '=' y se fue", "l'@rroba"]


def test_a_cell_past_the_limit_is_refused() -> None:
    long = proposal("0.28", 1, **{"body/es": "x" * (limits.MAX_CELL_CHARS + 1)})
    with pytest.raises(FileLimitExceeded) as caught:
        read_decidim_zip(NAME, make_zip(proposals=[long]))
    assert caught.value.limit == "cell_chars"


def test_text_past_the_limit_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "MAX_TEXT_CHARS", 2_000)
    monkeypatch.setattr(decidim_zip, "MAX_TEXT_CHARS", 2_000)
    rows = [proposal("0.28", i, **{"body/es": "y" * 300}) for i in range(1, 10)]
    with pytest.raises(FileLimitExceeded) as caught:
        read_decidim_zip(NAME, make_zip(proposals=rows))
    assert caught.value.limit == "text_chars"
