"""Query rows to pandas frames, column by column.

Building a frame from a list of SQLAlchemy rows makes pandas inspect every row; handing
it one list per column does not. The registries of large programs (thousands of
actors, tens of thousands of ties) are read this way.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd


def frame_of(rows: Sequence[Sequence[Any]], columns: Sequence[str]) -> pd.DataFrame:
    """A frame with ``columns`` from query rows holding those values in that order.

    Examples
    --------
    >>> frame_of([(1, "a"), (2, "b")], ["id", "name"]).to_dict("list")
    {'id': [1, 2], 'name': ['a', 'b']}
    >>> empty = frame_of([], ["id", "name"])
    >>> list(empty.columns), [str(t) for t in empty.dtypes]
    (['id', 'name'], ['object', 'object'])
    """
    if not rows:  # empty object columns, as pandas builds them from no rows
        return pd.DataFrame([], columns=list(columns))
    values = map(list, zip(*rows, strict=True))
    return pd.DataFrame(dict(zip(columns, values, strict=True)), columns=list(columns))
