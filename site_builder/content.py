"""Stage 2: the content folder's Markdown pages → one immutable `Site`.

Every page is read and checked before anything is rendered; all problems are
reported together, each naming the page and line. Reader controls are applied here:
`hidden: true` leaves a paper out, `same_as: <id>` merges a page into another, and
every spelling of an author is mapped to one author page.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from . import memo
from .config import Config
from .errors import Problem, SiteBuilderError
from .frontmatter import LOADER_FIELDS, field_line, split_page
from .load import PAPERS_DIR
from .markdown import markdown_to_text, plain_text
from .memo import cached
from .model import READING_STATUSES, SAFE_SLUG, Author, Paper, SeedRef, Site, slugify
from .names import NameResolver
from .parallel import map_chunks

READER_FIELDS = ("hidden", "same_as", "tags", "notes", "status", "rating", "added")
"""Front-matter fields with a meaning for the site, beyond the loader's own."""


def read_pages(content_dir: Path) -> tuple[list[Paper], list[Problem]]:
    """Read every paper page; return the good papers and a problem for each bad page."""
    papers_dir = content_dir / PAPERS_DIR
    inside = papers_dir.resolve() if papers_dir.is_dir() else papers_dir
    read = [_read_page_file(path, linked, inside) for path, linked in _page_files(papers_dir)]
    # Pages parsed by an earlier build are found by their text; the others are parsed
    # on every core.
    unknown = [
        r for r in read if isinstance(r, _PageText) and memo.get("pages", r.key) is memo.MISSING
    ]
    map_chunks(_parse_page_texts, unknown)
    papers: list[Paper] = []
    problems: list[Problem] = []
    for item in read:
        if isinstance(item, Problem):
            problems.append(item)
            continue
        try:
            papers.append(_parsed(item))
        except SiteBuilderError as error:
            problems.extend(error.problems)
    problems.extend(_slug_clashes(papers))
    seen: dict[str, str] = {}
    for paper in papers:
        if paper.id in seen:
            problems.append(
                Problem(
                    paper.path,
                    f"has the same id as {seen[paper.id]}",
                    field_line(Path(paper.path).read_text(encoding="utf-8"), "id"),
                    "give each page its own id",
                )
            )
        seen.setdefault(paper.id, paper.path)
    return papers, problems


@dataclass(frozen=True)
class _PageText:
    path: Path
    text: str
    key: tuple[str, str, str]


def _page_key(path: Path, text: str) -> tuple[str, str, str]:
    """What a page's parse is remembered by: its text's hash, file name and label."""
    return (hashlib.sha1(text.encode("utf-8")).hexdigest(), path.stem, str(path))


def _read_page_file(path: Path, linked: bool, inside: Path) -> _PageText | Problem:
    label = str(path)
    if linked and (not path.resolve().is_relative_to(inside) or not path.resolve().is_file()):
        # A link to a file elsewhere must not pull it into the site.
        return Problem(
            label,
            "is a link to a file outside the content folder",
            hint="copy the page into the folder instead",
        )
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        return Problem(label, f"not valid UTF-8 ({error.reason})", hint="save as UTF-8")
    return _PageText(path, text, _page_key(path, text))


def _parsed(page: _PageText) -> Paper:
    return cached("pages", page.key, parse_page, page.text, page.path.stem, str(page.path))


def _parse_page_texts(pages: Sequence[_PageText]) -> list[None]:
    """Parse pages into the memo (in a worker, whence its entries reach the parent);
    a bad page is only reported when the build asks for it."""
    for page in pages:
        with contextlib.suppress(SiteBuilderError):
            _parsed(page)
    return []


def _page_files(papers_dir: Path) -> list[tuple[Path, bool]]:
    """The folder's `*.md` files in name order, each with whether it is a symbolic link
    (only those need resolving, which costs a system call per path component)."""
    try:
        with os.scandir(papers_dir) as entries:
            found = [
                (Path(papers_dir, e.name), e.is_symlink())
                for e in entries
                if e.name.endswith(".md") and (e.is_symlink() or e.is_file())
            ]
    except (FileNotFoundError, NotADirectoryError):
        return []
    return sorted(found)


def parse_page(text: str, stem: str, label: str) -> Paper:
    """The Paper of one page's text; raise SiteBuilderError naming each problem."""
    front, body = split_page(text, label)
    return paper_from_page(front, body, url_slug(stem), label, text)


def url_slug(stem: str) -> str:
    """The page's URL slug: its file name when URL-safe, else a slug made from it."""
    return stem if SAFE_SLUG.fullmatch(stem) else slugify(stem)


def _slug_clashes(papers: list[Paper]) -> list[Problem]:
    by_slug: dict[str, list[Paper]] = defaultdict(list)
    for paper in papers:
        by_slug[paper.slug].append(paper)
    return [
        Problem(
            paper.path,
            f"its URL papers/{slug}.html is also the URL of {group[0].path}",
            hint="rename one of the files",
        )
        for slug, group in by_slug.items()
        if len(group) > 1
        for paper in group[1:]
    ]


def _string_list(front: Mapping[str, Any], key: str) -> list[str] | None:
    value = front.get(key, [])
    if value is None:
        return []
    if isinstance(value, list) and all(isinstance(v, str | int | float) for v in value):
        return [str(v).strip() for v in value if str(v).strip()]
    return None


def paper_from_page(front: Mapping[str, Any], body: str, slug: str, label: str, text: str) -> Paper:
    """Check a page's front matter and return its Paper; raise naming each bad field."""
    problems: list[Problem] = []

    def bad(key: str, message: str, hint: str | None = None) -> None:
        problems.append(Problem(label, f"field '{key}': {message}", field_line(text, key), hint))

    title = front.get("title")
    if not isinstance(title, str | int | float) or not str(title).strip():
        bad("title", "missing or empty", "add a line 'title: The paper's title'")
    ident = front.get("id")
    if not isinstance(ident, str | int) or not str(ident).strip():
        bad("id", "missing", "keep the id the importer wrote; it ties the page to its seeds")
    authors = _string_list(front, "authors")
    if authors is None:
        bad("authors", "expected a list of names", "one '- First Last' line per author")
    links = _string_list(front, "links")
    if links is None:
        bad("links", "expected a list of URLs")
    elif any(not link.lower().startswith(("http://", "https://")) for link in links):
        bad("links", "only http(s) links are allowed")
    inferred = front.get("title_inferred", False)
    if not isinstance(inferred, bool):
        bad("title_inferred", "expected true or false")
    hidden = front.get("hidden", False)
    if not isinstance(hidden, bool):
        bad("hidden", "expected true or false")
    same_as = front.get("same_as")
    if same_as is not None and (not isinstance(same_as, str | int) or not str(same_as).strip()):
        bad(
            "same_as", "expected the id of another page", "copy the 'id:' of the page to merge into"
        )
    source = front.get("source")
    if source is not None and not isinstance(source, str):
        bad("source", "expected text")
    seeds = _seed_refs(front.get("seeds"))
    if seeds is None:
        bad("seeds", "expected a list of 'file', 'line', 'author' entries")
    tags = _tags(front.get("tags"))
    if tags is None:
        bad("tags", "expected a list of words", "for example 'tags: [alignment, rl]'")
    status = _status(front.get("status"))
    if status is False:
        bad("status", f"expected one of: {', '.join(READING_STATUSES)}")
    rating = front.get("rating")
    if rating is not None and (
        isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 5
    ):
        bad("rating", "expected a whole number from 1 to 5")
    added = _date(front.get("added"))
    if added is False:
        bad("added", "expected a date like 2024-05-31")
    notes = front.get("notes", "")
    if notes is None:
        notes = ""
    if not isinstance(notes, str):
        bad("notes", "expected text (Markdown)", "use 'notes: |' and indent the lines below")
    if problems:
        raise SiteBuilderError(problems)
    return Paper(
        id=str(ident).strip(),
        slug=slug,
        title=" ".join(str(title).split()),
        title_inferred=bool(inferred),
        authors=tuple(dict.fromkeys(authors or [])),
        source=source,
        abstract=body,
        seeds=tuple(seeds or ()),
        links=tuple(links or ()),
        extra=tuple(
            (k, v) for k, v in front.items() if k not in LOADER_FIELDS and k not in READER_FIELDS
        ),
        path=label,
        hidden=bool(hidden),
        tags=tuple(tags or ()),
        status=status if isinstance(status, str) else None,
        rating=rating,
        added=added if isinstance(added, date) else None,
        notes=str(notes),
        text=markdown_to_text(body),
        title_text=plain_text(" ".join(str(title).split())),
        same_as=str(same_as).strip() if same_as is not None else None,
    )


def _tags(value: Any) -> list[str] | None:
    if value is None:
        return []
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, list) or not all(isinstance(v, str | int | float) for v in value):
        return None
    return list(dict.fromkeys(" ".join(str(v).split()) for v in value if str(v).strip()))


_STATUS_WORDS = {
    "toread": "to read",
    "unread": "to read",
    "todo": "to read",
    "reading": "reading",
    "read": "read",
    "done": "read",
}


def _status(value: Any) -> str | None | bool:
    """The reading status, None when unset, False when not understood."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        return False
    return _STATUS_WORDS.get(
        "".join(value.lower().replace("-", " ").replace("_", " ").split()), False
    )


def _date(value: Any) -> date | None | bool:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            return False
    return False


def _seed_refs(value: Any) -> list[SeedRef] | None:
    if value is None:
        return []
    if not isinstance(value, list):
        return None
    refs = []
    for item in value:
        if not isinstance(item, dict) or not isinstance(item.get("file"), str):
            return None
        line = item.get("line")
        refs.append(
            SeedRef(
                item["file"], line if isinstance(line, int) else 0, str(item.get("author") or "")
            )
        )
    return refs


def apply_same_as(papers: list[Paper]) -> list[Paper]:
    """Merge every `same_as` page into the page it names; raise on unknown ids or cycles."""
    by_id = {p.id: p for p in papers}
    problems: list[Problem] = []

    def target_of(paper: Paper) -> Paper | None:
        seen = {paper.id}
        current = paper
        while current.same_as is not None:
            nxt = by_id.get(current.same_as)
            if nxt is None:
                problems.append(
                    Problem(
                        current.path,
                        f"field 'same_as': no page has the id '{current.same_as}'",
                        hint="use the 'id:' of another page",
                    )
                )
                return None
            if nxt.id in seen:
                problems.append(
                    Problem(
                        paper.path,
                        "field 'same_as': the pages name each other in a circle",
                        hint="keep 'same_as' on one side only",
                    )
                )
                return None
            seen.add(nxt.id)
            current = nxt
        return current

    absorbed: dict[str, list[Paper]] = defaultdict(list)
    for paper in papers:
        if paper.same_as is not None:
            target = target_of(paper)
            if target is not None:
                absorbed[target.id].append(paper)
    if problems:
        raise SiteBuilderError(problems)
    merged = []
    for paper in papers:
        if paper.same_as is not None:
            continue
        others = sorted(absorbed.get(paper.id, []), key=lambda p: p.slug)
        if others:
            paper = replace(
                paper,
                authors=tuple(
                    dict.fromkeys([*paper.authors, *(a for o in others for a in o.authors)])
                ),
                seeds=tuple(dict.fromkeys([*paper.seeds, *(s for o in others for s in o.seeds)])),
                links=tuple(dict.fromkeys([*paper.links, *(u for o in others for u in o.links)])),
                source=paper.source or next((o.source for o in others if o.source), None),
                merged_slugs=tuple(o.slug for o in others),
            )
        merged.append(paper)
    return merged


def build_site_model(papers: list[Paper], config: Config | None = None) -> Site:
    """Gather papers into a Site: merged, hidden ones left out, one page per author."""
    config = config or Config()
    visible = [p for p in apply_same_as(papers) if not p.hidden]
    resolver = NameResolver(config.author_aliases, config.author_names)
    resolver.learn(name for p in visible for name in p.authors)
    visible = [
        replace(p, authors=tuple(dict.fromkeys(resolver.resolve(a) for a in p.authors)))
        for p in visible
    ]
    ordered = tuple(sorted(visible, key=lambda p: (p.title.casefold(), p.slug)))
    by_author: dict[str, list[Paper]] = defaultdict(list)
    for paper in ordered:
        for name in paper.authors:
            by_author[name].append(paper)
    slugs: dict[str, str] = {}
    taken: set[str] = {"index"}
    names = sorted(by_author, key=lambda n: (n.casefold(), n))
    for name in names:
        base = slug = slugify(name)
        number = 2
        while slug in taken:
            slug, number = f"{base}-{number}", number + 1
        taken.add(slug)
        slugs[name] = slug
    authors = tuple(Author(name, slugs[name], tuple(by_author[name])) for name in names)
    seed_files = tuple(sorted({ref.file for p in ordered for ref in p.seeds}))
    return Site(papers=ordered, authors=authors, author_slugs=slugs, seed_files=seed_files)
