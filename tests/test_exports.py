"""BibTeX, papers.json, Atom, sitemap, robots.txt and head tags (`site_builder.exports`).

Every export is read back by a strict reader — a brace-counting BibTeX reader written
here (BibTeX itself counts every brace, escaped or not), `json`, feedparser and lxml —
and compared with what the papers hold, for the real seeds and for hostile text:
braces, `@misc{`, backslashes, `%`, control characters, `</textarea>`, `<script>`.
"""

from __future__ import annotations

import json
import random
import re
import uuid
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import feedparser
import pytest
from conftest import make_project, project_config
from hypothesis import example, given, settings
from hypothesis import strategies as st
from lxml import etree

from site_builder.config import Config
from site_builder.content import build_site_model, read_pages
from site_builder.exports import (
    FEED_LIMIT,
    atom_feed,
    bibtex_entry,
    bibtex_keys,
    bibtex_text,
    head_meta,
    library_bib,
    page_url,
    papers_json,
    robots_txt,
    site_url,
    sitemap_xml,
)
from site_builder.load import import_seeds
from site_builder.markdown import escape_markdown, markdown_to_text, plain_text
from site_builder.model import Paper, SeedRef

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
BASE = "https://someone.github.io/reading-list/"

HOSTILE = [
    "}",
    "{",
    "}}{{",
    "@misc{evil, title={x}}",
    "\\",
    "\\\\",
    "ends in a backslash \\",
    "% a comment } @",
    "50% & #1 _x_ ^2 ~3 $ | <>",
    "</textarea><script>alert('x')</script>",
    "javascript:alert(1)",
    "{{ config }} {% raw %}",
    "\"quoted\", and 'single' ]]> -->",
    "NUL\x00 BEL\x07 ESC\x1b DEL\x7f C1\x85 end",
    "line\nbreak\r\nand\ttab",
    "\u2028line separator\u2029",
    "Tom and Jerry",
    "Last, First",
    "\\input{/etc/passwd} \\def\\x{y} \\catcode`\\{=12",
    "$\\}$ $a}{b$ $x % y$ $\\input{z}$",
]
"""Text that would break out of a BibTeX field, an XML element or a template if it were
not escaped."""


def paper(**fields: object) -> Paper:
    """A paper with plain defaults; `fields` override them."""
    values: dict[str, object] = {
        "id": "0123456789ab",
        "slug": "a-paper",
        "title": "A Paper",
        "title_inferred": False,
        "authors": ("Saachi Jain",),
        "source": "arXiv.org Artificial Intelligence",
        "abstract": "An abstract.",
        "seeds": (SeedRef("000_a.txt", 2, "Saachi Jain"),),
        "links": (),
    }
    values.update(fields)
    return Paper(**values)  # type: ignore[arg-type]


# --- A strict BibTeX reader ---------------------------------------------------------

_ENTRY_START = re.compile(r"@([a-z]+)\{([a-z0-9-]+),\n")
_FIELD_START = re.compile(r"  ([a-z]+) = \{")


def parse_bibtex(text: str) -> list[tuple[str, str, dict[str, str]]]:
    """Read entries as BibTeX does — a braced value ends where its braces, every one
    counted, balance — and fail on anything but `@type{key,` then `name = {value}`
    fields, one a line, and the closing brace."""
    entries: list[tuple[str, str, dict[str, str]]] = []
    pos = 0
    while True:
        while pos < len(text) and text[pos] in " \n":
            pos += 1
        if pos == len(text):
            return entries
        start = _ENTRY_START.match(text, pos)
        assert start, f"no entry at {text[pos : pos + 40]!r}"
        pos = start.end()
        fields: dict[str, str] = {}
        while True:
            field = _FIELD_START.match(text, pos)
            assert field, f"no field at {text[pos : pos + 40]!r}"
            pos = field.end()
            depth, begin = 1, pos
            while depth:
                assert pos < len(text), "field never closes"
                depth += {"{": 1, "}": -1}.get(text[pos], 0)
                pos += 1
            value = text[begin : pos - 1]
            assert "\n" not in value, f"field {field.group(1)} spans lines"
            assert field.group(1) not in fields, f"field {field.group(1)} twice"
            fields[field.group(1)] = value
            if text.startswith(",\n", pos):
                pos += 2
            elif text.startswith("\n}", pos):
                pos += 2
                break
            else:
                raise AssertionError(f"field not followed by ',' or '}}': {text[pos:][:40]!r}")
        entries.append((start.group(1), start.group(2), fields))


_ESCAPES = {
    r"\textbackslash{}": "\\",
    r"\textbraceleft{}": "{",
    r"\textbraceright{}": "}",
    r"\textasciitilde{}": "~",
    r"\textasciicircum{}": "^",
    r"\textless{}": "<",
    r"\textgreater{}": ">",
    r"\textbar{}": "|",
    r"\%": "%",
    r"\&": "&",
    r"\#": "#",
    r"\_": "_",
    r"\$": "$",
}
_ESCAPE = re.compile("|".join(re.escape(e) for e in _ESCAPES))
_RAW_SPECIAL = re.compile(r"[\\{}%&#_$~^<>|]")


def unescape(value: str) -> str:
    """The text a field of escaped plain text prints; fails on any unescaped special."""
    rest = _ESCAPE.sub("", value)
    assert not _RAW_SPECIAL.search(rest), f"unescaped LaTeX in {value!r}"
    return _ESCAPE.sub(lambda m: _ESCAPES[m.group()], value)


_NOT_XML = re.compile("[^\t\n\r\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def one_line(text: str) -> str:
    """What a one-line export shows of `text`: no control characters, spaces collapsed."""
    return " ".join(_NOT_XML.sub("", text).split())


def has_math(value: str) -> bool:
    """Whether a BibTeX field keeps a math span (an unescaped `$`)."""
    return re.search(r"(?<!\\)\$", value) is not None


# --- BibTeX -------------------------------------------------------------------------


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_stays_inside_its_bibtex_field(text: str) -> None:
    hostile = paper(
        title=f"Title {text}",
        authors=(text, "Saachi Jain"),
        source=text,
        abstract=escape_markdown(f"Abstract {text}"),
        notes=text,
        tags=(text, "tag"),
        title_inferred=True,
    )
    entries = parse_bibtex(bibtex_entry(hostile, "jain-title", "https://x.org/a b{}\\\n"))
    assert len(entries) == 1
    kind, key, fields = entries[0]
    assert (kind, key) == ("misc", "jain-title")
    assert set(fields) <= {
        "title",
        "author",
        "howpublished",
        "note",
        "keywords",
        "url",
        "abstract",
        "annote",
    }
    assert fields["title"].startswith("{") and fields["title"].endswith("}")
    if not has_math(fields["title"]):
        assert unescape(fields["title"][1:-1]) == plain_text(f"Title {text}")
    if not has_math(fields["abstract"]):
        assert unescape(fields["abstract"]) == markdown_to_text(hostile.abstract)
    if one_line(text):
        assert unescape(fields["howpublished"]) == one_line(text)
    assert fields["url"] == "https://x.org/a%20b%7B%7D%5C"
    assert fields["note"] == "Title inferred from the abstract"
    assert "\\input" not in bibtex_entry(hostile, "k", None).replace(r"\textbackslash{}", "")


@given(st.lists(st.sampled_from(HOSTILE) | st.text(max_size=12), max_size=6).map("".join))
@settings(max_examples=300, deadline=None)
@example("$\\alpha$}$")
@example("{\\em x} \\'{c} 50\\% $a$")
def test_no_text_breaks_a_bibtex_entry(text: str) -> None:
    hostile = paper(
        title=text,
        authors=(text,),
        source=text,
        abstract=escape_markdown(text),
        notes=text,
        tags=(text,),
    )
    entries = parse_bibtex(bibtex_entry(hostile, "k-x", None))
    assert [(kind, key) for kind, key, _ in entries] == [("misc", "k-x")]
    fields = entries[0][2]
    assert unescape(fields.get("howpublished", "")) == one_line(text)
    assert unescape(fields.get("keywords", "")) == one_line(text)
    if not has_math(fields["title"]):
        assert unescape(fields["title"][1:-1]) == (plain_text(text) or "Untitled")


@given(st.text())
@settings(max_examples=300, deadline=None)
def test_bibtex_text_prints_the_text(text: str) -> None:
    escaped = bibtex_text(text)
    assert "{" not in escaped.replace("{}", "") and "}" not in escaped.replace("{}", "")
    assert unescape(escaped) == one_line(text)


def test_bibtex_keeps_math_and_latex_it_can_trust() -> None:
    entry = bibtex_entry(
        paper(
            title="Image$\\leftrightarrow$text at 50\\% for Djokovi\\'{c}",
            abstract=escape_markdown("Loss $D_{\\mathrm{KL}}$ on $8\\times 8$ images."),
        ),
        "jain-image",
        None,
    )
    fields = parse_bibtex(entry)[0][2]
    assert fields["title"] == "{Image$\\leftrightarrow$text at 50\\% for Djoković}"
    assert fields["abstract"] == "Loss $D_{\\mathrm{KL}}$ on $8\\times 8$ images."


@pytest.mark.parametrize(
    "math",
    ["$\\input{x}$", "$a}{b$", "$x % y$", "$\\{x$", "$a # b$ and $c & d$", "$\\undefined$"],
)
def test_bibtex_writes_untrusted_math_as_text(math: str) -> None:
    fields = parse_bibtex(bibtex_entry(paper(title=f"T {math}"), "k", None))[0][2]
    assert not has_math(fields["title"])
    assert unescape(fields["title"][1:-1]) == plain_text(f"T {math}")


def test_bibtex_authors_are_joined_by_and_and_protected() -> None:
    fields = parse_bibtex(
        bibtex_entry(paper(authors=("Saachi Jain", "Tom and Jerry", "Stark, Tony")), "k", None)
    )[0][2]
    assert fields["author"] == "Saachi Jain and {Tom and Jerry} and {Stark, Tony}"
    names = re.split(r" and (?![^{]*\})", fields["author"])
    assert names == ["Saachi Jain", "{Tom and Jerry}", "{Stark, Tony}"]


def test_bibtex_leaves_empty_fields_out() -> None:
    fields = parse_bibtex(
        bibtex_entry(paper(authors=(), source=None, abstract="", tags=()), "k", None)
    )[0][2]
    assert set(fields) == {"title"}


def test_bibtex_entry_refuses_a_key_that_could_break_it() -> None:
    with pytest.raises(ValueError):
        bibtex_entry(paper(), "x,title={y}", None)


# --- Keys ---------------------------------------------------------------------------


def test_keys_are_last_name_and_first_significant_title_word() -> None:
    papers = [
        paper(id="1", title="Holistic Evaluation of Language Models", authors=("Tony Stark",)),
        paper(id="2", title="The $\\alpha$ of an Approach", authors=("Jain, Saachi", "Tony")),
        paper(id="3", title="A the of", authors=()),
        paper(id="4", title="Über Ärger", authors=("José Ñúñez",)),
        paper(id="5", title="2024: on 1", authors=("李",)),
    ]
    assert bibtex_keys(papers) == {
        "1": "stark-holistic",
        "2": "jain-approach",  # α has no ASCII letters
        "3": "anon-paper-a",
        "4": "nunez-uber",
        "5": "anon-paper-b",
    }


def test_clashing_keys_get_suffixes_by_id_whatever_the_order() -> None:
    papers = [
        paper(id=f"{n:02d}", title=f"Attention {n}", authors=("Saachi Jain",)) for n in range(30)
    ] + [paper(id="zz", title="Other", authors=("Saachi Jain",))]
    keys = bibtex_keys(papers)
    assert keys["00"] == "jain-attention-a"
    assert keys["25"] == "jain-attention-z"
    assert keys["26"] == "jain-attention-aa"
    assert keys["zz"] == "jain-other"
    assert len(set(keys.values())) == len(papers)
    for seed in range(5):
        shuffled = papers[:]
        random.Random(seed).shuffle(shuffled)
        assert bibtex_keys(shuffled) == keys


# --- The real seeds -----------------------------------------------------------------


def seed_papers(root: Path, base_url: str) -> tuple[Config, list[Paper]]:
    """Import the real seeds into a project at `root`; return its config and the papers
    the site shows (hidden ones out, `same_as` merged, names resolved)."""
    make_project(root, config_text=f"base_url: {base_url}\n")
    config = project_config(root)
    import_seeds(config.seeds_dir, config.content_dir, config.root)
    papers, problems = read_pages(config.content_dir)
    assert not problems
    return config, list(build_site_model(papers, config).papers)


@pytest.fixture(scope="module")
def real(tmp_path_factory: pytest.TempPathFactory) -> tuple[Config, list[Paper]]:
    return seed_papers(tmp_path_factory.mktemp("exports") / "project", BASE)


def test_library_bib_of_the_real_seeds_reads_back(real: tuple[Config, list[Paper]]) -> None:
    config, papers = real
    base = site_url(config)
    assert base == BASE
    keys = bibtex_keys(papers)
    entries = parse_bibtex(library_bib(papers, keys, base))
    assert len(papers) > 30
    assert [key for _, key, _ in entries] == sorted(keys.values())
    by_key = {keys[p.id]: p for p in papers}
    assert len(by_key) == len(papers)
    math_kept = 0
    for _, key, fields in entries:
        source = by_key[key]
        assert unescape(fields["title"][1:-1]) == plain_text(source.title)
        assert [unescape(a) for a in fields["author"].split(" and ")] == list(source.authors)
        assert fields["url"] == f"{BASE}papers/{source.slug}.html"
        if has_math(fields["abstract"]):
            math_kept += 1
            assert "$\\leftrightarrow$" in fields["abstract"]
        else:
            assert unescape(fields["abstract"]) == markdown_to_text(source.abstract)
        if source.source:
            assert unescape(fields["howpublished"]) == source.source
    assert math_kept == 1
    assert parse_bibtex(library_bib(papers, keys, None))[0][2].get("url") is None


def test_papers_json_of_the_real_seeds_round_trips(real: tuple[Config, list[Paper]]) -> None:
    config, papers = real
    text = papers_json(papers, site_url(config))
    data = json.loads(text)
    # One paper a line, between the opening and closing lines, keys sorted.
    lines = text.splitlines()
    assert len(lines) == len(data["papers"]) + 2
    assert [json.loads(line.rstrip(",")) for line in lines[1:-1]] == data["papers"]
    assert all(list(r) == sorted(r) for r in data["papers"])
    assert data["version"] == 1
    records = {r["id"]: r for r in data["papers"]}
    assert set(records) == {p.id for p in papers}
    keys = bibtex_keys(papers)
    for p in papers:
        record = records[p.id]
        assert record["title"] == p.title
        assert record["title_plain"] == plain_text(p.title)
        assert record["authors"] == list(p.authors)
        assert record["abstract"] == p.abstract
        assert record["abstract_text"] == markdown_to_text(p.abstract)
        assert record["links"] == list(p.links)
        assert record["added"] == (p.added.isoformat() if p.added else None)
        assert record["url"] == f"papers/{p.slug}.html"
        assert record["url_absolute"] == f"{BASE}papers/{p.slug}.html"
        assert record["bibtex_key"] == keys[p.id]
        assert record["seeds"] == [
            {"file": s.file, "line": s.line, "author": s.author} for s in p.seeds
        ]
    assert papers_json(list(reversed(papers)), site_url(config)) == text


def test_papers_json_holds_hostile_text_exactly() -> None:
    hostile = [
        paper(
            id=f"id{n}",
            title=text,
            authors=(text,),
            source=text,
            abstract=text,
            notes=text,
            tags=(text,),
            status="read",
            rating=4,
            added=date(2024, 5, 31),
        )
        for n, text in enumerate([*HOSTILE, "\ud800 lone surrogate"])
    ]
    text = papers_json(hostile, None)
    text.encode("utf-8")  # writable as UTF-8: no lone surrogate left
    records = {r["id"]: r for r in json.loads(text)["papers"]}
    for p in hostile:
        record = records[p.id]
        expected = p.title.replace("\ud800", "")
        assert record["title"] == record["source"] == record["notes"] == expected
        assert record["authors"] == record["tags"] == [expected]
        assert record["url_absolute"] is None
        assert (record["status"], record["rating"], record["added"]) == ("read", 4, "2024-05-31")


# --- Atom ---------------------------------------------------------------------------


def dated(papers: list[Paper]) -> list[Paper]:
    """The papers with different dates added, every seventh without one."""
    return [
        replace(p, added=None if n % 7 == 3 else date(2024, 1, 1) + timedelta(days=(n * 5) % 41))
        for n, p in enumerate(papers)
    ]


def check_atom_structure(text: str) -> etree._Element:
    """Parse strictly and check what RFC 4287 requires of a feed and its entries."""
    root = etree.fromstring(text.encode("utf-8"))
    assert root.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated"):
        assert len(root.findall(f"{ATOM}{name}")) == 1, name
    feed_has_author = root.find(f"{ATOM}author/{ATOM}name") is not None
    rfc3339 = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")
    assert rfc3339.fullmatch(root.findtext(f"{ATOM}updated") or "")
    for entry in root.findall(f"{ATOM}entry"):
        for name in ("id", "title", "updated"):
            assert len(entry.findall(f"{ATOM}{name}")) == 1, name
        assert rfc3339.fullmatch(entry.findtext(f"{ATOM}updated") or "")
        assert feed_has_author or entry.find(f"{ATOM}author/{ATOM}name") is not None
        alternates = [
            link for link in entry.findall(f"{ATOM}link") if link.get("rel") == "alternate"
        ]
        assert len(alternates) == 1 and alternates[0].get("href")
        content = entry.find(f"{ATOM}content")
        assert content is not None and content.get("type") == "text"
        entry_id = entry.findtext(f"{ATOM}id") or ""
        assert entry_id.startswith("urn:uuid:")
        uuid.UUID(entry_id.removeprefix("urn:uuid:"))
    return root


def test_atom_feed_of_the_real_seeds(real: tuple[Config, list[Paper]]) -> None:
    config, papers = real
    papers = dated(papers)
    text = atom_feed(papers, config, site_url(config))
    root = check_atom_structure(text)
    feed = feedparser.parse(text)
    assert not feed.bozo, feed.get("bozo_exception")
    assert len(feed.entries) == len(papers) <= FEED_LIMIT
    by_url = {f"{BASE}papers/{p.slug}.html": p for p in papers}
    shown = [by_url[entry.link] for entry in feed.entries]
    dates = [p.added for p in shown]
    known = [d for d in dates if d is not None]
    assert known == sorted(known, reverse=True)
    assert dates == known + [None] * (len(dates) - len(known))
    assert feed.feed.updated == f"{max(known).isoformat()}T00:00:00Z"
    for entry, p in zip(feed.entries, shown, strict=True):
        assert entry.title == plain_text(p.title)
        assert entry.content[0].value == markdown_to_text(p.abstract)
        assert entry.content[0].type == "text/plain"
        assert [a.name for a in entry.authors] == list(p.authors)
    ids = [e.findtext(f"{ATOM}id") for e in root.findall(f"{ATOM}entry")]
    assert len(set(ids)) == len(ids)
    assert root.get("{http://www.w3.org/XML/1998/namespace}base") is None
    self_link = [link for link in feed.feed.links if link.rel == "self"]
    assert self_link[0].href == f"{BASE}feed.xml"


def test_atom_ids_and_bytes_are_the_same_in_every_build(tmp_path: Path) -> None:
    config_a, papers_a = seed_papers(tmp_path / "a", BASE)
    config_b, papers_b = seed_papers(tmp_path / "b", BASE)
    feed_a = atom_feed(papers_a, config_a, site_url(config_a))
    assert atom_feed(list(reversed(papers_b)), config_b, site_url(config_b)) == feed_a
    moved = atom_feed(
        [replace(p, title=p.title + " (revised)", slug=p.slug + "-x") for p in papers_a],
        Config(base_url="/elsewhere/"),
        None,
    )
    assert sorted(e.id for e in feedparser.parse(moved).entries) == sorted(
        e.id for e in feedparser.parse(feed_a).entries
    )


def test_atom_feed_keeps_the_newest_fifty() -> None:
    papers = [
        paper(id=f"{n:03d}", slug=f"p{n}", added=date(2020, 1, 1) + timedelta(days=n))
        for n in range(80)
    ] + [paper(id="undated", slug="undated")]
    feed = feedparser.parse(atom_feed(papers, Config(), BASE))
    assert not feed.bozo
    assert [e.link for e in feed.entries] == [f"{BASE}papers/p{n}.html" for n in range(79, 29, -1)]


def test_atom_feed_without_a_base_url_links_relatively() -> None:
    config = Config(base_url="/reading-list/")
    text = atom_feed([paper(added=date(2024, 5, 31))], config, site_url(config))
    root = check_atom_structure(text)
    assert root.get("{http://www.w3.org/XML/1998/namespace}base") == "/reading-list/"
    link = root.find(f"{ATOM}entry/{ATOM}link")
    assert link is not None and link.get("href") == "papers/a-paper.html"
    feed = feedparser.parse(text)
    assert not feed.bozo
    assert feed.entries[0].link == "/reading-list/papers/a-paper.html"


def test_atom_feed_with_no_dates_is_still_valid_and_fixed() -> None:
    text = atom_feed([paper(authors=())], Config(), None)
    root = check_atom_structure(text)
    assert root.findtext(f"{ATOM}updated") == "1970-01-01T00:00:00Z"
    assert root.find(f"{ATOM}entry/{ATOM}author") is None  # the feed's author covers it
    assert (
        atom_feed([paper(authors=())], Config(), None, date(2024, 5, 31)).count(
            "<updated>2024-05-31T00:00:00Z</updated>"
        )
        == 1
    )


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_is_text_in_the_feed(text: str) -> None:
    hostile = paper(
        title=f"T {text}",
        authors=(f"A {text}",),
        abstract=escape_markdown(f"Abstract {text}"),
        tags=(f"t {text}",),
        added=date(2024, 5, 31),
    )
    config = Config(title=f"Site {text}", description=f"D {text}")
    feed_text = atom_feed([hostile], config, BASE)
    root = check_atom_structure(feed_text)  # lxml refuses control characters
    assert root.findtext(f"{ATOM}title") == one_line(f"Site {text}")
    feed = feedparser.parse(feed_text)
    assert not feed.bozo, feed.get("bozo_exception")
    entry = feed.entries[0]
    assert entry.title == one_line(plain_text(f"T {text}"))
    assert entry.content[0].value == one_line(markdown_to_text(hostile.abstract))
    assert entry.authors[0].name == one_line(f"A {text}")
    assert entry.tags[0].term == one_line(f"t {text}")
    assert "<script>" not in feed_text


# --- Sitemap and robots.txt ---------------------------------------------------------


def test_sitemap_lists_every_page_by_its_absolute_url(real: tuple[Config, list[Paper]]) -> None:
    config, papers = real
    base = site_url(config)
    assert base is not None
    paths = ["index.html", "search.html", "authors/index.html", "authors/a&b.html"] + [
        f"papers/{p.slug}.html" for p in papers
    ]
    text = sitemap_xml([*paths, "index.html"], base)
    root = etree.fromstring(text.encode("utf-8"))
    assert root.tag == f"{SITEMAP}urlset" and root.nsmap == {None: SITEMAP[1:-1]}
    locs = []
    for url in root:
        assert url.tag == f"{SITEMAP}url"
        assert [child.tag for child in url] == [f"{SITEMAP}loc"]
        locs.append(url[0].text)
    expected = [BASE, BASE + "search.html", BASE + "authors/", BASE + "authors/a&b.html"]
    assert locs == expected + [f"{BASE}papers/{p.slug}.html" for p in papers]
    assert "authors/a&amp;b.html" in text


def test_no_sitemap_without_an_absolute_base_url() -> None:
    assert site_url(Config(base_url="/reading-list/")) is None
    with pytest.raises(ValueError):
        sitemap_xml(["index.html"], "/reading-list/")


def test_robots_txt_names_the_sitemap_only_with_an_absolute_base_url() -> None:
    assert robots_txt(BASE) == (f"User-agent: *\nAllow: /\n\nSitemap: {BASE}sitemap.xml\n")
    assert robots_txt(None) == "User-agent: *\nAllow: /\n"
    with pytest.raises(ValueError):
        robots_txt("https://x.org/\nDisallow: /\n")


@pytest.mark.parametrize(
    ("base_url", "expected"),
    [
        ("/", None),
        ("/reading-list/", None),
        ("https://Someone.GitHub.io/reading-list", "https://someone.github.io/reading-list/"),
        ("http://localhost:8000/", "http://localhost:8000/"),
        ("https://x.org/a b/", "https://x.org/a%20b/"),
        ("https://x.org/?q=1", None),
        ("https://user@x.org/", None),
        ("javascript:alert(1)//", None),
        ("ftp://x.org/", None),
        ("https://x.org\n/", None),
    ],
)
def test_site_url(base_url: str, expected: str | None) -> None:
    assert site_url(Config(base_url=base_url)) == expected


def test_page_url_refuses_paths_outside_the_site() -> None:
    assert page_url(None, "index.html") == "./"
    assert page_url(BASE, "papers/index.html") == BASE + "papers/"
    for bad in ("/etc/passwd", "../x.html", "https://evil.org/", "a\\b"):
        with pytest.raises(ValueError):
            page_url(BASE, bad)


# --- Head tags ----------------------------------------------------------------------


def test_head_meta_gives_canonical_and_open_graph_only_with_a_base_url() -> None:
    p = paper(title="Image$\\leftrightarrow$text", authors=("Saachi Jain", "Tony"))
    tags = head_meta(p, Config(title="My list"), BASE, "papers/a-paper.html")
    assert tags == [
        ("link", "canonical", BASE + "papers/a-paper.html"),
        ("property", "og:type", "article"),
        ("property", "og:url", BASE + "papers/a-paper.html"),
        ("property", "og:title", "Image↔text"),
        ("property", "og:site_name", "My list"),
        ("property", "og:description", "An abstract."),
        ("name", "citation_title", "Image↔text"),
        ("name", "citation_author", "Saachi Jain"),
        ("name", "citation_author", "Tony"),
    ]
    assert head_meta(p, Config(), None, "papers/a-paper.html") == [
        ("name", "citation_title", "Image↔text"),
        ("name", "citation_author", "Saachi Jain"),
        ("name", "citation_author", "Tony"),
    ]
    home = dict(
        (name, content) for _, name, content in head_meta(None, Config(), BASE, "index.html")
    )
    assert home["canonical"] == BASE and home["og:type"] == "website"
    assert "citation_title" not in home


def test_head_meta_is_plain_text_and_short() -> None:
    long = paper(title="T\x00 <b>", abstract=escape_markdown("word " * 200))
    tags = dict((name, content) for _, name, content in head_meta(long, Config(), BASE, "x.html"))
    assert tags["og:title"] == tags["citation_title"] == "T <b>"
    assert len(tags["og:description"]) <= 300 and tags["og:description"].endswith("word…")
