"""Contract: no page shows an internal code (``civil_society``, ``viewer``,
``partly_accepted``, ``all``...) where a name belongs, in either language.

Every page is opened on the demo data as a program lead (who sees the most), with an
actor chosen (its panel and detail open) and then each view of each segmented control
and each tab of the network analysis; every text a user can read is compared with the
codes of the domain's value lists (see ``visible_text``).
"""

from __future__ import annotations

import pytest

from engagement.ui.coalition.analysis_tables import TABS
from engagement.ui.state import SELECTED_ACTOR
from tests.pages.role_support import PAGES, Demo, OpenAs, demo_app, demo_file
from tests.pages.visible_text import code_leaks, texts_of_every_view

__all__ = ["demo_app", "demo_file"]  # fixtures


@pytest.mark.parametrize(
    ("program", "lang"), [("antigua", "es"), ("antigua", "en"), ("tepic", "es")]
)
@pytest.mark.parametrize("page", PAGES)
def test_no_page_shows_a_code(
    demo_app: tuple[Demo, OpenAs], page: str, program: str, lang: str
) -> None:
    demo, open_as = demo_app
    at = open_as("lead", lang=lang, program_id=getattr(demo, program))
    at.session_state[SELECTED_ACTOR] = demo.first_actor(getattr(demo, program))
    at.switch_page(f"app_pages/{page}.py")
    at.run()
    assert not at.exception, at.exception
    texts = texts_of_every_view(at, [TABS])
    assert not at.exception, at.exception
    assert len(texts) > 20, "the page showed almost nothing: the walk is broken"
    assert sorted(set(code_leaks(texts))) == []


def test_the_walk_finds_a_code_where_a_name_belongs() -> None:
    """The detector itself: what it must catch, and what it must let through."""
    assert code_leaks(["Rol: ∅ → viewer", "civil_society", "all"]) == [
        "Rol: ∅ → viewer",
        "civil_society",
        "all",
    ]
    assert code_leaks(["{'role': 'convener'}"]) == ["{'role': 'convener'}"]
    fine = ["Sociedad civil", "Negative tie (conflict)", "2 · media", "Other", "Academia"]
    assert code_leaks(fine) == []
