"""Tables that fit a laptop: at 1366 × 768 with the sidebar open, the main area leaves
about 900 px for a table. Each table shows its main columns at set widths that add up to
at most :data:`MAIN_WIDTH`, its name column pinned, and keeps the secondary columns
behind a "more columns" switch (then it may scroll sideways, as the reader asked).

The widths are pixels (``st.column_config`` accepts them); a browser test measures the
drawn grid of each page's main table at 1366 px (``tests/browser/test_tables_fit_browser.py``).
A table with a selection column (actors, ties) keeps about 30 px more in hand.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
import pyarrow as pa
import streamlit as st

from engagement.ui.i18n import tr

#: Pixels the default columns of one table may take (the grid's own frame is extra).
MAIN_WIDTH = 880


def fitted_table(
    frame: pd.DataFrame | pa.Table,
    config: Mapping[str, Any],
    main: Sequence[str],
    *,
    key: str,
    **options: Any,
) -> Any:
    """``st.dataframe`` of ``frame`` showing ``main`` (in that order) and, when the
    reader turns on "more columns", every other column of ``config``."""
    names = frame.column_names if isinstance(frame, pa.Table) else list(frame.columns)
    extra = [c for c in config if c not in main and c in names]
    order = list(main)
    # A keyed box (CSS class ``st-key-<key>-fit``) lets a browser test find the table.
    with st.container(key=f"{key.replace('.', '-')}-fit"):
        if extra and st.toggle(
            tr("pages.more_columns", count=len(extra)),
            key=f"{key}.more",
            help=tr("pages.more_columns_help", names=", ".join(_label(config, c) for c in extra)),
        ):
            order += extra
        return st.dataframe(
            frame,
            key=key,
            column_config=dict(config),
            column_order=order,
            hide_index=True,
            **options,
        )


def _label(config: Mapping[str, Any], column: str) -> str:
    entry = config.get(column)
    if isinstance(entry, Mapping) and entry.get("label"):
        return str(entry["label"])
    return column
