"""Tables at a laptop's width: the main columns first, the rest behind "more columns"."""

from __future__ import annotations

from tests.pages.role_support import Demo, OpenAs, demo_app, demo_file

__all__ = ["demo_app", "demo_file"]  # fixtures


def test_more_columns_adds_the_secondary_columns(demo_app: tuple[Demo, OpenAs]) -> None:
    _, open_as = demo_app
    at = open_as("lead", "actors")
    table = at.dataframe(key="actors.table")
    # the territory gave its room to the name (test_actors: whole names at 1366 px)
    assert list(table.proto.column_order) == ["name", "sector", "engagement", "assessed_on"]
    assert '"pinned": true' in table.proto.columns.replace(" ", "").replace(":", ": ")
    at.toggle(key="actors.table.more").set_value(True).run()
    shown = list(at.dataframe(key="actors.table").proto.column_order)
    assert shown[:4] == ["name", "sector", "engagement", "assessed_on"]
    assert {"territory", "tags", "confidentiality", "last_verified"} <= set(shown)
