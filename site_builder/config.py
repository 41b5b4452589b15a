"""The site config file (`site.yaml`): a small typed dataclass, validated at load.

Every problem is reported together, naming the file and the key, and unknown keys
are errors (a typo must not be ignored silently).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from .errors import Problem, SiteBuilderError

CONFIG_NAME = "site.yaml"


@dataclass(frozen=True)
class Config:
    """Settings of one site; paths are relative to the project folder."""

    title: str = "Reading list"
    """Shown in every page's header and title."""
    description: str = "Papers worth reading, with their abstracts, authors and search."
    """Shown on the home page and in the page description."""
    base_url: str = "/"
    """Where the site is served, e.g. `/reading-list/` for a GitHub project page.
    Pages link relatively and work anywhere; only 404.html needs this."""
    author_names: dict[str, str] = field(default_factory=dict)
    """Name overrides: an author's name as in the seeds or pages → the name to show."""
    author_aliases: dict[str, list[str]] = field(default_factory=dict)
    """One author page for many spellings: the name to show → its other spellings."""
    seeds: str = "seeds"
    """Folder of seed files."""
    content: str = "content"
    """Folder of the Markdown pages, one per paper, that the reader may edit."""
    output: str = "_site"
    """Folder the site is written to."""
    root: Path = Path(".")
    """The project folder (not a config key): where the config file lives."""
    build_id: str = ""
    """Set by `serve` only (not a config key): stamped into pages so an open page can tell
    it is older than the last build and reload itself."""

    @property
    def seeds_dir(self) -> Path:
        return self.root / self.seeds

    @property
    def content_dir(self) -> Path:
        return self.root / self.content

    @property
    def output_dir(self) -> Path:
        return self.root / self.output


_KEYS = {f.name: f for f in fields(Config) if f.name not in {"root", "build_id"}}


def normalise_base_url(value: str) -> str:
    """Return a base URL path that starts and ends with '/'."""
    value = value.strip()
    if "://" in value:
        return value.rstrip("/") + "/"
    return "/" + value.strip("/") + "/" if value.strip("/") else "/"


def load_config(path: Path | None, root: Path, **overrides: Any) -> Config:
    """Read the config file (if any), apply command-line overrides, and validate."""
    values: dict[str, Any] = {}
    label = str(path) if path else CONFIG_NAME
    problems: list[Problem] = []
    if path is not None and path.exists():
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            raise SiteBuilderError(
                Problem(
                    label,
                    f"not valid YAML: {getattr(error, 'problem', error)}",
                    mark.line + 1 if mark else None,
                )
            ) from None
        except (OSError, UnicodeDecodeError) as error:
            raise SiteBuilderError(Problem(label, f"cannot be read: {error}")) from None
        except (ValueError, TypeError, OverflowError, RecursionError) as error:
            raise SiteBuilderError(
                Problem(label, f"holds a value YAML cannot read: {error}", hint="quote the value")
            ) from None
        if not isinstance(data, dict):
            raise SiteBuilderError(Problem(label, "must be a mapping of 'key: value' lines", 1))
        for key, value in data.items():
            problem = _check(str(key), value)
            if problem:
                problems.append(Problem(label, problem, _line_of(path, str(key))))
            else:
                values[str(key)] = value
    if problems:
        raise SiteBuilderError(problems)
    values.update({k: v for k, v in overrides.items() if v is not None})
    config = replace(Config(), root=root, **values)
    return replace(config, base_url=normalise_base_url(config.base_url))


def _check(key: str, value: Any) -> str | None:
    if key not in _KEYS:
        close = difflib.get_close_matches(key, list(_KEYS), n=1)
        hint = f"; did you mean '{close[0]}'?" if close else f"; known keys: {', '.join(_KEYS)}"
        return f"key '{key}': unknown key{hint}"
    if key == "author_aliases":
        if not isinstance(value, dict) or not all(
            isinstance(k, str)
            and k.strip()
            and isinstance(v, list)
            and all(isinstance(a, str) and a.strip() for a in v)
            for k, v in value.items()
        ):
            return (
                "key 'author_aliases': expected 'Name to show: [other spelling, …]' lines, "
                "e.g. 'Saachi Jain: [\"Jain, Saachi\", S. Jain]'"
            )
        return None
    if key == "author_names":
        if not isinstance(value, dict) or not all(
            isinstance(k, str) and isinstance(v, str) and v.strip() for k, v in value.items()
        ):
            return "key 'author_names': expected 'Name in seeds: Name to show' lines"
        return None
    if not isinstance(value, str) or not value.strip():
        return f"key '{key}': expected a non-empty string, got {type(value).__name__} {value!r}"
    if key in FOLDER_KEYS and not _inside_project(value):
        return (
            f"key '{key}': {value!r} is outside the project folder; "
            "use a folder inside it, such as the default"
        )
    return None


FOLDER_KEYS = ("seeds", "content", "output")


def _inside_project(folder: str) -> bool:
    """Whether a folder named in the config stays inside the project: relative, no way up."""
    path = PurePosixPath(folder.replace("\\", "/"))
    if path.is_absolute() or folder.startswith("~") or ":" in folder:
        return False
    depth = 0
    for part in path.parts:
        depth += -1 if part == ".." else 0 if part == "." else 1
        if depth < 0:
            return False
    return depth > 0


def _line_of(path: Path, key: str) -> int | None:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.startswith(f"{key}:") or line.startswith(f"'{key}'") or line.startswith(f'"{key}"'):
            return number
    return None
