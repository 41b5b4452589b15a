"""The client-side search index: a lunr.js 2.3.9 index plus a small document store.

No I/O here: the caller writes `search_index_script(build_search_index(entries))` to
`search/index.js`, which every page loads on demand with a `<script>` tag (not
`fetch()`, so search also works on a site opened from disk).

The data has two parts:

- ``index``: the serialized lunr index (lunr.py 0.8.0 writes the format that
  lunr.js 2.3.9 loads). Fields ``title`` (boost 10), ``authors`` (boost 5) and
  ``text`` (the abstract, boost 1); no position metadata, to keep it small.
- ``docs``: ``{ref: {"t": title, "a": "Author One, Author Two", "u": url, "s": snippet}}``,
  since a lunr index holds only the refs of the documents it matched.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import cast

from lunr import lunr

SNIPPET_WORDS = 30
"""About how many words of the abstract a search result shows."""

_FIELDS: tuple[dict[str, object], ...] = (
    {"field_name": "title", "boost": 10},
    {"field_name": "authors", "boost": 5},
    {"field_name": "text", "boost": 1},
)


@dataclass(frozen=True)
class SearchEntry:
    """One paper as the search sees it."""

    ref: str
    """Stable paper id."""
    title: str
    authors: tuple[str, ...]
    text: str
    """The abstract as plain text."""
    url: str
    """Relative to the site root, such as ``papers/openai-o1-system-card.html``."""


def snippet(text: str, words: int = SNIPPET_WORDS) -> str:
    """The first `words` words of `text`, whitespace collapsed, with "…" when cut."""
    parts = text.split()
    if len(parts) <= words:
        return " ".join(parts)
    return " ".join(parts[:words]).rstrip(",;:") + "…"


def _authors_text(authors: Sequence[str]) -> str:
    return ", ".join(" ".join(name.split()) for name in authors if name.strip())


def build_search_index(entries: Sequence[SearchEntry]) -> dict[str, object]:
    """Build the search data for `entries`: ``{"index": ..., "docs": ...}``.

    Deterministic: entries are indexed in order of their ref, so the same entries
    in any order give the same data. Raises ValueError on a repeated ref.
    """
    ordered = sorted(entries, key=lambda entry: entry.ref)
    seen: set[str] = set()
    for entry in ordered:
        if entry.ref in seen:
            raise ValueError(f"duplicate search ref {entry.ref!r}")
        seen.add(entry.ref)

    documents = [
        {
            "ref": entry.ref,
            "title": entry.title,
            "authors": _authors_text(entry.authors),
            "text": entry.text,
        }
        for entry in ordered
    ]
    index = lunr(ref="ref", fields=[dict(field) for field in _FIELDS], documents=documents)
    docs: dict[str, dict[str, str]] = {
        entry.ref: {
            "t": entry.title,
            "a": _authors_text(entry.authors),
            "u": entry.url,
            "s": snippet(entry.text),
        }
        for entry in ordered
    }
    return {"index": cast(dict[str, object], index.serialize()), "docs": docs}


# Characters that could end a <script> element or a JavaScript string early, written
# as JSON escapes instead (JSON.parse and JavaScript read them back unchanged).
_SCRIPT_ESCAPES = {
    ord("<"): "\\u003c",
    ord(">"): "\\u003e",
    ord("&"): "\\u0026",
    0x2028: "\\u2028",
    0x2029: "\\u2029",
}


def search_index_script(data: dict[str, object]) -> str:
    """JavaScript that sets ``window.READING_LIST_SEARCH`` to `data`.

    Compact JSON with sorted keys; ``<``, ``>``, ``&``, U+2028 and U+2029 are
    escaped, so the text is safe inline or as a file, and never holds ``</script>``.
    """
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return f"window.READING_LIST_SEARCH = {text.translate(_SCRIPT_ESCAPES)};\n"
