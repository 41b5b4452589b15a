"""Results of pure, costly functions (page parsing, Markdown rendering), kept between builds.

Each table maps an input (a page's text hash, an abstract) to what the code made of it.
`load` reads the tables a previous build saved for this very code version; a lookup
that finds an old entry carries it over, so `save` writes only what this build used and
the file never grows with pages long gone. Without `load` the tables still spare the
work done twice within one process (a `serve` session keeps them between rebuilds).

The file is JSON, never pickle: a cache file someone else put in the project folder can
at worst make a wrong page (and only until the pages' text changes), never run code.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar

from .model import Paper, SeedRef
from .state import code_version, write_chunks_atomically

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
        data = json.loads(path.read_bytes())
        if data.get("version") == code_version():
            previous = {
                name: {_decode(key): _decode(value) for key, value in entries}
                for name, entries in data["tables"].items()
            }
    except Exception:  # a missing, old, damaged or foreign cache is only a slower build
        previous = {}
    for name, table in _current.items():
        previous.setdefault(name, {}).update(table)
    _previous, _current = previous, {}
    _loaded_from[:] = [path]


def save(path: Path) -> None:
    """Keep what this build used for the next one."""
    write_chunks_atomically(path, _document())


def _document() -> Iterator[str]:
    # Made an entry at a time as it is written: the whole cache as one document would
    # add hundreds of megabytes to the build's peak memory at 10,000 papers.
    yield f'{{"version":{json.dumps(code_version())},"tables":{{'
    for number, (name, table) in enumerate(_current.items()):
        yield f"{',' if number else ''}{json.dumps(name)}:["
        for index, (key, value) in enumerate(table.items()):
            yield ("," if index else "") + _dumps([_encode(key), _encode(value)])
        yield "]"
    yield "}}"


_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


# What the tables hold, as JSON: strings, numbers, booleans and None as themselves; the
# rest as a one-key object naming its kind (YAML gives dates, and keys that are not
# strings; the model gives tuples and dataclasses).
_DATACLASSES: dict[str, type[Any]] = {"paper": Paper, "seed": SeedRef}
_KIND_OF = {cls: kind for kind, cls in _DATACLASSES.items()}
_FIELDS = {
    kind: tuple(f.name for f in dataclasses.fields(cls)) for kind, cls in _DATACLASSES.items()
}


def _encode(value: Any) -> Any:
    if value is None or isinstance(value, str | bool | int | float):
        return value
    if isinstance(value, list):
        return [_encode(v) for v in value]
    if isinstance(value, tuple):
        return {"t": [_encode(v) for v in value]}
    if isinstance(value, dict):
        return {"d": [[_encode(k), _encode(v)] for k, v in value.items()]}
    if isinstance(value, datetime):
        return {"dt": value.isoformat()}
    if isinstance(value, date):
        return {"date": value.isoformat()}
    kind = _KIND_OF.get(type(value))
    if kind is not None:
        return {kind: {name: _encode(getattr(value, name)) for name in _FIELDS[kind]}}
    raise TypeError(f"the memo cannot keep a {type(value).__name__}")


def _decode(value: Any) -> Any:
    if isinstance(value, list):
        return [_decode(v) for v in value]
    if not isinstance(value, dict):
        return value
    ((kind, body),) = value.items()
    if kind == "t":
        return tuple(_decode(v) for v in body)
    if kind == "d":
        return {_decode(k): _decode(v) for k, v in body}
    if kind == "dt":
        return datetime.fromisoformat(body)
    if kind == "date":
        return date.fromisoformat(body)
    return _DATACLASSES[kind](**{k: _decode(v) for k, v in body.items()})
