"""What the last build saw, so a build with nothing changed can skip all its work.

A build fingerprints its inputs (seeds, pages, templates, static files, the config, the
code itself) from `os.scandir` stat data: path, size and mtime in nanoseconds. A file
changed so soon before the fingerprint was taken that a later edit could keep its mtime
(timestamps are kernel ticks, not nanoseconds) is "racy", as git calls it: its content
hash is recorded too and checked again. The output folder's own listing is recorded as
well, so a site that was deleted or edited by hand is built again.

The state lives in `.site-builder-cache/` in the project folder, never in the output
(which is published as it is), and is written only after a build succeeded.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import sys
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .config import Config
from .errors import Problem

CACHE_DIR = ".site-builder-cache"
STATE_VERSION = 1
RACY_NS = 2_000_000_000
"""A file changed within this long before the fingerprint is checked by content too."""
_PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = _PACKAGE_DIR.parent
"""Where the bundled templates and static files are (as in `render.PROJECT_ROOT`)."""
_LIBRARIES = (
    "jinja2",
    "markupsafe",
    "markdown_it",
    "linkify_it",
    "lunr",
    "yaml",
    "latex2mathml",
    "pylatexenc",
    "numpy",
    "scipy",
)


def cache_dir(config: Config) -> Path:
    """The project's cache folder (in .gitignore)."""
    return config.root / CACHE_DIR


def _walk(root: str, into: list[tuple[str, int, int]]) -> None:
    """Append (path, mtime_ns, size) of every file under root (or root itself)."""
    try:
        entries = list(os.scandir(root))
    except NotADirectoryError:
        try:
            stat = os.stat(root)
        except OSError:
            return
        into.append((root, stat.st_mtime_ns, stat.st_size))
        return
    except OSError:
        into.append((root, -1, -1))
        return
    for entry in entries:
        if entry.is_dir(follow_symlinks=True):
            _walk(entry.path, into)
        else:
            try:
                stat = entry.stat()
            except OSError:
                continue
            into.append((entry.path, stat.st_mtime_ns, stat.st_size))


def _digest(files: list[tuple[str, int, int]], extra: str = "") -> str:
    digest = hashlib.sha1(extra.encode("utf-8"))
    for path, mtime, size in sorted(files):
        digest.update(f"{path}\0{mtime}\0{size}\n".encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


def _file_hash(path: str) -> str:
    try:
        with open(path, "rb") as handle:
            return hashlib.sha1(handle.read()).hexdigest()
    except OSError:
        return ""


def code_version() -> str:
    """The code's own version: its files, the libraries it uses, the Python running it."""
    files: list[tuple[str, int, int]] = []
    _walk(str(_PACKAGE_DIR), files)
    files = [f for f in files if f[0].endswith(".py")]
    for name in _LIBRARIES:
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.origin:
            _walk(spec.origin, files)
    return _digest(files, sys.version)


def input_roots(config: Config) -> list[str]:
    """Every file or folder the build reads."""
    roots = [
        config.seeds_dir,
        config.content_dir,
        config.root / "templates",
        PROJECT_ROOT / "templates",
        config.root / "static",
        PROJECT_ROOT / "static",
    ]
    return sorted({str(p.resolve()) for p in roots})


def check_inputs(config: Config, run_import: bool) -> tuple[Fingerprint, dict[str, Any] | None]:
    """Fingerprint the inputs; return it, and the last build's record when nothing changed
    since it (its output folder included), else None."""
    inputs = Fingerprint.take(config, input_roots(config), run_import)
    recorded = read_state(config)
    if (
        recorded is not None
        and inputs.same_as(recorded)
        and recorded.get("output") == output_digest(config.output_dir)
    ):
        return inputs, recorded
    return inputs, None


@dataclass
class Fingerprint:
    """The inputs' digest, the racy files' content hashes and when it was taken."""

    digest: str
    racy: dict[str, str]

    @classmethod
    def take(cls, config: Config, roots: list[str], run_import: bool) -> Fingerprint:
        now = time.time_ns()
        files: list[tuple[str, int, int]] = []
        for root in roots:
            _walk(root, files)
        settings = repr(
            (
                replace_root(config),
                run_import,
                code_version(),
                os.environ.get("SOURCE_DATE_EPOCH", ""),
                roots,
            )
        )
        racy = {path: _file_hash(path) for path, mtime, _ in files if mtime >= now - RACY_NS}
        return cls(_digest(files, settings), racy)

    def same_as(self, recorded: dict[str, Any]) -> bool:
        racy = recorded.get("racy")
        if recorded.get("inputs") != self.digest or not isinstance(racy, dict):
            return False
        # A file racy when recorded may have changed since without its mtime moving.
        return all(_file_hash(path) == digest for path, digest in racy.items())


def replace_root(config: Config) -> str:
    """The config as text, with its folder made absolute."""
    return repr((config, str(config.root.resolve())))


def output_digest(out: Path) -> str:
    files: list[tuple[str, int, int]] = []
    if out.is_dir():
        _walk(str(out), files)
    return _digest(files)


def _state_path(config: Config) -> Path:
    out = str(config.output_dir.resolve())
    return cache_dir(config) / f"build-{hashlib.sha1(out.encode()).hexdigest()[:12]}.json"


def read_state(config: Config) -> dict[str, Any] | None:
    try:
        data = json.loads(_state_path(config).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("version") == STATE_VERSION else None


def forget_state(config: Config) -> None:
    _state_path(config).unlink(missing_ok=True)


@dataclass
class Summary:
    """What the last build reported, for a build that found nothing changed."""

    pages: int = 0
    papers: int = 0
    authors: int = 0
    warnings: list[Problem] = field(default_factory=list)
    unchanged: bool = True


def recorded_summary(recorded: dict[str, Any]) -> Summary:
    warnings = recorded.get("warnings")
    return Summary(
        pages=int(recorded.get("pages", 0)),
        papers=int(recorded.get("papers", 0)),
        authors=int(recorded.get("authors", 0)),
        warnings=[Problem(**w) for w in warnings or [] if isinstance(w, dict)],
    )


def write_state(config: Config, inputs: Fingerprint, summary: dict[str, object]) -> None:
    """Record the build's inputs, its output's listing and what it reported, atomically."""
    path = _state_path(config)
    data = {
        "version": STATE_VERSION,
        "inputs": inputs.digest,
        "racy": inputs.racy,
        "output": output_digest(config.output_dir),
        **summary,
    }
    write_chunks_atomically(path, [json.dumps(data)])


def write_chunks_atomically(path: Path, chunks: Iterable[str]) -> None:
    """Write the text made of `chunks` (UTF-8, `\n` line ends) so that a reader of `path`
    sees the old file or the new one, never half; a chunk at a time, so a long text (the
    cache) need never be in memory whole."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.writelines(chunks)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
