"""Results of pure, costly functions (page parsing, Markdown rendering), kept between builds.

Each table maps an input (a page's text hash, an abstract) to what the code made of it.
`load` reads the tables a previous build saved for this very code version; a lookup
that finds an old entry carries it over, so `save` writes only what this build used and
the file never grows with pages long gone. Without `load` the tables still spare the
work done twice within one process (a `serve` session keeps them between rebuilds).
"""

from __future__ import annotations

import pickle
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from .state import write_bytes_atomically

T = TypeVar("T")
_current: dict[str, dict[Any, Any]] = {}
_previous: dict[str, dict[Any, Any]] = {}
_loaded_from: list[Path] = []
# (table, key) of every entry that entered the current tables, in order: what a forked
# worker made is sent back to the parent from this (see parallel.py).
_journal: list[tuple[str, Any]] = []


def cached(table: str, key: Any, compute: Callable[..., T], *args: Any) -> T:
    """Return the value of `key` in `table`; when it is new, `compute(*args)`, kept."""
    current = _current.setdefault(table, {})
    try:
        value: T = current[key]
        return value
    except KeyError:
        pass
    old = _previous.get(table)
    if old is not None and key in old:
        value = current[key] = old.pop(key)
    else:
        value = current[key] = compute(*args)
    _journal.append((table, key))
    return value


MISSING: Any = object()


def get(table: str, key: Any) -> Any:
    """The value of `key` in `table` (carried over from the last build), else MISSING."""
    current = _current.setdefault(table, {})
    value = current.get(key, MISSING)
    if value is MISSING:
        old = _previous.get(table)
        if old is not None and key in old:
            value = current[key] = old.pop(key)
            _journal.append((table, key))
    return value


def put(table: str, key: Any, value: Any) -> None:
    """Keep `value` as the value of `key` in `table`."""
    _current.setdefault(table, {})[key] = value
    _journal.append((table, key))


def mark() -> int:
    """A point in this build, for `made_since`."""
    return len(_journal)


def made_since(point: int) -> list[tuple[str, Any, Any]]:
    """(table, key, value) of each entry that entered the tables since `point`."""
    seen = dict.fromkeys(_journal[point:])
    return [(table, key, _current[table][key]) for table, key in seen]


def load(path: Path) -> None:
    """Start a build: what this process used so far and what `path` holds become old."""
    global _current, _previous
    _journal.clear()
    if _loaded_from and _loaded_from[-1] == path:
        # The same project again (serve): what the last build used is all we keep.
        _previous, _current = _current, {}
        return
    previous: dict[str, dict[Any, Any]] = {}
    try:
        with open(path, "rb") as handle:
            data = pickle.load(handle)
        if isinstance(data, dict):
            previous = data
    except Exception:  # a missing, old or damaged cache is only a slower build
        previous = {}
    for name, table in _current.items():
        previous.setdefault(name, {}).update(table)
    _previous, _current = previous, {}
    _loaded_from[:] = [path]


def save(path: Path) -> None:
    """Keep what this build used for the next one."""
    write_bytes_atomically(path, pickle.dumps(_current, protocol=pickle.HIGHEST_PROTOCOL))
