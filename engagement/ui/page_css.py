"""The page's own style: less blank above the title on screen, and what Ctrl+P prints.

On screen, Streamlit leaves about 130 px above a page's title; at a laptop's 768 px that
is a sixth of the window, so the content starts just below the app's header instead.

Printed (Ctrl+P), the page's content only:

The sidebar, the app's header and toolbars, every input widget, buttons, page links and
the charts' mode bars are hidden; the content takes the page's width on a landscape
sheet; a chart, a table row or a metric is never split across two sheets; labels wrap
between words. The network map prints the picture of its last drawing (see
``engagement.ui.coalition.network_component``): a canvas alone would print blank.
"""

from __future__ import annotations

import streamlit as st

_HIDDEN = ", ".join(
    f'[data-testid="{name}"]'
    for name in (
        "stSidebar", "stSidebarCollapsedControl", "stSidebarCollapseButton", "stHeader",
        "stToolbar", "stDecoration", "stStatusWidget", "stSelectbox", "stMultiSelect",
        "stButtonGroup", "stCheckbox", "stToggle", "stDateInput", "stTextInput",
        "stTextArea", "stNumberInput", "stRadio", "stSlider", "stButton", "stDownloadButton",
        "stPopover", "stPageLink", "stForm", "stFileUploader", "stElementToolbar",
        "stTooltipIcon", "stSkipLink",
    )
)  # fmt: skip

PAGE_CSS = f"""
<style>
@media screen {{
  [data-testid="stMainBlockContainer"] {{ padding-top: 3rem; }}
}}
@media print {{
  @page {{ size: A4 landscape; margin: 10mm; }}
  {_HIDDEN}, .modebar-container, .stSidebar {{ display: none !important; }}
  html, body, .stApp, [data-testid="stApp"], [data-testid="stAppViewContainer"],
  [data-testid="stMain"], section.main {{
    overflow: visible !important; height: auto !important; min-height: 0 !important;
    position: static !important; margin-left: 0 !important; background: #fff !important;
  }}
  [data-testid="stMainBlockContainer"], .block-container {{
    padding: 0 !important; max-width: none !important; width: 100% !important;
  }}
  [data-testid="stMetric"], [data-testid="stPlotlyChart"], .stPlotlyChart,
  [data-testid="stDataFrame"] tr, [data-testid="stTable"] tr,
  [data-testid="stAlert"], [data-testid="stExpander"] {{ break-inside: avoid; }}
  [data-testid="stMetricLabel"], [data-testid="stMetricLabel"] *,
  [data-testid="stMarkdownContainer"], [data-testid="stCaptionContainer"] {{
    white-space: normal !important; overflow: visible !important;
    text-overflow: clip !important; word-break: normal !important;
    overflow-wrap: normal !important; hyphens: manual !important;
  }}
  h1, h2, h3 {{ break-after: avoid; }}
}}
</style>
"""


def page_styles() -> None:
    """Put the page's style sheet on it (the sheet itself takes no room)."""
    st.html(PAGE_CSS)
