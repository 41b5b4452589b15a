"""One configured markdown-it-py instance, and the escaping that makes seed text safe Markdown.

Raw HTML is off (it shows as text) and bare http(s) URLs become links. Abstracts are
written to pages through `escape_markdown`, so a page renders back to exactly the
seed's text: no accidental emphasis, headings, lists, code or entities.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

from linkify_it import LinkifyIt
from markdown_it import MarkdownIt

# Characters that start inline syntax anywhere in a line.
_INLINE = re.compile(
    r"[`*_\[\]<]|\\(?=[!-/:-@\[-`{-~]|$)|&(?=#\d+;|#[xX][0-9a-fA-F]+;|[A-Za-z][A-Za-z0-9]*;)"
)
# Block syntax recognised only at the start of a line.
_BLOCK_START = re.compile(r"^([#>+=\-~]|\d{1,9}(?=[.)]))")
# Control characters never show; CommonMark would turn NUL into U+FFFD.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SAFE_SCHEMES = ("http://", "https://", "mailto:")


def escape_markdown(text: str) -> str:
    """Return Markdown whose rendering shows exactly `text` (paragraphs split on blank lines)."""
    text = _CONTROL.sub("", text)
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", text)]
    return "\n\n".join(_escape_paragraph(p) for p in paragraphs if p)


def _split_links(text: str) -> list[tuple[bool, str]]:
    """Split text into (is_link, piece) runs; links are http(s) URLs written out in full."""
    pieces: list[tuple[bool, str]] = []
    last = 0
    for link in url_finder().match(text) or []:
        if link.index < last:
            continue
        # An autolink cannot hold < or >; linkify-it allows them, so the link ends there.
        url = re.split(r"[<>]", text[link.index : link.last_index])[0]
        if not re.match(r"https?://[^/?#\s]", url, re.IGNORECASE):
            continue
        pieces += [(False, text[last : link.index]), (True, url)]
        last = link.index + len(url)
    pieces.append((False, text[last:]))
    return pieces


def _escape_paragraph(paragraph: str) -> str:
    # http(s) URLs become CommonMark autolinks, `<https://…>`: delimited, so no escape
    # next to them can change where they end, and they show exactly as written.
    escaped = "".join(
        f"<{piece}>" if is_link else _INLINE.sub(_backslash, piece)
        for is_link, piece in _split_links(paragraph)
    )
    start = _BLOCK_START.match(escaped)
    if start:
        end = start.end()
        if start.group(0)[0].isdigit():
            # "1. …" or "1) …" would start a list: escape the delimiter.
            return escaped[:end] + "\\" + escaped[end:]
        return "\\" + escaped
    return escaped


def _backslash(match: re.Match[str]) -> str:
    return "\\" + match.group(0)


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
    """Return the http(s) URLs in text, in order, without the sentence's final period."""
    return [piece for is_link, piece in _split_links(text) if is_link]


@lru_cache(maxsize=1)
def markdown_parser() -> MarkdownIt:
    """Return the shared parser: CommonMark, raw HTML off, http(s) and mailto links only."""
    md = MarkdownIt("commonmark", {"html": False, "typographer": False})
    md.validateLink = _validate_link  # type: ignore[method-assign]
    # Show link text as written; the default decodes %-escapes, changing what shows.
    md.normalizeLinkText = _show_as_written  # type: ignore[method-assign]
    return md


def render_markdown(text: str) -> str:
    """Render page Markdown to HTML."""
    return str(markdown_parser().render(text))


_BLOCK_TAG = re.compile(r"</?(?:p|h[1-6]|li|ul|ol|blockquote|pre|hr|br)\b[^>]*>")
_TAG = re.compile(r"<[^>]*>")


def markdown_to_text(text: str) -> str:
    """Return the visible text of rendered Markdown, white space collapsed."""
    rendered = _BLOCK_TAG.sub(" ", render_markdown(text))
    return " ".join(html.unescape(_TAG.sub("", rendered)).split())
