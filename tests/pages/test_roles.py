"""Roles in the interface: every page, for every role, offers only what that role may do.

The services refuse anyway (tests/integration); here the pages must not offer a form, a
button or a menu entry that would certainly be refused. Each page is opened on the
demo data by a lead, a mentor, a facilitator and a viewer.
"""

from __future__ import annotations

from typing import Any

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from engagement.i18n import t
from engagement.ui.state import SELECTED_ACTOR
from tests.pages.role_support import PAGES, Demo, OpenAs, demo_app, demo_file

__all__ = ["demo_app", "demo_file"]  # fixtures

ROLES = ("lead", "mentor", "facilitator", "viewer")
#: Forms and buttons that change data, by catalog key, and who may see each.
WRITERS = {
    "tracking.log.title": {"lead", "mentor", "facilitator"},  # "Registrar una actividad"
    "tracking.edit.title": {"lead", "mentor", "facilitator"},
    "tracking.tasks.save": {"lead", "mentor", "facilitator"},
    "inputs.add_title": {"lead", "mentor"},
    "inputs.respond": {"lead", "mentor"},
    "commitments.add_title": {"lead", "mentor"},
    "commitments.edit_title": {"lead", "mentor"},
    "evidence.add": {"lead", "mentor"},
    "snapshots.take": {"lead", "mentor"},  # "Tomar instantánea"
    "snapshots.close": {"lead", "mentor"},  # "Cerrar etapa"
    "snapshots.delete_title": {"lead", "mentor"},
    "actors.add.title": {"lead", "mentor", "facilitator"},
    "import_page.tab.import": {"lead", "mentor"},
    "tracking.go.log": {"lead", "mentor", "facilitator"},
    "home.go_import": {"lead", "mentor"},
    "home.go_assessments": {"lead", "mentor"},
}


def _labels(at: AppTest) -> set[str]:
    """Labels of the main area's buttons, form buttons, expanders, tabs and links."""
    found: set[str] = set()

    def walk(node: Any) -> None:
        kind = type(node).__name__
        proto = getattr(node, "proto", None)
        if kind in ("Button", "Expander", "Tab", "PageLink", "FormSubmitButton"):
            found.add(str(getattr(node, "label", "") or getattr(proto, "label", "")))
        elif kind == "UnknownElement" and getattr(node, "type", "") == "page_link":
            found.add(proto.label)
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at.main)
    return found


def _editors(at: AppTest) -> int:
    count = 0

    def walk(node: Any) -> None:
        nonlocal count
        kind = type(node).__name__
        if kind in ("DataEditor", "FileUploader") or getattr(node, "type", "") in (
            "arrow_data_editor",
            "file_uploader",
        ):
            count += 1
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at.main)
    return count


#: The pages of the menu each ``st.navigation`` call showed, last call last.
MENUS: list[set[str]] = []


@pytest.fixture(autouse=True)
def menus(monkeypatch: pytest.MonkeyPatch) -> list[set[str]]:
    """Records the menu the app declares: its pages but those declared hidden."""
    declare = st.navigation

    def recording(pages: Any, **options: Any) -> Any:
        MENUS.append(
            {
                str(page._page).rsplit("/", 1)[-1].removesuffix(".py")
                for group in pages.values()
                for page in group
                if page.visibility == "visible"
            }
        )
        return declare(pages, **options)

    MENUS.clear()
    monkeypatch.setattr(st, "navigation", recording)
    return MENUS


def _menu() -> set[str]:
    """The menu shown by the app's last run."""
    return MENUS[-1]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", PAGES)
def test_each_page_offers_each_role_only_what_it_may_do(
    demo_app: tuple[Demo, OpenAs], page: str, role: str
) -> None:
    demo, open_as = demo_app
    at = open_as(role)
    if page not in _menu():
        assert (page, role) in {("audit", "facilitator"), ("audit", "viewer")}
        return
    at.session_state[SELECTED_ACTOR] = demo.first_actor(demo.antigua)
    # An activity and a commitment are chosen, so their edit forms would show.
    at.switch_page(f"app_pages/{page}.py")
    at.run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    labels = _labels(at)
    offered = {key for key in WRITERS if t(key, "es") in labels}
    refused = {key for key in offered if role not in WRITERS[key]}
    assert refused == set(), f"{role} is offered {refused} on {page}"
    if role == "viewer":
        assert _editors(at) == 0, "a viewer is offered a table to edit"


def test_the_viewers_menu_has_no_page_they_cannot_open(demo_app: tuple[Demo, OpenAs]) -> None:
    _, open_as = demo_app
    open_as("mentor")
    assert "audit" in _menu()
    viewer = open_as("viewer")
    menu = _menu()
    assert "audit" not in menu
    for page in sorted(menu):
        viewer.switch_page(f"app_pages/{page}.py")
        viewer.run()
        assert not viewer.exception and not viewer.error, page


def test_a_viewer_reads_activities_commitments_and_snapshots_without_forms(
    demo_app: tuple[Demo, OpenAs],
) -> None:
    _, open_as = demo_app
    for page in ("activities", "commitments", "snapshots"):
        at = open_as("viewer", page)
        assert t("pages.read_only", "es") in [i.value for i in at.info], page
        # Signing out is not a write: every other button is.
        shown = [b for b in at.button if b.label and b.key != "auth.sign_out"]
        assert not shown, f"buttons on {page}"
    at = open_as("viewer", "import_export")
    assert [tab.label for tab in at.tabs] == []
    assert t("import_page.no_permission", "es") in [i.value for i in at.info]


def test_the_staff_see_the_forms_they_use(demo_app: tuple[Demo, OpenAs]) -> None:
    _, open_as = demo_app
    facilitator = _labels(open_as("facilitator", "activities"))
    assert t("tracking.log.title", "es") in facilitator
    mentor = _labels(open_as("mentor", "snapshots"))
    assert {t("snapshots.take", "es"), t("snapshots.close", "es")} <= mentor
    lead = _labels(open_as("lead", "commitments"))
    assert {t("inputs.add_title", "es"), t("commitments.add_title", "es")} <= lead


def test_a_facilitator_edits_only_the_actors_they_added(demo_app: tuple[Demo, OpenAs]) -> None:
    demo, open_as = demo_app
    at = open_as("facilitator", "actors")
    at.session_state[SELECTED_ACTOR] = demo.first_actor(demo.antigua)
    at.run()
    edit = t("actors.edit.title", "es", name="").split("«")[0]
    assert not [label for label in _labels(at) if label.startswith(edit)]
    assert t("actors.add.title", "es") in _labels(at)


def test_a_viewer_who_follows_a_link_to_the_audit_is_told_why_in_words(
    demo_app: tuple[Demo, OpenAs],
) -> None:
    """Out of the viewer's menu, the audit is still a page of the app: a shared link to it
    explains the refusal in the reader's language, not Streamlit's "Page not found"."""
    _, open_as = demo_app
    at = open_as("viewer", "audit")
    assert not at.exception
    assert "audit" not in _menu()
    assert [w.value for w in at.warning] == [t("audit.not_for_role", "es")]
    assert not at.dataframe
