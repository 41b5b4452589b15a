"""Stage 1, `import`: seed files → one Markdown page per paper in the content folder.

Entries whose abstracts are the same text (after NFKC, case, white space and
punctuation are normalised) become one paper. Pages that exist are matched by id
and only gain what is new (a seed file, its author, a title where one was guessed);
the reader's edits and every byte the loader has nothing to change are kept.
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from .duplicates import DupDoc, DupPair, find_duplicates, merge_groups
from .errors import Problem, SiteBuilderError
from .frontmatter import LOADER_FIELDS, page_text, split_page, update_page_text
from .markdown import escape_markdown, find_links
from .model import SeedEntry, slugify
from .parallel import map_chunks
from .seeds import read_seed_file
from .state import write_chunks_atomically
from .titles import infer_title, named_contribution

PAPERS_DIR = "papers"
_PUNCTUATION = re.compile(r"[\W_]+")
_ID_LINE = re.compile(r"^id:\s*['\"]?([0-9a-f]{6,40})['\"]?\s*$", re.MULTILINE)


@dataclass(frozen=True)
class Candidate:
    """One paper as the seeds describe it: its merged entries, in (file, line) order."""

    id: str
    entries: tuple[SeedEntry, ...]

    @property
    def abstract(self) -> str:
        return self.entries[0].abstract

    @property
    def title(self) -> str | None:
        return next((e.title for e in self.entries if e.title), None)

    @property
    def source(self) -> str | None:
        return next((e.source for e in self.entries if e.source), None)

    def seed_refs(self) -> list[dict[str, Any]]:
        return [{"file": e.file, "line": e.line, "author": e.author} for e in self.entries]


@dataclass
class ImportReport:
    """What an import did, for the command line and the tests."""

    created: list[Path] = field(default_factory=list)
    updated: list[Path] = field(default_factory=list)
    deleted: list[Path] = field(default_factory=list)
    """Pages removed by --prune: every seed entry they came from is gone."""
    suggestions: list[DupPair] = field(default_factory=list)
    """Pairs that may be one paper but were not merged (see `check`)."""
    unchanged: int = 0
    entries: int = 0
    papers: int = 0
    problems: list[Problem] = field(default_factory=list)


def normalise_abstract(text: str) -> str:
    """Return the merge key of an abstract: NFKC, case-folded, punctuation and spaces collapsed."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(_PUNCTUATION.sub(" ", text).split())


def paper_id(abstract: str) -> str:
    """Return the stable id of a paper first seen with this abstract."""
    return hashlib.sha1(normalise_abstract(abstract).encode("utf-8")).hexdigest()[:12]


def load_seeds(
    seeds_dir: Path, label_root: Path | None = None
) -> tuple[list[SeedEntry], list[Problem]]:
    """Read every `*.txt` seed file, in name order; collect every problem."""
    entries: list[SeedEntry] = []
    problems: list[Problem] = []
    if not seeds_dir.is_dir():
        return [], [Problem(str(seeds_dir), "seeds folder not found", hint="use --seeds DIR")]
    inside = seeds_dir.resolve()
    for path in sorted(seeds_dir.glob("*.txt")):
        if not path.resolve().is_relative_to(inside) or not path.resolve().is_file():
            # A link to a file elsewhere must not pull it into the site.
            problems.append(
                Problem(
                    _label(path, label_root),
                    "is a link to a file outside the seeds folder; skipped",
                    hint="copy the file in instead",
                )
            )
            continue
        result = read_seed_file(path, path.name)
        entries.extend(result.entries)
        problems.extend(
            Problem(_label(path, label_root), p.message, p.line, p.hint) for p in result.problems
        )
    return entries, problems


def _label(path: Path, root: Path | None) -> str:
    try:
        return str(path.relative_to(root)) if root else str(path)
    except ValueError:
        return str(path)


def _primary_order(candidate: Candidate) -> tuple[bool, int, str]:
    """Which text of a merged paper becomes the page body: a real abstract (format A has
    no title; format B's paragraph may be the paper's first paragraph), then the longest."""
    return (candidate.title is not None, -len(candidate.abstract), candidate.id)


def _dup_docs(candidates: Sequence[Candidate]) -> list[DupDoc]:
    for candidate in candidates:
        if candidate.title is None:
            infer_title(candidate.abstract)  # for the slugs and the pages, made here
    return [
        DupDoc(
            key=c.id,
            text=c.abstract,
            title=c.title,
            named=named_contribution(c.abstract),
            links=tuple(find_links(c.abstract)),
        )
        for c in candidates
    ]


def merge_near_duplicates(
    candidates: list[Candidate], existing: set[str] | None = None
) -> tuple[list[Candidate], list[DupPair]]:
    """Join candidates that are the same paper under other text; return the suggestions too.

    The merged paper keeps the id of a member that already has a page, else the id of the
    text chosen as its body, so its URL does not depend on file or entry order. Two members
    that both have pages already are left apart: `check` suggests `same_as` for them.
    """
    existing = existing or set()
    by_id = {c.id: c for c in candidates}
    pairs = find_duplicates(map_chunks(_dup_docs, candidates, smallest=256))
    merging = [p for p in pairs if p.merge and not (p.a in existing and p.b in existing)]
    merged = []
    for group in merge_groups(by_id, merging):
        members = sorted((by_id[key] for key in group), key=_primary_order)
        owners = [m for m in members if m.id in existing]
        lead = owners[0] if owners else members[0]
        rest = sorted(
            (e for m in members if m is not lead for e in m.entries), key=lambda e: (e.file, e.line)
        )
        merged.append(Candidate(lead.id, (*lead.entries, *rest)))
    return sorted(merged, key=lambda c: c.id), [p for p in pairs if not p.merge]


def merge_entries(entries: list[SeedEntry]) -> list[Candidate]:
    """Group entries with the same normalised abstract; order-independent."""
    groups: dict[str, list[SeedEntry]] = defaultdict(list)
    for entry in entries:
        groups[normalise_abstract(entry.abstract)].append(entry)
    candidates = []
    for key, members in groups.items():
        members.sort(key=lambda e: (e.file, e.line))
        ident = hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]
        candidates.append(Candidate(ident, tuple(members)))
    return sorted(candidates, key=lambda c: c.id)


@dataclass(frozen=True)
class ExistingPage:
    path: Path
    text: str
    front: dict[str, Any] | None
    """None when the front matter is broken; the page is then never written to."""


def read_existing_pages(papers_dir: Path) -> tuple[dict[str, ExistingPage], set[str]]:
    """Return pages by id, and every slug in use (broken pages included)."""
    pages: dict[str, ExistingPage] = {}
    slugs: set[str] = set()
    if papers_dir.is_dir():
        # A write killed half-way leaves only its hidden temporary file: remove those.
        for stale in papers_dir.glob(".*.md.*.tmp"):
            stale.unlink(missing_ok=True)
    for path in sorted(papers_dir.glob("*.md")) if papers_dir.is_dir() else []:
        slugs.add(path.stem)
        text = path.read_text(encoding="utf-8", errors="replace")
        try:
            front: dict[str, Any] | None = split_page(text, str(path))[0]
            ident = str(front.get("id", "")) if front else ""
        except SiteBuilderError:
            front = None
            # A broken page still holds its paper: find its id so no twin is created.
            match = _ID_LINE.search(text)
            ident = match.group(1) if match else ""
        if ident:
            pages.setdefault(ident, ExistingPage(path, text, front))
    return pages, slugs


def assign_slugs(candidates: list[Candidate], taken: set[str]) -> dict[str, str]:
    """Give each new paper a slug from its title, unique and independent of input order."""
    by_base: dict[str, list[Candidate]] = defaultdict(list)
    for candidate in candidates:
        by_base[slugify(candidate.title or infer_title(candidate.abstract))].append(candidate)
    slugs: dict[str, str] = {}
    for base in sorted(by_base):
        for candidate in sorted(by_base[base], key=lambda c: c.id):
            slug, length = base, 6
            while slug in taken:
                slug, length = f"{base}-{candidate.id[:length]}", length + 2
            taken.add(slug)
            slugs[candidate.id] = slug
    return slugs


def import_date() -> date:
    """Today, or the day SOURCE_DATE_EPOCH names (for reproducible imports)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=UTC).date()
    return date.today()


def new_page(candidate: Candidate) -> str:
    """Return the text of a new page for a paper."""
    front: dict[str, Any] = {"id": candidate.id}
    title = candidate.title
    front["title"] = title or infer_title(candidate.abstract)
    front["title_inferred"] = title is None
    front["authors"] = list(dict.fromkeys(e.author for e in candidate.entries if e.author))
    if candidate.source:
        front["source"] = candidate.source
    front["added"] = import_date()
    front["seeds"] = candidate.seed_refs()
    links = find_links(candidate.abstract)
    if links:
        front["links"] = list(dict.fromkeys(links))
    return page_text(front, escape_markdown(candidate.abstract))


def _list_field(front: dict[str, Any], key: str) -> list[Any]:
    value = front.get(key)
    return value if isinstance(value, list) else []


def stale_refs(front: dict[str, Any], candidate: Candidate | None) -> list[dict[str, Any]]:
    """Return the page's seed refs whose file no longer holds the paper (or is gone)."""
    present = {e.file for e in candidate.entries} if candidate else set()
    return [
        ref
        for ref in _list_field(front, "seeds")
        if isinstance(ref, dict) and ref.get("file") not in present
    ]


def page_changes(
    front: dict[str, Any], candidate: Candidate, prune: bool = False
) -> dict[str, Any]:
    """Return the loader-owned fields that new seed data changes; reader edits win."""
    changes: dict[str, Any] = {}
    recorded = _list_field(front, "seeds")
    seeds = [dict(ref) for ref in recorded if isinstance(ref, dict)]
    if prune:
        changes.update(_pruned(front, stale_refs(front, candidate)))
        seeds = [dict(ref) for ref in changes.get("seeds", seeds)]
        recorded = changes.get("seeds", recorded)
    by_file = {ref.get("file"): ref for ref in seeds}
    added: list[dict[str, Any]] = []
    for ref in candidate.seed_refs():
        old = by_file.get(ref["file"])
        if old is None:
            added.append(ref)
            by_file[ref["file"]] = ref
        elif old.get("line") != ref["line"] and old is not ref:
            old["line"] = ref["line"]
    if added or seeds != recorded:
        changes["seeds"] = seeds + added
    authors = changes.get("authors", _list_field(front, "authors"))
    new_authors = [r["author"] for r in added if r["author"] and r["author"] not in authors]
    if new_authors:
        changes["authors"] = list(authors) + list(dict.fromkeys(new_authors))
    title = candidate.title
    if (
        title
        and front.get("title_inferred") is True
        and front.get("title") == infer_title(candidate.abstract)
    ):
        changes["title"], changes["title_inferred"] = title, False
    if candidate.source and not front.get("source"):
        changes["source"] = candidate.source
    links = _list_field(front, "links")
    new_links = [u for u in dict.fromkeys(find_links(candidate.abstract)) if u not in links]
    if new_links:
        changes["links"] = list(links) + new_links
    return changes


def _pruned(front: dict[str, Any], stale: list[dict[str, Any]]) -> dict[str, Any]:
    """Fields without the stale refs, and without authors only those refs brought."""
    if not stale:
        return {}
    kept = [ref for ref in _list_field(front, "seeds") if ref not in stale]
    still_listed = {ref.get("author") for ref in kept}
    gone = {ref.get("author") for ref in stale} - still_listed
    authors = [a for a in _list_field(front, "authors") if a not in gone]
    changes: dict[str, Any] = {"seeds": kept}
    if authors != _list_field(front, "authors"):
        changes["authors"] = authors
    return changes


def _write_new_pages(pages: Sequence[tuple[Path, Candidate]]) -> list[Path]:
    for path, candidate in pages:
        write_atomically(path, new_page(candidate))
    return [path for path, _ in pages]


def write_atomically(path: Path, text: str) -> None:
    """Write text so that a reader of `path` sees the old file or the new one, never half."""
    write_chunks_atomically(path, (text,))


def import_seeds(
    seeds_dir: Path,
    content_dir: Path,
    label_root: Path | None = None,
    prune: bool = False,
) -> ImportReport:
    """Bring the content folder up to date with the seeds; return what changed.

    With `prune`, seed refs whose file no longer holds the paper are removed, and a
    page left with none is deleted, unless the reader gave it fields of their own.
    """
    report = ImportReport()
    entries, report.problems = load_seeds(seeds_dir, label_root)
    papers_dir = content_dir / PAPERS_DIR
    existing, taken = read_existing_pages(papers_dir)
    candidates, report.suggestions = merge_near_duplicates(merge_entries(entries), set(existing))
    report.entries, report.papers = len(entries), len(candidates)
    fresh = [c for c in candidates if c.id not in existing]
    slugs = assign_slugs(fresh, taken)
    if fresh:
        papers_dir.mkdir(parents=True, exist_ok=True)
        new_pages = [(papers_dir / f"{slugs[c.id]}.md", c) for c in fresh]
        report.created = map_chunks(_write_new_pages, new_pages)
    for candidate in candidates:
        page = existing.get(candidate.id)
        if page is None:  # written above
            continue
        if page.front is not None and (changes := page_changes(page.front, candidate, prune)):
            text = update_page_text(page.text, changes, str(page.path))
            if text != page.text:
                write_atomically(page.path, text)
                report.updated.append(page.path)
            else:
                report.unchanged += 1
        else:
            report.unchanged += 1
    if prune:
        matched = {c.id for c in candidates}
        for ident, page in existing.items():
            if ident not in matched and page.front is not None:
                _prune_orphan(page, report)
    return report


def _prune_orphan(page: ExistingPage, report: ImportReport) -> None:
    """Remove a page no seed holds any more, unless the reader added fields to it."""
    assert page.front is not None
    own = sorted(k for k in page.front if k not in LOADER_FIELDS)
    if own:
        report.problems.append(
            Problem(
                str(page.path),
                f"no seed holds this paper any more; kept because you added {', '.join(own)}",
                hint="delete it by hand or set 'hidden: true'",
            )
        )
        changes = _pruned(page.front, stale_refs(page.front, None))
        if changes:
            write_atomically(page.path, update_page_text(page.text, changes, str(page.path)))
            report.updated.append(page.path)
        return
    page.path.unlink()
    report.deleted.append(page.path)
