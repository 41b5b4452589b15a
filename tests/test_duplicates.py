"""Near-duplicate detection: the real seeds, planted variants of real abstracts, bench corpora."""

from __future__ import annotations

import importlib.util
import json
import os
import random
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from site_builder.duplicates import DupDoc, DupPair, find_duplicates, merge_groups, normalise_text
from site_builder.load import Candidate, load_seeds, merge_entries, normalise_abstract
from site_builder.markdown import find_links
from site_builder.model import SeedEntry
from site_builder.seeds import read_seed_file
from site_builder.titles import named_contribution

PROJECT = Path(__file__).resolve().parents[1]
BENCH = Path(__file__).resolve().parents[2] / "shared" / "bench"


def bench_dir() -> Path:
    if not (BENCH / "arxiv-2000.jsonl").is_file():
        if os.environ.get("CI") == "true":
            pytest.fail(f"benchmark corpus missing: {BENCH}")
        pytest.skip("../shared/bench not present")
    return BENCH


def dup_doc(candidate: Candidate) -> DupDoc:
    text = candidate.abstract
    return DupDoc(
        candidate.id, text, candidate.title, named_contribution(text), tuple(find_links(text))
    )


def seed_candidates() -> list[Candidate]:
    entries = [
        e
        for path in sorted((PROJECT / "seeds").glob("*.txt"))
        for e in read_seed_file(path).entries
    ]
    return merge_entries(entries)


def by_title(candidates: list[Candidate], title: str) -> Candidate:
    return next(c for c in candidates if c.title == title)


def by_text(candidates: list[Candidate], start: str) -> Candidate:
    return next(c for c in candidates if c.abstract.startswith(start) and c.title is None)


# --- the real seeds ---------------------------------------------------------------------


def test_seeds_merge_deliberative_alignment_and_suggest_feature_priors() -> None:
    candidates = seed_candidates()
    assert len(candidates) == 39
    pairs = find_duplicates([dup_doc(c) for c in candidates])
    for pair in pairs:
        print(f"{'MERGE' if pair.merge else 'suggest'} {pair.similarity:.2f} {pair.reason}")

    da_title = by_title(
        candidates, "Deliberative Alignment: Reasoning Enables Safer Language Models"
    )
    da_abstract = by_text(candidates, "As large-scale language models increasingly impact")
    priors_title = by_title(candidates, "Combining Diverse Feature Priors")
    priors_abstract = by_text(candidates, "To improve model generalization")
    found = {(p.a, p.b): p for p in pairs}

    da = found[tuple(sorted((da_title.id, da_abstract.id)))]  # type: ignore[index]
    assert da.merge
    assert "'Deliberative Alignment'" in da.reason and "before its colon" in da.reason

    priors = found[tuple(sorted((priors_title.id, priors_abstract.id)))]  # type: ignore[index]
    assert not priors.merge  # the title's words only: a suggestion
    assert "Combining Diverse Feature Priors" in priors.reason

    # Nothing else is merged; the o1 System Card, which mentions deliberative alignment, is not.
    assert [p for p in pairs if p.merge] == [da]
    groups = merge_groups([c.id for c in candidates], pairs)
    assert len(groups) == 38
    assert sorted([da_title.id, da_abstract.id]) in groups


def test_order_and_key_independence() -> None:
    docs = [dup_doc(c) for c in seed_candidates()]
    forward = find_duplicates(docs)
    assert find_duplicates(list(reversed(docs))) == forward
    assert all(p.a < p.b for p in forward)
    assert forward == sorted(forward, key=lambda p: (p.a, p.b))


def test_merge_groups_unions_merges_only() -> None:
    pairs = [
        DupPair("a", "b", 0.9, True, "x"),
        DupPair("b", "c", 0.9, True, "x"),
        DupPair("d", "e", 0.6, False, "x"),
    ]
    assert merge_groups(["e", "d", "c", "b", "a", "f"], pairs) == [
        ["a", "b", "c"],
        ["d"],
        ["e"],
        ["f"],
    ]


def test_normalisation_removes_markup_accents_and_punctuation() -> None:
    plain = normalise_text("We study Balázs's model of large-scale emphasis, x = y.")
    marked = normalise_text(
        "<p>We <em>study</em> Bal\\'{a}zs's **model** of large‑scale \\emph{emphasis}, $x = y$.</p>"
    )
    assert plain == marked == "we study balazs s model of large scale emphasis x y"


def test_short_shared_boilerplate_is_not_a_merge() -> None:
    # Two different abstracts that share one long sentence: suggested at most, never merged.
    shared = "All code and data are released under an open licence at our project page."
    a = DupDoc("a", f"We measure the thermal conductivity of graphene ribbons. {shared}")
    b = DupDoc("b", f"We prove a lower bound for sorting networks of depth four. {shared}")
    assert not any(p.merge for p in find_duplicates([a, b]))


# --- planted near-duplicates of real abstracts -------------------------------------------

REWORDS = [
    ("we show", "we demonstrate"),
    ("we present", "we introduce"),
    ("in this paper", "in this work"),
    ("results", "findings"),
    ("method", "approach"),
    ("novel", "new"),
    ("obtain", "derive"),
    ("study", "investigate"),
]


def _typo(text: str, rng: random.Random) -> str:
    words = text.split(" ")
    long = [i for i, w in enumerate(words) if len(w) >= 6 and w.isalpha()]
    for i in rng.sample(long, min(2, len(long))):
        w = words[i]
        k = rng.randrange(1, len(w) - 2)
        words[i] = w[:k] + w[k + 1] + w[k] + w[k + 2 :]
    return " ".join(words)


def _reword(text: str, rng: random.Random) -> str:
    done = 0
    for old, new in REWORDS:
        if old in text and done < 2:
            text, done = text.replace(old, new, 1), done + 1
    words = text.split(" ")
    for i in rng.sample(range(len(words)), min(3 - done if done < 3 else 1, len(words))):
        if words[i].isalpha():
            words[i] = rng.choice(["various", "several", "certain", "these"])
    return " ".join(words)


def _markup(text: str, rng: random.Random) -> str:
    words = text.split(" ")
    for i in rng.sample(range(len(words)), min(3, len(words))):
        wrap = rng.choice(["**{}**", "<em>{}</em>", "\\emph{{{}}}", "_{}_", "${}$"])
        words[i] = wrap.format(words[i])
    return "<p>" + " ".join(words) + "</p>"


def _unicode(text: str, rng: random.Random) -> str:
    text = text.replace(" ", "  ", 5).replace(". ", ".\n", 2).replace("'", "\u2019")
    text = text.replace("fi", "\ufb01").replace(" - ", " \u2013 ")
    return "\u00a0" + text + " "


def _code(text: str, rng: random.Random) -> str:
    user = "".join(rng.choice("abcdefghij") for _ in range(6))
    return f"{text} Code is available at https://github.com/{user}/{user}-code."


def _truncate(text: str, rng: random.Random) -> str:
    sentences = re.split(r"(?<=[.!?])\s+", text)
    last = sentences[-1].split(" ")
    return " ".join([*sentences[:-1], " ".join(last[: max(1, len(last) // 2)])])


def _everything(text: str, rng: random.Random) -> str:
    return _markup(_code(_typo(_truncate(text, rng), rng), rng), rng)


VARIANTS = {
    "code sentence added": _code,
    "typos": _typo,
    "reworded": _reword,
    "markup": _markup,
    "white space and Unicode": _unicode,
    "last sentence cut": _truncate,
    "all of these": _everything,
}


def test_planted_variants_are_merged_and_nothing_else() -> None:
    unique: dict[str, dict[str, str]] = {}
    for line in (bench_dir() / "arxiv-2000.jsonl").read_text(encoding="utf-8").splitlines():
        paper = json.loads(line)
        # Two pairs of arXiv records share one abstract word for word; merge_entries joins
        # those before the detector runs, so keep one of each.
        unique.setdefault(normalise_text(paper["abstract"]), paper)
    papers = list(unique.values())
    rng = random.Random(7)
    docs: list[DupDoc] = []
    paper_of: dict[str, str] = {}
    kind_of: dict[str, str] = {}
    for paper in papers:
        key = f"p-{paper['id']}"
        docs.append(DupDoc(key, paper["abstract"]))
        paper_of[key] = paper["id"]
    planted = rng.sample(papers, 350)
    for n, paper in enumerate(planted):
        kind = list(VARIANTS)[n % len(VARIANTS)]
        text = VARIANTS[kind](paper["abstract"], rng)
        if normalise_abstract(text) == normalise_abstract(paper["abstract"]):
            continue  # merge_entries joins these already
        key = f"v-{paper['id']}"
        docs.append(DupDoc(key, text, named=named_contribution(text)))
        paper_of[key], kind_of[key] = paper["id"], kind

    docs_by_key = {d.key: d for d in docs}
    pairs = find_duplicates(docs)
    wrong = [p for p in pairs if p.merge and paper_of[p.a] != paper_of[p.b]]
    assert wrong == [], wrong[:3]
    merged = {p.b for p in pairs if p.merge and p.a.startswith("p-") and p.b.startswith("v-")}
    merged |= {p.a for p in pairs if p.merge and p.a.startswith("v-")}
    suggested = {k for p in pairs if not p.merge for k in (p.a, p.b) if k.startswith("v-")}
    per_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for key, kind in kind_of.items():
        per_kind[kind][0] += key in merged
        per_kind[kind][1] += 1
    recall = len(merged) / len(kind_of)
    print(
        f"planted variants: {len(kind_of)}, merged {len(merged)}"
        f" (recall {recall:.3f}), precision 1.0"
    )
    for kind, (hit, total) in per_kind.items():
        print(f"  {kind}: {hit}/{total}")
    sims = sorted(p.similarity for p in pairs if p.merge)
    for p in pairs:
        if (p.a.startswith("v-") or p.b.startswith("v-")) and not p.merge:
            print(f"  suggested only ({kind_of.get(p.b, kind_of.get(p.a))}): {p.reason}")
    for key in sorted(set(kind_of) - merged - suggested):
        print(f"  missed ({kind_of[key]}): {key}")
    print(f"  containment of merged variants: min {sims[0]:.3f}, median {sims[len(sims) // 2]:.3f}")
    # Every variant of an abstract of 20 words or more is merged or at least suggested;
    # a typo, an added sentence or markup is always merged.
    long_enough = {k for k in kind_of if len(docs_by_key[k].text.split()) >= 20}
    assert long_enough <= merged | suggested
    for kind in ("code sentence added", "typos", "white space and Unicode"):
        assert per_kind[kind][0] == per_kind[kind][1], kind
    assert recall >= 0.9


# --- the bench corpora -------------------------------------------------------------------


def _bench_corpus(tmp_path: Path, n: int) -> tuple[list[Candidate], dict[str, Any]]:
    out = tmp_path / f"c{n}"
    subprocess.run(
        [sys.executable, str(bench_dir() / "make_corpus.py"), str(out), "--n", str(n)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    entries, problems = load_seeds(out)
    assert not problems
    truth = json.loads((tmp_path / f"c{n}-truth.json").read_text(encoding="utf-8"))
    return merge_entries(entries), truth


def truth_of_entries(candidates: list[Candidate], truth: dict[str, Any]) -> dict[SeedEntry, str]:
    """The truth paper of every seed entry: the one in its file with its title or abstract.

    The truth file gives each paper's title and files, not its abstract, so abstracts are
    matched through the generator's own inputs (the real abstracts, and for N > 2,000 the
    recombined ones, which `make_corpus.synthesize` rebuilds from the same seed).
    """
    spec = importlib.util.spec_from_file_location("make_corpus", bench_dir() / "make_corpus.py")
    assert spec and spec.loader
    make_corpus = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make_corpus)
    real = make_corpus.load_real()
    n = len(truth["papers"])
    made = (
        real[:n]
        if n <= len(real)
        else real + make_corpus.synthesize(real, n - len(real), random.Random(0))
    )
    by_text: dict[str, list[str]] = defaultdict(list)
    for paper in made:
        by_text[normalise_abstract(paper["abstract"])].append(paper["id"])
    papers = truth["papers"]
    found: dict[SeedEntry, str] = {}
    for candidate in candidates:
        for entry in candidate.entries:
            ids = [
                pid
                for pid in by_text[normalise_abstract(entry.abstract)]
                if entry.file in papers[pid]["files"]
                and (entry.title is None or papers[pid]["title"] == entry.title)
            ]
            found[entry] = ids[0] if len(ids) == 1 else f"?{entry.file}:{entry.line}"
    return found


def pair_scores(groups: list[list[SeedEntry]], paper: dict[SeedEntry, str]) -> tuple[float, float]:
    """Precision and recall of a grouping over pairs of seed entries, against the truth."""
    predicted = correct = 0
    for group in groups:
        predicted += len(group) * (len(group) - 1) // 2
        counts: dict[str, int] = defaultdict(int)
        for entry in group:
            counts[paper[entry]] += 1
        correct += sum(v * (v - 1) // 2 for v in counts.values())
    sizes: dict[str, int] = defaultdict(int)
    for pid in paper.values():
        sizes[pid] += 1
    true_pairs = sum(v * (v - 1) // 2 for v in sizes.values())
    return correct / max(1, predicted), correct / max(1, true_pairs)


@pytest.mark.parametrize("n", [1000, 10000])
def test_bench_corpus_no_wrong_merge(tmp_path: Path, n: int) -> None:
    candidates, truth = _bench_corpus(tmp_path, n)
    paper = truth_of_entries(candidates, truth)
    assert not [p for p in paper.values() if p.startswith("?")]
    pairs = find_duplicates([dup_doc(c) for c in candidates])
    merges = [p for p in pairs if p.merge]
    by_id = {c.id: c for c in candidates}

    def papers_of(key: str) -> set[str]:
        return {paper[e] for e in by_id[key].entries}

    wrong = [p for p in merges if papers_of(p.a) != papers_of(p.b)]
    groups = [
        [e for key in group for e in by_id[key].entries] for group in merge_groups(by_id, pairs)
    ]
    loader_p, loader_r = pair_scores([list(c.entries) for c in candidates], paper)
    precision, recall = pair_scores(groups, paper)
    print(
        f"{n} papers: {len(candidates)} candidates, {len(pairs)} pairs, {len(merges)} merges,"
        f" {len(pairs) - len(merges)} suggestions, {len(wrong)} wrong merges; entry pairs:"
        f" loader alone precision {loader_p:.5f} recall {loader_r:.5f}, with the detector"
        f" precision {precision:.5f} recall {recall:.5f}"
    )
    assert wrong == []
    # Every planted duplicate is in one paper (the loader joins these exact copies), and
    # the detector splits nothing and joins nothing the truth keeps apart.
    assert recall == 1.0
    assert precision == loader_p
    # The loader's only joins of different truth papers are arXiv records whose abstracts
    # are word for word the same (0704.0026/0704.0112 and 0704.0489/0704.0573).
    assert {
        tuple(sorted({paper[e] for e in c.entries}))
        for c in candidates
        if len({paper[e] for e in c.entries}) > 1
    } <= {("0704.0026", "0704.0112"), ("0704.0489", "0704.0573")}
