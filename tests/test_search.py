"""The search index (site_builder/search.py) and its client (static/js/search.js).

The client is run for real: Node loads the vendored lunr.min.js, evaluates the
generated index.js with a `window` object, requires static/js/search.js and runs
queries against the index that lunr.py built.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from site_builder.search import (
    SearchEntry,
    build_search_index,
    search_index_script,
    snippet,
    words,
)

ROOT = Path(__file__).resolve().parent.parent
LUNR_JS = ROOT / "static" / "vendor" / "lunr" / "lunr.min.js"
SEARCH_JS = ROOT / "static" / "js" / "search.js"

XSS_TITLE = "<script>alert(1)</script> Prompt Injection Against Language Model Agents"

ENTRIES = (
    SearchEntry(
        ref="rlhf",
        title="Deep Reinforcement Learning from Human Preferences",
        authors=("Paul Christiano", "Jan Leike", "Tom B. Brown"),
        text=(
            "For sophisticated reinforcement learning (RL) systems to interact usefully with "
            "real-world environments, we need to communicate complex goals to these systems. "
            "We define goals in terms of human preferences between pairs of trajectory "
            "segments, solving tasks without access to the reward function."
        ),
        url="papers/deep-reinforcement-learning-from-human-preferences.html",
    ),
    SearchEntry(
        ref="rethinking",
        title="Understanding Deep Learning Requires Rethinking Generalization",
        authors=("Chiyuan Zhang", "Samy Bengio", "Moritz Hardt"),
        text=(
            "Despite their massive size, successful deep artificial neural networks can "
            "exhibit a remarkably small difference between training and test performance. "
            "Through extensive systematic experiments, we show how these traditional "
            "approaches fail to explain why large neural networks generalize well in practice."
        ),
        url="papers/understanding-deep-learning-requires-rethinking-generalization.html",
    ),
    SearchEntry(
        ref="missingness",
        title="Missingness Bias in Model Debugging",
        authors=("Saachi Jain", "Hadi Salman", "Eric Wong", "Aleksander Madry"),
        text=(
            "Missingness, or the absence of features from an input, is a concept fundamental "
            "to model debugging. In our experiments, removing 50\\% of the patches of an image "
            "biases predictions of convolutional networks; vision transformers avoid this bias."
        ),
        url="papers/missingness-bias-in-model-debugging.html",
    ),
    SearchEntry(
        ref="injection",
        title=XSS_TITLE,
        authors=("Mallory Example",),
        text=(
            "Agents that browse the web read untrusted pages: a page containing "
            "</script><img src=x onerror=alert(1)> or text with a line\u2028separator can "
            "hijack the agent through prompt injection."
        ),
        url="papers/prompt-injection.html",
    ),
    SearchEntry(
        ref="icl",
        title="A Theory of Emergent In-Context Learning as Implicit Structure Induction",
        authors=("Michael Hahn", "Navin Goyal"),
        text="Scaling large language models leads to an emergent capacity to learn in-context.",
        url="papers/a-theory-of-emergent-in-context-learning.html",
    ),
)

QUERIES = (
    "reinforc",
    "reinforcement",
    "Reinforcement Learning",
    "experiment",
    "experimen",
    "experim",
    "generaliz",
    "generalizat",
    "Jain",
    "jai",
    "saachi jain",
    "generalization experiments",
    "reinforcement generalization",
    "qwxzzyv",
    "the",
    "the of",
    "learning",
    "alert",
    "50",
    "foo:bar",
    "+-*~^",
    "title:",
    "*",
    "~2",
    "^",
    "jain~1",
    "generaliz*",
    '"unbalanced',
    "  ",
    "",
)

NODE_RUNNER = r"""
'use strict';
const fs = require('fs');
const vm = require('vm');
const [lunrPath, indexPath, searchPath, queriesPath] = process.argv.slice(2);

const warnings = [];
console.warn = (...args) => { warnings.push(args.join(' ')); };

const lunr = require(lunrPath);
global.lunr = lunr;

// Evaluate index.js the way a browser would: as a script, with a `window` global.
const sandbox = { window: {} };
vm.runInNewContext(fs.readFileSync(indexPath, 'utf8'), sandbox, { filename: 'index.js' });
const data = JSON.parse(JSON.stringify(sandbox.window.READING_LIST_SEARCH));
const index = lunr.Index.load(data.index);

const client = require(searchPath);
const results = {};
const errors = {};
for (const query of JSON.parse(fs.readFileSync(queriesPath, 'utf8'))) {
  try {
    results[query] = client.search(index, data.docs, query).map((r) => ({
      ref: r.ref,
      score: r.score,
      title: r.doc.t,
      terms: r.terms,
      titleMarks: client.highlight(r.doc.t, r.terms)
        .filter((s) => s.mark).map((s) => s.text),
    }));
  } catch (error) {
    errors[query] = String(error && error.stack || error);
  }
}
process.stdout.write(JSON.stringify({
  lunrVersion: lunr.version,
  indexVersion: data.index.version,
  docs: data.docs,
  warnings,
  results,
  errors,
  countMessages: [0, 1, 3].map((n) => client.countMessage(n, 'reinforc')),
}));
"""


def require_node() -> str:
    node = shutil.which("node")
    if node is None:
        if os.environ.get("CI") == "true":
            pytest.fail("node is required in CI (Debian package nodejs)")
        pytest.skip("node is not installed")
    return node


@pytest.fixture(scope="module")
def client_run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    node = require_node()
    work = tmp_path_factory.mktemp("search")
    (work / "index.js").write_text(
        search_index_script(build_search_index(ENTRIES)), encoding="utf-8"
    )
    (work / "queries.json").write_text(json.dumps(list(QUERIES)), encoding="utf-8")
    (work / "run.js").write_text(NODE_RUNNER, encoding="utf-8")
    proc = subprocess.run(
        [
            node,
            str(work / "run.js"),
            str(LUNR_JS),
            str(work / "index.js"),
            str(SEARCH_JS),
            str(work / "queries.json"),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    result: dict[str, Any] = json.loads(proc.stdout)
    return result


def refs(run: dict[str, Any], query: str) -> list[str]:
    return [r["ref"] for r in run["results"][query]]


# ---------------------------------------------------------------- Python side


def test_index_targets_lunr_js_2_3_9() -> None:
    data = build_search_index(ENTRIES)
    index = data["index"]
    assert isinstance(index, dict)
    assert index["version"] == "2.3.9"
    assert index["fields"] == ["title", "authors", "text"]
    assert index["pipeline"] == ["stemmer"]


def test_index_holds_stems_without_positions() -> None:
    index = build_search_index(ENTRIES)["index"]
    assert isinstance(index, dict)
    terms = {term: postings for term, postings in index["invertedIndex"]}
    # The stems that make prefix search hard (see PITFALLS.md) are what is stored.
    assert "experi" in terms
    assert "gener" in terms
    assert "experiment" not in terms
    assert terms["jain"]["authors"] == {"missingness": {}}
    assert "position" not in json.dumps(index)


def test_docs_store() -> None:
    docs = build_search_index(ENTRIES)["docs"]
    assert isinstance(docs, dict)
    assert set(docs) == {entry.ref for entry in ENTRIES}
    assert docs["missingness"] == {
        "t": "Missingness Bias in Model Debugging",
        "a": "Saachi Jain, Hadi Salman, Eric Wong, Aleksander Madry",
        "u": "papers/missingness-bias-in-model-debugging.html",
        "s": snippet(ENTRIES[2].text),
    }
    assert docs["injection"]["t"] == XSS_TITLE


def test_snippet_cuts_at_a_word_boundary() -> None:
    text = " ".join(f"word{i}" for i in range(50))
    cut = snippet(text)
    assert cut == " ".join(f"word{i}" for i in range(30)) + "…"
    assert snippet("Short   abstract,\nwith a newline.") == "Short abstract, with a newline."
    assert snippet("one two three", words=2) == "one two…"
    assert snippet("one, two three", words=1) == "one…"
    assert snippet("") == ""


def test_build_is_deterministic_and_order_independent() -> None:
    first = search_index_script(build_search_index(ENTRIES))
    again = search_index_script(build_search_index(ENTRIES))
    reversed_order = search_index_script(build_search_index(tuple(reversed(ENTRIES))))
    assert first == again == reversed_order


def test_duplicate_refs_are_rejected() -> None:
    with pytest.raises(ValueError, match="rlhf"):
        build_search_index((ENTRIES[0], ENTRIES[0]))


def test_script_cannot_break_out_of_a_script_element() -> None:
    script = search_index_script(build_search_index(ENTRIES))
    prefix = "window.READING_LIST_SEARCH = "
    assert script.startswith(prefix)
    assert script.endswith(";\n")
    assert "</script" not in script.lower()
    assert "<" not in script
    assert "\u2028" not in script and "\u2029" not in script
    assert "\n" not in script[:-1]
    # The escapes are JSON escapes: the data reads back exactly.
    payload = json.loads(script[len(prefix) : -2])
    assert payload["docs"]["injection"]["t"] == XSS_TITLE
    assert payload == json.loads(json.dumps(build_search_index(ENTRIES)))


def test_script_escapes_line_separators_and_markup() -> None:
    data: dict[str, object] = {"x": "a\u2028b\u2029c </SCRIPT> <!-- & é"}
    script = search_index_script(data)
    assert script == (
        "window.READING_LIST_SEARCH = "
        '{"x":"a\\u2028b\\u2029c \\u003c/SCRIPT\\u003e \\u003c!-- \\u0026 é"};\n'
    )
    assert json.loads(script[len("window.READING_LIST_SEARCH = ") : -2]) == data


def test_empty_site_still_gives_a_loadable_script() -> None:
    script = search_index_script(build_search_index(()))
    payload = json.loads(script[len("window.READING_LIST_SEARCH = ") : -2])
    assert payload["docs"] == {}
    assert payload["index"]["version"] == "2.3.9"


# ---------------------------------------------------------------- lunr.js side


def test_lunr_js_loads_the_index_without_warnings(client_run: dict[str, Any]) -> None:
    assert client_run["lunrVersion"] == "2.3.9"
    assert client_run["indexVersion"] == "2.3.9"
    assert client_run["warnings"] == []
    assert client_run["docs"]["injection"]["t"] == XSS_TITLE


def test_no_query_throws(client_run: dict[str, Any]) -> None:
    assert client_run["errors"] == {}
    assert set(client_run["results"]) == set(QUERIES)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("reinforc", {"rlhf"}),
        ("reinforcement", {"rlhf"}),
        ("Reinforcement Learning", {"rlhf"}),
        ("experiment", {"rethinking", "missingness"}),
        ("experimen", {"rethinking", "missingness"}),
        ("experim", {"rethinking", "missingness"}),
        ("generaliz", {"rethinking"}),
        ("generalizat", {"rethinking"}),
        ("generaliz*", {"rethinking"}),
        ("Jain", {"missingness"}),
        ("jai", {"missingness"}),
        ("saachi jain", {"missingness"}),
        ("alert", {"injection"}),
        ("50", {"missingness"}),
        ("the", {"icl"}),
    ],
)
def test_partial_and_whole_words_match(
    client_run: dict[str, Any], query: str, expected: set[str]
) -> None:
    assert set(refs(client_run, query)) == expected


def test_multi_word_queries_intersect(client_run: dict[str, Any]) -> None:
    # Each word alone matches, but only one paper has both.
    assert set(refs(client_run, "generaliz")) == {"rethinking"}
    assert len(refs(client_run, "experiment")) == 2
    assert refs(client_run, "generalization experiments") == ["rethinking"]
    # Both words match papers, never the same one.
    assert refs(client_run, "reinforc") and refs(client_run, "generaliz")
    assert refs(client_run, "reinforcement generalization") == []


def test_nonsense_and_empty_queries_find_nothing(client_run: dict[str, Any]) -> None:
    for query in ("qwxzzyv", "", "  ", "+-*~^", "*", "^"):
        assert client_run["results"][query] == [], query


def test_only_stop_words_are_searched_as_prefixes(client_run: dict[str, Any]) -> None:
    # "the" starts "theory"; "of" starts no indexed word and so does not narrow.
    assert refs(client_run, "the of") == ["icl"]


def test_results_are_ranked_title_first(client_run: dict[str, Any]) -> None:
    results = client_run["results"]["learning"]
    assert {r["ref"] for r in results} == {"rlhf", "rethinking", "icl"}
    scores = [r["score"] for r in results]
    assert scores == sorted(scores, reverse=True)
    assert all("Learning" in r["title"] for r in results)


def test_matched_words_are_highlighted(client_run: dict[str, Any]) -> None:
    (rlhf,) = client_run["results"]["reinforc"]
    assert rlhf["terms"] == ["reinforc"]
    assert rlhf["titleMarks"] == ["Reinforcement"]
    (rethinking,) = client_run["results"]["generaliz"]
    assert rethinking["titleMarks"] == ["Generalization"]
    (injection,) = client_run["results"]["alert"]
    assert injection["title"] == XSS_TITLE
    assert injection["titleMarks"] == ["alert"]


def test_count_messages(client_run: dict[str, Any]) -> None:
    assert client_run["countMessages"] == [
        "No papers match “reinforc”.",
        "1 paper matches “reinforc”.",
        "3 papers match “reinforc”.",
    ]


TOKENIZER_SAMPLES = (
    "We run experiments on 50\\% of data (e.g., ImageNet-1k), i.e. O(n^2) time.",
    "<script>alert(1)</script> Saachi Jain, Aleksander Mądry & Erdős—Rényi “quoted” ‘x’",
    "arXiv:2301.01234 GPT-3.5's $\\alpha_i$ \\textbf{bold} don't x²  naïve café™ 東京 🙂ok",
    'foo:bar +-*~^ title: jain~1 generaliz* "unbalanced\u2028line\u00a0sep',
    "image↔text models, x→y, a≤b ⟶ done",
)

WORDS_RUNNER = r"""
'use strict';
const fs = require('fs');
const vm = require('vm');
const [lunrPath, searchPath, samplesPath, emptyIndexPath] = process.argv.slice(2);
global.lunr = require(lunrPath);
const client = require(searchPath);
const sandbox = { window: {} };
vm.runInNewContext(fs.readFileSync(emptyIndexPath, 'utf8'), sandbox);
const data = JSON.parse(JSON.stringify(sandbox.window.READING_LIST_SEARCH));
const empty = global.lunr.Index.load(data.index);
process.stdout.write(JSON.stringify({
  words: JSON.parse(fs.readFileSync(samplesPath, 'utf8')).map((s) => client.words(s)),
  emptyResults: client.search(empty, data.docs, 'reinforcement learning'),
}));
"""


def test_client_splits_words_exactly_like_the_indexer(tmp_path: Path) -> None:
    node = require_node()
    (tmp_path / "samples.json").write_text(json.dumps(TOKENIZER_SAMPLES), encoding="utf-8")
    (tmp_path / "empty.js").write_text(
        search_index_script(build_search_index(())), encoding="utf-8"
    )
    (tmp_path / "run.js").write_text(WORDS_RUNNER, encoding="utf-8")
    proc = subprocess.run(
        [
            node,
            str(tmp_path / "run.js"),
            str(LUNR_JS),
            str(SEARCH_JS),
            str(tmp_path / "samples.json"),
            str(tmp_path / "empty.js"),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["words"] == [words(sample) for sample in TOKENIZER_SAMPLES]
    assert words(TOKENIZER_SAMPLES[0]) == [
        "we",
        "run",
        "experiments",
        "on",
        "50",
        "of",
        "data",
        "e.g",
        "imagenet",
        "1k",
        "i.e",
        "o",
        "n",
        "2",
        "time",
    ]
    assert "alert" in words(TOKENIZER_SAMPLES[1])
    assert "erdős" in words(TOKENIZER_SAMPLES[1])
    # An empty site gives an index that lunr.js loads and that finds nothing.
    assert out["emptyResults"] == []
