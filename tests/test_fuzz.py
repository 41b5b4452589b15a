"""Hostile input: any bytes in a seed file and any text in a page give a result or a clear
message naming the file and line — never a traceback, a hang, or a lost good paper."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from site_builder.errors import SiteBuilderError
from site_builder.frontmatter import split_page
from site_builder.load import load_seeds
from site_builder.seeds import read_seed_file

GOOD = "Tony\nAbstract:A good abstract about reinforcement learning.\n"
PIECES = st.sampled_from(
    [
        b"Goto\n",
        b"Collaborating Authors\n",
        b"\xc2\xa0Jain, Saachi\n",
        b"Abstract:",
        b"\n\n\n",
        b"\r\n",
        b"\r",
        b"\x00",
        b"\xff\xfe",
        b"\xfe\xff",
        b"\xef\xbb\xbf",
        b"\xe9",
        b"\xed\xa0\x80",
        b"arXiv.org Artificial Intelligence\n",
        b"Title: x\n",
        b"\t",
        b" ",
        "\u2028".encode(),
        b"<script>alert(1)</script>",
        b"{{ x }}",
        b"$\\frac{a}{",
        b"http://x.y/a_(b",
    ]
)
SEED_BYTES = st.lists(st.one_of(PIECES, st.binary(max_size=20)), max_size=40).map(b"".join)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(SEED_BYTES)
def test_fuzz_any_seed_bytes_give_entries_or_located_problems(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "fuzz.txt"
    path.write_bytes(data)
    result = read_seed_file(path)
    for problem in result.problems:
        assert problem.path == "fuzz.txt" and str(problem).startswith("fuzz.txt")
    for entry in result.entries:
        assert entry.abstract.strip() and entry.line >= 1 and "\x00" not in entry.abstract


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(SEED_BYTES)
def test_fuzz_a_broken_seed_never_costs_a_good_file_its_papers(tmp_path: Path, data: bytes) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir(exist_ok=True)
    (seeds / "a-good.txt").write_text(GOOD, encoding="utf-8")
    (seeds / "b-fuzz.txt").write_bytes(data)
    entries, _ = load_seeds(seeds)
    assert any(e.file == "a-good.txt" for e in entries)


FRONT = st.lists(
    st.sampled_from(
        [
            "title: x\n",
            "id: abc\n",
            "authors:\n- A\n",
            "  - B\n",
            "!!python/object:os.system x\n",
            "a: &x [1]\n",
            "b: *x\n",
            "[[[[[[[[[[",
            "{",
            "'",
            '"',
            ":",
            "- ",
            "\t",
            "---\n",
            "\x00",
            "key: !!binary aGk=\n",
            "date: 2024-13-45\n",
            "? complex\n",
            "%YAML 1.1\n",
        ]
    ),
    max_size=25,
).map("".join)


@settings(max_examples=400, deadline=None)
@given(FRONT, st.text(max_size=40))
def test_fuzz_front_matter_parses_or_says_where_it_is_broken(front: str, body: str) -> None:
    text = f"---\n{front}\n---\n\n{body}"
    try:
        fields, _ = split_page(text, "page.md")
    except SiteBuilderError as error:
        assert all(str(p).startswith("page.md") for p in error.problems)
        return
    assert isinstance(fields, dict)
    for value in fields.values():
        assert type(value).__module__ in {"builtins", "datetime"}, value


def test_fuzz_python_object_tags_are_never_constructed(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    text = f"---\ntitle: !!python/object/apply:os.system ['touch {marker}']\nid: x\n---\n\nbody"
    with pytest.raises(SiteBuilderError, match="page.md"):
        split_page(text, "page.md")
    assert not marker.exists()


def test_fuzz_deeply_nested_yaml_is_a_message_not_a_crash() -> None:
    text = "---\ntitle: " + "[" * 5000 + "]" * 5000 + "\n---\n\nbody"
    try:
        split_page(text, "deep.md")
    except SiteBuilderError as error:
        assert str(error).startswith("deep.md")


def test_fuzz_huge_seed_files_are_read_in_bounded_time(tmp_path: Path) -> None:
    many = tmp_path / "many.txt"
    many.write_text(
        "Tony\n"
        + "".join(f"Abstract:Paper number {i} on topic {i % 97}.\n" for i in range(100_000)),
        encoding="utf-8",
    )
    assert len(read_seed_file(many).entries) == 100_000
    one = tmp_path / "one.txt"
    one.write_text("Tony\nAbstract:" + "word " * 200_000 + "\n", encoding="utf-8")
    (entry,) = read_seed_file(one).entries
    assert len(entry.abstract) == len("word " * 200_000) - 1


def test_fuzz_a_50_mb_seed_file_is_read_whole(tmp_path: Path) -> None:
    line = "Abstract:" + "lorem ipsum dolor sit amet " * 20 + "\n"
    count = 50_000_000 // len(line)
    big = tmp_path / "big.txt"
    big.write_text("Tony\n" + line * count, encoding="utf-8")
    assert big.stat().st_size > 49_000_000
    result = read_seed_file(big)
    assert len(result.entries) == count and result.problems == ()
    assert result.entries[-1].line == count + 1
