"""Related papers and topic keywords, from TF-IDF over titles and abstracts. No I/O.

Terms are stemmed words and two-word phrases ("reinforcement learning"), stop words and
numbers left out; a term's weight in a paper is (1 + ln tf) · idf, a title word counting
as TITLE_WEIGHT occurrences. Related papers are found without comparing every pair: each
paper keeps its CANDIDATE_TERMS heaviest terms that few papers share, the sparse product
of those pruned vectors proposes candidates, and the true cosine of the full vectors
ranks them. Keywords are a paper's heaviest terms that other papers share as keywords
too, so every topic page lists several papers. The result depends only on the set of
papers given, never on their order.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import chain
from typing import Any

import numpy as np
import scipy.sparse as sp

TITLE_WEIGHT = 3
"""A title word counts as this many occurrences of the word in the abstract."""
MIN_SIMILARITY = 0.1
"""Cosine below which a paper is not shown as related. On the 1,000 real arXiv papers of
the bench corpus, 64% of the pairs scoring 0.10-0.15 share an arXiv category (random
pairs: 8%), but only 40% of those scoring 0.05-0.10: below it a link misleads more often
than it helps. About 80% of those papers still get at least one related paper."""
CANDIDATE_TERMS = 24
"""Heaviest terms per paper used to find candidates."""
CANDIDATE_MAX_DF = 100
"""Terms in more than this many papers propose no candidates: they would pair nearly
everything (the cost grows with the square of a term's papers), and the true cosine
still counts them. With CANDIDATE_TERMS and CANDIDATES_PER_PAPER, the search finds 98%
of the exact top-5 pairs of the 1,000-paper bench corpus."""
CANDIDATES_PER_PAPER = 20
"""Candidates per paper whose true cosine is computed."""
KEYWORDS_MAX = 5
KEYWORDS_MIN = 2
KEYWORD_MAX_DF = 0.5
"""A term in more than half the papers describes the corpus, not a paper."""
BIGRAM_BONUS = 1.5
"""Phrases outrank their words as keywords: "reinforcement learning" over "learning"."""
FRAGMENT_SHARE = 0.8
"""A phrase followed by one same word this often is the start of a longer phrase
("large language" in "large language models") and is no keyword by itself."""
SMALL_CORPUS = 10
"""From this many papers on, every keyword is a term two papers or more hold."""
SHARED_TERMS = 3
"""Shared terms named as the reason two papers are related."""

_STOP_TEXT = """a about above across after again against all almost along also although always am
    among an and another any are around as at be became because become been before being
    below between both but by can cannot could did do does doing done down during each
    either else etc even ever every few for from further had has have having he her here
    hers him his how however i ie if in into is it its itself just least less let like
    many may me might more most much must my neither no nor not now of off often on once
    one only onto or other others otherwise our ours out over own per perhaps rather
    same several she should since so some such than that the their theirs them then
    there thereby therefore these they this those though three through thus to together
    too toward towards two under until up upon us very via was we well were what whatever
    when where whereas whether which while who whom whose why will with within without
    would yet you your e g al et eg vs
    able across additionally allow allows abstract achieve achieves achieved address
    addresses based call called consider considered demonstrate demonstrates demonstrated
    describe described discuss discussed find finds found first given give gives goal
    here illustrate include includes including introduce introduced introduces investigate
    investigated key make makes making moreover new novel obtain obtained offer paper
    present presented presents propose proposed proposes provide provided provides
    recent recently report reported require requires second show showed shown shows
    significantly study studied use used uses using work works yield yields
    aim apply applied arise art assess become behave compare concern contain correspond
    corresponding create define defined depend derive derived determine develop developed
    enable enables enabling estimate explain exploit explore facilitate finally focus
    generate generated govern help implement increasingly indicate involve involved lead
    leads leverage leveraging observe observed occur perform performed possible produce
    produced regard rely remain reveal reveals seek still suggest tend update validate
    efficiently explicitly publicly particular particularly certain currently typically
    http https www com org html github prove proved argue article letter math"""
STOP_WORDS = frozenset(_STOP_TEXT.split())
"""Words that carry no topic: function words and the verbs every abstract uses."""

_GENERIC_TEXT = """model method approach result data task performance system problem analysis learn
    train network algorithm framework set time number case state process structure
    function value effect property field order type level form term way large small high
    low different general specific important various good better best
    question answer example evidence experiment technique application
    improve improvement increase reduce input output ability capability challenge
    limitation need means power range rate role scale size source step test tool
    understand measure user end date amount addition average individual complex
    sophisticated fundamental major simple strong easy hard fast slow future modern open
    closed real full whole entire main overall total typical unique extensive
    comprehensive effective efficient significant substantial current existing potential
    available additional difficult related relationship unfamiliar design long short
    self double class solution line family"""
GENERIC_WORDS = frozenset(_GENERIC_TEXT.split())
"""Words too vague to be a topic on their own (they still count for similarity)."""

_TOKEN = re.compile(r"\w+-?|[^\w\s'’-]")
"""A word (with the hyphen joining it to the next), or a mark that ends a phrase."""
_END = "\0"
_CHUNK = 10000
"""Pairs of papers multiplied at a time."""
_BATCH = 500
"""Papers tokenized at a time."""
_Array = np.ndarray[Any, Any]


@dataclass(frozen=True)
class TextDoc:
    """One paper as the analysis sees it."""

    id: str
    title: str
    """Plain text."""
    text: str
    """The abstract as plain text."""


@dataclass(frozen=True)
class RelatedPaper:
    """A paper similar to another one, and why."""

    id: str
    score: float
    """Cosine similarity of the TF-IDF vectors, 0..1."""
    shared_terms: tuple[str, ...]
    """Up to 3 shared terms (display form) that weigh most in the score, heaviest first."""


@dataclass(frozen=True)
class Analysis:
    """What `analyse` found, keyed by paper id."""

    related: dict[str, tuple[RelatedPaper, ...]]
    """Paper id → up to `related_count` related papers, best first (weak matches left out)."""
    keywords: dict[str, tuple[str, ...]]
    """Paper id → 2..5 topic keywords in display form, most descriptive first."""


def stem(word: str) -> str:
    """Return a lower-case word without its plural or -ing/-ed ending ("models" → "model",
    "learning" → "learn", "studies" → "study"); short words and codes stay as they are."""
    if len(word) <= 3 or not word.isalpha():
        return word
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith("sses"):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    for suffix in ("ing", "ed"):
        base = word[: -len(suffix)]
        if word.endswith(suffix) and len(base) >= 3 and any(v in base for v in "aeiouy"):
            word = base[:-1] if len(base) > 3 and base[-1] == base[-2] != "s" else base
            break
    return word[:-1] if word.endswith("e") and len(word) > 3 else word


def topic_key(text: str) -> str:
    """Return the key under which a keyword or a tag is one topic: "Language Models" and
    "language model" give the same key."""
    words = (w.rstrip("-").lower() for w in _TOKEN.findall(unicodedata.normalize("NFKC", text)))
    return " ".join(stem(w) for w in words if w.isalnum())


class _Vocabulary:
    """Every distinct raw token gets an id, and the id of its term key (-1: no term)."""

    def __init__(self) -> None:
        self.raw_id: dict[str, int] = {}
        self.raws: list[str] = []
        self.raw_key: list[int] = []
        self.key_id: dict[str, int] = {}
        self.keys: list[str] = []
        self.key_raws: list[list[int]] = []
        self.lower_key: dict[str, str | None] = {}

    def ids(self, text: str) -> _Array:
        """Return the raw token ids of a text, learning its new tokens in sorted order (not
        in set order, which changes from one process to the next)."""
        raw = _TOKEN.findall(text)
        for word in sorted(set(raw).difference(self.raw_id)):
            self._learn(word)
        return np.array(list(map(self.raw_id.__getitem__, raw)), dtype=np.int64)

    def _learn(self, word: str) -> None:
        raw = self.raw_id[word] = len(self.raws)
        self.raws.append(word)
        lower = word.rstrip("-").lower()
        key = self.lower_key.get(lower, "")
        if key == "":
            key = self.lower_key[lower] = _term_key(lower)
        if key is None:
            self.raw_key.append(-1)
            return
        kid = self.key_id.get(key)
        if kid is None:
            kid = self.key_id[key] = len(self.keys)
            self.keys.append(key)
            self.key_raws.append([])
        self.raw_key.append(kid)
        self.key_raws[kid].append(raw)


def _term_key(lower: str) -> str | None:
    """The term key of a lower-case token, or None for a stop word, a number or a mark."""
    if len(lower) < 2 or lower.isdigit() or not lower.isalnum() or lower in STOP_WORDS:
        return None
    key = stem(lower)
    return None if key in _STOP_KEYS else key


def _shown(raw: str) -> str:
    """Acronyms and names keep their case ("LLMs", "GPT"); other words are lower case."""
    bare = raw.rstrip("-")
    return bare if bare[1:] != bare[1:].lower() else bare.lower()


def _plural(raw: str) -> bool:
    lower = raw.rstrip("-").lower()
    return lower.endswith("s") and not lower.endswith("ics") and stem(lower) != lower


_STOP_KEYS = frozenset(stem(w) for w in STOP_WORDS if len(w) > 3)
_GENERIC_KEYS = frozenset(stem(w) for w in GENERIC_WORDS)


@dataclass
class _Corpus:
    """The papers as arrays. Columns are terms: first every key (one word, column = key
    id), then the phrases; `codes` gives each phrase's keys a, b as v + a·v + b."""

    ids: list[str]
    vocab: _Vocabulary
    v: int
    """How many keys."""
    raw: _Array
    """Raw token ids of the titles and abstracts, -1 between texts and for a run of
    tokens that are no term."""
    keys: _Array
    """Key id at each position of `raw` (-1: no term)."""
    phrase_col: _Array
    """Column of the phrase starting at each position of `raw` but the last (-1: none)."""
    codes: _Array
    counts: sp.csr_matrix
    """Papers × columns: occurrences, a title occurrence counting TITLE_WEIGHT."""
    df: _Array
    fragment: _Array
    """Per column: a phrase nearly always followed by one same word."""
    plural_first: _Array
    """Per column: a phrase whose first word is mostly plural or a verb ("teaches LLMs")."""

    def parts(self, cols: _Array) -> tuple[_Array, _Array]:
        """Key ids of each column's words; the second is -1 for a single word."""
        codes = self.codes[cols]
        phrase = codes >= self.v
        first = np.where(phrase, (codes - self.v) // self.v, codes)
        return first, np.where(phrase, (codes - self.v) % self.v, -1)


def _tokens(docs: Sequence[TextDoc], vocab: _Vocabulary) -> tuple[_Array, _Array, _Array]:
    """Raw token ids of every title and abstract, each text followed by -1; the paper and
    the weight of each position."""
    # A pass over many texts at once, each followed by a NUL, which the tokenizer returns
    # as a mark of its own; a batch at a time, as a list of token strings is large.
    raw = np.concatenate([np.zeros(0, dtype=np.int64)] + [
        vocab.ids("".join(f"{_clean(d.title)}{_END}{_clean(d.text)}{_END}" for d in batch))
        for batch in (docs[i : i + _BATCH] for i in range(0, len(docs), _BATCH))
    ])  # fmt: skip
    ends = np.flatnonzero(raw == vocab.raw_id[_END])
    raw[ends] = -1
    title_ends, paper_ends = ends[0::2], ends[1::2]
    starts = np.r_[0, paper_ends[:-1] + 1]
    paper = np.repeat(np.arange(len(docs)), paper_ends - starts + 1)
    edge = np.zeros(len(raw) + 1, dtype=np.int64)
    edge[starts] += 1
    edge[title_ends + 1] -= 1
    weight = np.where(np.cumsum(edge)[:-1] > 0, float(TITLE_WEIGHT), 1.0)
    return raw, paper, weight


def _clean(text: str) -> str:
    """NFKC (per text: fast when there is nothing to change), NULs made spaces."""
    return unicodedata.normalize("NFKC", text).replace(_END, " ")


def _read(docs: Sequence[TextDoc]) -> _Corpus:
    vocab = _Vocabulary()
    raw, paper, weight = _tokens(docs, vocab)
    keys = np.array([*vocab.raw_key, -1], dtype=np.int64)[raw]  # raw -1 → the last: -1
    # Keep the terms and one -1 for each run of other tokens: a phrase never spans them.
    word = keys >= 0
    kept = word | np.r_[True, word[:-1]]
    raw, keys, paper, weight, word = raw[kept], keys[kept], paper[kept], weight[kept], word[kept]
    v = max(1, len(vocab.keys))
    pair = word[:-1] & word[1:]
    phrase_codes, phrase_index = np.unique(
        v + keys[:-1][pair] * v + keys[1:][pair], return_inverse=True
    )
    phrase_col = np.full(len(pair), -1, dtype=np.int64)
    phrase_col[pair] = v + phrase_index
    columns = v + len(phrase_codes)
    counts = sp.csr_matrix(
        (
            np.concatenate([weight[word], weight[:-1][pair]]),
            (
                np.concatenate([paper[word], paper[:-1][pair]]),
                np.concatenate([keys[word], phrase_col[pair]]),
            ),
        ),
        shape=(len(docs), columns),
    )
    counts.sum_duplicates()
    codes = np.concatenate([np.arange(v), phrase_codes])
    df = np.bincount(counts.indices, minlength=columns)
    corpus = _Corpus(
        [d.id for d in docs], vocab, v, raw, keys, phrase_col, codes, counts, df,
        np.zeros(columns, dtype=bool), np.zeros(columns, dtype=bool),
    )  # fmt: skip
    _mark_phrases(corpus, pair)
    return corpus


def _mark_phrases(corpus: _Corpus, pair: _Array) -> None:
    """Find the phrases that are fragments of longer ones, or start with a plural."""
    keys, v, phrase_col = corpus.keys, corpus.v, corpus.phrase_col
    where = phrase_col[pair]
    seen = np.bincount(where, minlength=len(corpus.codes))
    plural = np.array([_plural(r) for r in corpus.vocab.raws] + [False])
    plural_count = np.bincount(where, plural[corpus.raw[:-1][pair]], minlength=len(seen))
    corpus.plural_first[:] = plural_count * 2 > seen
    triple = pair[:-1] & (keys[2:] >= 0)
    follows, count = np.unique(phrase_col[:-1][triple] * v + keys[2:][triple], return_counts=True)
    if len(follows):
        starts = np.flatnonzero(np.r_[True, np.diff(follows // v) != 0])
        most = np.maximum.reduceat(count, starts)
        cols = follows[starts] // v
        corpus.fragment[cols] = most >= FRAGMENT_SHARE * seen[cols]


def _describes(corpus: _Corpus) -> _Array:
    """Per column: whether the term can name a topic (no generic word alone, no phrase of
    generic words, no fragment, no phrase starting with a plural)."""
    generic = np.array([k in _GENERIC_KEYS or len(k) < 3 for k in corpus.vocab.keys] + [True])
    first, second = corpus.parts(np.arange(len(corpus.codes)))
    single = second < 0
    word_ok = single & ~generic[first]
    phrase_ok = ~single & ~(generic[first] & generic[second]) & ~corpus.plural_first
    describes: _Array = (word_ok | phrase_ok) & ~corpus.fragment
    return describes


def _display(corpus: _Corpus, cols: Iterable[int]) -> dict[int, str]:
    """Column → its most common written form (ties: the alphabetically first)."""
    wanted = np.unique(np.fromiter(cols, dtype=np.int64))
    vocab, v, raw = corpus.vocab, corpus.v, corpus.raw
    forms: dict[int, Counter[str]] = {c: Counter() for c in wanted.tolist()}
    raw_count = np.bincount(raw[raw >= 0], minlength=len(vocab.raws))
    for col in wanted[wanted < v].tolist():
        for r in vocab.key_raws[col]:
            forms[col][_shown(vocab.raws[r])] += int(raw_count[r])
    # A phrase: the raw token pairs written for it.
    is_wanted = np.zeros(len(corpus.codes) + 1, dtype=bool)
    is_wanted[wanted] = True
    hit = is_wanted[corpus.phrase_col]  # -1 → the last entry: False
    size = len(vocab.raws)
    pairs, n = np.unique(
        (corpus.phrase_col[hit] * size + raw[:-1][hit]) * size + raw[1:][hit], return_counts=True
    )
    for code, count in zip(pairs.tolist(), n.tolist(), strict=True):
        col, rest = divmod(code, size * size)
        first, second = vocab.raws[rest // size], vocab.raws[rest % size]
        joint = "-" if first.endswith("-") else " "
        forms[col][f"{_shown(first)}{joint}{_shown(second)}"] += count
    return {c: min(f.items(), key=lambda item: (-item[1], item[0]))[0] for c, f in forms.items()}


def _matrix(corpus: _Corpus) -> tuple[sp.csr_matrix, sp.csr_matrix, _Array]:
    """Unit-length TF-IDF rows over every term, and over the terms two or more papers
    share (a term of one paper adds nothing to a similarity); the columns of the latter."""
    counts, df, n = corpus.counts, corpus.df, len(corpus.ids)
    rows = np.repeat(np.arange(n), np.diff(counts.indptr))
    weight = (1 + np.log(counts.data)) * (np.log((n + 1) / (df + 1)) + 1)[counts.indices]
    norms = np.sqrt(np.bincount(rows, weight * weight, minlength=n))
    every = sp.csr_matrix((weight / norms[rows], counts.indices, counts.indptr), counts.shape)
    shared = np.flatnonzero(df >= 2)
    return every, sp.csr_matrix(every[:, shared]), shared


def _top_per_row(matrix: sp.spmatrix, k: int) -> tuple[_Array, _Array, _Array]:
    """Rows, columns and values of each row's k largest entries (all positive), row by row,
    largest first (ties: lower column first)."""
    csr = sp.csr_matrix(matrix)
    csr.sum_duplicates()
    sizes = np.diff(csr.indptr)
    rows = np.repeat(np.arange(csr.shape[0]), sizes)
    top = float(csr.data.max()) if csr.nnz else 1.0
    # One stable sort: the row, then the value falling within [row, row + 0.5).
    order = np.argsort(rows + 0.5 * (1 - csr.data / top), kind="stable")
    order = order[np.arange(len(order)) - np.repeat(csr.indptr[:-1], sizes) < k]
    return rows[order], csr.indices[order], csr.data[order]


def _rank(rows: _Array) -> _Array:
    """Position of each entry within its row, for sorted rows."""
    return np.arange(len(rows)) - np.searchsorted(rows, rows, side="left")


def _top_terms(
    corpus: _Corpus, scores: sp.spmatrix, columns: _Array, k: int
) -> tuple[_Array, _Array]:
    """Each row's k best terms (as columns of the corpus), best first, leaving out a word
    when a phrase holding it is among the row's best terms too."""
    rows, cols, _ = _top_per_row(scores, 2 * k)
    cols = columns[cols]
    first, second = corpus.parts(cols)
    phrase = second >= 0
    v = corpus.v
    inside = np.concatenate([rows[phrase] * v + first[phrase], rows[phrase] * v + second[phrase]])
    keep = phrase | ~_member(rows * v + first, inside)
    rows, cols = rows[keep], cols[keep]
    keep = _rank(rows) < k
    return rows[keep], cols[keep]


def _member(values: _Array, pool: _Array) -> _Array:
    """Whether each value is in the pool (a binary search: cheaper than np.isin here)."""
    if not len(pool):
        return np.zeros(len(values), dtype=bool)
    pool = np.sort(pool)
    found: _Array = pool[np.minimum(np.searchsorted(pool, values), len(pool) - 1)] == values
    return found


def _pair_products(x: sp.csr_matrix, a: _Array, b: _Array) -> sp.csr_matrix:
    """Row p holds the term-by-term products of rows a[p] and b[p] of x."""
    chunks = [
        sp.csr_matrix(x[a[i : i + _CHUNK]].multiply(x[b[i : i + _CHUNK]]))
        for i in range(0, len(a), _CHUNK)
    ]
    return sp.csr_matrix(sp.vstack(chunks)) if chunks else sp.csr_matrix((0, x.shape[1]))


def _cosines(x: sp.csr_matrix, a: _Array, b: _Array) -> _Array:
    """Dot products of rows a[p] and b[p] of x, a chunk at a time (memory stays small)."""
    sums = [
        np.asarray(x[a[i : i + _CHUNK]].multiply(x[b[i : i + _CHUNK]]).sum(axis=1)).ravel()
        for i in range(0, len(a), _CHUNK)
    ]
    return np.concatenate(sums) if sums else np.zeros(0)


def _candidates(x: sp.csr_matrix, df: _Array) -> tuple[_Array, _Array]:
    """Pairs (a, b), a < b, sharing heavy terms that few papers share."""
    n = x.shape[0]
    pruned = x.copy()
    pruned.data[df[pruned.indices] > CANDIDATE_MAX_DF] = 0
    pruned.eliminate_zeros()
    rows, cols, vals = _top_per_row(pruned, CANDIDATE_TERMS)
    q = sp.csr_matrix((vals, (rows, cols)), shape=x.shape)
    approx = sp.coo_matrix(q @ q.T)
    off = approx.row != approx.col
    approx = sp.coo_matrix((approx.data[off], (approx.row[off], approx.col[off])), shape=(n, n))
    rows, cols, _ = _top_per_row(approx, CANDIDATES_PER_PAPER)
    pairs = np.unique(np.minimum(rows, cols).astype(np.int64) * n + np.maximum(rows, cols))
    return pairs // n, pairs % n


def _related(
    corpus: _Corpus, x: sp.csr_matrix, shared: _Array, describes: _Array, count: int
) -> tuple[list[tuple[int, int, float]], _Array, _Array]:
    """Related pairs (a, b, cosine), best first per a; and each pair's reason terms."""
    n = len(corpus.ids)
    lo, hi = _candidates(x, corpus.df[shared])
    exact = _cosines(x, lo, hi)
    strong = np.flatnonzero(exact >= MIN_SIMILARITY)
    both = np.concatenate([strong, strong])
    a = np.concatenate([lo[strong], hi[strong]])
    b = np.concatenate([hi[strong], lo[strong]])
    ranked = sp.coo_matrix((exact[both], (a, b)), shape=(n, n))
    a, b, score = _top_per_row(ranked, count)
    # A shared term that names no topic is a reason only when nothing better is shared.
    scores = _pair_products(x, a, b) @ sp.diags(np.where(describes[shared], 1.0, 1e-6))
    rows, cols = _top_terms(corpus, scores, shared, SHARED_TERMS)
    keep = describes[cols] | (_rank(rows) == 0)
    pairs = list(zip(a.tolist(), b.tolist(), score.tolist(), strict=True))
    return pairs, rows[keep], cols[keep]


def _keywords(corpus: _Corpus, every: sp.csr_matrix, describes: _Array) -> list[list[int]]:
    """Each paper's best terms that are among the KEYWORDS_MAX best of another paper too
    (so every topic holds two papers or more); a paper left with fewer than KEYWORDS_MIN
    takes its next best terms, shared or not."""
    n = len(corpus.ids)
    phrase_bonus = np.where(np.arange(len(corpus.codes)) >= corpus.v, BIGRAM_BONUS, 1.0)
    topic = describes & (corpus.df >= 2) & (corpus.df <= max(2, KEYWORD_MAX_DF * n))
    ranked = _ranked(corpus, every, np.where(topic, phrase_bonus, 0.0), n)
    popular = Counter(c for r in ranked for c in r[:KEYWORDS_MAX])
    chosen = [[c for c in r if popular[c] >= 2][:KEYWORDS_MAX] for r in ranked]
    short = [i for i, c in enumerate(chosen) if len(c) < KEYWORDS_MIN]
    if short:
        # Terms that name no topic only when nothing else is left; in a corpus of
        # SMALL_CORPUS papers or more, only terms another paper holds too.
        allowed = (corpus.df >= 2) | (n < SMALL_CORPUS)
        bonus = np.where(allowed, np.where(describes, phrase_bonus, 1e-6), 0.0)
        own = _ranked(corpus, every[short], bonus, len(short))
        topics = {c for keywords in chosen for c in keywords}
        for i, extra in zip(short, own, strict=True):
            # Topics other papers have come first: the paper joins their pages.
            terms = list(dict.fromkeys(chain(ranked[i], extra)))
            for col in sorted(terms, key=lambda c: c not in topics):
                if len(chosen[i]) >= KEYWORDS_MIN:
                    break
                _add_term(corpus, chosen[i], col)
    return chosen


def _ranked(corpus: _Corpus, every: sp.csr_matrix, bonus: _Array, n: int) -> list[list[int]]:
    """Per row, its best terms by weight × bonus (0: never), best first."""
    scored = sp.csr_matrix(every @ sp.diags(bonus))
    scored.eliminate_zeros()
    rows, cols = _top_terms(corpus, scored, np.arange(len(bonus)), 2 * KEYWORDS_MAX)
    ranked: list[list[int]] = [[] for _ in range(n)]
    for row, col in zip(rows.tolist(), cols.tolist(), strict=True):
        ranked[row].append(col)
    return ranked


def _add_term(corpus: _Corpus, chosen: list[int], col: int) -> None:
    """Append a term unless it is there or inside a chosen phrase; a phrase takes the place
    of its words already chosen."""
    words = _words(corpus, col)
    if col in chosen or any(len(words) == 1 and words[0] in _words(corpus, c) for c in chosen):
        return
    if len(words) == 2:
        chosen[:] = [c for c in chosen if c >= corpus.v or c not in words]
    chosen.append(col)


def _words(corpus: _Corpus, col: int) -> tuple[int, ...]:
    """Key ids of a column's words."""
    first, second = corpus.parts(np.array([col]))
    return (int(first[0]),) if second[0] < 0 else (int(first[0]), int(second[0]))


def analyse(docs: Sequence[TextDoc], related_count: int = 5) -> Analysis:
    """Return each paper's related papers and topic keywords."""
    ordered = sorted(docs, key=lambda d: d.id)
    if len({d.id for d in ordered}) != len(ordered):
        raise ValueError("analyse: paper ids must be unique")
    if not ordered:
        return Analysis({}, {})
    corpus = _read(ordered)
    every, x, shared = _matrix(corpus)
    describes = _describes(corpus)
    pairs, reason_rows, reason_cols = _related(corpus, x, shared, describes, related_count)
    keywords = _keywords(corpus, every, describes)
    shown = _display(corpus, chain(reason_cols.tolist(), *keywords))
    reasons: list[list[str]] = [[] for _ in pairs]
    for row, col in zip(reason_rows.tolist(), reason_cols.tolist(), strict=True):
        reasons[row].append(shown[col])
    related: dict[str, list[RelatedPaper]] = {i: [] for i in corpus.ids}
    for (a, b, score), why in zip(pairs, reasons, strict=True):
        paper = RelatedPaper(corpus.ids[b], round(min(score, 1.0), 4), tuple(why))
        related[corpus.ids[a]].append(paper)
    return Analysis(
        {k: tuple(v) for k, v in related.items()},
        {corpus.ids[i]: tuple(shown[c] for c in k) for i, k in enumerate(keywords)},
    )
