"""Seed text → Markdown → HTML shows exactly the seed text, whatever it holds."""

from __future__ import annotations

import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from site_builder.frontmatter import page_text, split_page
from site_builder.markdown import escape_markdown, find_links, markdown_to_text, render_markdown

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
SYNTAX = st.sampled_from(
    list("\\`*_[]<>&#;!-+=.)(1:/~|$%{} \n")
    + ["http://x.y", "https://a.b/c_d*e", "&amp;", "&#65;", "<b>", "</p>", "<script>",
       "{{ x }}", "{% if %}", "1. ", "# ", "> ", "    ", "\n\n", "***", "___", "`code`",
       "[a](javascript:alert(1))", "<http://x.y>", "https://x.com/%41%20b?a=1&amp;b", "\\\\"]
)
TEXT = st.lists(st.one_of(SYNTAX, st.text(min_size=1, max_size=3)), max_size=30).map("".join)


def visible(text: str) -> str:
    """What a reader sees: control characters never show, white space collapses."""
    return " ".join(CONTROL.sub("", text).split())


@settings(max_examples=400, deadline=None)
@given(TEXT)
@example("50\\% of image$\\leftrightarrow$text see https://github.com/MadryLab/x. Done")
@example("1) first\n\n# heading\n\n> quote")
def test_markdown_escaped_text_renders_back_to_itself(text: str) -> None:
    assert markdown_to_text(escape_markdown(text)) == visible(text)


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_markdown_never_lets_markup_through(text: str) -> None:
    html = render_markdown(escape_markdown(text))
    assert "<script" not in html and "<b>" not in html and "href=\"javascript" not in html.lower()
    assert "<h1" not in html and "<li" not in html and "<em" not in html and "<code" not in html


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from(["title", "note", "x"]), TEXT, max_size=3), TEXT)
def test_markdown_page_text_parses_back_to_the_same_fields(front: dict[str, str], body: str) -> None:
    page = page_text({"id": "abc", **front}, escape_markdown(body))
    parsed, parsed_body = split_page(page, "p.md")
    assert parsed == {"id": "abc", **front}
    assert page_text(parsed, parsed_body) == page


def test_markdown_links_are_http_only_and_end_before_the_period() -> None:
    text = "See https://github.com/a/b. Also ftp://x.y, javascript:alert(1) and www.z.com."
    assert find_links(text) == ["https://github.com/a/b"]
    html = render_markdown(escape_markdown(text))
    assert html.count("<a ") == 1 and 'href="https://github.com/a/b"' in html
