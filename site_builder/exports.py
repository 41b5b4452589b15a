"""Machine-readable views of the library: BibTeX, `papers.json`, Atom, sitemap, robots.txt.

Every function here is pure: it takes papers and settings and returns text; the build
writes it. Text from pages (titles, names, abstracts, notes) is data, never markup:

- **BibTeX**: plain text is escaped character by character (`\\%`, `\\&`, `\\#`, `\\_`,
  `\\$`, and `\\textbraceleft{}`, `\\textbackslash{}`… for characters that would open a
  group or a command), so every field's braces balance whatever it holds. Math spans
  (`$O(n^2)$`) are kept as written when they are math this site renders and their braces
  balance; otherwise they become their plain text, escaped. Fields are one line each.
- **XML** (Atom, sitemap): built with `xml.etree`, which escapes markup; characters that
  XML 1.0 cannot hold (control characters, lone surrogates, U+FFFE/U+FFFF) are removed.
- **JSON**: `json.dumps` with sorted keys; lone surrogates (which UTF-8 cannot hold)
  are removed.

Absolute URLs exist only when `base_url` is an absolute http(s) URL (`site_url`).
Without one there is no sitemap (a sitemap needs absolute URLs: the build should not
write one), robots.txt has no `Sitemap:` line, the feed's links are relative under
`xml:base`, and pages get no canonical or Open Graph tags.

BibTeX keys (`bibtex_keys`): the first author's last name and the first significant word
of the title, ASCII letters and digits only, joined by a hyphen: `tony-holistic`. Papers
whose keys clash all get a suffix, `-a`, `-b`, … in the order of their ids, so the keys
of a set of papers never depend on the order they are given in.
"""

from __future__ import annotations

import json
import re
import unicodedata
import uuid
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

from markdown_it.token import Token

from .config import Config
from .latex import Command, Link, Math, Segment, Text, math_text, mathml
from .markdown import (
    abstract_segments,
    add_markdown_view,
    markdown_to_text,
    markdown_view,
    one_line,
    plain_text,
)
from .model import Paper

FEED_PATH = "feed.xml"
SITEMAP_PATH = "sitemap.xml"
LIBRARY_BIB_PATH = "library.bib"
PAPERS_JSON_PATH = "papers.json"

FEED_LIMIT = 50
"""Most entries in the Atom feed."""
SITEMAP_LIMIT = 50_000
"""Most URLs one sitemap may list (sitemaps.org)."""
JSON_VERSION = 1
"""Version of the `papers.json` layout; raised when a field changes meaning."""

_ATOM = "http://www.w3.org/2005/Atom"
_SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
_XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"
_EPOCH = "1970-01-01T00:00:00Z"
"""`updated` of a feed or entry with no known date (Atom requires one)."""

# Fixed forever: entry and feed ids are name-based UUIDs in this namespace.
_ID_NAMESPACE = uuid.UUID("4f72859a-556e-42a2-9bdd-aa8196dc8736")

# XML 1.0 `Char`, without the C1 controls and DEL (allowed, but never meant in text).
_NOT_XML = re.compile("[^\t\n\r\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_KEY = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


# --- URLs -----------------------------------------------------------------------------

_HOST = re.compile(r"[a-z0-9.\-]+(?::[0-9]{1,5})?|\[[0-9a-f:.]+\](?::[0-9]{1,5})?")
# Characters a URL path may hold as they are (RFC 3986 pchar and "/", "%" kept so an
# already-encoded path is not encoded twice).
_PATH_SAFE = "/-._~!$&'()*+,;=:@%"


def site_url(config: Config) -> str | None:
    """The site's absolute base URL, ending in "/", or None when `base_url` is a path.

    Only an http(s) URL with a plain host name counts; the scheme and host are
    lower-cased and characters a URL cannot hold are %-encoded. A base URL with a query,
    a fragment or user information cannot be a base and gives None.
    """
    value = config.base_url.strip()
    if re.search(r"[\x00-\x1f\x7f]", value):
        return None
    try:
        parts = urlsplit(value)
    except ValueError:
        return None
    scheme, host = parts.scheme.lower(), parts.netloc.lower()
    if scheme not in ("http", "https") or not _HOST.fullmatch(host):
        return None
    if parts.query or parts.fragment or "?" in value or "#" in value:
        return None
    path = quote(_clean_xml(parts.path), safe=_PATH_SAFE)
    if not path.endswith("/"):
        path += "/"
    return urlunsplit((scheme, host, path, "", ""))


def page_url(base: str | None, path: str) -> str:
    """The URL of a page given by its path relative to the site root: absolute under
    `base` when known, else relative. `index.html` is its folder (`papers/index.html` →
    `papers/`, the home page → `base` itself)."""
    if path.startswith("/") or "://" in path or "\\" in path or ".." in path.split("/"):
        raise ValueError(f"not a path relative to the site root: {path!r}")
    if path == "index.html" or path.endswith("/index.html"):
        path = path[: -len("index.html")]
    relative = quote(path, safe=_PATH_SAFE)
    if base is None:
        return relative or "./"
    return base + relative


def paper_path(paper: Paper) -> str:
    """The paper's page, relative to the site root."""
    return f"papers/{paper.slug}.html"


# --- Text -----------------------------------------------------------------------------


def _clean_xml(text: str) -> str:
    """`text` without characters XML 1.0 cannot hold (and without C1 controls)."""
    return _NOT_XML.sub("", text)


def _one_line(text: str) -> str:
    return " ".join(_clean_xml(text).split())


def _fold(text: str) -> str:
    """Lower-case ASCII letters and digits of `text`, accents dropped, others as spaces."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", " ", ascii_text.lower())


def _summary(text: str, limit: int = 300) -> str:
    """`text`, cut at a word boundary to at most `limit` characters (with an ellipsis)."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0] or text[: limit - 1]
    return cut.rstrip(" ,;:.") + "…"


# --- BibTeX ---------------------------------------------------------------------------

_STOP_WORDS_TEXT = """a an the of on in for to and or with by from at as is are be we our
    this that these those via using towards toward into its their how what when why which
    do does can new so such it"""
_STOP_WORDS = frozenset(_STOP_WORDS_TEXT.split())
"""Title words too common to name a paper by in its BibTeX key."""

_BIBTEX_CHARS = {
    "\\": r"\textbackslash{}",
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "%": r"\%",
    "&": r"\&",
    "#": r"\#",
    "_": r"\_",
    "$": r"\$",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    "<": r"\textless{}",
    ">": r"\textgreater{}",
    "|": r"\textbar{}",
}
_BIBTEX_SPECIAL = re.compile("[" + re.escape("".join(_BIBTEX_CHARS)) + "]")


def _escape(text: str) -> str:
    """Plain text with every BibTeX/LaTeX special character escaped and control
    characters removed; white space is left for the caller to collapse."""
    return _BIBTEX_SPECIAL.sub(lambda m: _BIBTEX_CHARS[m.group()], _clean_xml(text))


def bibtex_text(text: str) -> str:
    """Plain text as one line of BibTeX/LaTeX that prints it: every special character
    escaped, white space collapsed, control characters removed. Never holds a brace."""
    return " ".join(_escape(text).split())


def _math_source(math: Math) -> str | None:
    """`$tex$` when the span is safe to keep as LaTeX in a BibTeX field, else None.

    Safe: the site renders it as math (so it holds only known commands), its braces
    balance as BibTeX counts them (`\\{` counts too), and it has no unescaped `%`, `#`,
    `&` or `$`, nor a trailing backslash.
    """
    tex = " ".join(math.tex.split())
    if not tex or mathml(math.tex, math.display) is None:
        return None
    depth, index = 0, 0
    while index < len(tex):
        char = tex[index]
        if char == "\\":
            if index + 1 == len(tex):
                return None
            following = tex[index + 1]
            depth += {"{": 1, "}": -1}.get(following, 0)
            index += 2
        else:
            if char in "%#&$":
                return None
            depth += {"{": 1, "}": -1}.get(char, 0)
            index += 1
        if depth < 0:
            return None
    return f"${tex}$" if depth == 0 else None


def _math_bibtex(math: Math) -> str:
    return _math_source(math) or bibtex_text(math_text(math))


def _segments_bibtex(segments: Iterable[Segment]) -> str:
    out: list[str] = []
    for segment in segments:
        if isinstance(segment, Text):
            out.append(_escape(segment.text))
        elif isinstance(segment, Link):
            out.append(_escape(segment.url))
        elif isinstance(segment, Math):
            out.append(_math_bibtex(segment))
        elif isinstance(segment, Command):
            out.append(_escape(segment.text))
        else:
            out.append(_segments_bibtex(segment.parts))
    return "".join(out)


def latex_text_bibtex(text: str) -> str:
    """A text that may hold LaTeX (a title) as BibTeX: math kept where safe, text-mode
    commands as the characters they stand for, everything else escaped."""
    return " ".join(" ".join(_segments_bibtex(p) for p in abstract_segments(text)).split())


def markdown_bibtex(markdown: str) -> str:
    """Page Markdown (an abstract, notes) as one line of BibTeX: what the page shows,
    escaped, with math kept where safe; paragraphs join with a space."""
    return markdown_view("bibtex", markdown)


def _markdown_bibtex(tokens: list[Token], env: dict[str, Any]) -> str:
    return one_line(tokens, _inline_bibtex, _escape)


def _inline_bibtex(tokens: list[Token]) -> list[str]:
    out: list[str] = []
    for token in tokens:
        if token.type in ("text", "code_inline"):
            out.append(_escape(token.content))
        elif token.type == "math_inline":
            math = Math(token.markup, token.content, bool(token.meta.get("display")))
            out.append(_math_bibtex(math))
        elif token.type in ("softbreak", "hardbreak"):
            out.append(" ")
    return out


add_markdown_view("bibtex", _markdown_bibtex)


def _bibtex_name(name: str) -> str | None:
    """One author for BibTeX's `and`-separated list. A name BibTeX would misread (one
    holding a comma, the word "and", or that is "others") is braced whole."""
    text = bibtex_text(name)
    if not text:
        return None
    words = text.lower().split()
    if "," in text or "and" in words or words == ["others"]:
        return "{" + text + "}"
    return text


def _last_name(name: str) -> str:
    if "," in name:  # "Last, First"
        return name.split(",", 1)[0]
    words = name.split()
    return words[-1] if words else ""


def _base_key(paper: Paper) -> str:
    name = ""
    for author in paper.authors:
        name = "".join(_fold(_last_name(author)).split())[:24]
        if name:
            break
    words = _fold(plain_text(paper.title)).split()
    word = next((w for w in words if w not in _STOP_WORDS and not w.isdigit()), None)
    return f"{name or 'anon'}-{(word or 'paper')[:24]}"


def _letters(number: int) -> str:
    """0 → a, 25 → z, 26 → aa, …"""
    out = ""
    number += 1
    while number:
        number, rest = divmod(number - 1, 26)
        out = chr(ord("a") + rest) + out
    return out


def bibtex_keys(papers: Sequence[Paper]) -> dict[str, str]:
    """Paper id → its BibTeX key: unique, readable, independent of the papers' order.

    `<first author's last name>-<first significant title word>`, folded to ASCII letters
    and digits (`anon` without an author, `paper` without such a word). When several
    papers share a key, each gets `-a`, `-b`, … in the order of their ids; such a key has
    two hyphens, so it never equals another paper's plain key.
    """
    groups: dict[str, list[str]] = defaultdict(list)
    for paper in sorted({p.id: p for p in papers}.values(), key=lambda p: p.id):
        groups[_base_key(paper)].append(paper.id)
    keys: dict[str, str] = {}
    for base, ids in groups.items():
        if len(ids) == 1:
            keys[ids[0]] = base
        else:
            keys.update({ident: f"{base}-{_letters(n)}" for n, ident in enumerate(ids)})
    return keys


def _bibtex_url(url: str) -> str:
    """A URL as a BibTeX field: characters that could end the field or a line, or that
    no URL holds, are %-encoded."""
    return quote(_clean_xml(url).strip(), safe="/:?#[]@!$&'()*+,;=-._~%")


def bibtex_entry(paper: Paper, key: str, url: str | None) -> str:
    """The `@misc` entry of a paper, one field a line.

    `title` (double-braced to keep its capitals), `author` (joined by "and"),
    `howpublished` (the source), `note` (when the title was inferred), `keywords` (tags),
    `url`, `abstract` and `annote` (the reader's notes); empty fields are left out.
    """
    if not _KEY.fullmatch(key):
        raise ValueError(f"not a BibTeX key made by bibtex_keys: {key!r}")
    names = [n for n in (_bibtex_name(a) for a in paper.authors) if n]
    fields: list[tuple[str, str]] = [
        ("title", "{" + (latex_text_bibtex(paper.title) or "Untitled") + "}"),
        ("author", " and ".join(names)),
        ("howpublished", bibtex_text(paper.source or "")),
        ("note", "Title inferred from the abstract" if paper.title_inferred else ""),
        ("keywords", ", ".join(t for t in (bibtex_text(t) for t in paper.tags) if t)),
        ("url", _bibtex_url(url) if url else ""),
        ("abstract", markdown_bibtex(paper.abstract)),
        ("annote", markdown_bibtex(paper.notes)),
    ]
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields if value)
    return f"@misc{{{key},\n{body}\n}}\n"


def library_bib(
    papers: Sequence[Paper],
    keys: Mapping[str, str],
    base: str | None,
    made: Mapping[str, str] | None = None,
) -> str:
    """Every paper's entry, sorted by key; `url` only when the site's URL is known.

    `made`: entries already made for these very papers, keys and base, by paper id."""
    unique = sorted({p.id: p for p in papers}.values(), key=lambda p: (keys[p.id], p.id))
    made = made or {}
    return "\n".join(
        made.get(p.id)
        or bibtex_entry(p, keys[p.id], page_url(base, paper_path(p)) if base else None)
        for p in unique
    )


# --- JSON -----------------------------------------------------------------------------


def _json_text(text: str) -> str:
    return _SURROGATE.sub("", text)


def _paper_record(paper: Paper, key: str, base: str | None) -> dict[str, object]:
    path = paper_path(paper)
    return {
        "id": _json_text(paper.id),
        "slug": paper.slug,
        "title": _json_text(paper.title),
        "title_plain": _json_text(plain_text(paper.title)),
        "title_inferred": paper.title_inferred,
        "authors": [_json_text(a) for a in paper.authors],
        "source": _json_text(paper.source) if paper.source is not None else None,
        "abstract": _json_text(paper.abstract),
        "abstract_text": _json_text(markdown_to_text(paper.abstract)),
        "links": [_json_text(link) for link in paper.links],
        "tags": [_json_text(t) for t in paper.tags],
        "status": paper.status,
        "rating": paper.rating,
        "added": paper.added.isoformat() if paper.added else None,
        "notes": _json_text(paper.notes),
        "notes_text": _json_text(markdown_to_text(paper.notes)),
        "seeds": [
            {"file": _json_text(s.file), "line": s.line, "author": _json_text(s.author)}
            for s in paper.seeds
        ],
        "url": path,
        "url_absolute": page_url(base, path) if base else None,
        "bibtex_key": key,
    }


def papers_json(papers: Sequence[Paper], base: str | None) -> str:
    """`papers.json`: `{"version": 1, "papers": [...]}`, papers in the order of their ids.

    Each paper: `id`, `slug`, `title` (as written, LaTeX kept), `title_plain`,
    `title_inferred`, `authors`, `source`, `abstract` (page Markdown), `abstract_text`,
    `links`, `tags`, `status`, `rating`, `added` (ISO date), `notes` (Markdown),
    `notes_text`, `seeds` (`file`, `line`, `author`), `url` (relative to the site root),
    `url_absolute` (null without an absolute base URL) and `bibtex_key` (as in
    `library.bib`). Absent values are null or empty lists, never missing keys.
    """
    unique = sorted({p.id: p for p in papers}.values(), key=lambda p: p.id)
    keys = bibtex_keys(unique)
    # One paper a line: readable and diffable, and written by json's fast C encoder
    # (an `indent` makes it use the pure-Python one, 10x slower at 10,000 papers).
    records = [
        json.dumps(_paper_record(p, keys[p.id], base), ensure_ascii=False, sort_keys=True)
        for p in unique
    ]
    head = f'{{"version": {JSON_VERSION}, "papers": ['
    body = ",\n".join(records)
    return head + (f"\n{body}\n" if records else "") + "]}\n"


# --- Atom -----------------------------------------------------------------------------


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, tag, {k: _clean_xml(v) for k, v in attributes.items()})
    if text is not None:
        element.text = _clean_xml(text)
    return element


def _timestamp(day: date | None) -> str:
    return f"{day.isoformat()}T00:00:00Z" if day else _EPOCH


def entry_id(paper: Paper) -> str:
    """The Atom id of a paper: a name-based UUID of its id, the same wherever the site
    is served and whatever its title or URL become."""
    return uuid.uuid5(_ID_NAMESPACE, f"paper:{paper.id}").urn


def feed_order(papers: Iterable[Paper]) -> list[Paper]:
    """Newest `added` first, papers without a date last; ties by plain title, then id."""
    return sorted(
        papers,
        key=lambda p: (
            p.added is None,
            -p.added.toordinal() if p.added else 0,
            plain_text(p.title).casefold(),
            p.id,
        ),
    )


def atom_feed(
    papers: Sequence[Paper],
    config: Config,
    base: str | None,
    updated: date | None = None,
    feed_path: str = FEED_PATH,
) -> str:
    """An Atom 1.0 feed of the newest `FEED_LIMIT` papers by date added.

    Its `updated` is `updated` when given, else the newest date added (never the build
    time, so building twice gives the same bytes). Entry ids are `urn:uuid:`s derived
    from paper ids; the feed's id derives from the site's URL, or without one from the
    site's title and base path. Links are absolute under `base`; without it they are
    relative, resolved against `xml:base` (the configured base path). Titles and
    contents are plain text (`type="text"`).
    """
    chosen = feed_order({p.id: p for p in papers}.values())[:FEED_LIMIT]
    dates = [p.added for p in papers if p.added]
    newest = updated or (max(dates) if dates else None)
    title = _one_line(config.title) or "Reading list"
    # Names stay unprefixed under a default namespace declared by hand: ElementTree's
    # own namespace handling would prefix every element or refuse plain attributes.
    root = ET.Element("feed", {"xmlns": _ATOM})
    if base is None and config.base_url.startswith("/"):
        root.set(_XML_BASE, _clean_xml(config.base_url))
    site_name = base or f"site:{title}\n{config.base_url}"
    _sub(root, "id", uuid.uuid5(_ID_NAMESPACE, f"feed:{site_name}").urn)
    _sub(root, "title", title, type="text")
    description = _one_line(config.description)
    if description:
        _sub(root, "subtitle", description, type="text")
    _sub(root, "updated", _timestamp(newest))
    _sub(_sub(root, "author"), "name", title)
    _sub(root, "link", rel="alternate", type="text/html", href=page_url(base, "index.html"))
    _sub(root, "link", rel="self", type="application/atom+xml", href=page_url(base, feed_path))
    _sub(root, "generator", "site-builder")
    for paper in chosen:
        entry = _sub(root, "entry")
        _sub(entry, "id", entry_id(paper))
        _sub(entry, "title", _one_line(plain_text(paper.title)) or "Untitled", type="text")
        _sub(entry, "updated", _timestamp(paper.added))
        if paper.added:
            _sub(entry, "published", _timestamp(paper.added))
        for name in paper.authors:
            if _one_line(name):
                _sub(_sub(entry, "author"), "name", _one_line(name))
        href = page_url(base, paper_path(paper))
        _sub(entry, "link", rel="alternate", type="text/html", href=href)
        for tag in paper.tags:
            if _one_line(tag):
                _sub(entry, "category", term=_one_line(tag))
        _sub(entry, "content", _one_line(markdown_to_text(paper.abstract)), type="text")
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    return f'<?xml version="1.0" encoding="utf-8"?>\n{body}\n'


# --- Sitemap and robots.txt -----------------------------------------------------------


def sitemap_xml(paths: Sequence[str], base: str) -> str:
    """A sitemaps.org 0.9 `urlset` of the pages at `paths` (relative to the site root),
    in the order given, without repeats.

    A sitemap must list absolute URLs, so it needs the site's URL: without one
    (`site_url` is None) the build writes no sitemap.
    """
    if not _is_site_url(base):
        raise ValueError(f"a sitemap needs an absolute base URL ending in '/': {base!r}")
    urls = list(dict.fromkeys(page_url(base, path) for path in paths))
    if len(urls) > SITEMAP_LIMIT:
        raise ValueError(f"{len(urls)} URLs: a sitemap holds at most {SITEMAP_LIMIT}")
    root = ET.Element("urlset", {"xmlns": _SITEMAP})
    for url in urls:
        ET.SubElement(ET.SubElement(root, "url"), "loc").text = url
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{body}\n'


def _is_site_url(base: str) -> bool:
    """Whether `base` is what `site_url` returns (absolute http(s), ending in "/")."""
    return site_url(Config(base_url=base)) == base


def robots_txt(base: str | None) -> str:
    """Allow every crawler everything; name the sitemap when the site's URL is known.

    (Crawlers read robots.txt only at a host's root; under a project path it is harmless.)
    """
    lines = ["User-agent: *", "Allow: /"]
    if base is not None:
        if not _is_site_url(base):
            raise ValueError(f"not an absolute base URL ending in '/': {base!r}")
        lines += ["", f"Sitemap: {page_url(base, SITEMAP_PATH)}"]
    return "\n".join(lines) + "\n"


# --- Head tags ------------------------------------------------------------------------


def head_meta(
    paper: Paper | None,
    config: Config,
    base: str | None,
    page_path: str,
    title: str | None = None,
) -> list[tuple[str, str, str]]:
    """Tags for a page's `<head>`, as (kind, name, content), all content plain text:

    - `("link", "canonical", url)` → `<link rel="canonical" href="url">`
    - `("property", "og:…", text)` → `<meta property="og:…" content="text">`
    - `("name", "citation_…", text)` → `<meta name="citation_…" content="text">`

    Canonical and Open Graph tags only when the site's URL is known; on a paper page
    Google Scholar's `citation_title` and one `citation_author` per author always.
    `title` is the page's title for pages other than a paper's (default: the site's).
    """
    site_name = _one_line(config.title)
    tags: list[tuple[str, str, str]] = []
    if base is not None:
        url = page_url(base, page_path)
        if paper is not None:
            page_title = _one_line(plain_text(paper.title))
            description = _summary(_one_line(markdown_to_text(paper.abstract)))
        else:
            page_title = _one_line(title or "") or site_name
            description = _one_line(config.description)
        tags += [
            ("link", "canonical", url),
            ("property", "og:type", "article" if paper is not None else "website"),
            ("property", "og:url", url),
            ("property", "og:title", page_title),
            ("property", "og:site_name", site_name),
        ]
        if description:
            tags.append(("property", "og:description", description))
    if paper is not None:
        tags.append(("name", "citation_title", _one_line(plain_text(paper.title))))
        tags += [("name", "citation_author", _one_line(a)) for a in paper.authors if _one_line(a)]
    return [tag for tag in tags if tag[2]]


__all__ = [
    "FEED_PATH",
    "LIBRARY_BIB_PATH",
    "PAPERS_JSON_PATH",
    "SITEMAP_PATH",
    "atom_feed",
    "bibtex_entry",
    "bibtex_keys",
    "bibtex_text",
    "entry_id",
    "feed_order",
    "head_meta",
    "latex_text_bibtex",
    "library_bib",
    "markdown_bibtex",
    "page_url",
    "paper_path",
    "papers_json",
    "robots_txt",
    "site_url",
    "sitemap_xml",
]
