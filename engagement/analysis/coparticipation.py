"""Co-participation: actors who attended the same activities, linked by how many they shared.

These ties are derived from attendance every time they are needed and never stored as
relationships, so they always agree with the attendance record.
"""

from __future__ import annotations

import pandas as pd

COLUMNS = ["source", "target", "weight"]


def co_participation(attendance: pd.DataFrame) -> pd.DataFrame:
    """Pairs of actors who attended the same activities, weighted by activities shared.

    Parameters
    ----------
    attendance : DataFrame
        One row per actor present at an activity, with columns ``activity_id`` and
        ``actor_id``. Repeated rows count once.

    Returns
    -------
    DataFrame
        Columns ``source``, ``target`` (``source < target``: each pair once, undirected)
        and ``weight`` (number of activities both attended), heaviest first, then by ids.

    Examples
    --------
    >>> rows = pd.DataFrame({"activity_id": [1, 1, 1, 2, 2], "actor_id": [10, 20, 30, 10, 20]})
    >>> co_participation(rows).values.tolist()
    [[10, 20, 2], [10, 30, 1], [20, 30, 1]]
    >>> co_participation(rows.iloc[:0]).empty
    True
    """
    present = attendance[["activity_id", "actor_id"]].drop_duplicates()
    if present.empty:
        return pd.DataFrame({c: pd.Series(dtype="int64") for c in COLUMNS})
    pairs = present.merge(present, on="activity_id", suffixes=("_a", "_b"))
    pairs = pairs[pairs["actor_id_a"] < pairs["actor_id_b"]]
    ties = (
        pairs.groupby(["actor_id_a", "actor_id_b"], sort=False)
        .size()
        .reset_index(name="weight")
        .rename(columns={"actor_id_a": "source", "actor_id_b": "target"})
    )
    ties = ties.astype("int64").sort_values(
        ["weight", "source", "target"], ascending=[False, True, True]
    )
    return ties.reset_index(drop=True)[COLUMNS]
