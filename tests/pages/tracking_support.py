"""Helpers shared by the tracking page tests (dashboard, activities, commitments, snapshots)."""

from __future__ import annotations

import pandas as pd
from streamlit.testing.v1 import AppTest


def table(at: AppTest, *columns: str) -> pd.DataFrame:
    """The first table on the page that has every one of ``columns`` (as the user reads them)."""
    for element in at.dataframe:
        frame: pd.DataFrame = element.value
        if set(columns) <= set(frame.columns):
            return frame
    raise AssertionError(
        f"no table with {columns}; have {[list(d.value.columns) for d in at.dataframe]}"
    )


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}
