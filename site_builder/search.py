"""The client-side search index: a lunr.js 2.3.9 index plus a small document store.

No I/O here: the caller writes `search_index_script(build_search_index(entries))` to
`search/index.js`, which every page loads on demand with a `<script>` tag (not
`fetch()`, so search also works on a site opened from disk).

The data has two parts:

- ``index``: the serialized lunr index (lunr.py 0.8.0 writes the format that
  lunr.js 2.3.9 loads). Fields ``title`` (boost 10), ``authors`` (boost 5) and
  ``text`` (the abstract, boost 1); terms are the Porter stems of `words()`, stop
  words left out; no position metadata, to keep it small.
- ``docs``: ``{ref: {"t": title, "a": "Author One, Author Two", "u": url, "s": snippet}}``,
  since a lunr index holds only the refs of the documents it matched.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import cast

from lunr import __TARGET_JS_VERSION__ as _LUNR_JS_VERSION
from lunr.builder import Builder
from lunr.stemmer import stemmer
from lunr.stop_word_filter import stop_word_filter

SNIPPET_WORDS = 30
"""About how many words of the abstract a search result shows."""

_FIELDS: tuple[tuple[str, int], ...] = (("title", 10), ("authors", 5), ("text", 1))
"""Indexed fields and their boosts."""

# Words are split and trimmed here, not by lunr.py, and static/js/search.js splits and
# trims queries and highlighted text by exactly the same two rules (keep them in step).
# lunr.py alone splits only at whitespace and hyphens and trims only tokens that have no
# inner punctuation, so "alert(1)" or "(e.g.," would be indexed as written.
_SEPARATOR = re.compile(
    r"[\s\-\u2010-\u2015\u2190-\u23ff\u27c0-\u27ff\u2900-\u2aff()\[\]{}<>/\\|:;,!?\"=+*~^&@#$`]+"
)
"""Characters between words: whitespace, hyphens and dashes, arrows and mathematical
symbols (so "image↔text" is two words), and punctuation."""
_WORD_CHARS = (
    "A-Za-z0-9_\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u1fff\u2070-\u2fff\u3040-\uffff"
    "\U00010000-\U0010ffff"
)
_EDGES = re.compile(f"^[^{_WORD_CHARS}]+|[^{_WORD_CHARS}]+$")
"""Anything but letters and digits at either end of a word (like lunr's trimmer, but
keeping accented and other non-ASCII letters)."""


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


def words(text: str) -> list[str]:
    """The words of `text` as the index holds them before stemming: lower-cased,
    split at `_SEPARATOR`, trimmed of punctuation at both ends."""
    out = []
    for part in _SEPARATOR.split(text.lower()):
        word = _EDGES.sub("", part)
        if word:
            out.append(word)
    return out


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

    if not ordered:
        # lunr cannot average field lengths over no documents: write the empty index.
        empty: dict[str, object] = {
            "version": _LUNR_JS_VERSION,
            "fields": [name for name, _ in _FIELDS],
            "fieldVectors": [],
            "invertedIndex": [],
            "pipeline": ["stemmer"],
        }
        return {"index": empty, "docs": {}}

    builder = Builder()
    builder.pipeline.add(stop_word_filter, stemmer)
    builder.search_pipeline.add(stemmer)
    builder.ref("ref")
    for name, boost in _FIELDS:
        builder.field(name, boost=boost)
    for entry in ordered:
        # Lists reach lunr's tokenizer as ready-made tokens.
        builder.add(
            {
                "ref": entry.ref,
                "title": words(entry.title),
                "authors": words(_authors_text(entry.authors)),
                "text": words(entry.text),
            }
        )
    index = builder.build()
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
