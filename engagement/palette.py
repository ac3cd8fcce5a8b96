"""One colour-blind-safe palette for sectors, used by every table, chart and map.

Paul Tol's "muted" scheme (distinct for the common colour-vision deficiencies) plus
grey tones. Built-in sectors have fixed colours; added sectors take the next free one.
"""

from __future__ import annotations

from collections.abc import Sequence

TOL_MUTED: tuple[str, ...] = (
    "#332288",  # indigo
    "#88CCEE",  # cyan
    "#44AA99",  # teal
    "#117733",  # green
    "#999933",  # olive
    "#DDCC77",  # sand
    "#CC6677",  # rose
    "#882255",  # wine
    "#AA4499",  # purple
    "#6699CC",  # light blue
    "#DDDDDD",  # pale grey
    "#555555",  # dark grey
)

_BUILT_IN = {
    "municipal_government": 0,
    "national_government": 9,
    "community_organisation": 3,
    "civil_society": 2,
    "academia": 8,
    "private_sector": 4,
    "media": 5,
    "international_cooperation": 6,
    "multilateral": 1,
    "citizen": 7,
    "other": 10,
}

#: Engagement levels 1..5: diverging, colour-blind safe (Tol's "sunset" ends + neutral).
ENGAGEMENT_COLOURS: dict[int, str] = {
    1: "#BBBBBB",
    2: "#CC3311",
    3: "#DDCC77",
    4: "#44AA99",
    5: "#117733",
}


def sector_colours(sector_keys: Sequence[str]) -> dict[str, str]:
    """Colour of every sector of a program, stable for built-in sectors.

    Examples
    --------
    >>> sector_colours(["municipal_government", "iglesias"])["municipal_government"]
    '#332288'
    """
    colours: dict[str, str] = {}
    used = {_BUILT_IN[k] for k in sector_keys if k in _BUILT_IN}
    free = [i for i in range(len(TOL_MUTED)) if i not in used]
    for key in sector_keys:
        if key in _BUILT_IN:
            colours[key] = TOL_MUTED[_BUILT_IN[key]]
        else:
            index = free.pop(0) if free else len(colours) % len(TOL_MUTED)
            colours[key] = TOL_MUTED[index]
    return colours


def ink(colour: str) -> str:
    """Black or white, whichever reads better on ``colour`` (a #RRGGBB hex).

    Examples
    --------
    >>> ink("#332288"), ink("#DDCC77")
    ('#FFFFFF', '#000000')
    """
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return "#000000" if 0.299 * red + 0.587 * green + 0.114 * blue > 150 else "#FFFFFF"
