"""Seed text → page → HTML, whatever the text holds.

What a reader sees is defined as a sequence of items: ("text", run) for visible text
outside math, white space collapsed to single spaces, ("math", TeX) for each `<math>`
(its `application/x-tex` annotation) and ("fallback", source) for each
`<code class="math-fallback">`. For any seed text:

- the page's HTML shows exactly the items the seed means: literal text as written, a
  LaTeX command as its characters, each math span as one `<math>` or fallback carrying
  its TeX (`test_markdown_html_shows_what_the_pieces_mean` states the meaning of each
  kind of piece on its own; `test_markdown_page_shows_the_seed_as_read` checks arbitrary
  text against how `abstract_segments` reads it);
- the HTML holds no element or attribute outside a fixed allowlist, and links only to the
  http(s) URLs written in the text;
- the page's plain text (`markdown_to_text`) is the seed's (`plain_text`);
- page → parse → write is byte-identical.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import pytest
from bs4 import BeautifulSoup, NavigableString, Tag
from hypothesis import example, given, settings
from hypothesis import strategies as st
from markupsafe import Markup

from site_builder.frontmatter import page_text, split_page
from site_builder.latex import Command, Group, Link, Math, Segment, Text, mathml
from site_builder.markdown import (
    abstract_segments,
    escape_markdown,
    find_links,
    inline_markup,
    markdown_to_text,
    plain_text,
    render_markdown,
)

# A title such as "https://x.y" is text that looks like an address to Beautiful Soup.
pytestmark = pytest.mark.filterwarnings("ignore::bs4.MarkupResemblesLocatorWarning")

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
SYNTAX = st.sampled_from(
    list("\\`*_[]<>&#;!-+=.)(1:/~|$%{}'\" \n")
    + [
        "http://x.y",
        "https://a.b/c_d*e",
        "&amp;",
        "&#65;",
        "<b>",
        "</p>",
        "<script>",
        "{{ x }}",
        "{% if %}",
        "1. ",
        "# ",
        "> ",
        "    ",
        "\n\n",
        "***",
        "___",
        "`code`",
        "[a](javascript:alert(1))",
        "<http://x.y>",
        "https://x.com/%41%20b?a=1&amp;b",
        "\\\\",
        "$x$",
        "$$y$$",
        "\\(z\\)",
        "$5",
        "\\%",
        "\\'",
        "\\'{c}",
        '\\"o',
        "\\emph{",
        "{\\it ",
        "--",
        "``",
        "''",
        "\\ss",
        "\\alpha",
        "\\cite{k}",
        "$\\frac{a}{$",
        "\\$",
        "---",
    ]
)
TEXT = st.lists(st.one_of(SYNTAX, st.text(min_size=1, max_size=3)), max_size=30).map("".join)

MATHML = {
    "math",
    "semantics",
    "annotation",
    "mrow",
    "mi",
    "mn",
    "mo",
    "ms",
    "mtext",
    "mspace",
    "msub",
    "msup",
    "msubsup",
    "mfrac",
    "msqrt",
    "mroot",
    "mover",
    "munder",
    "munderover",
    "mtable",
    "mtr",
    "mtd",
    "mlabeledtr",
    "mstyle",
    "mpadded",
    "mphantom",
    "menclose",
    "merror",
    "mmultiscripts",
    "mprescripts",
    "none",
}
PRESENTATION_ATTRIBUTES = {
    "mathvariant",
    "mathsize",
    "stretchy",
    "fence",
    "separator",
    "accent",
    "accentunder",
    "lspace",
    "rspace",
    "width",
    "height",
    "depth",
    "voffset",
    "linethickness",
    "columnalign",
    "rowalign",
    "columnspacing",
    "rowspacing",
    "columnlines",
    "rowlines",
    "frame",
    "framespacing",
    "displaystyle",
    "scriptlevel",
    "minsize",
    "maxsize",
    "movablelimits",
    "symmetric",
    "largeop",
    "form",
    "notation",
    "linebreak",
    "align",
}

Item = tuple[str, str]


def visible(text: str) -> str:
    """Control characters never show, white space collapses."""
    return " ".join(CONTROL.sub("", text).split())


def normalise(items: Iterable[Item]) -> list[Item]:
    """Merge text runs, collapse their white space, drop it at both ends."""
    merged: list[Item] = []
    for kind, value in items:
        if kind == "text" and merged and merged[-1][0] == "text":
            merged[-1] = ("text", merged[-1][1] + value)
        else:
            merged.append((kind, value))
    out = [(k, re.sub(r"\s+", " ", v) if k == "text" else v) for k, v in merged]
    if out and out[0][0] == "text":
        out[0] = ("text", out[0][1].lstrip())
    if out and out[-1][0] == "text":
        out[-1] = ("text", out[-1][1].rstrip())
    return [item for item in out if item != ("text", "")]


def html_items(html: str) -> list[Item]:
    """What the HTML shows, as items; fails on any element or attribute not allowed."""
    items: list[Item] = []

    def walk(node: Tag) -> None:
        for child in node.children:
            if isinstance(child, NavigableString):
                items.append(("text", str(child)))
                continue
            assert isinstance(child, Tag)
            if child.name == "math":
                check_math(child)
                annotation = child.find("annotation")
                assert annotation is not None
                items.append(("math", annotation.get_text()))
            elif child.name == "code":
                assert child.attrs == {"class": ["math-fallback"]}
                assert not child.find(True)
                items.append(("fallback", child.get_text()))
            elif child.name == "a":
                assert set(child.attrs) == {"href"}
                assert re.match(r"https?://", child["href"], re.IGNORECASE)
                assert not child.find(True)
                assert child["href"].lower().startswith(child.get_text()[:7].lower())
                items.append(("text", child.get_text()))
            else:
                assert child.name == "p" and not child.attrs, child
                items.append(("text", " "))
                walk(child)
                items.append(("text", " "))

    walk(BeautifulSoup(html, "html.parser"))
    return normalise(items)


def check_math(math: Tag) -> None:
    assert set(math.attrs) == {"display"} and math["display"] in ("inline", "block")
    semantics = math.find_all(recursive=False)
    assert [t.name for t in semantics] == ["semantics"]
    annotations = math.find_all("annotation")
    assert len(annotations) == 1 and annotations[0].attrs == {"encoding": "application/x-tex"}
    for tag in math.find_all(True):
        assert tag.name in MATHML, tag.name
        if tag.name not in ("annotation", "semantics"):
            assert set(tag.attrs) <= PRESENTATION_ATTRIBUTES, tag.attrs


def segment_items(segments: Iterable[Segment]) -> list[Item]:
    """The items segments stand for, by the definitions in `latex.py`."""
    items: list[Item] = []
    for segment in segments:
        if isinstance(segment, Text):
            items.append(("text", segment.text))
        elif isinstance(segment, Link):
            items.append(("text", segment.url))
        elif isinstance(segment, Command):
            items.append(("text", segment.text))
        elif isinstance(segment, Math):
            converted = mathml(segment.tex, segment.display) is not None
            items.append(("math", segment.tex) if converted else ("fallback", segment.source))
        else:
            assert isinstance(segment, Group)
            items.extend(segment_items(segment.parts))
    return items


def seed_items(text: str) -> list[Item]:
    items: list[Item] = []
    for paragraph in abstract_segments(text):
        items += [("text", " "), *segment_items(paragraph), ("text", " ")]
    return normalise(items)


def links_in(segments: Iterable[Segment]) -> int:
    return sum(isinstance(s, Link) for s in segments)


@settings(max_examples=600, deadline=None)
@given(TEXT)
@example("50\\% of image$\\leftrightarrow$text see https://github.com/MadryLab/x. Done")
@example("1) first\n\n# heading\n\n> quote\n\n--- rule\n\n````\n\n=a ~b 1.a")
@example("costs $5 and $10, or $5-$10, US$3 vs $x$2 and $y$")
@example("\\`e `e ```` `a \\\\'e {\\it a} {\\em{b $c$}} \\emph{*d*} {\\'e} \\(x\\) $$y$$")
def test_markdown_page_shows_the_seed_as_read(text: str) -> None:
    page = escape_markdown(text)
    html = render_markdown(page)
    assert html_items(html) == seed_items(text)
    assert html.count("<a ") == sum(links_in(p) for p in abstract_segments(text))
    assert markdown_to_text(page) == plain_text(text)


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_markdown_titles_show_the_text_as_read(text: str) -> None:
    markup = inline_markup(text)
    assert isinstance(markup, Markup)
    assert html_items(str(markup)) == seed_items(text)
    tags = {t.name for t in BeautifulSoup(str(markup), "html.parser").find_all(True)}
    assert tags <= MATHML | {"code"}


# Pieces whose meaning is known on its own: (seed text, items shown, plain text).
PLAIN_CHARACTERS = st.characters(blacklist_characters="\\$-'`{", blacklist_categories=("Cs",))
LITERAL = st.text(PLAIN_CHARACTERS, min_size=1, max_size=4).map(lambda t: (t, [("text", t)], t))
AS_WRITTEN = st.sampled_from(
    [
        "<script>alert(1)</script>",
        "</p>",
        "&amp;",
        "&#65;",
        "&lt;",
        "**b**",
        "__u__",
        "# h",
        "> q",
        "1. x",
        "2) y",
        "+ z",
        "= w",
        "~~~",
        "~100 km/s",
        "[a](javascript:alert(1))",
        "![i](x.png)",
        "<http://x.y>",
        "{{ x }}",
        "{% if %}",
        "| a | b |",
        "50%",
        "x_{1}^2",
        "- item",
        "\\cite{k}",
        "\\msun",
        "\\'t",
        "\\\\",
        "\\foo{x}",
        "C:\\Users",
        "a~b",
        "}",
    ]
).map(lambda t: (t, [("text", t)], t))
COMMANDS = st.sampled_from(
    [
        ("\\%", "%"),
        ("\\&", "&"),
        ("\\$", "$"),
        ("\\_", "_"),
        ("\\#", "#"),
        ("\\{", "{"),
        ("\\}", "}"),
        ("\\'{c}", "ć"),
        ("\\'c", "ć"),
        ('\\"o', "ö"),
        ('\\"{o}', "ö"),
        ("\\`e", "è"),
        ("\\^o", "ô"),
        ("\\~n", "ñ"),
        ("\\=a", "ā"),
        ("\\.z", "ż"),
        ("\\c{c}", "ç"),
        ("\\v{C}", "Č"),
        ("\\H{o}", "ő"),
        ("\\'{\\i}", "í"),
        ('\\"{\\i}', "ï"),
        ("\\ss{}", "ß"),
        ("\\ss ", "ß "),
        ("\\AA{}", "Å"),
        ("\\o{}", "ø"),
        ("\\alpha{}", "α"),
        ("\\ldots{}", "…"),
        ("--", "–"),
        ("---", "—"),
        ("``", "“"),
        ("''", "”"),
        ("\\emph{x}", "x"),
        ("\\textit{y z}", "y z"),
        ("\\textbf{*b*}", "*b*"),
        ("{\\it Chandra}", "Chandra"),
        ("{\\em{weakly stable}}", "weakly stable"),
        ('Schr{\\"o}dinger', "Schrödinger"),
        ("Leurr{\\'e}", "Leurré"),
        ("a\\ b", "a b"),
    ]
).map(lambda c: (c[0], [("text", c[1])], c[1]))
MATH_TEXT = {
    "O(n^2)": "O(n^2)",
    "\\leftrightarrow": "↔",
    "\\alpha_i": "α_i",
    "x": "x",
    "\\frac{a}{b}": "a/b",
    "a<b": "a<b",
    "\\text{<b>}": "<b>",
    "10^{-3}": "10^-3",
    "\\mathrm{KL}": "KL",
    "8\\times 8": "8×8",
    "\\$5": "$5",
}
MATH = st.sampled_from(sorted(MATH_TEXT)).flatmap(
    lambda tex: st.sampled_from(
        [
            (f"${tex}$", [("math", tex)], MATH_TEXT[tex]),
            (f"$${tex}$$", [("math", tex)], MATH_TEXT[tex]),
            (f"\\({tex}\\)", [("math", tex)], MATH_TEXT[tex]),
        ]
    )
)
FALLBACK = st.sampled_from(["$\\frac{a}{$", "$\\cla$", "$10\\,\\Dh$"]).map(
    lambda s: (s, [("fallback", s)], s)
)
LINK = st.sampled_from(["https://x.y/a_b*c", "http://example.org/~u/(1)"]).map(
    lambda u: (f" {u} ", [("text", f" {u} ")], f" {u} ")
)
DOLLAR_PIECES = [(f"{t} ", [("text", f"{t} ")], f"{t} ") for t in ("$5", "$10", "$5-$10", "US$3")]
DOLLARS = st.sampled_from(DOLLAR_PIECES)
Piece = tuple[str, list[Item], str]
SPACE: Piece = (" ", [("text", " ")], " ")


def separate(pieces: list[Piece]) -> list[Piece]:
    """Put a space between pieces that would otherwise read as one (`-` then `--`, math
    then a digit, a dollar amount then a later `$` without a space before it)."""
    out: list[Piece] = []
    dollars = False
    for piece in pieces:
        text = CONTROL.sub("", piece[0])
        before = next((CONTROL.sub("", p[0]) for p in reversed(out) if CONTROL.sub("", p[0])), "")
        if (
            before
            and text
            and (
                (before[-1] == "-" and text[0] == "-")
                or (before[-1] in "$)" and text[0].isdigit())
                or (dollars and text[0] == "$" and not before[-1].isspace())
            )
        ):
            out.append(SPACE)
        dollars = dollars or piece in DOLLAR_PIECES
        out.append(piece)
    return out


PIECES = st.lists(
    st.one_of(LITERAL, AS_WRITTEN, COMMANDS, MATH, FALLBACK, LINK, DOLLARS), max_size=25
).map(separate)


@settings(max_examples=500, deadline=None)
@given(PIECES)
def test_markdown_html_shows_what_the_pieces_mean(pieces: list[Piece]) -> None:
    seed = "".join(p[0] for p in pieces)
    # Control characters never show.
    expected = normalise((k, CONTROL.sub("", v)) for p in pieces for k, v in p[1])
    expected_text = visible("".join(p[2] for p in pieces))
    page = escape_markdown(seed)
    html = render_markdown(page)
    assert html_items(html) == expected
    assert markdown_to_text(page) == expected_text
    assert plain_text(seed) == expected_text
    assert html_items(str(inline_markup(seed))) == expected
    links = find_links(seed)
    assert html.count("<a ") == len(links)
    assert [p[0].strip() for p in pieces if p[0].startswith(" http")] == [
        u for u in links if u in {p[0].strip() for p in pieces}
    ]


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from(["title", "note", "x"]), TEXT, max_size=3), TEXT)
def test_markdown_page_text_parses_back_to_the_same_fields(
    front: dict[str, str], body: str
) -> None:
    page = page_text({"id": "abc", **front}, escape_markdown(body))
    parsed, parsed_body = split_page(page, "p.md")
    assert parsed == {"id": "abc", **front}
    assert page_text(parsed, parsed_body) == page


def test_markdown_pages_keep_latex_readable_and_escape_the_rest() -> None:
    assert escape_markdown("50\\% of image$\\leftrightarrow$text, Djokovi\\'{c}") == (
        "50\\% of image$\\leftrightarrow$text, Djokovi\\'{c}"
    )
    assert escape_markdown("costs $5 and $10") == "costs \\$5 and \\$10"
    assert escape_markdown("*a* <b>x</b> [l](u) `c` &amp; \\cite{k}") == (
        "\\*a\\* \\<b>x\\</b> \\[l\\](u) \\`c\\` \\&amp; \\cite{k}"
    )
    assert escape_markdown("# h\n\n1. x\n\n--- y") == "\\# h\n\n1\\. x\n\n\u2014 y"
    # A backslash before a letter would be a LaTeX accent: the character is written as a
    # character reference instead.
    assert escape_markdown("=a and `e") == "&#61;a and &#96;e"


def test_markdown_dollar_amounts_are_not_math() -> None:
    for text in ("costs $5 and $10", "from $5-$10 to $20,000", "US$3 or 4 $ each"):
        html = render_markdown(escape_markdown(text))
        assert "<math" not in html and html_items(html) == [("text", text)]
        assert plain_text(text) == text
    html = render_markdown(escape_markdown("costs $5 while $x$ is free"))
    assert html_items(html) == [("text", "costs $5 while "), ("math", "x"), ("text", " is free")]


def test_markdown_latex_shows_as_its_characters() -> None:
    text = "50\\% of image$\\leftrightarrow$text by Djokovi\\'{c} in $O(n^2)$ -- ``fast''"
    html = render_markdown(escape_markdown(text))
    assert html_items(html) == [
        ("text", "50% of image"),
        ("math", "\\leftrightarrow"),
        ("text", "text by Djoković in "),
        ("math", "O(n^2)"),
        ("text", " – “fast”"),
    ]
    soup = BeautifulSoup(html, "html.parser")
    assert soup.find("math").find("mo").get_text() == "↔"
    expected = "50% of image↔text by Djoković in O(n^2) – “fast”"
    assert markdown_to_text(escape_markdown(text)) == expected
    assert plain_text(text) == expected


def test_markdown_math_that_cannot_be_converted_shows_its_source() -> None:
    html = render_markdown(escape_markdown("bad $\\frac{a}{$ and own $\\cla$ macro"))
    assert html_items(html) == [
        ("text", "bad "),
        ("fallback", "$\\frac{a}{$"),
        ("text", " and own "),
        ("fallback", "$\\cla$"),
        ("text", " macro"),
    ]


def test_markdown_math_never_carries_links_styles_or_markup() -> None:
    text = (
        "$\\href{javascript:alert(1)}{x}$ $\\style{color:red}{y}$ $\\class{evil}{z}$ "
        "$\\text{<script>alert(1)</script>}$ $\\color{red}{w}$ $$\\text{&lt;&#65;}$$"
    )
    html = render_markdown(escape_markdown(text))
    assert "<script" not in html.lower()
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup.find_all(True):
        assert not {"href", "style", "class", "mathcolor", "mathbackground"} & set(tag.attrs)
        assert "javascript" not in " ".join(map(str, tag.attrs.values()))
    items = html_items(html)
    assert [kind for kind, _ in items if kind != "text"] == ["math"] * 6
    assert "<script>alert(1)</script>" in [t.get_text() for t in soup.find_all("mtext")]
    assert soup.find_all("math")[-1]["display"] == "block"


def test_markdown_titles_are_markup_and_plain_text() -> None:
    title = "Image$\\leftrightarrow$Text <b>models</b> by Erd\\H{o}s: 50\\% & $\\alpha$"
    markup = inline_markup(title)
    assert html_items(str(markup)) == [
        ("text", "Image"),
        ("math", "\\leftrightarrow"),
        ("text", "Text <b>models</b> by Erdős: 50% & "),
        ("math", "\\alpha"),
    ]
    assert "&lt;b&gt;" in markup
    assert plain_text(title) == "Image↔Text <b>models</b> by Erdős: 50% & α"
    assert plain_text("  a\x00 b \n c ") == "a b c"


def test_markdown_to_text_reads_markdown_written_by_hand() -> None:
    page = "A *note* with `code`, [a link](https://x.y) and $\\alpha$.\n\n    indented\n"
    assert markdown_to_text(page) == "A note with code, a link and α. indented"


def test_markdown_links_are_http_only_and_end_before_the_period() -> None:
    text = "See https://github.com/a/b. Also ftp://x.y, javascript:alert(1) and www.z.com."
    assert find_links(text) == ["https://github.com/a/b"]
    html = render_markdown(escape_markdown(text))
    assert html.count("<a ") == 1 and 'href="https://github.com/a/b"' in html
    # A URL inside math is part of the math, not a link.
    assert find_links("$\\text{https://x.y}$ and https://a.b") == ["https://a.b"]
