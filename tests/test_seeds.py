"""Reading the two seed formats, exactly, with every quirk and every bad input."""

from __future__ import annotations

from pathlib import Path

from conftest import SEEDS

from site_builder.seeds import clean_name, read_seed_file

FORMAT_A = sorted(p for p in SEEDS.glob("*.txt") if not p.read_text().startswith("Goto"))
FORMAT_B = SEEDS / "004_668e95e94da32894.txt"


def test_seeds_real_files_give_47_entries_with_provenance() -> None:
    results = [read_seed_file(p) for p in sorted(SEEDS.glob("*.txt"))]
    entries = [e for r in results for e in r.entries]
    assert len(entries) == 47
    assert all(not r.problems for r in results)
    first = results[0].entries[0]
    assert (first.file, first.line, first.author) == ("000_ecb8618afa550e8b.txt", 2, "Tony")
    assert first.abstract.startswith("The o1 model series is trained")
    assert first.title is None


def test_seeds_format_a_reads_name_and_every_abstract_line() -> None:
    for path in FORMAT_A:
        result = read_seed_file(path)
        lines = path.read_text(encoding="utf-8").splitlines()
        assert len(result.entries) == sum(line.startswith("Abstract:") for line in lines)
        assert {e.author for e in result.entries} == {"Tony"}
        for entry in result.entries:
            assert lines[entry.line - 1] == "Abstract:" + entry.abstract


def test_seeds_format_b_reads_author_titles_sources_and_lines() -> None:
    result = read_seed_file(FORMAT_B)
    assert len(result.entries) == 10
    lines = FORMAT_B.read_text(encoding="utf-8").splitlines()
    deliberative = result.entries[0]
    assert deliberative.author == "Saachi Jain"  # " Jain, Saachi" after a no-break space
    assert deliberative.title == "Deliberative Alignment: Reasoning Enables Safer Language Models"
    assert deliberative.source == "arXiv.org Artificial Intelligence"
    assert lines[deliberative.line - 1] == deliberative.title
    assert result.entries[3].source == "arXiv.org Machine Learning"
    assert all(e.abstract and "\n" not in e.abstract for e in result.entries)


def test_seeds_clean_name_turns_last_first_and_odd_spaces_into_first_last() -> None:
    assert clean_name("\u00a0Jain, Saachi") == "Saachi Jain"
    assert clean_name("  Ada   Lovelace \t") == "Ada Lovelace"
    assert clean_name("Tony") == "Tony"


def write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


def test_seeds_empty_file_warns_with_file_and_line(tmp_path: Path) -> None:
    result = read_seed_file(write(tmp_path, "empty.txt", "\n\n"))
    assert result.entries == ()
    assert [str(p) for p in result.problems] == ["empty.txt:1: is empty; no papers read"]


def test_seeds_header_only_warns(tmp_path: Path) -> None:
    a = read_seed_file(write(tmp_path, "a.txt", "Tony\n"))
    assert str(a.problems[0]) == "a.txt:1: has only a header and no Abstract: lines"
    b = read_seed_file(
        write(tmp_path, "b.txt", "Goto\n\nCollaborating Authors\n\n\u00a0Jain, Saachi\n")
    )
    assert str(b.problems[0]).startswith("b.txt:1: has only a header and no papers")


def test_seeds_block_cut_short_warns_and_keeps_the_good_papers(tmp_path: Path) -> None:
    text = (
        "Goto\n\nCollaborating Authors\n\n Doe, Jane\n\n\n"
        "Good Paper\n\narXiv.org Artificial Intelligence\n\nA good abstract.\n\n\n"
        "Cut Short\n\narXiv.org Artificial Intelligence\n"
    )
    result = read_seed_file(write(tmp_path, "cut.txt", text))
    assert [e.title for e in result.entries] == ["Good Paper"]
    assert len(result.problems) == 1
    assert str(result.problems[0]).startswith("cut.txt:15: paper 'Cut Short' has no abstract")


def test_seeds_undecodable_bytes_warn_with_line_and_keep_the_paper(tmp_path: Path) -> None:
    data = b"Tony\nAbstract:Good one.\nAbstract:Caf\xe9 latte \xff study.\n"
    result = read_seed_file(write(tmp_path, "latin.txt", data))
    assert len(result.entries) == 2
    assert result.entries[1].abstract == "Caf\ufffd latte \ufffd study."
    assert str(result.problems[0]).startswith("latin.txt:3: not valid UTF-8 (byte 0xe9)")


def test_seeds_crlf_bom_and_utf16_read_the_same(tmp_path: Path) -> None:
    text = "Tony\r\nAbstract:One.\r\nAbstract:Two.\r\n"
    plain = read_seed_file(write(tmp_path, "crlf.txt", text)).entries
    bom = read_seed_file(write(tmp_path, "bom.txt", b"\xef\xbb\xbf" + text.encode())).entries
    utf16 = read_seed_file(write(tmp_path, "u16.txt", text.encode("utf-16"))).entries
    assert [e.abstract for e in plain] == [e.abstract for e in bom] == [e.abstract for e in utf16]
    assert [e.abstract for e in plain] == ["One.", "Two."]


def test_seeds_stray_line_in_format_a_is_reported(tmp_path: Path) -> None:
    result = read_seed_file(
        write(tmp_path, "stray.txt", "Tony\n\nnot an abstract\nAbstract:Real.\n")
    )
    assert [e.abstract for e in result.entries] == ["Real."]
    assert str(result.problems[0]).startswith("stray.txt:3: line is not part of any abstract")
