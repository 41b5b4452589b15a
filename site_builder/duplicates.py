"""Find the same paper under different or slightly different text. Pure: no I/O.

Two paths, both precision first; neither compares all pairs.

**Same text, slightly changed** (a sentence added, a typo, a version's rewording, stray
markup, a truncated last sentence). Text is normalised (HTML tags and entities, LaTeX
commands, braces, NFKC, accents, case, punctuation) into words, and cut into word 4-grams
("shingles"), hashed deterministically (CRC-32 per word, then the tuple's hash).

* Candidates: a fixed quarter of the shingle hashes (those ≡ 0 mod 4, the same shingles in
  every text) is indexed; shingles in more than ``COMMON_DF`` texts are left out. Texts that
  share indexed shingles worth ``SAMPLE_FLOOR`` (a quarter) of the smaller sample are
  candidates, each pair counted once; a text sharing no indexed shingle costs nothing more.
  The sample is the same for every run and input order, so results are deterministic.
* Verification, exact, on candidates only: ``containment`` = shared shingles / shingles of
  the shorter text (an added or cut sentence leaves it near 1, where Jaccard would drop),
  ``jaccard`` = shared / all, and ``distinctive`` = the share of the pair's shared sampled
  shingles found in at most ``COMMON_DF`` texts.
* Merge when containment >= ``MERGE`` (0.80), Jaccard >= ``MERGE_JACCARD`` (0.60),
  distinctive >= ``MERGE_DISTINCTIVE`` (0.80) and >= ``MIN_SHARED_MERGE`` shingles shared.
  Suggest when containment >= ``SUGGEST`` (0.50) with >= ``MIN_SHARED_SUGGEST`` shingles
  shared and distinctive >= 0.5.

Why three conditions (measured with ``tests/test_duplicates.py``, ``bench/duplicates_bench.py``).
Planted variants of real arXiv abstracts, containment (Jaccard) with their original:
typos 0.83-0.98 (>= 0.71), sentence added 1.00 (>= 0.73), markup 1.00 (1.00), last
sentence cut 1.00 (>= 0.39, tiny abstracts), three words reworded 0.52-0.97 (median
0.91), all edits at once 0.56-0.95 (median 0.86); their shared text is distinctive
(>= 0.86, one short abstract 0.50). Different papers among the 2,000 real abstracts
reach containment 0.80 (series papers, short abstracts) but Jaccard 0.54 at most.
The 10,000-paper bench corpus makes its extra papers by recombining sentences of real
abstracts; in its small categories (two or three source papers) different papers
reach containment 1.00 and Jaccard 0.92, the same sentences reshuffled or repeated, which
text alone cannot tell from an added sentence. What tells them apart: their shared
sentences are in dozens of other papers (of the 386 such pairs with Jaccard >= 0.60,
distinctive 0.21 at most), while a paper's versions share text with nobody else. Text in
more than 8 papers is a template, not evidence of one paper. Among different papers whose
shared text *is* distinctive (>= 0.8) and containment >= 0.8 (164 pairs in the 10k
corpus), Jaccard was 0.50 at most; hence Jaccard >= 0.60 (planted single edits that
fail it are tiny abstracts, suggested instead).

Speed: words are split and lower-cased as bytes, hashed with CRC-32 and shingled with
``map``/``zip`` in C; the garbage collector is paused during a call (only acyclic objects
are made). 10,000 bench papers: see ``bench/duplicates_bench.py``.

**The same paper under different text** (an abstract in one file, the first paragraph of
the paper under its title in another). Evidence, found through indexes, not pairs:

* *name*: the contribution one abstract names (``titles.named_contribution``) equals, case-
  and punctuation-insensitively, another paper's title or its part before the colon
  (a trailing "(ACRONYM)" may be left out);
* *title words*: every content word (>= 3, crudely stemmed) of a title is in another
  abstract, and at most ``TITLE_MAX_HITS`` abstracts hold them all;
* *rare phrases*: word 2-grams of content words shared by the pair and found in at most
  ``rare_df(n)`` texts of the corpus (runs of them count as one phrase);
* *links*: an http(s) link (a page, not a bare host) both give, in at most ``LINK_MAX_DF``
  papers.

A name match merges only when it is unambiguous and confirmed: exactly one abstract
names it, exactly one paper has it as its title, that paper does not name it itself (else
they are rival claims, not one paper told twice), and its text uses the name as a phrase
or shares ``MERGE_PHRASES`` rare phrases with the abstract. All other evidence suggests.
"""

from __future__ import annotations

import gc
import html
import operator
import re
import unicodedata
import zlib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import chain, compress, repeat

SHINGLE = 4
SAMPLE_MASK = 3  # index shingle hashes ≡ 0 mod 4
MERGE = 0.80
MERGE_JACCARD = 0.60
MERGE_DISTINCTIVE = 0.80
SUGGEST = 0.50
SUGGEST_DISTINCTIVE = 0.50
SAMPLE_FLOOR = 0.25
MIN_SHARED_MERGE = 8
MIN_SHARED_SUGGEST = 4
COMMON_DF = 8
TITLE_MIN_WORDS = 3
TITLE_MAX_HITS = 3
TITLE_RARE_DF = 50
LINK_MAX_DF = 3
MERGE_PHRASES = 2

_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]{0,200})?/?>")
_LATEX_CMD = re.compile(r"\\(?:[A-Za-z]+|[^A-Za-z\s])")
_WORD = re.compile(r"[^\W_]+")
_URL = re.compile(r"https?://[^\s<>\"')\]}]+", re.IGNORECASE)
_STOP = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "can",
        "for",
        "from",
        "has",
        "have",
        "in",
        "into",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "our",
        "that",
        "the",
        "their",
        "these",
        "this",
        "to",
        "towards",
        "toward",
        "we",
        "which",
        "with",
        "via",
        "using",
        "based",
        "new",
        "than",
        "not",
        "over",
        "under",
        "between",
        "how",
        "what",
        "when",
        "where",
        "why",
        "do",
        "does",
        "more",
        "most",
        "s",
    ]
)
_SUFFIXES = ("ations", "ation", "ings", "ing", "ies", "ed", "es", "s", "ly", "e")


@dataclass(frozen=True)
class DupDoc:
    """One paper as the detector sees it."""

    key: str
    """The paper's id."""
    text: str
    """The abstract as plain text."""
    title: str | None = None
    """A real title from a seed (None when only inferred)."""
    named: str | None = None
    """The contribution the abstract names, from `titles.named_contribution(text)`."""
    links: tuple[str, ...] = ()


@dataclass(frozen=True)
class DupPair:
    """Two papers that look like one: merge them, or suggest it to a person."""

    a: str
    b: str
    """Keys, a < b."""
    similarity: float
    """0..1: containment of the shorter text's word 4-grams, or the evidence's strength."""
    merge: bool
    """True: merge automatically; False: only suggest."""
    reason: str
    """One readable line saying why."""


@dataclass
class _Text:
    doc: DupDoc
    raw_words: list[bytes]
    ids: list[int]
    hashes: list[int]
    sample: frozenset[int]
    _all: frozenset[int] | None = field(default=None, repr=False)
    _words: list[str] | None = field(default=None, repr=False)

    @property
    def words(self) -> list[str]:
        if self._words is None:
            self._words = [w.decode() for w in self.raw_words]
        return self._words

    @property
    def shingles(self) -> frozenset[int]:
        if self._all is None:
            self._all = frozenset(self.hashes)
        return self._all


_ASCII_WORDS = bytes(c if c in b"0123456789abcdefghijklmnopqrstuvwxyz" else 32 for c in range(256))


def _strip_markup(text: str) -> str:
    if "&" in text:
        text = html.unescape(text)
    if "<" in text:
        text = _TAG.sub(" ", text)
    if "\\" in text:
        text = _LATEX_CMD.sub("", text)
    if "{" in text or "}" in text:  # "Bal\\'{a}zs" → "Balazs", as "Balázs" becomes
        text = text.replace("{", "").replace("}", "")
    return text


def word_bytes(text: str) -> list[bytes]:
    """Return the words of a text, UTF-8 encoded: markup, accents, case, punctuation gone."""
    text = _strip_markup(text)
    if not text.isascii():
        text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text))
        text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
        if not text.isascii():
            return [w.encode() for w in _WORD.findall(text)]
    # Plain ASCII, most abstracts: lower-case and split in C.
    return text.encode().lower().translate(_ASCII_WORDS).split()


def words_of(text: str) -> list[str]:
    """Return the words of a text: markup, accents, case and punctuation gone."""
    return [w.decode() for w in word_bytes(text)]


def normalise_text(text: str) -> str:
    """Return the text as its normalised words joined by spaces."""
    return " ".join(words_of(text))


def _prepare(doc: DupDoc) -> _Text:
    words = word_bytes(doc.text)
    ids = list(map(zlib.crc32, words))
    if len(ids) < SHINGLE:
        hashes = [hash(tuple(ids))] if ids else []
    else:
        hashes = list(map(hash, zip(*(ids[i:] for i in range(SHINGLE)), strict=False)))
    picked = map(operator.not_, map(operator.and_, hashes, repeat(SAMPLE_MASK)))
    return _Text(doc, words, ids, hashes, frozenset(compress(hashes, picked)))


def find_duplicates(docs: Sequence[DupDoc]) -> list[DupPair]:
    """Return every pair of papers that look like one, sorted by (a, b)."""
    keys = [d.key for d in docs]
    if len(set(keys)) != len(keys):
        raise ValueError("find_duplicates: keys must be unique")
    collecting = gc.isenabled()
    gc.disable()  # many small objects, none cyclic: the collector would only slow this down
    try:
        texts = [_prepare(d) for d in sorted(docs, key=lambda d: d.key)]
        pairs = _text_pairs(texts)
        pairs.update(_Evidence(texts).pairs(pairs))
    finally:
        if collecting:
            gc.enable()
    return [pairs[ij] for ij in sorted(pairs)]


def _text_pairs(texts: list[_Text]) -> dict[tuple[int, int], DupPair]:
    """Pairs whose shorter text's shingles are mostly in the other, verified exactly."""
    df: Counter[int] = Counter()
    for t in texts:
        df.update(t.sample)
    indexed = {s for s, n in df.items() if 1 < n <= COMMON_DF}
    sizes = [len(t.sample) for t in texts]
    postings: dict[int, list[int]] = {}
    result: dict[tuple[int, int], DupPair] = {}
    for j, t in enumerate(texts):
        mine = t.sample & indexed
        # Each text meets only the texts before it, so every pair is counted once.
        counts = Counter(chain.from_iterable(postings.get(s, ()) for s in mine))
        for s in mine:
            postings.setdefault(s, []).append(j)
        size = sizes[j]
        for i, count in counts.items():
            # Cheap filter on the sample: a pair to suggest shares distinctive text worth
            # SUGGEST * SUGGEST_DISTINCTIVE (0.25) of the smaller text, in expectation.
            if count >= SAMPLE_FLOOR * min(size, sizes[i]):
                pair = _judge_text(texts, i, j, df)
                if pair is not None:
                    result[(i, j)] = pair
    return result


def _judge_text(texts: list[_Text], i: int, j: int, df: Counter[int]) -> DupPair | None:
    a, b = texts[i], texts[j]
    sampled = a.sample & b.sample
    distinctive = sum(1 for s in sampled if df[s] <= COMMON_DF) / max(1, len(sampled))
    if distinctive < SUGGEST_DISTINCTIVE:
        return None
    shared = len(a.shingles & b.shingles)
    smaller = min(len(a.shingles), len(b.shingles))
    if shared < MIN_SHARED_SUGGEST or shared < SUGGEST * smaller:
        return None
    containment = shared / smaller
    jaccard = shared / (len(a.shingles) + len(b.shingles) - shared)
    merge = (
        containment >= MERGE
        and jaccard >= MERGE_JACCARD
        and distinctive >= MERGE_DISTINCTIVE
        and shared >= MIN_SHARED_MERGE
    )
    reason = (
        f"{containment:.0%} of the shorter abstract's word {SHINGLE}-grams are in the other"
        f" ({shared} of {smaller}; Jaccard {jaccard:.2f}; {distinctive:.0%} of the shared"
        f" text is in no more than {COMMON_DF} papers)"
    )
    return DupPair(a.doc.key, b.doc.key, round(containment, 4), merge, reason)


def rare_df(n: int) -> int:
    """Most texts a phrase may be in and still count as rare: 2, or 1 in 1,000 of a corpus."""
    return max(2, n // 1000)


def _stem(word: str) -> str:
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def _name_keys(name: str) -> set[str]:
    """A name normalised, and without a trailing "(ACRONYM)" if it has one."""
    keys = {normalise_text(name)}
    bare = re.sub(r"\s*\([^()]*\)\s*$", "", name)
    if bare != name:
        keys.add(normalise_text(bare))
    return {k for k in keys if k}


def _title_keys(title: str) -> set[str]:
    keys = _name_keys(title)
    if ":" in title:
        keys |= _name_keys(title.split(":", 1)[0])
    return keys


def _is_distinctive_name(key: str) -> bool:
    """A name worth matching: two words or more, or one coined word (digits, or long)."""
    words = key.split()
    return len(words) >= 2 or (len(words) == 1 and (any(c.isdigit() for c in key) or len(key) >= 5))


def _link_key(url: str) -> str:
    url = re.sub(r"^https?://(www\.)?", "", url.strip().casefold())
    return url.rstrip("/.,;:)")


class _Evidence:
    """Pairs worded differently but tied by a name, a title's words, or a link."""

    def __init__(self, texts: list[_Text]) -> None:
        self.texts = texts
        self.found: dict[tuple[int, int], list[str]] = {}
        self.strong: set[tuple[int, int]] = set()
        self._df: Counter[bytes] | None = None
        self.wordsets: list[set[bytes]] = []

    def pairs(self, text_pairs: dict[tuple[int, int], DupPair]) -> dict[tuple[int, int], DupPair]:
        self._names()
        self._title_words()
        self._links()
        result: dict[tuple[int, int], DupPair] = {}
        for ij in sorted(self.found):
            known = text_pairs.get(ij)
            if known is not None and (known.merge or ij not in self.strong):
                continue  # the text already decided, and the evidence would not merge
            result[ij] = self._judge(ij)
        return result

    def _add(self, i: int, j: int, what: str) -> None:
        ij = (i, j) if i < j else (j, i)
        self.found.setdefault(ij, []).append(what)

    def _names(self) -> None:
        claimants: dict[str, set[int]] = {}
        for i, t in enumerate(self.texts):
            if t.doc.named:
                for key in _name_keys(t.doc.named):
                    if _is_distinctive_name(key):
                        claimants.setdefault(key, set()).add(i)
        titled: dict[str, set[int]] = {}
        for j, t in enumerate(self.texts):
            if t.doc.title and claimants:
                for key in _title_keys(t.doc.title) & claimants.keys():
                    titled.setdefault(key, set()).add(j)
        for key in sorted(titled):
            for i in sorted(claimants[key]):
                for j in sorted(titled[key] - {i}):
                    named, title = self.texts[i].doc.named, self.texts[j].doc.title or ""
                    part = (
                        " (before its colon)"
                        if ":" in title and key in _title_keys(title.split(":", 1)[0])
                        else ""
                    )
                    self._add(
                        i,
                        j,
                        f"'{named}', the contribution named in one abstract, is the title of"
                        f" the other{part}",
                    )
                    unambiguous = claimants[key] == {i} and titled[key] == {j}
                    claims_itself = bool(self.texts[j].doc.named) and key in _name_keys(
                        self.texts[j].doc.named or ""
                    )
                    if unambiguous and not claims_itself and self._confirmed(i, j, key):
                        self.strong.add((i, j) if i < j else (j, i))

    def _confirmed(self, i: int, j: int, key: str) -> bool:
        uses_name = f" {key} " in f" {' '.join(self.texts[j].words)} "
        return uses_name or len(self.phrases(i, j)) >= MERGE_PHRASES

    def _word_df(self) -> Counter[bytes]:
        """In how many texts each word is."""
        if self._df is None:
            df: Counter[bytes] = Counter()
            for t in self.texts:
                self.wordsets.append(set(t.raw_words))
                df.update(self.wordsets[-1])
            self._df = df
        return self._df

    def _title_words(self) -> None:
        wanted: dict[int, set[str]] = {}
        for j, t in enumerate(self.texts):
            if t.doc.title:
                stems = {_stem(w) for w in words_of(t.doc.title) if w not in _STOP and len(w) > 2}
                if len(stems) >= TITLE_MIN_WORDS:
                    wanted[j] = stems
        if not wanted:
            return
        df = self._word_df()
        forms: dict[str, list[bytes]] = {}
        all_stems = set().union(*wanted.values())
        starts = {s[:4].encode() for s in all_stems}
        for word in df:
            if word[:4] in starts and (stem := _stem(word.decode())) in all_stems:
                forms.setdefault(stem, []).append(word)
        # Index each title by its rarest word (texts holding any of its forms, at most).
        rarest: dict[int, str] = {}
        for j, stems in wanted.items():
            counts = {s: sum(df[w] for w in forms.get(s, ())) for s in stems}
            stem = min(sorted(stems), key=counts.__getitem__)
            if counts[stem] <= TITLE_RARE_DF:
                rarest[j] = stem
        index_forms = {w: s for s in set(rarest.values()) for w in forms.get(s, ())}
        holders: dict[str, set[int]] = {}
        if index_forms:
            for i, words in enumerate(self.wordsets):
                for w in index_forms.keys() & words:
                    holders.setdefault(index_forms[w], set()).add(i)
        for j in sorted(rarest):
            needed = [set(forms.get(s, ())) for s in wanted[j] if s != rarest[j]]
            hits = [
                i
                for i in sorted(holders.get(rarest[j], set()) - {j})
                if all(not f.isdisjoint(self.wordsets[i]) for f in needed)
            ]
            if 0 < len(hits) <= TITLE_MAX_HITS:
                title = self.texts[j].doc.title
                for i in hits:
                    self._add(
                        i, j, f"every content word of the title '{title}' is in the other abstract"
                    )

    def _links(self) -> None:
        holders: dict[str, set[int]] = {}
        for i, t in enumerate(self.texts):
            if t.doc.links or "http" in t.doc.text:
                for url in set(t.doc.links) | set(_URL.findall(t.doc.text)):
                    key = _link_key(url)
                    if "/" in key:  # a page, not a bare host
                        holders.setdefault(key, set()).add(i)
        for key in sorted(holders):
            found = sorted(holders[key])
            if 1 < len(found) <= LINK_MAX_DF:
                for n, i in enumerate(found):
                    for j in found[n + 1 :]:
                        self._add(i, j, f"both link to {key}")

    def phrases(self, i: int, j: int) -> list[str]:
        """Phrases the two texts share: runs of 2-grams of rare content words, longest first.

        A word is rare when at most `rare_df(n)` texts hold it; a 2-gram of two such words
        is then in at most that many texts too.
        """
        a, b = self.texts[i], self.texts[j]
        shared = set(zip(a.ids, a.ids[1:], strict=False)) & set(zip(b.ids, b.ids[1:], strict=False))
        if not shared:
            return []
        df, limit = self._word_df(), rare_df(len(self.texts))
        runs: list[list[str]] = []
        previous = False
        words = a.words
        for n, pair in enumerate(zip(a.ids, a.ids[1:], strict=False)):
            first, second = words[n], words[n + 1]
            rare = (
                pair in shared
                and first not in _STOP
                and second not in _STOP
                and min(df[a.raw_words[n]], df[a.raw_words[n + 1]]) <= limit
            )
            if rare and previous:
                runs[-1].append(second)
            elif rare:
                runs.append([first, second])
            previous = rare
        phrases = {" ".join(run) for run in runs}
        whole = sorted(phrases, key=lambda s: (-len(s), s))
        kept: list[str] = []
        for phrase in whole:
            if not any(f" {phrase} " in f" {longer} " for longer in kept):
                kept.append(phrase)
        return kept

    def _judge(self, ij: tuple[int, int]) -> DupPair:
        i, j = ij
        evidence = list(dict.fromkeys(self.found[ij]))
        phrases = self.phrases(i, j)
        if phrases:
            shown = ", ".join(f"'{p}'" for p in phrases[:3])
            more = f" ({shown}{', …' if len(phrases) > 3 else ''})"
            plural = "s" if len(phrases) != 1 else ""
            evidence.append(f"{len(phrases)} rare phrase{plural} shared{more}")
        else:
            evidence.append("no rare phrase shared")
        strong = ij in self.strong
        # A strength, for ordering suggestions: the kinds of evidence and the phrases shared.
        kinds = sum(
            any(e.startswith(prefix) or prefix in e for e in self.found[ij])
            for prefix in ("the contribution named", "every content word", "both link to")
        )
        score = min(1.0, 0.25 * kinds + 0.1 * min(len(phrases), 3) + (0.4 if strong else 0.0))
        a, b = self.texts[i].doc.key, self.texts[j].doc.key
        return DupPair(a, b, round(score, 2), strong, "; ".join(evidence))


def merge_groups(keys: Iterable[str], pairs: Iterable[DupPair]) -> list[list[str]]:
    """Union the papers joined by pairs to merge; every key in one group, groups sorted."""
    parent: dict[str, str] = {k: k for k in keys}

    def root(k: str) -> str:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for pair in pairs:
        if pair.merge:
            for k in (pair.a, pair.b):
                parent.setdefault(k, k)
            ra, rb = root(pair.a), root(pair.b)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
    groups: dict[str, list[str]] = {}
    for k in parent:
        groups.setdefault(root(k), []).append(k)
    return sorted(sorted(g) for g in groups.values())
