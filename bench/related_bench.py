"""Time `related.analyse` (related papers and topic keywords) on the bench corpus.

    .venv/bin/python bench/related_bench.py [--sizes 1000 10000] [--runs 3]

For each size, writes the corpus with ../shared/bench/make_corpus.py in a temporary
folder, loads it as `site-builder import` does (load_seeds + merge_entries, titles
inferred where the seeds give none, plain text as the pages show it), then prints the
median wall and CPU time of `analyse` over the runs (preparing the documents is not
timed), how many papers got related papers and keywords, and, up to 2,000 papers, the
share of the exact top pairs (all-pairs cosine, computed here only to check) that the
pruned candidate search finds. The one-off cost of importing numpy and scipy.sparse in
a fresh interpreter is printed apart.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
BENCH = PROJECT.parent / "shared" / "bench"
sys.path.insert(0, str(PROJECT))

from site_builder import related  # noqa: E402
from site_builder.load import load_seeds, merge_entries  # noqa: E402
from site_builder.markdown import plain_text  # noqa: E402
from site_builder.titles import infer_title  # noqa: E402


def corpus_docs(n: int) -> list[related.TextDoc]:
    """The bench corpus of n papers, as the build would hand it to `analyse`."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "corpus"
        subprocess.run(
            [sys.executable, str(BENCH / "make_corpus.py"), str(out), "--n", str(n)],
            check=True,
            capture_output=True,
        )
        entries, _ = load_seeds(out)
    return [
        related.TextDoc(
            c.id, plain_text(c.title or infer_title(c.abstract)), plain_text(c.abstract)
        )
        for c in merge_entries(entries)
    ]


def import_seconds() -> float:
    """Wall time of importing numpy and scipy.sparse in a fresh interpreter (best of 3)."""
    code = "import time; t = time.perf_counter(); import numpy, scipy.sparse; "
    code += "print(time.perf_counter() - t)"
    runs = [
        float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             check=True).stdout)
        for _ in range(3)
    ]  # fmt: skip
    return min(runs)


def exact_recall(docs: list[related.TextDoc], found: related.Analysis, count: int) -> float:
    """Share of the exact best pairs (cosine ≥ MIN_SIMILARITY) that `analyse` returned."""
    import scipy.sparse as sp

    ordered = sorted(docs, key=lambda d: d.id)
    corpus = related._read(ordered)
    _, x, _ = related._matrix(corpus)
    full = sp.coo_matrix(x @ x.T)
    off = (full.row != full.col) & (full.data >= related.MIN_SIMILARITY)
    n = len(ordered)
    full = sp.coo_matrix((full.data[off], (full.row[off], full.col[off])), shape=(n, n))
    rows, cols, _ = related._top_per_row(full, count)
    exact = {
        (ordered[a].id, ordered[b].id) for a, b in zip(rows.tolist(), cols.tolist(), strict=True)
    }
    got = {(a, r.id) for a, links in found.related.items() for r in links}
    return len(exact & got) / max(1, len(exact))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(f"import numpy + scipy.sparse (fresh interpreter): {import_seconds():.2f} s")
    for n in args.sizes:
        docs = corpus_docs(n)
        walls, cpus = [], []
        result = related.analyse(docs[:50])  # warm up caches of the interpreter
        for _ in range(args.runs):
            wall, cpu = time.perf_counter(), time.process_time()
            result = related.analyse(docs)
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
        with_related = sum(bool(v) for v in result.related.values())
        topics = {k for v in result.keywords.values() for k in v}
        line = (
            f"{len(docs):>6} papers: analyse {statistics.median(walls):.2f} s wall, "
            f"{statistics.median(cpus):.2f} s CPU (median of {args.runs}); "
            f"{with_related} with related papers, {len(topics)} topics"
        )
        if len(docs) <= 2000:
            line += f"; exact top pairs found: {exact_recall(docs, result, 5):.1%}"
        print(line, flush=True)


if __name__ == "__main__":
    main()
