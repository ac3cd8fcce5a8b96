"""Query rows to frames: values by column, empty frames with object columns."""

from __future__ import annotations

import doctest

from engagement.storage.queries import frames
from engagement.storage.queries.frames import frame_of


def test_docstring_examples_run() -> None:
    result = doctest.testmod(frames)
    assert result.attempted > 0 and result.failed == 0


def test_values_keep_their_types_and_order() -> None:
    frame = frame_of(
        [(1, "Municipalidad", None), (2, "ONU-Hábitat", ("a",))], ["id", "name", "tags"]
    )
    assert frame["id"].tolist() == [1, 2]
    assert frame["name"].tolist() == ["Municipalidad", "ONU-Hábitat"]
    assert frame["tags"].tolist() == [None, ("a",)]


def test_no_rows_give_empty_text_ready_columns() -> None:
    empty = frame_of([], ["source", "target"])
    assert (empty["source"] + " → " + empty["target"]).tolist() == []
