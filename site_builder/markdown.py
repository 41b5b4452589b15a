"""One configured markdown-it-py instance, and the escaping that makes seed text safe Markdown.

Raw HTML is off (it shows as text) and bare http(s) URLs become links. Abstracts are
written to pages through `escape_markdown`: math spans and text-mode LaTeX (see
`latex.py`) are kept as written, so the page stays readable, and every other character
that Markdown could read as syntax is escaped. A page renders back to what the seed
means: math as MathML, `50\\%` as `50%`, and everything else exactly as written, with no
accidental emphasis, headings, lists, code, entities or HTML.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from linkify_it import LinkifyIt
from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from markupsafe import Markup

from . import memo
from .latex import (
    Command,
    Group,
    Link,
    Math,
    Segment,
    Text,
    match_at,
    math_html,
    math_text,
    segments_html,
    segments_text,
    split_latex,
)

# Characters that may never stand unescaped in a page: they start Markdown inline syntax
# (a backslash is handled apart: it may stand before a letter that starts no command).
_ALWAYS_ESCAPED = frozenset("`*_[]<$")
_ENTITY = re.compile(r"#\d+;|#[xX][0-9a-fA-F]+;|[A-Za-z][A-Za-z0-9]*;")
# Block syntax recognised only at the start of a line.
_BLOCK_START = re.compile(r"[#>+=\-~]|\d{1,9}([.)])")
# Control characters never show; CommonMark would turn NUL into U+FFFD.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SAFE_SCHEMES = ("http://", "https://", "mailto:")
# Where markdown-it's own text rule stops, and also at `'` (for `''`).
_TERMINATOR = re.compile(r"[\n!#$%&*+\-:<=>@\[\\\]^_`{}~']")


def escape_markdown(text: str) -> str:
    """Return Markdown that renders what `text` means (paragraphs split on blank lines).

    Math spans and text-mode LaTeX are written as they are; other characters are
    escaped where Markdown would read them (`\\*`, `\\<`, `\\$`, or `&#96;` where a
    backslash would make a LaTeX accent); http(s) URLs become `<…>` autolinks.
    """
    return "\n\n".join(_escape_paragraph(p) for p in _paragraphs(text))


def _paragraphs(text: str) -> list[str]:
    text = _CONTROL.sub("", text)
    paragraphs = (" ".join(p.split()) for p in re.split(r"\n\s*\n", text))
    return [p for p in paragraphs if p]


def _link_starts(text: str) -> dict[int, str]:
    """Where each http(s) URL written out in full starts, and the URL."""
    starts: dict[int, str] = {}
    if "://" not in text:  # the only links found are http(s) URLs written out in full
        return starts
    for link in url_finder().match(text) or []:
        # An autolink cannot hold < or >; linkify-it allows them, so the link ends there.
        url = re.split(r"[<>]", text[link.index : link.last_index])[0]
        if re.match(r"https?://[^/?#\s]", url, re.IGNORECASE):
            starts[link.index] = url
    return starts


def _segments(paragraph: str) -> list[Segment]:
    return split_latex(paragraph, _link_starts(paragraph))


def abstract_segments(text: str) -> list[list[Segment]]:
    """How `escape_markdown` reads seed text: its paragraphs (control characters removed,
    white space collapsed), each as text, links, math and LaTeX segments."""
    return [_segments(p) for p in _paragraphs(text)]


def _escape_paragraph(paragraph: str) -> str:
    segments = _segments(paragraph)
    first = segments[0]
    if isinstance(first, Command) and not first.source.startswith("\\"):
        # `--`, `---`, two backquotes at the start of a line could start a list, a rule or
        # a code fence: write the character they stand for.
        segments[0] = Text(first.text)
    forced: set[int] = set()
    if isinstance(segments[0], Text):
        start = _BLOCK_START.match(segments[0].text)
        if start:
            forced.add(start.start(1) if start.group(1) else 0)
    # Built from the end: how a character is escaped depends on what follows it.
    pieces: list[str] = []
    for index in range(len(segments) - 1, -1, -1):
        segment = segments[index]
        if isinstance(segment, Text):
            text = segment.text
            # Letters, digits, spaces and punctuation that neither Markdown nor LaTeX
            # reads show as themselves, whatever follows: they are copied in runs.
            looks = [m.start() for m in _NEEDS_LOOK_AT.finditer(text)]
            if index == 0 and forced:
                looks = sorted(set(looks) | forced)
            end = len(text)
            for offset in reversed(looks):
                if offset + 1 < end:
                    pieces.append(text[offset + 1 : end])
                must = index == 0 and offset in forced
                pieces.append(_literal(text[offset], "".join(reversed(pieces)), must))
                end = offset
            if end:
                pieces.append(text[:end])
            continue
        pieces.append(f"<{segment.url}>" if isinstance(segment, Link) else segment.source)
    return "".join(reversed(pieces))


_PUNCTUATION = frozenset(string.punctuation)
# Characters whose escaping depends on what follows them: always escaped ones, `&`
# (entities), `\\` (escapes), and those that can open LaTeX (see latex.match_at).
_NEEDS_LOOK = _ALWAYS_ESCAPED | frozenset("&\\$\\{-`'")
_NEEDS_LOOK_AT = re.compile("[" + re.escape("".join(sorted(_NEEDS_LOOK))) + "]")


def _literal(char: str, tail: str, forced: bool) -> str:
    """How `char`, followed in the page by `tail`, is written so that it shows as itself."""
    if not forced and _may_stand(char, tail) and match_at(char + tail, 0) is None:
        return char
    if char in string.punctuation:
        escaped = "\\" + char
        found = match_at(escaped + tail, 0)
        if found is None or found == (Command(escaped, char), 2):
            return escaped
    # `\``, `\=`, `\~`, `\.` before a letter would be an accent.
    return f"&#{ord(char)};"


def _may_stand(char: str, tail: str) -> bool:
    if char in _ALWAYS_ESCAPED:
        return False
    if char == "&":
        return _ENTITY.match(tail) is None
    if char == "\\":
        # Before a letter a backslash is text in Markdown (`\cite`); before punctuation,
        # a space or the end of the paragraph it would escape or break the line.
        return bool(tail) and tail[0] not in string.punctuation and not tail[0].isspace()
    return True


def _show_as_written(link: str) -> str:
    return link


def _validate_link(url: str) -> bool:
    return url.lower().startswith(_SAFE_SCHEMES)


@lru_cache(maxsize=1)
def url_finder() -> LinkifyIt:
    """Return a linkify-it matcher for http(s) URLs written out in full (no fuzzy links)."""
    finder = LinkifyIt(options={"fuzzy_link": False, "fuzzy_email": False, "fuzzy_ip": False})
    for scheme in ("ftp:", "mailto:", "//"):
        finder.add(scheme, None)
    return finder


def find_links(text: str) -> list[str]:
    """Return the http(s) URLs in text, in order, without the sentence's final period.

    URLs inside math or a LaTeX group are not links (they are not shown as links)."""
    if "://" not in text:
        return []
    return [
        segment.url
        for paragraph in _paragraphs(text)
        for segment in _segments(paragraph)
        if isinstance(segment, Link)
    ]


def _text_rule(state: StateInline, silent: bool) -> bool:
    """Plain text up to the next character that may start syntax or LaTeX."""
    stop = _TERMINATOR.search(state.src, state.pos, state.posMax)
    end = stop.start() if stop else state.posMax
    if end == state.pos:
        return False
    if not silent:
        state.pending += state.src[state.pos : end]
    state.pos = end
    return True


def _latex_rule(state: StateInline, silent: bool) -> bool:
    """Math spans and text-mode LaTeX, read exactly as `latex.split_latex` reads them."""
    found = match_at(state.src, state.pos, state.posMax)
    if found is None:
        return False
    if not silent:
        _push_segment(state, found[0])
    state.pos = found[1]
    return True


def _push_segment(state: StateInline, segment: Segment) -> None:
    if isinstance(segment, Math):
        token = state.push("math_inline", "math", 0)
        token.content = segment.tex
        token.markup = segment.source
        token.meta = {"display": segment.display}
    elif isinstance(segment, Group):
        for part in segment.parts:
            _push_segment(state, part)
    elif isinstance(segment, Command | Text):
        state.pending += segment.text
    else:  # pragma: no cover - match_at never returns a Link
        state.pending += segment.url


def _token_math(token: Token) -> Math:
    return Math(token.markup, token.content, bool(token.meta.get("display")))


def _render_math(renderer: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    return math_html(_token_math(tokens[idx]))


@lru_cache(maxsize=1)
def markdown_parser() -> MarkdownIt:
    """Return the shared parser: CommonMark, raw HTML off, http(s) and mailto links only,
    math as MathML and text-mode LaTeX as the characters it stands for."""
    md = MarkdownIt("commonmark", {"html": False, "typographer": False})
    md.validateLink = _validate_link  # type: ignore[method-assign]
    # Show link text as written; the default decodes %-escapes, changing what shows.
    md.normalizeLinkText = _show_as_written  # type: ignore[method-assign]
    md.inline.ruler.at("text", _text_rule)
    md.inline.ruler.after("text", "latex", _latex_rule)
    md.add_render_rule("math_inline", _render_math)
    return md


def render_markdown(text: str) -> str:
    """Render page Markdown to HTML."""
    return markdown_view("html", text)


def markdown_to_text(text: str) -> str:
    """Return the visible text of rendered Markdown, white space collapsed, with math as
    plain text (`$\\leftrightarrow$` → `↔`): what the search index and snippets hold."""
    return markdown_view("text", text)


TokenView = Callable[[list[Token], dict[str, Any]], str]
# What is made of one parse of a text, each kept in the memo table of its name: its HTML,
# its text, and the views other modules add (BibTeX, in exports.py). An abstract is
# parsed once for all of them, since parsing is the costly part.
_VIEWS: dict[str, TokenView] = {}


def add_markdown_view(table: str, view: TokenView) -> None:
    """Make `markdown_view(table, text)` return `view(tokens, env)` of text's parse."""
    _VIEWS[table] = view


def markdown_view(table: str, text: str) -> str:
    """One view of page Markdown (see `_VIEWS`); a text is parsed once for every view."""
    value = memo.get(table, text)
    if value is memo.MISSING:
        env: dict[str, Any] = {}
        tokens = markdown_parser().parse(text, env)
        for name, view in _VIEWS.items():
            if name == table or memo.get(name, text) is memo.MISSING:
                made = view(tokens, env)
                memo.put(name, text, made)
                if name == table:
                    value = made
    return str(value)


def _html_view(tokens: list[Token], env: dict[str, Any]) -> str:
    md = markdown_parser()
    return str(md.renderer.render(tokens, md.options, env))


def one_line(
    tokens: list[Token],
    inline: Callable[[list[Token]], list[str]],
    code: Callable[[str], str],
) -> str:
    """What a parse shows, as one line: each inline run's pieces made by `inline`, code
    blocks by `code`, blocks joined by a space, white space collapsed."""
    parts: list[str] = []
    for token in tokens:
        if token.type == "inline":
            parts.extend(inline(token.children or []))
        elif token.type in ("fence", "code_block"):
            parts.append(code(token.content))
        parts.append(" ")
    return " ".join("".join(parts).split())


def _text_view(tokens: list[Token], env: dict[str, Any]) -> str:
    return one_line(tokens, _inline_text, str)


add_markdown_view("html", _html_view)
add_markdown_view("text", _text_view)


def _inline_text(tokens: list[Token]) -> list[str]:
    out: list[str] = []
    for token in tokens:
        if token.type == "image":
            continue  # an image's alternative text does not show on the page
        if token.type in ("text", "code_inline"):
            out.append(token.content)
        elif token.type == "math_inline":
            out.append(math_text(_token_math(token)))
        elif token.type in ("softbreak", "hardbreak"):
            out.append(" ")
    return out


@lru_cache(maxsize=1 << 16)
def inline_markup(text: str) -> Markup:
    """HTML for a one-line text such as a title: escaped, math as MathML, text-mode LaTeX
    as the characters it stands for; URLs stay text, paragraphs and lines join with a space."""
    return Markup(" ".join(segments_html(_segments(p)) for p in _paragraphs(text)))


@lru_cache(maxsize=1 << 16)
def plain_text(text: str) -> str:
    """The plain text of a text such as a title (`<title>`, meta tags, the search index),
    read as `escape_markdown` reads it: math and LaTeX as Unicode, white space collapsed."""
    return " ".join(" ".join(segments_text(_segments(p)) for p in _paragraphs(text)).split())


__all__ = [
    "abstract_segments",
    "escape_markdown",
    "find_links",
    "inline_markup",
    "add_markdown_view",
    "markdown_parser",
    "markdown_to_text",
    "markdown_view",
    "one_line",
    "plain_text",
    "render_markdown",
    "url_finder",
]
