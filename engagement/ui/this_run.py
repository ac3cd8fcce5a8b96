"""Values computed once per page run of one browser session.

The signed-in user and the programs they may open are checked once per run (one
statement, :mod:`engagement.services.access.directory`), not once per widget or helper
that asks. A write made by this process during the run (a form saved) computes them
again. Outside a page run (tests calling helpers) nothing is kept.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

from streamlit.runtime.scriptrunner import get_script_run_ctx

from engagement.config import load_settings
from engagement.services.database import Database
from engagement.ui.database import _database

T = TypeVar("T")

#: Runs remembered at most (one slot per browser session and key).
SLOTS = 1024

_RUNS: OrderedDict[tuple[str, Hashable], tuple[object, Database, int, object]] = OrderedDict()
_LOCK = threading.Lock()


def this_run(key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()`` once per page run of this browser session (and again after any
    later write made by this process)."""
    ctx = get_script_run_ctx()
    if ctx is None:
        return compute()
    marker, slot = ctx.cursors, (ctx.session_id, key)
    with _LOCK:
        kept = _RUNS.get(slot)
    # The same run (its cursors), and no write since on the database it was read from:
    # a page asks a dozen times per run, and this answer costs no settings or cache look-up.
    if kept is not None and kept[0] is marker and kept[2] == kept[1].commits:
        return kept[3]  # type: ignore[return-value]
    db = _database(load_settings().database_url)
    value = compute()
    # Counted after: a write the computation made itself (the session's "last seen",
    # now and then) is already in the value.
    commits = db.commits
    with _LOCK:
        _RUNS[slot] = (marker, db, commits, value)
        _RUNS.move_to_end(slot)
        while len(_RUNS) > SLOTS:
            _RUNS.popitem(last=False)
    return value
