"""Read seed files: the only code that knows the two raw seed formats.

Format A: the first line names the person the list belongs to; every following
`Abstract:` line is one paper's abstract, with no title.

Format B (an author page scraped from an AI-papers site): `Goto`, `Collaborating
Authors`, the author as ` Last, First` (often after a no-break space), then one
block per paper: title, source line, abstract, separated by one blank line, with
two blank lines between papers.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .errors import Problem
from .model import SeedEntry

ABSTRACT_PREFIX = "Abstract:"
FORMAT_B_NOISE = {"goto", "collaborating authors"}
# A source line is a short label such as "arXiv.org Artificial Intelligence".
_SOURCE_LINE = re.compile(r"^(arxiv\.org\b|[^.!?]{1,80}$)", re.IGNORECASE)


@dataclass(frozen=True)
class SeedFile:
    """What one seed file gave: its entries and the problems found on the way."""

    entries: tuple[SeedEntry, ...]
    problems: tuple[Problem, ...]


def clean_name(raw: str) -> str:
    """Return a person's name as "First Last", trimmed of odd white space."""
    name = " ".join(raw.replace("\u00a0", " ").split())
    if name.count(",") == 1:
        last, first = (part.strip() for part in name.split(","))
        name = f"{first} {last}" if first and last else first or last
    return name


def decode_seed(data: bytes, label: str) -> tuple[str, list[Problem]]:
    """Decode seed bytes as UTF-8 (or UTF-16 with a BOM); mark undecodable bytes, say where."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), []
        except UnicodeDecodeError:
            pass
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        text = data.decode("utf-8-sig", errors="replace")
        bad = data[error.start : error.start + 1].hex()
        return text, [
            Problem(
                label,
                f"not valid UTF-8 (byte 0x{bad}); undecodable bytes are shown as \ufffd",
                line,
                "save the file as UTF-8",
            )
        ]
    return text, []


def read_seed_file(path: Path, label: str | None = None) -> SeedFile:
    """Parse one seed file of either format; never raises for bad content."""
    label = label or path.name
    try:
        data = path.read_bytes()
    except OSError as error:
        return SeedFile((), (Problem(label, f"cannot be read: {error.strerror}"),))
    text, problems = decode_seed(data, label)
    # NUL and other C0 controls are never meant in an abstract; drop them but keep tabs.
    text = text.replace("\x00", "")
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if not any(line.strip() for line in lines):
        return SeedFile((), (*problems, Problem(label, "is empty; no papers read", 1)))
    first = next(line.strip().lower() for line in lines if line.strip())
    if first in FORMAT_B_NOISE:
        entries, more = _parse_format_b(lines, label)
    else:
        entries, more = _parse_format_a(lines, label)
    return SeedFile(tuple(entries), (*problems, *more))


def _parse_format_a(lines: list[str], label: str) -> tuple[list[SeedEntry], list[Problem]]:
    entries: list[SeedEntry] = []
    problems: list[Problem] = []
    header_index = next(i for i, line in enumerate(lines) if line.strip())
    header = lines[header_index]
    if header.lstrip().startswith(ABSTRACT_PREFIX):
        problems.append(
            Problem(
                label,
                "starts with an Abstract: line, not a name",
                header_index + 1,
                "format A begins with the name the list belongs to",
            )
        )
        owner, start = "", header_index
    else:
        owner, start = clean_name(header), header_index + 1
    current: list[str] = []
    current_line = 0

    def finish() -> None:
        text = " ".join(" ".join(current).split())
        if text:
            entries.append(SeedEntry(label, current_line, owner, text))
        else:
            problems.append(Problem(label, "Abstract: line is empty", current_line))

    for number, line in enumerate(lines[start:], start=start + 1):
        stripped = line.strip()
        if stripped.startswith(ABSTRACT_PREFIX):
            if current_line:
                finish()
            current, current_line = [stripped[len(ABSTRACT_PREFIX) :]], number
        elif not stripped:
            if current_line:
                finish()
            current, current_line = [], 0
        elif current_line:
            current.append(stripped)  # a hard-wrapped abstract goes on
        else:
            problems.append(
                Problem(
                    label,
                    "line is not part of any abstract; ignored",
                    number,
                    "each paper starts with 'Abstract:'",
                )
            )
    if current_line:
        finish()
    if not entries and not problems:
        problems.append(
            Problem(label, "has only a header and no Abstract: lines", header_index + 1)
        )
    return entries, problems


def _paragraphs(lines: list[str], start: int) -> Iterator[tuple[int, int, list[str]]]:
    """Yield (first line number, blank lines before it, lines) for each paragraph."""
    blank, block_start, gap = 0, 0, 0
    block: list[str] = []
    for number, line in enumerate(lines[start:], start=start + 1):
        if line.strip():
            if not block:
                block_start, gap = number, blank
            block.append(" ".join(line.replace("\u00a0", " ").split()))
        else:
            if block:
                yield block_start, gap, block
                block, blank = [], 0
            blank += 1
    if block:
        yield block_start, gap, block


def _parse_format_b(lines: list[str], label: str) -> tuple[list[SeedEntry], list[Problem]]:
    problems: list[Problem] = []
    paragraphs = list(_paragraphs(lines, 0))
    owner = ""
    index = 0
    while index < len(paragraphs) and " ".join(paragraphs[index][2]).lower() in FORMAT_B_NOISE:
        index += 1
    if index < len(paragraphs):
        line_no, _, block = paragraphs[index]
        owner = clean_name(" ".join(block))
        index += 1
    if index >= len(paragraphs):
        problems.append(Problem(label, "has only a header and no papers", paragraphs[0][0]))
        return [], problems
    # Papers are separated by two or more blank lines; a single blank line separates
    # the title, source line and abstract inside one paper.
    groups: list[list[tuple[int, int, list[str]]]] = []
    for paragraph in paragraphs[index:]:
        if not groups or paragraph[1] >= 2:
            groups.append([])
        groups[-1].append(paragraph)
    entries = [
        entry for group in groups if (entry := _format_b_entry(group, label, owner, problems))
    ]
    return entries, problems


def _format_b_entry(
    group: list[tuple[int, int, list[str]]], label: str, owner: str, problems: list[Problem]
) -> SeedEntry | None:
    line_no = group[0][0]
    texts = [" ".join(block) for _, _, block in group]
    title = texts[0]
    rest = texts[1:]
    source = None
    if len(rest) >= 2 and _SOURCE_LINE.match(rest[0]):
        source, rest = rest[0], rest[1:]
    if not rest or (len(rest) == 1 and source is None and _SOURCE_LINE.match(rest[0])):
        problems.append(
            Problem(
                label,
                f"paper '{title[:60]}' has no abstract; skipped",
                line_no,
                "format B: title, source line, abstract, separated by blank lines",
            )
        )
        return None
    return SeedEntry(label, line_no, owner, "\n\n".join(rest), title=title, source=source)
