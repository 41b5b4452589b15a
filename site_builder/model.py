"""Plain data passed from stage to stage: seed entries, papers, authors, the site.

No I/O here. Every stage takes and returns these frozen dataclasses, so a template
or the search indexer can only read what the earlier stages decided.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class SeedEntry:
    """One paper as read from one seed file, before merging."""

    file: str
    """Seed file name, relative to the seeds folder."""
    line: int
    """1-based line where the entry starts (its title, or its `Abstract:` line)."""
    author: str
    """Display name ("First Last") of the person the seed file is attributed to."""
    abstract: str
    """The abstract text, exactly as written in the seed (paragraphs joined by a blank line)."""
    title: str | None = None
    """The title, when the seed format gives one (format B)."""
    source: str | None = None
    """The source line, such as `arXiv.org Artificial Intelligence` (format B)."""


@dataclass(frozen=True)
class SeedRef:
    """Where a paper was found: a seed file and line, and who that file belongs to."""

    file: str
    line: int
    author: str


@dataclass(frozen=True)
class Paper:
    """One paper of the site, as read back from its Markdown page."""

    id: str
    """Stable id: a hash of the normalised abstract text of the entry that created it."""
    slug: str
    """File stem of the page, and so its URL: `papers/<slug>.html`."""
    title: str
    title_inferred: bool
    """True when no seed gave a title and the loader guessed one from the abstract."""
    authors: tuple[str, ...]
    source: str | None
    abstract: str
    """The page body as Markdown (escaped so it renders to the seed text)."""
    seeds: tuple[SeedRef, ...]
    links: tuple[str, ...]
    extra: tuple[tuple[str, object], ...] = ()
    """Front-matter fields the loader does not know, kept as the reader wrote them."""
    path: str = ""
    """The page's path relative to the project, for messages."""
    hidden: bool = False
    """`hidden: true`: left out of the site and the search index."""
    same_as: str | None = None
    """`same_as: <id>`: this page is the same paper as another; it merges into it."""
    merged_slugs: tuple[str, ...] = ()
    """Slugs of pages merged into this one by `same_as`; their URLs redirect here."""
    tags: tuple[str, ...] = ()
    """The reader's own tags (`tags:`), as written."""
    status: str | None = None
    """Reading status: one of READING_STATUSES, or None when not set."""
    rating: int | None = None
    """The reader's rating, 1 to 5."""
    added: date | None = None
    """When the paper joined the list (`added:`, written by import)."""
    notes: str = ""
    """The reader's notes, Markdown (`notes:`)."""
    text: str = ""
    """The abstract as the plain text a reader sees (LaTeX as Unicode): for search and
    analysis."""
    title_text: str = ""
    """The title as plain text (LaTeX as Unicode): for <title>, feeds and search."""


READING_STATUSES = ("to read", "reading", "read")


@dataclass(frozen=True)
class Author:
    """One author page."""

    name: str
    slug: str
    papers: tuple[Paper, ...] = field(default=())


@dataclass(frozen=True)
class Term:
    """A topic (keywords found at build time) or a tag (the reader's own), with its page."""

    name: str
    slug: str
    papers: tuple[Paper, ...]


@dataclass(frozen=True)
class RelatedLink:
    """A paper worth reading next, and why."""

    paper: Paper
    shared_terms: tuple[str, ...]


@dataclass(frozen=True)
class Site:
    """Everything the renderer needs, gathered before anything is written."""

    papers: tuple[Paper, ...]
    """Sorted by title, case-insensitively."""
    authors: tuple[Author, ...]
    """Sorted by name."""
    author_slugs: dict[str, str]
    """Author display name → author slug."""
    seed_files: tuple[str, ...]
    """Every seed file any paper came from, sorted."""
    topics: tuple[Term, ...] = ()
    """Topics found in the abstracts, most papers first."""
    tags: tuple[Term, ...] = ()
    """The reader's tags, merged regardless of case, by name."""
    paper_topics: dict[str, tuple[Term, ...]] = field(default_factory=dict)
    """Paper id → its topics."""
    paper_tags: dict[str, tuple[Term, ...]] = field(default_factory=dict)
    """Paper id → its tags (as merged terms)."""
    related: dict[str, tuple[RelatedLink, ...]] = field(default_factory=dict)
    """Paper id → the papers most like it, best first."""


_SLUG_DROP = re.compile(r"[^a-z0-9]+")
SAFE_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
"""What every slug looks like: lower-case letters and digits joined by single hyphens."""


def slugify(text: str, max_length: int = 60) -> str:
    """Return a short, URL-safe, lower-case slug for text (never empty, never dots)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = _SLUG_DROP.sub("-", ascii_text.lower()).strip("-")
    if len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0] or slug[:max_length]
    return slug.strip("-") or "untitled"
