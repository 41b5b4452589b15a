"""Paper pages: Markdown with YAML front matter, read and written without losing a byte.

A page is `---`, the YAML front matter, `---`, a blank line, then the abstract as
Markdown. New pages are written here from plain dicts; pages that already exist are
updated through a round-trip YAML editor so the reader's comments, order and
formatting survive.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from typing import Any

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError as RoundTripError

from .errors import Problem, SiteBuilderError

DELIMITER = "---"
# Fields in the order the loader writes them; the reader may add any other field.
LOADER_FIELDS = (
    "id",
    "title",
    "title_inferred",
    "authors",
    "source",
    "added",
    "seeds",
    "links",
)
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_SafeDumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def split_page(text: str, path: str) -> tuple[dict[str, Any], str]:
    """Return (front matter, body) of a page; raise SiteBuilderError naming file and line."""
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != DELIMITER:
        raise SiteBuilderError(
            Problem(
                path,
                "does not start with '---' front matter",
                1,
                "a page starts with a line '---', the YAML fields, then another '---'",
            )
        )
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].rstrip() == DELIMITER)
    except StopIteration:
        raise SiteBuilderError(
            Problem(path, "front matter is not closed", 1, "add a line '---' after the last field")
        ) from None
    front_text = "\n".join(lines[1:end])
    try:
        front = yaml.load(front_text, Loader=_SafeLoader) if front_text.strip() else {}
    except yaml.YAMLError as error:
        raise SiteBuilderError(yaml_problem(error, path, first_line=2)) from None
    except (ValueError, TypeError, OverflowError, RecursionError) as error:
        # PyYAML's constructors raise these for well-formed YAML with impossible values,
        # such as the date 2024-13-45.
        raise SiteBuilderError(
            Problem(
                path,
                f"front matter has a value YAML cannot read: {error}",
                1,
                "quote the value to keep it as text",
            )
        ) from None
    if not isinstance(front, dict):
        raise SiteBuilderError(
            Problem(
                path, "front matter must be 'key: value' fields", 2, "for example 'title: My paper'"
            )
        )
    body = "\n".join(lines[end + 1 :])
    return front, body[1:] if body.startswith("\n") else body


def yaml_problem(error: yaml.YAMLError, path: str, first_line: int = 1) -> Problem:
    """Describe a YAML error by file, line and column, with PyYAML's own words."""
    mark = getattr(error, "problem_mark", None)
    context, context_mark = getattr(error, "context", None), getattr(error, "context_mark", None)
    problem = getattr(error, "problem", None) or str(error).split("\n")[0]
    message = "front matter is not valid YAML"
    if mark is not None:
        message += f" (column {mark.column + 1})"
    message += f": {problem}"
    if context and context_mark is not None:
        message += f", {context} on line {context_mark.line + first_line}"
    return Problem(
        path,
        message,
        mark.line + first_line if mark is not None else None,
        "check quotes, colons and indentation; quote text holding ': ' or '#'",
    )


def field_line(text: str, key: str) -> int | None:
    """Return the 1-based line of a top-level front-matter key in a page, if present."""
    match = re.search(rf"^{re.escape(key)}\s*:", text, re.MULTILINE)
    return text.count("\n", 0, match.start()) + 1 if match else None


def page_text(front: Mapping[str, Any], body: str) -> str:
    """Return the text of a new page: front matter fields in the loader's order, then body."""
    ordered = {key: front[key] for key in LOADER_FIELDS if key in front}
    ordered.update({k: v for k, v in front.items() if k not in ordered})
    dumped = yaml.dump(
        ordered,
        Dumper=_SafeDumper,
        sort_keys=False,
        allow_unicode=True,
        width=4096,
        default_flow_style=False,
    )
    return f"{DELIMITER}\n{dumped}{DELIMITER}\n\n{body.rstrip(chr(10))}\n"


def _round_trip_yaml() -> YAML:
    editor = YAML(typ="rt")
    editor.width = 4096
    editor.preserve_quotes = True
    editor.indent(mapping=2, sequence=2, offset=0)
    return editor


def _merge_in_place(old: Any, new: Any) -> Any:
    """Return `old` updated to equal `new`, reusing its nodes so attached comments stay."""
    if isinstance(old, dict) and isinstance(new, dict):
        for key in [k for k in old if k not in new]:
            del old[key]
        for key, value in new.items():
            old[key] = _merge_in_place(old[key], value) if key in old else value
        return old
    if isinstance(old, list) and isinstance(new, list):
        del old[len(new) :]
        for index, value in enumerate(new):
            if index < len(old):
                old[index] = _merge_in_place(old[index], value)
            else:
                old.append(value)
        return old
    return new


def update_page_text(text: str, changes: Mapping[str, Any], path: str) -> str:
    """Return the page with front-matter fields set to `changes`; every other byte is kept."""
    lines = text.split("\n")
    end = next(i for i in range(1, len(lines)) if lines[i].rstrip() == DELIMITER)
    editor = _round_trip_yaml()
    try:
        front = editor.load("\n".join(lines[1:end]))
    except RoundTripError as error:
        raise SiteBuilderError(Problem(path, f"front matter cannot be updated: {error}")) from None
    for key, value in changes.items():
        if key in front:
            front[key] = _merge_in_place(front[key], value)
        else:
            # A new loader field goes where the loader would have written it.
            order = [k for k in LOADER_FIELDS[: LOADER_FIELDS.index(key)] if k in front]
            position = (
                list(front).index(order[-1]) + 1 if order and key in LOADER_FIELDS else len(front)
            )
            front.insert(position, key, value)
    out = io.StringIO()
    editor.dump(front, out)
    return "\n".join([DELIMITER, out.getvalue().rstrip("\n"), *lines[end:]])
