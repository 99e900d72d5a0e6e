"""Which warehouse a page run reads, and what is computed once per warehouse file: query results by their
parameters, page models by their view. No Streamlit here: the meeting pack and the warm-up use the same caches.

A rebuilt warehouse is a new file (new inode and mtime), so its stamp differs and every cache starts afresh; the
caches of the two latest stamps are kept, so runs still pinned to the previous file are not starved."""

from __future__ import annotations

import contextvars
import functools
import os
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

import pandas as pd

from etl import paths

Stamp = tuple[str, int, int]
P = ParamSpec("P")
T = TypeVar("T")

_PINNED: contextvars.ContextVar[Stamp | None] = contextvars.ContextVar("warehouse", default=None)


def now() -> Stamp:
    """Identity of the warehouse file now: a swapped-in build has a new inode and mtime."""
    path = paths.warehouse_path()
    st_ = os.stat(path)
    return (str(path), st_.st_ino, st_.st_mtime_ns)


def pin() -> None:
    """Read every query of this page run from the warehouse there is now, though a rebuild swap in another."""
    _PINNED.set(now())


def stamp() -> Stamp:
    """The warehouse this page run reads (pinned by app.py), or the one there is now."""
    return _PINNED.get() or now()


class _Store:
    """Values by key for one warehouse stamp; a key being computed is computed once, its other callers wait for it
    (twenty readers opening one page at once build its figures once, not twenty times)."""

    def __init__(self, limit: int) -> None:
        self.values: OrderedDict[tuple, Any] = OrderedDict()
        self.pending: dict[tuple, threading.Event] = {}
        self.lock = threading.Lock()
        self.limit = limit

    def get(self, key: tuple, make: Callable[[], T]) -> T:
        while True:
            with self.lock:
                if key in self.values:
                    self.values.move_to_end(key)
                    return self.values[key]
                waiting = self.pending.get(key)
                if waiting is None:
                    waiting = self.pending[key] = threading.Event()
                    break
            waiting.wait()  # another thread is making it; then read it (or make it, if that failed)
        try:
            value = make()
            with self.lock:
                self.values[key] = value
                while len(self.values) > self.limit:
                    self.values.popitem(last=False)
            return value
        finally:
            with self.lock:
                self.pending.pop(key).set()


_STORES: OrderedDict[tuple[str, Stamp], _Store] = OrderedDict()
_STORES_LOCK = threading.Lock()
KEPT_STAMPS = 2


def _store(kind: str, s: Stamp, limit: int) -> _Store:
    with _STORES_LOCK:
        key = (kind, s)
        if key not in _STORES:
            _STORES[key] = _Store(limit)
            stamps = list(dict.fromkeys(k[1] for k in _STORES))
            for old in stamps[:-KEPT_STAMPS]:
                for k in [k for k in _STORES if k[1] == old]:
                    del _STORES[k]
        return _STORES[key]


QUERY_LIMIT = 512
MEMO_LIMIT = 2000  # models and figures of every page, both languages, a few dates and units


def query(fn: Callable[P, T]) -> Callable[P, T]:
    """Cache `fn`'s result per warehouse and arguments (which must be hashable). A data frame is handed out as a
    shallow copy: with pandas' copy-on-write a caller may add or change columns without touching the cached one."""
    @functools.wraps(fn)
    def cached(*args: P.args, **kwargs: P.kwargs) -> T:
        key = (fn.__qualname__, args, tuple(sorted(kwargs.items())))
        value = _store("query", stamp(), QUERY_LIMIT).get(key, lambda: fn(*args, **kwargs))
        return value.copy(deep=False) if isinstance(value, pd.DataFrame) else value

    return cached


def memo(key: tuple, make: Callable[[], T]) -> T:
    """`make()` computed once per warehouse and key, shared by every session, the warm-up and the pack. What is
    memoised (models, Plotly figures) is never changed after it is made."""
    return _store("memo", stamp(), MEMO_LIMIT).get(key, make)


def clear() -> None:
    """Forget everything (tests that rebuild a warehouse under the same path within one second)."""
    with _STORES_LOCK:
        _STORES.clear()
