"""The client-side search data: lunr.js 2.3.9 indexes plus a small document store.

No I/O here: the caller writes each item of `search_files(entries)` under ``search/``.
Every page loads them on demand with ``<script>`` tags (not `fetch()`, so search also
works on a site opened from disk), in two steps:

1. ``search/index.js`` (`FIRST`), loaded on first focus of the search box, sets
   ``window.READING_LIST_SEARCH = {"index": ..., "docs": ..., "parts": [...]}``:

   - ``index``: a serialized lunr index over the fields ``title`` (boost 10) and
     ``authors`` (boost 5) only, so it is small and results show at once;
   - ``docs``: ``{ref: {"t": title, "a": "Author One, Author Two", "u": url}}``;
   - ``parts``: the names of the abstract parts, such as ``["text-0", "text-1"]``.

2. ``search/text-<n>.js``, loaded right after the first results show, one per
   `TEXT_SHARD_SIZE` papers, each sets ``window.READING_LIST_SEARCH_PARTS["text-<n>"] =
   {"index": ..., "snippets": {ref: snippet}}``: a lunr index over the field ``text``
   (the abstract) of its papers, and the start of their abstracts to show in results.

Refs are short (base 36 numbers of the papers in order of their id), as every posting
repeats them. Every index is in the format lunr.py 0.8.0 writes and lunr.js 2.3.9 loads:
terms are the Porter stems of `words()`, stop words left out, no position metadata.
`lunr_index` builds it the way `lunr.builder.Builder` does (the same terms, term numbers
and BM25 weights: tests/test_search.py compares the two), only much faster: each word is
stemmed once per build, and lunr.py's token objects, deep copies and token set (not
serialized) are skipped. Weights are then rounded to 3 significant digits.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from lunr import __TARGET_JS_VERSION__ as _LUNR_JS_VERSION
from lunr.stemmer import porter_stemmer
from lunr.stop_word_filter import WORDS as _STOP_WORDS

SNIPPET_WORDS = 24
"""About how many words of the abstract a search result shows."""

TEXT_SHARD_SIZE = 2500
"""Papers per abstract part (``search/text-<n>.js``)."""

FIRST = "index"
"""The name of the first part: ``search/index.js``."""

_FIRST_FIELDS: tuple[tuple[str, int], ...] = (("title", 10), ("authors", 5))
_TEXT_FIELDS: tuple[tuple[str, int], ...] = (("text", 1),)
"""Indexed fields and their boosts, in the first part and in the abstract parts."""

_K1 = 1.2
_B = 0.75
"""lunr's BM25 parameters (its defaults)."""

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
        if part.isascii() and part.isalnum():
            out.append(part)  # the common case: nothing to trim
            continue
        word = _EDGES.sub("", part)
        if word:
            out.append(word)
    return out


def _authors_text(authors: Sequence[str]) -> str:
    return ", ".join(" ".join(name.split()) for name in authors if name.strip())


def short_ref(number: int) -> str:
    """`number` in base 36: the ref of the paper at that place in order of id."""
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        number, rest = divmod(number, 36)
        out = digits[rest] + out
        if number == 0:
            return out


class Stemmer:
    """lunr's build pipeline (stop word filter, then Porter stemmer) for lists of words,
    remembering the stem of every word it has seen: a build stems each word once."""

    def __init__(self) -> None:
        self._stems: dict[str, str] = {}

    def terms(self, words: Iterable[str]) -> list[str]:
        stems = self._stems
        out = []
        for word in words:
            if word in _STOP_WORDS:
                continue
            term = stems.get(word)
            if term is None:
                term = stems[word] = porter_stemmer.stem(word)
            out.append(term)
        return out


def lunr_index(
    docs: Sequence[tuple[str, Mapping[str, Sequence[str]]]],
    fields: Sequence[tuple[str, int]],
) -> dict[str, object]:
    """The serialized lunr index of `docs`, each ``(ref, {field: terms})`` with the terms
    already through the pipeline, exactly as lunr.py's Builder serializes it (weights
    rounded to 3 decimals as lunr does; see `round_weights`)."""
    names = [name for name, _ in fields]
    term_numbers: dict[str, int] = {}
    postings: dict[str, dict[str, list[str]]] = {}
    counted: list[tuple[str, str, dict[str, int], int]] = []
    total_length = dict.fromkeys(names, 0)
    for ref, values in docs:
        for name in names:
            terms = values[name]
            counts: dict[str, int] = {}
            for term in terms:
                if term in counts:
                    counts[term] += 1
                    continue
                counts[term] = 1
                posting = postings.get(term)
                if posting is None:
                    posting = postings[term] = {field: [] for field in names}
                    term_numbers[term] = len(term_numbers)
                posting[name].append(ref)
            counted.append((ref, name, counts, len(terms)))
            total_length[name] += len(terms)

    count = len(docs)
    boosts = dict(fields)
    average = {name: total_length[name] / count for name in names} if count else {}
    idfs: dict[str, float] = {}
    vectors: list[list[object]] = []
    for ref, name, counts, length in counted:
        norm = _K1 * (1 - _B + _B * (length / average[name]))
        elements: list[tuple[int, float]] = []
        for term, tf in counts.items():
            idf = idfs.get(term)
            if idf is None:
                with_term = sum(len(refs) for refs in postings[term].values())
                x = (count - with_term + 0.5) / (with_term + 0.5)
                idf = idfs[term] = math.log(1 + abs(x))
            score = idf * ((_K1 + 1) * tf) / (norm + tf)
            score *= boosts[name]
            elements.append((term_numbers[term], round(score, 3)))
        elements.sort()
        flat: list[float] = []
        for number, weight in elements:
            flat.append(number)
            flat.append(weight)
        vectors.append([f"{name}/{ref}", flat])

    inverted = [
        [
            term,
            {
                "_index": term_numbers[term],
                **{field: {ref: {} for ref in refs} for field, refs in postings[term].items()},
            },
        ]
        for term in sorted(postings)
    ]
    return {
        "version": _LUNR_JS_VERSION,
        "fields": names,
        "fieldVectors": vectors,
        "invertedIndex": inverted,
        "pipeline": ["stemmer"],
    }


def _significant(value: float) -> float:
    # Weights are already rounded to 3 decimals, so below 1 there is nothing to do.
    if value >= 100:
        return float(f"{value:.3g}")
    if value >= 10:
        return round(value, 1)
    if value >= 1:
        return round(value, 2)
    return value


def round_weights(index: dict[str, object]) -> dict[str, object]:
    """`index` with every weight of its field vectors rounded to 3 significant digits
    (lunr keeps 3 decimals: 12.345 becomes 12.3), which is plenty to rank by."""
    vectors = index["fieldVectors"]
    assert isinstance(vectors, list)
    rounded = [
        [ref, [v if i % 2 == 0 else _significant(v) for i, v in enumerate(elements)]]
        for ref, elements in vectors
    ]
    return {**index, "fieldVectors": rounded}


def build_search_index(
    entries: Sequence[SearchEntry], shard_size: int = TEXT_SHARD_SIZE
) -> dict[str, dict[str, object]]:
    """Build the search data for `entries`: ``{part name: data}``, the first part
    (`FIRST`) and the abstract parts ``text-0``, ``text-1`` … (see the module's doc).

    Deterministic: entries are numbered in order of their ref, so the same entries
    in any order give the same data. Raises ValueError on a repeated ref.
    """
    if shard_size < 1:
        raise ValueError("shard_size must be at least 1")
    ordered = sorted(entries, key=lambda entry: entry.ref)
    seen: set[str] = set()
    for entry in ordered:
        if entry.ref in seen:
            raise ValueError(f"duplicate search ref {entry.ref!r}")
        seen.add(entry.ref)

    stemmer = Stemmer()
    numbered = [(short_ref(i), entry) for i, entry in enumerate(ordered)]
    first_docs = [
        (
            ref,
            {
                "title": stemmer.terms(words(entry.title)),
                "authors": stemmer.terms(words(_authors_text(entry.authors))),
            },
        )
        for ref, entry in numbered
    ]
    parts: dict[str, dict[str, object]] = {}
    for number, start in enumerate(range(0, len(ordered), shard_size)):
        shard = numbered[start : start + shard_size]
        text_docs = [(ref, {"text": stemmer.terms(words(entry.text))}) for ref, entry in shard]
        parts[f"text-{number}"] = {
            "index": round_weights(lunr_index(text_docs, _TEXT_FIELDS)),
            "snippets": {ref: snippet(entry.text) for ref, entry in shard},
        }
    first: dict[str, object] = {
        "index": round_weights(lunr_index(first_docs, _FIRST_FIELDS)),
        "docs": {
            ref: {"t": entry.title, "a": _authors_text(entry.authors), "u": entry.url}
            for ref, entry in numbered
        },
        "parts": list(parts),
    }
    return {FIRST: first, **parts}


# Characters that could end a <script> element or a JavaScript string early, written
# as JSON escapes instead (JSON.parse and JavaScript read them back unchanged).
_SCRIPT_ESCAPES = {
    ord("<"): "\\u003c",
    ord(">"): "\\u003e",
    ord("&"): "\\u0026",
    0x2028: "\\u2028",
    0x2029: "\\u2029",
}


def _json(data: object) -> str:
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    for char, escape in _SCRIPT_ESCAPES.items():
        text = text.replace(chr(char), escape)  # (much faster than str.translate)
    return text


def search_index_script(data: object) -> str:
    """JavaScript that sets ``window.READING_LIST_SEARCH`` to `data` (the first part).

    Compact JSON with sorted keys; ``<``, ``>``, ``&``, U+2028 and U+2029 are
    escaped, so the text is safe inline or as a file, and never holds ``</script>``.
    """
    return f"window.READING_LIST_SEARCH = {_json(data)};\n"


def search_part_script(name: str, data: object) -> str:
    """JavaScript that sets ``window.READING_LIST_SEARCH_PARTS[name]`` to `data` (an
    abstract part), escaped like `search_index_script`."""
    return (
        "(window.READING_LIST_SEARCH_PARTS = window.READING_LIST_SEARCH_PARTS || {})"
        f"[{_json(name)}] = {_json(data)};\n"
    )


def search_scripts(parts: Mapping[str, object]) -> dict[str, str]:
    """``{file name: script}`` for the parts `build_search_index` returned:
    ``index.js`` and ``text-<n>.js``, to be written under ``search/``."""
    return {
        f"{name}.js": (
            search_index_script(data) if name == FIRST else search_part_script(name, data)
        )
        for name, data in parts.items()
    }


def search_files(
    entries: Sequence[SearchEntry], shard_size: int = TEXT_SHARD_SIZE
) -> dict[str, str]:
    """``{file name: script}`` of the search data for `entries` (see `search_scripts`)."""
    return search_scripts(build_search_index(entries, shard_size))
