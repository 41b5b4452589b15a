"""The search index (site_builder/search.py) and its client (static/js/search.js).

The client is run for real: Node loads the vendored lunr.min.js, evaluates the
generated index.js and text-<n>.js with a `window` object, as a browser would,
requires static/js/search.js and runs queries against the indexes built here, with
the first part alone and with every part.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from lunr.builder import Builder
from lunr.stemmer import stemmer
from lunr.stop_word_filter import stop_word_filter

from site_builder.search import (
    FIRST,
    SNIPPET_WORDS,
    SearchEntry,
    Stemmer,
    build_search_index,
    lunr_index,
    round_weights,
    search_files,
    search_index_script,
    search_part_script,
    short_ref,
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
    "convolutional",
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
const path = require('path');
const vm = require('vm');
const [lunrPath, searchDir, searchPath, queriesPath] = process.argv.slice(2);

const warnings = [];
console.warn = (...args) => { warnings.push(args.join(' ')); };

const lunr = require(lunrPath);
global.lunr = lunr;

// Evaluate the scripts the way a browser would: as scripts sharing a `window` global,
// index.js first, then each abstract part it names.
const sandbox = { window: {} };
function run(name) {
  const file = path.join(searchDir, name + '.js');
  vm.runInNewContext(fs.readFileSync(file, 'utf8'), sandbox, { filename: name + '.js' });
}
run('index');
const data = JSON.parse(JSON.stringify(sandbox.window.READING_LIST_SEARCH));
const first = lunr.Index.load(data.index);
const firstDocs = JSON.parse(JSON.stringify(data.docs));
const indexes = [first];
const docs = data.docs;
const partVersions = [];
for (const name of data.parts) {
  run(name);
  const part = JSON.parse(JSON.stringify(sandbox.window.READING_LIST_SEARCH_PARTS[name]));
  partVersions.push(part.index.version);
  indexes.push(lunr.Index.load(part.index));
  for (const [ref, snippet] of Object.entries(part.snippets)) { docs[ref].s = snippet; }
}

const client = require(searchPath);
function answer(searchIndexes, searchDocs, query) {
  return client.search(searchIndexes, searchDocs, query).map((r) => ({
    ref: r.ref,
    url: r.doc.u,
    score: r.score,
    title: r.doc.t,
    terms: r.terms,
    titleMarks: client.highlight(r.doc.t, r.terms)
      .filter((s) => s.mark).map((s) => s.text),
    snippetMarks: client.highlight(r.doc.s || '', r.terms)
      .filter((s) => s.mark).map((s) => s.text),
  }));
}
const results = {};
const firstResults = {};
const errors = {};
for (const query of JSON.parse(fs.readFileSync(queriesPath, 'utf8'))) {
  try {
    firstResults[query] = answer(first, firstDocs, query);
    results[query] = answer(indexes, docs, query);
  } catch (error) {
    errors[query] = String(error && error.stack || error);
  }
}
process.stdout.write(JSON.stringify({
  lunrVersion: lunr.version,
  indexVersion: data.index.version,
  partVersions,
  parts: data.parts,
  docs,
  warnings,
  results,
  firstResults,
  errors,
  countMessages: [0, 1, 3].map((n) => client.countMessage(n, 'reinforc')),
}));
"""


def write_search_files(folder: Path, entries: tuple[SearchEntry, ...], shard_size: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, script in search_files(entries, shard_size).items():
        (folder / name).write_text(script, encoding="utf-8")
    return folder


def run_client(node: str, work: Path, search_dir: Path, queries: list[str]) -> dict[str, Any]:
    """Run NODE_RUNNER on the search files in `search_dir` (a built site's search/)."""
    (work / "queries.json").write_text(json.dumps(queries), encoding="utf-8")
    (work / "run.js").write_text(NODE_RUNNER, encoding="utf-8")
    lunr_js = search_dir.parent / "static/vendor/lunr/lunr.min.js"
    search_js = search_dir.parent / "static/js/search.js"
    proc = subprocess.run(
        [
            node,
            str(work / "run.js"),
            str(lunr_js if lunr_js.exists() else LUNR_JS),
            str(search_dir),
            str(search_js if search_js.exists() else SEARCH_JS),
            str(work / "queries.json"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    result: dict[str, Any] = json.loads(proc.stdout)
    return result


def require_node() -> str:
    node = shutil.which("node")
    if node is None:
        if os.environ.get("CI") == "true":
            pytest.fail("node is required in CI (Debian package nodejs)")
        pytest.skip("node is not installed")
    return node


@pytest.fixture(scope="module")
def client_run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The client on the default layout: the first part and one abstract part."""
    node = require_node()
    work = tmp_path_factory.mktemp("search")
    search_dir = write_search_files(work / "search", ENTRIES, 2500)
    return run_client(node, work, search_dir, list(QUERIES))


@pytest.fixture(scope="module")
def sharded_run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The client with the abstracts in three parts of at most 2 papers."""
    node = require_node()
    work = tmp_path_factory.mktemp("search-sharded")
    search_dir = write_search_files(work / "search", ENTRIES, 2)
    return run_client(node, work, search_dir, list(QUERIES))


URL_TO_ID = {entry.url: entry.ref for entry in ENTRIES}


def refs(run: dict[str, Any], query: str, results: str = "results") -> list[str]:
    """The paper ids (not the index's short refs) of the results, best first."""
    return [URL_TO_ID[r["url"]] for r in run[results][query]]


# ---------------------------------------------------------------- Python side


# Short refs: papers numbered in base 36 in order of their id.
SHORT = {entry.ref: short_ref(i) for i, entry in enumerate(sorted(ENTRIES, key=lambda e: e.ref))}


def index_of(part: dict[str, object]) -> dict[str, Any]:
    index = part["index"]
    assert isinstance(index, dict)
    return index


def test_short_refs() -> None:
    assert [short_ref(n) for n in (0, 9, 10, 35, 36, 1295, 1296, 9999)] == [
        "0", "9", "a", "z", "10", "zz", "100", "7pr",
    ]  # fmt: skip
    assert SHORT == {
        "icl": "0",
        "injection": "1",
        "missingness": "2",
        "rethinking": "3",
        "rlhf": "4",
    }


def test_index_targets_lunr_js_2_3_9() -> None:
    data = build_search_index(ENTRIES)
    assert list(data) == [FIRST, "text-0"]
    assert data[FIRST]["parts"] == ["text-0"]
    first, text = index_of(data[FIRST]), index_of(data["text-0"])
    for index in (first, text):
        assert index["version"] == "2.3.9"
        assert index["pipeline"] == ["stemmer"]
    assert first["fields"] == ["title", "authors"]
    assert text["fields"] == ["text"]
    # Each index holds the field vectors of its own fields only.
    assert {ref.split("/")[0] for ref, _ in first["fieldVectors"]} == {"title", "authors"}
    assert {ref.split("/")[0] for ref, _ in text["fieldVectors"]} == {"text"}


def test_index_holds_stems_without_positions() -> None:
    data = build_search_index(ENTRIES)
    first = {term: postings for term, postings in index_of(data[FIRST])["invertedIndex"]}
    text = {term: postings for term, postings in index_of(data["text-0"])["invertedIndex"]}
    # The stems that make prefix search hard (see PITFALLS.md) are what is stored.
    assert "experi" in text
    assert "gener" in text and "gener" in first
    assert "experiment" not in text
    assert "experi" not in first  # abstracts are only in the abstract parts
    assert first["jain"]["authors"] == {SHORT["missingness"]: {}}
    assert first["jain"]["title"] == {}
    assert "jain" not in text
    assert "position" not in json.dumps(data)


def test_docs_store_and_snippets() -> None:
    data = build_search_index(ENTRIES)
    docs = data[FIRST]["docs"]
    assert isinstance(docs, dict)
    assert set(docs) == set(SHORT.values())
    assert docs[SHORT["missingness"]] == {
        "t": "Missingness Bias in Model Debugging",
        "a": "Saachi Jain, Hadi Salman, Eric Wong, Aleksander Madry",
        "u": "papers/missingness-bias-in-model-debugging.html",
    }
    assert docs[SHORT["injection"]]["t"] == XSS_TITLE
    snippets = data["text-0"]["snippets"]
    assert isinstance(snippets, dict)
    assert snippets == {SHORT[entry.ref]: snippet(entry.text) for entry in ENTRIES}


def test_abstracts_are_split_into_parts_of_shard_size_papers() -> None:
    data = build_search_index(ENTRIES, shard_size=2)
    assert list(data) == [FIRST, "text-0", "text-1", "text-2"]
    assert data[FIRST]["parts"] == ["text-0", "text-1", "text-2"]
    held = [sorted(index_of(data[f"text-{n}"])["fieldVectors"]) for n in range(3)]
    assert [[ref for ref, _ in vectors] for vectors in held] == [
        ["text/0", "text/1"], ["text/2", "text/3"], ["text/4"],
    ]  # fmt: skip
    files = search_files(ENTRIES, shard_size=2)
    assert list(files) == ["index.js", "text-0.js", "text-1.js", "text-2.js"]
    with pytest.raises(ValueError):
        build_search_index(ENTRIES, shard_size=0)


def lunr_py_index(
    docs: list[tuple[str, dict[str, list[str]]]], fields: tuple[tuple[str, int], ...]
) -> dict[str, Any]:
    """What lunr.py's own Builder serializes for `docs` (lists of words, not stemmed)."""
    builder = Builder()
    builder.pipeline.add(stop_word_filter, stemmer)
    builder.search_pipeline.add(stemmer)
    builder.ref("ref")
    for name, boost in fields:
        builder.field(name, boost=boost)
    for ref, values in docs:
        builder.add({"ref": ref, **values})
    index: dict[str, Any] = builder.build().serialize()
    return index


def test_lunr_index_is_exactly_what_lunr_py_builds() -> None:
    # Repeated words (term frequency > 1), stop words, a field with no words, words
    # that stem alike, and short words (left unstemmed).
    extra = (
        SearchEntry("zz", "the the of", (), "learning learned learns learning models model", "z"),
        SearchEntry("aa", "A B C", ("X Y",), "", "a"),
    )
    entries = sorted(ENTRIES + extra, key=lambda entry: entry.ref)
    first_fields = (("title", 10), ("authors", 5))
    text_fields = (("text", 1),)
    raw_first = [
        (e.ref, {"title": words(e.title), "authors": words(", ".join(e.authors))}) for e in entries
    ]
    raw_text = [(e.ref, {"text": words(e.text)}) for e in entries]
    stem = Stemmer()
    for raw, fields in ((raw_first, first_fields), (raw_text, text_fields)):
        ours = lunr_index(
            [(ref, {k: stem.terms(v) for k, v in values.items()}) for ref, values in raw],
            fields,
        )
        theirs = lunr_py_index(raw, fields)
        assert json.dumps(ours, sort_keys=True) == json.dumps(theirs, sort_keys=True)
        assert ours["fieldVectors"]  # (not two empty indexes)


def test_weights_are_rounded_to_3_significant_digits() -> None:
    index: dict[str, object] = {
        "fieldVectors": [["title/0", [0, 75.432, 1, 123.456, 2, 5.678, 3, 0.123, 4, 0.012]]],
        "invertedIndex": [],
    }
    assert round_weights(index) == {
        "fieldVectors": [["title/0", [0, 75.4, 1, 123.0, 2, 5.68, 3, 0.123, 4, 0.012]]],
        "invertedIndex": [],
    }
    data = build_search_index(ENTRIES)
    for part in data.values():
        for _, elements in index_of(part)["fieldVectors"]:
            for weight in elements[1::2]:
                assert weight == float(f"{weight:.3g}")


def test_snippet_cuts_at_a_word_boundary() -> None:
    text = " ".join(f"word{i}" for i in range(50))
    cut = snippet(text)
    assert cut == " ".join(f"word{i}" for i in range(SNIPPET_WORDS)) + "…"
    assert snippet("Short   abstract,\nwith a newline.") == "Short abstract, with a newline."
    assert snippet("one two three", words=2) == "one two…"
    assert snippet("one, two three", words=1) == "one…"
    assert snippet("") == ""


def test_build_is_deterministic_and_order_independent() -> None:
    first = search_files(ENTRIES, shard_size=2)
    again = search_files(ENTRIES, shard_size=2)
    reversed_order = search_files(tuple(reversed(ENTRIES)), shard_size=2)
    assert first == again == reversed_order


def test_duplicate_refs_are_rejected() -> None:
    with pytest.raises(ValueError, match="rlhf"):
        build_search_index((ENTRIES[0], ENTRIES[0]))


PART_PREFIX = "(window.READING_LIST_SEARCH_PARTS = window.READING_LIST_SEARCH_PARTS || {})"


def test_script_cannot_break_out_of_a_script_element() -> None:
    data = build_search_index(ENTRIES)
    files = search_files(ENTRIES)
    assert set(files) == {"index.js", "text-0.js"}
    prefixes = {
        "index.js": "window.READING_LIST_SEARCH = ",
        "text-0.js": PART_PREFIX + '["text-0"] = ',
    }
    for name, script in files.items():
        prefix = prefixes[name]
        assert script.startswith(prefix)
        assert script.endswith(";\n")
        assert "</script" not in script.lower()
        assert "<" not in script
        assert "\u2028" not in script and "\u2029" not in script
        assert "\n" not in script[:-1]
        # The escapes are JSON escapes: the data reads back exactly.
        payload = json.loads(script[len(prefix) : -2])
        assert payload == json.loads(json.dumps(data[name.removesuffix(".js")]))
    first = json.loads(files["index.js"][len(prefixes["index.js"]) : -2])
    assert first["docs"][SHORT["injection"]]["t"] == XSS_TITLE
    text = json.loads(files["text-0.js"][len(prefixes["text-0.js"]) : -2])
    assert "onerror=alert(1)" in text["snippets"][SHORT["injection"]]
    assert files["text-0.js"] == search_part_script("text-0", data["text-0"])


def test_script_escapes_line_separators_and_markup() -> None:
    data: dict[str, object] = {"x": "a\u2028b\u2029c </SCRIPT> <!-- & é"}
    script = search_index_script(data)
    assert script == (
        "window.READING_LIST_SEARCH = "
        '{"x":"a\\u2028b\\u2029c \\u003c/SCRIPT\\u003e \\u003c!-- \\u0026 é"};\n'
    )
    assert json.loads(script[len("window.READING_LIST_SEARCH = ") : -2]) == data


def test_empty_site_still_gives_a_loadable_script() -> None:
    files = search_files(())
    assert list(files) == ["index.js"]
    payload = json.loads(files["index.js"][len("window.READING_LIST_SEARCH = ") : -2])
    assert payload["docs"] == {}
    assert payload["parts"] == []
    assert payload["index"]["version"] == "2.3.9"


# ---------------------------------------------------------------- lunr.js side


def test_lunr_js_loads_the_index_without_warnings(client_run: dict[str, Any]) -> None:
    assert client_run["lunrVersion"] == "2.3.9"
    assert client_run["indexVersion"] == "2.3.9"
    assert client_run["parts"] == ["text-0"]
    assert client_run["partVersions"] == ["2.3.9"]
    assert client_run["warnings"] == []
    assert client_run["docs"][SHORT["injection"]]["t"] == XSS_TITLE
    assert client_run["docs"][SHORT["rlhf"]]["s"] == snippet(ENTRIES[0].text)


def test_no_query_throws(client_run: dict[str, Any], sharded_run: dict[str, Any]) -> None:
    for run in (client_run, sharded_run):
        assert run["errors"] == {}
        assert run["warnings"] == []
        assert set(run["results"]) == set(QUERIES)
    assert sharded_run["parts"] == ["text-0", "text-1", "text-2"]


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
    client_run: dict[str, Any], sharded_run: dict[str, Any], query: str, expected: set[str]
) -> None:
    assert set(refs(client_run, query)) == expected
    # Abstracts split over three parts (three lunr indexes) find the same papers.
    assert set(refs(sharded_run, query)) == expected


def test_every_query_finds_the_same_papers_however_the_abstracts_are_split(
    client_run: dict[str, Any], sharded_run: dict[str, Any]
) -> None:
    for query in QUERIES:
        assert set(refs(client_run, query)) == set(refs(sharded_run, query)), query


def test_first_part_alone_answers_title_and_author_queries(client_run: dict[str, Any]) -> None:
    # Titles and authors are in the first part: these need nothing else.
    assert refs(client_run, "Jain", "firstResults") == ["missingness"]
    assert refs(client_run, "saachi jain", "firstResults") == ["missingness"]
    assert refs(client_run, "reinforc", "firstResults") == ["rlhf"]
    assert set(refs(client_run, "generaliz", "firstResults")) == {"rethinking"}
    assert refs(client_run, "alert", "firstResults") == ["injection"]
    (rlhf,) = client_run["firstResults"]["reinforc"]
    assert rlhf["titleMarks"] == ["Reinforcement"]
    # Words only the abstracts hold find nothing yet...
    for query in ("experiment", "experimen", "50", "convolutional"):
        assert client_run["firstResults"][query] == [], query
    # ... and once the abstract parts arrived, they do.
    assert set(refs(client_run, "experimen")) == {"rethinking", "missingness"}
    assert refs(client_run, "convolutional") == ["missingness"]
    missingness = next(r for r in client_run["results"]["experimen"] if r["url"] == ENTRIES[2].url)
    assert missingness["snippetMarks"] == ["experiments"]


def test_abstract_matches_refine_title_matches(client_run: dict[str, Any]) -> None:
    # "learning" is in three titles; the abstract parts add the papers whose abstracts
    # alone have it, and raise the score of the papers with it in both.
    first = {r["url"]: r["score"] for r in client_run["firstResults"]["learning"]}
    full = {r["url"]: r["score"] for r in client_run["results"]["learning"]}
    assert set(first) == set(full)  # (no abstract here has "learning" without its title)
    rlhf = ENTRIES[0].url
    assert full[rlhf] > first[rlhf]  # "reinforcement learning (RL) systems" in the abstract
    assert set(refs(client_run, "the of", "firstResults")) == {"icl"}


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
    assert set(refs(client_run, "learning")) == {"rlhf", "rethinking", "icl"}
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
        search_index_script(build_search_index(())[FIRST]), encoding="utf-8"
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
