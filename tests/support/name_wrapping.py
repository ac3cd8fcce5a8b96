"""Names and how :func:`engagement.text.wrap_name` writes them on a map (24 characters a
line, 3 lines at most): checked in Python (tests/unit/test_name_wrapping.py) and against
the drawing code's own wrapping in chromium (tests/browser/test_network_browser.py)."""

from __future__ import annotations

import pytest

CHARS, LINES = 24, 3
INAI = (
    "Instituto Nacional de Transparencia, Acceso a la Información y Protección de Datos"
    " Personales (INAI)"
)

#: (name, lines written): the name whole, its words kept together, lines at most 3.
CASES = [
    pytest.param("Vecinos", ("Vecinos",), id="short"),
    pytest.param("Dirección de Servicios P", ("Dirección de Servicios P",), id="exactly-a-line"),
    pytest.param("  Vecinos   de\nSan Bartolo ", ("Vecinos de San Bartolo",), id="spaces-folded"),
    pytest.param(
        "Alcaldía Municipal de La Antigua Guatemala",
        ("Alcaldía Municipal de", "La Antigua Guatemala"),
        id="long-two-even-lines",
    ),
    pytest.param(
        "Comité de mujeres emprendedoras de San Juan del Obispo",
        ("Comité de mujeres", "emprendedoras de", "San Juan del Obispo"),
        id="long-three-lines",
    ),
    pytest.param(
        INAI,
        (
            "Instituto Nacional de Transparencia,",
            "Acceso a la Información y Protección",
            "de Datos Personales (INAI)",
        ),
        id="too-long-for-three-lines-of-24-gets-longer-lines",
    ),
    pytest.param(
        "Transparencia" * 3,
        ("TransparenciaTransparenc", "iaTransparencia"),
        id="single-word-longer-than-a-line",
    ),
    pytest.param("x" * 100, ("x" * 34, "x" * 34, "x" * 32), id="very-long-single-word"),
    pytest.param(
        "Red https://transparencia.tepic.gob.mx/participa Tepic",
        ("Red", "https://transparencia.tep", "ic.gob.mx/participa Tepic"),
        id="long-word-among-short-ones",
    ),
    pytest.param("Ñandutí Ñandutí Ñandutí", ("Ñandutí Ñandutí Ñandutí",), id="accents-count-once"),
    pytest.param(
        "Asociación de Artesanos de Ñuñoa y Peñalolén",
        ("Asociación de Artesanos", "de Ñuñoa y Peñalolén"),
        id="accents",
    ),
    pytest.param("x" * 48, ("x" * 24, "x" * 24), id="single-word-of-exactly-two-lines"),
    pytest.param(
        "ab " + "x" * 48 + " cd", ("ab", "x" * 26, "x" * 22 + " cd"), id="long-word-between-short"
    ),
    pytest.param("𝐀" * 30, ("𝐀" * 24, "𝐀" * 6), id="characters-beyond-16-bits"),
    pytest.param(
        "Asociación " + "𝐀" * 30 + " Tepic",
        ("Asociación", "𝐀" * 24, "𝐀" * 6 + " Tepic"),
        id="long-word-beyond-16-bits-between-short",
    ),
    pytest.param(
        "<img src=x onerror=alert(1)>",
        ("<img src=x", "onerror=alert(1)>"),
        id="html-like-text-stays-text",
    ),
    pytest.param(
        '<b>Radio "La Voz" & Co</b> y amigos',
        ('<b>Radio "La Voz"', "& Co</b> y amigos"),
        id="tags-quotes-and-ampersands-kept",
    ),
    pytest.param("Vecinos\u00a0de\u3000Tepic", ("Vecinos de Tepic",), id="unicode-spaces"),
    pytest.param("   ", (), id="blank"),
]
