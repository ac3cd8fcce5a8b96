"""The server sets its long-lived objects aside from the garbage collector once, after
its first complete page run (engagement/web/memory.py), and never again."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from streamlit.testing.v1 import AppTest

from engagement.model import ProgramInfo
from engagement.web import memory


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What freeze_once asked of the collector, on a process that has not frozen yet."""
    seen: list[str] = []
    monkeypatch.setattr(memory, "_frozen", False)
    monkeypatch.setattr(memory.gc, "collect", lambda *_: seen.append("collect") or 0)
    monkeypatch.setattr(memory.gc, "freeze", lambda: seen.append("freeze"))
    return seen


def test_the_first_call_collects_then_freezes_and_later_calls_do_nothing(
    calls: list[str],
) -> None:
    assert memory.freeze_once() is True
    assert memory.freeze_once() is False
    assert calls == ["collect", "freeze"]


def test_sessions_starting_together_freeze_once(calls: list[str]) -> None:
    results: list[bool] = []
    start = threading.Barrier(8)

    def run() -> None:
        start.wait()
        results.append(memory.freeze_once())

    threads = [threading.Thread(target=run) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False] * 7 + [True]
    assert calls == ["collect", "freeze"]


def test_the_app_freezes_after_its_first_page_run_only(
    calls: list[str], program: ProgramInfo, open_page: Callable[..., AppTest]
) -> None:
    at = open_page("app_pages/grid.py", program_id=program.id)
    assert calls == ["collect", "freeze"]
    at.run()
    assert calls == ["collect", "freeze"]
