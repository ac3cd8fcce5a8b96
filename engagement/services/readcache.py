"""The one cache of program data: computed once per data version, shared by every user.

Keys are tuples that start with the database, the program and its data version, then
say what is cached: the visibility class of the reader (never the reader's name) and the
filters. Reads of the accounts start with the database, ``"accounts"`` and the accounts
version instead. A write changes the data version (or the accounts version), so nothing
stale is ever served, and an entry at a newer version pushes out the older ones. This
is the services' own cache, not Streamlit's: clearing Streamlit's caches (a "clear
cache" message from any browser) does not touch it.

Values are treated as read-only by everyone: frames are handed out as copies.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

from engagement.storage.db import Database

T = TypeVar("T")

#: Most entries kept (least recently used go first).
ENTRIES = 256

_CACHE: OrderedDict[tuple[Hashable, ...], object] = OrderedDict()
_LOCK = threading.Lock()
_COMPUTING: dict[tuple[Hashable, ...], threading.Lock] = {}


def database_key(db: Database) -> str:
    """The first part of every key: the database's URL (without its password), so that
    every ``Database`` object on one database shares the entries."""
    return db.engine.url.render_as_string(hide_password=True)


def cached(key: tuple[Hashable, ...], compute: Callable[[], T]) -> T:
    """The value for ``key``, computed once even when sessions ask at the same time."""
    with _LOCK:
        if key in _CACHE:
            _CACHE.move_to_end(key)
            return _CACHE[key]  # type: ignore[return-value]
        key_lock = _COMPUTING.setdefault(key, threading.Lock())
    with key_lock:
        with _LOCK:
            if key in _CACHE:
                return _CACHE[key]  # type: ignore[return-value]
        value = compute()
        with _LOCK:
            _forget_older(key)
            _CACHE[key] = value
            _COMPUTING.pop(key, None)
            while len(_CACHE) > ENTRIES:
                _CACHE.popitem(last=False)
    return value


def _forget_older(key: tuple[Hashable, ...]) -> None:
    """Drop the entries of the same program at an older data version: a program's data is
    held once, not once per change (a large program's frames are tens of megabytes)."""
    if len(key) < 3 or not isinstance(key[2], int):
        return
    place, version = key[:2], key[2]
    stale = [
        k
        for k in _CACHE
        if k[:2] == place and isinstance(k[2], int) and k[2] < version  # type: ignore[operator]
    ]
    for k in stale:
        del _CACHE[k]


def clear_cache() -> None:
    """Forget every cached value (tests, or after restoring a whole database)."""
    with _LOCK:
        _CACHE.clear()


def size() -> int:
    with _LOCK:
        return len(_CACHE)
