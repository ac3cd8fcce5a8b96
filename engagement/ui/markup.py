"""Putting user text into Markdown safely."""

from __future__ import annotations

import re

_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|>~<$:])")


def escape_markdown(text: str) -> str:
    r"""``text`` with Markdown syntax neutralised, so names show as typed.

    Examples
    --------
    >>> print(escape_markdown("*Mesa* [1]"))
    \*Mesa\* \[1\]
    """
    return _SPECIAL.sub(r"\\\1", text).replace("\n", " ")
