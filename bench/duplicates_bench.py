"""Time `find_duplicates` on the bench corpus and check it against the corpus's truth.

    .venv/bin/python bench/duplicates_bench.py [--n 10000] [--runs 5]

Builds the corpus with ../shared/bench/make_corpus.py in a temporary folder, loads it as
`site-builder import` does (load_seeds + merge_entries), and prints papers, pairs found,
merges, suggestions, precision and recall of the final grouping over pairs of seed
entries, and the median wall time of `find_duplicates` (preparing the DupDocs, which calls
titles.named_contribution and markdown.find_links, is timed apart).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

PROJECT = Path(__file__).resolve().parents[1]
BENCH = PROJECT.parent / "shared" / "bench"
sys.path.insert(0, str(PROJECT))

from site_builder.duplicates import DupDoc, find_duplicates, merge_groups  # noqa: E402
from site_builder.load import load_seeds, merge_entries, normalise_abstract  # noqa: E402
from site_builder.markdown import find_links  # noqa: E402
from site_builder.titles import named_contribution  # noqa: E402


def truth_abstracts(n: int) -> dict[str, list[str]]:
    """Normalised abstract → truth ids, rebuilt with the generator's own code and seed."""
    spec = importlib.util.spec_from_file_location("make_corpus", BENCH / "make_corpus.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    real = module.load_real()
    made = (
        real[:n]
        if n <= len(real)
        else real + module.synthesize(real, n - len(real), random.Random(0))
    )
    found: dict[str, list[str]] = defaultdict(list)
    for paper in made:
        found[normalise_abstract(paper["abstract"])].append(paper["id"])
    return found


def pair_scores(groups: list[list[str]], sizes: Counter[str]) -> tuple[float, float]:
    predicted = correct = 0
    for group in groups:
        predicted += len(group) * (len(group) - 1) // 2
        correct += sum(v * (v - 1) // 2 for v in Counter(group).values())
    true_pairs = sum(v * (v - 1) // 2 for v in sizes.values())
    return correct / max(1, predicted), correct / max(1, true_pairs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "corpus"
        subprocess.run(
            [sys.executable, str(BENCH / "make_corpus.py"), str(out), "--n", str(args.n)],
            check=True,
            capture_output=True,
        )
        truth: dict[str, Any] = json.loads((Path(tmp) / "corpus-truth.json").read_text("utf-8"))
        entries, problems = load_seeds(out)
    candidates = merge_entries(entries)
    started = time.perf_counter()
    docs = [
        DupDoc(
            c.id, c.abstract, c.title, named_contribution(c.abstract), tuple(find_links(c.abstract))
        )
        for c in candidates
    ]
    prepare = time.perf_counter() - started
    times, cpu = [], []
    for _ in range(args.runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        pairs = find_duplicates(docs)
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)

    by_text = truth_abstracts(len(truth["papers"]))
    papers = truth["papers"]

    def paper_of(entry: Any) -> str:
        ids = [
            pid
            for pid in by_text[normalise_abstract(entry.abstract)]
            if entry.file in papers[pid]["files"]
            and (entry.title is None or papers[pid]["title"] == entry.title)
        ]
        return ids[0] if len(ids) == 1 else f"?{entry.file}:{entry.line}"

    of_candidate = {c.id: [paper_of(e) for e in c.entries] for c in candidates}
    sizes = Counter(p for ids in of_candidate.values() for p in ids)
    merges = [p for p in pairs if p.merge]
    wrong = [p for p in merges if set(of_candidate[p.a]) != set(of_candidate[p.b])]
    loader = pair_scores(list(of_candidate.values()), sizes)
    groups = [
        [p for key in group for p in of_candidate[key]]
        for group in merge_groups(of_candidate, pairs)
    ]
    final = pair_scores(groups, sizes)
    kinds = Counter("text" if p.reason[0].isdigit() else "evidence" for p in pairs if not p.merge)
    print(f"papers (truth)        {len(papers)}")
    print(f"seed entries          {len(entries)} ({len(problems)} problems)")
    print(f"candidates            {len(candidates)}")
    print(f"pairs found           {len(pairs)}")
    print(f"merges                {len(merges)} ({len(wrong)} wrong)")
    print(f"suggestions           {len(pairs) - len(merges)} ({dict(kinds)})")
    print(f"entry-pair precision  {final[0]:.5f} (loader alone {loader[0]:.5f})")
    print(f"entry-pair recall     {final[1]:.5f} (loader alone {loader[1]:.5f})")
    print(f"DupDocs prepared in   {prepare:.3f} s (named_contribution, find_links)")
    print(
        f"find_duplicates       median {statistics.median(times):.3f} s of {args.runs}"
        f" (min {min(times):.3f}, max {max(times):.3f}); CPU median"
        f" {statistics.median(cpu):.3f} s"
    )
    print(f"load average          {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
