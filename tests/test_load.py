"""Import: merging, inferred titles, pages that render back to the seed text, and
re-imports that never lose a reader's edit."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml
from conftest import SEEDS, make_project

from site_builder.frontmatter import split_page
from site_builder.load import import_seeds, normalise_abstract
from site_builder.markdown import markdown_to_text, plain_text
from site_builder.titles import infer_title


def pages(content: Path) -> dict[str, str]:
    return {
        p.name: p.read_text(encoding="utf-8") for p in sorted((content / "papers").glob("*.md"))
    }


def front_of(text: str) -> dict:
    return split_page(text, "page")[0]


def by_title(content: Path) -> dict[str, dict]:
    return {front_of(t)["title"]: front_of(t) for t in pages(content).values()}


def test_load_seeds_merge_47_entries_into_38_papers(project: Path) -> None:
    report = import_seeds(project / "seeds", project / "content")
    assert (report.entries, report.papers, len(report.created)) == (47, 38, 38)
    papers = by_title(project / "content")
    o1 = papers["OpenAI o1 System Card"]
    assert o1["authors"] == ["Tony", "Saachi Jain"]
    assert o1["title_inferred"] is False
    assert o1["source"] == "arXiv.org Artificial Intelligence"
    assert [s["file"] for s in o1["seeds"]] == sorted(p.name for p in SEEDS.glob("*.txt"))
    assert {s["line"] for s in o1["seeds"]} == {2, 15}
    assert papers["GPT-4o System Card"]["authors"] == ["Tony", "Saachi Jain"]


def test_load_normalised_abstract_ignores_unicode_case_space_and_punctuation() -> None:
    assert normalise_abstract("We  present ＨＥＬＭ, a benchmark.") == normalise_abstract(
        "we present HELM — a benchmark"
    )


def test_load_inferred_titles_name_the_contribution() -> None:
    assert (
        infer_title(
            "Language models (LMs) are everywhere. We present Holistic Evaluation of Language "
            "Models (HELM) to improve the transparency of language models."
        )
        == "Holistic Evaluation of Language Models (HELM)"
    )
    assert infer_title(
        "We introduce MLE-bench, a benchmark for measuring how well AI agents perform at "
        "machine learning engineering. To this end, we curate 75 competitions."
    ).startswith("MLE-bench")
    assert infer_title("Complex systems, such as airplanes, produce data. We study it.").startswith(
        "Complex systems, such as airplanes"
    )


def test_load_untitled_papers_are_marked_inferred(project: Path) -> None:
    import_seeds(project / "seeds", project / "content")
    papers = by_title(project / "content")
    assert papers["Holistic Evaluation of Language Models (HELM)"]["title_inferred"] is True
    assert (
        papers["Deliberative Alignment: Reasoning Enables Safer Language Models"]["title_inferred"]
        is False
    )
    assert sum(p["title_inferred"] for p in papers.values()) == 28


def test_load_pages_render_back_to_the_seed_text(project: Path) -> None:
    import_seeds(project / "seeds", project / "content")
    abstracts = {
        e.split("Abstract:", 1)[1]
        for p in SEEDS.glob("*.txt")
        for e in p.read_text(encoding="utf-8").splitlines()
        if e.startswith("Abstract:")
    }
    rendered = {
        markdown_to_text(split_page(t, "p")[1]) for t in pages(project / "content").values()
    }
    assert {plain_text(a) for a in abstracts} <= rendered
    assert not any("\\leftrightarrow" in text or "50\\%" in text for text in rendered)
    assert any("much faster and 50% cheaper" in text for text in rendered)
    scaling = next(t for t in pages(project / "content").values() if "leftrightarrow" in t)
    # The page keeps the LaTeX readable; what it shows and what search holds is the symbol.
    assert "image$\\leftrightarrow$text" in split_page(scaling, "p")[1]
    assert "image\u2194text" in markdown_to_text(split_page(scaling, "p")[1])


def test_load_links_in_abstracts_are_found_without_the_final_period(project: Path) -> None:
    import_seeds(project / "seeds", project / "content")
    links = [link for p in by_title(project / "content").values() for link in p.get("links", [])]
    assert "https://github.com/MadryLab/ImageNetMultiLabel" in links
    assert all(not link.endswith(".") for link in links)


def test_load_reimport_of_unchanged_seeds_changes_no_byte(project: Path) -> None:
    import_seeds(project / "seeds", project / "content")
    before = pages(project / "content")
    report = import_seeds(project / "seeds", project / "content")
    assert (report.created, report.updated, report.unchanged) == ([], [], 38)
    assert pages(project / "content") == before


def test_load_reader_edits_survive_reimport_byte_for_byte(project: Path) -> None:
    import_seeds(project / "seeds", project / "content")
    path = next((project / "content" / "papers").glob("holistic-evaluation*.md"))
    text = path.read_text(encoding="utf-8")
    edited = (
        text.replace(
            "title: Holistic Evaluation of Language Models (HELM)",
            "title: 'HELM: Holistic Evaluation of Language Models'  # fixed by me",
        )
        .replace("title_inferred: true", "title_inferred: false")
        .replace("---\n\n", "tags: [benchmarks, evaluation]\nmy_field: {x: 1}\n---\n\n", 1)
        + "\nMy notes: *read twice*.\n"
    )
    path.write_text(edited, encoding="utf-8")
    import_seeds(project / "seeds", project / "content")
    assert path.read_text(encoding="utf-8") == edited


def test_load_new_seed_file_adds_author_and_source_keeping_edits(
    project: Path, tmp_path: Path
) -> None:
    shutil.move(project / "seeds" / "004_668e95e94da32894.txt", tmp_path / "later.txt")
    import_seeds(project / "seeds", project / "content")
    o1_path = next(
        p
        for p, t in ((p, p.read_text()) for p in (project / "content" / "papers").glob("*.md"))
        if "The o1 model series" in t
    )
    text = o1_path.read_text(encoding="utf-8")
    assert "Saachi Jain" not in text and "title_inferred: true" in text
    edited = text.replace("---\n\n", "# my comment survives\nrating: 5\n---\n\n", 1)
    o1_path.write_text(edited, encoding="utf-8")
    shutil.move(tmp_path / "later.txt", project / "seeds" / "004_668e95e94da32894.txt")
    report = import_seeds(project / "seeds", project / "content")
    assert o1_path in report.updated
    updated = o1_path.read_text(encoding="utf-8")
    front = front_of(updated)
    assert front["authors"] == ["Tony", "Saachi Jain"]
    assert front["title"] == "OpenAI o1 System Card" and front["title_inferred"] is False
    assert front["source"] == "arXiv.org Artificial Intelligence"
    assert front["rating"] == 5 and "# my comment survives" in updated
    assert updated.split("---\n", 2)[2] == edited.split("---\n", 2)[2]  # body untouched
    # the page keeps its URL: the slug was fixed when it was created
    assert o1_path.exists()


def test_load_reader_title_and_authors_win_over_seeds(project: Path) -> None:
    import_seeds(project / "seeds", project / "content")
    path = project / "content" / "papers" / "openai-o1-system-card.md"
    front = front_of(path.read_text(encoding="utf-8"))
    text = (
        path.read_text(encoding="utf-8")
        .replace("- Tony\n", "")
        .replace("title: OpenAI o1 System Card", "title: The o1 card")
    )
    path.write_text(text, encoding="utf-8")
    import_seeds(project / "seeds", project / "content")
    after = front_of(path.read_text(encoding="utf-8"))
    assert after["authors"] == ["Saachi Jain"] and after["title"] == "The o1 card"
    assert after["seeds"] == front["seeds"]


def test_load_slugs_do_not_depend_on_file_or_entry_order(tmp_path: Path) -> None:
    forward = make_project(tmp_path / "forward")
    backward = make_project(tmp_path / "backward", seeds=None)
    # the same papers, with files renamed into reverse order and entries reversed
    for index, path in enumerate(sorted(SEEDS.glob("*.txt"), reverse=True)):
        lines = path.read_text(encoding="utf-8").split("\n")
        if lines[0] == "Tony":
            lines = [lines[0], *reversed([line for line in lines[1:] if line])]
        (backward / "seeds" / f"{index}_{path.name}").write_text("\n".join(lines), encoding="utf-8")
    import_seeds(forward / "seeds", forward / "content")
    import_seeds(backward / "seeds", backward / "content")
    ids = {}
    for root in (forward, backward):
        ids[root.name] = {front_of(t)["id"]: name for name, t in pages(root / "content").items()}
    assert ids["forward"] == ids["backward"]


def test_load_titles_that_slugify_alike_get_distinct_stable_pages(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", seeds=None)
    (root / "seeds" / "b.txt").write_text(
        "Goto\n\nCollaborating Authors\n\n Doe, Jane\n\n\n"
        "Attention!\n\narXiv.org AI\n\nFirst abstract about attention.\n\n\n"
        "attention?\n\narXiv.org AI\n\nSecond, different abstract.\n",
        encoding="utf-8",
    )
    import_seeds(root / "seeds", root / "content")
    first = pages(root / "content")
    assert len(first) == 2 and "attention.md" in first
    assert len({front_of(t)["title"] for t in first.values()}) == 2
    shutil.rmtree(root / "content")
    import_seeds(root / "seeds", root / "content")
    assert pages(root / "content") == first


def test_load_broken_page_is_left_alone_and_not_duplicated(project: Path) -> None:
    import_seeds(project / "seeds", project / "content")
    path = project / "content" / "papers" / "openai-o1-system-card.md"
    broken = path.read_text(encoding="utf-8").replace("title: OpenAI", "title: [OpenAI", 1)
    path.write_text(broken, encoding="utf-8")
    report = import_seeds(project / "seeds", project / "content")
    assert report.created == [] and path.read_text(encoding="utf-8") == broken
    assert len(pages(project / "content")) == 38


def test_load_front_matter_is_safe_yaml_only(project: Path) -> None:
    import_seeds(project / "seeds", project / "content")
    for text in pages(project / "content").values():
        yaml.safe_load(text.split("---\n")[1])
        assert "!!" not in text.split("---\n")[1]


def test_load_prune_removes_entries_of_a_deleted_seed_file(project: Path) -> None:
    import_seeds(project / "seeds", project / "content")
    papers_dir = project / "content" / "papers"
    mine = papers_dir / "combining-diverse-feature-priors.md"
    mine.write_text(mine.read_text().replace("\n---\n", "\ntags: [priors]\n---\n", 1))
    (project / "seeds" / "004_668e95e94da32894.txt").unlink()
    untouched = pages(project / "content")
    report = import_seeds(project / "seeds", project / "content")
    assert pages(project / "content") == untouched  # without --prune nothing changes
    report = import_seeds(project / "seeds", project / "content", prune=True)
    names = {p.name for p in report.deleted}
    assert "learning-to-speak-and-act-in-a-fantasy-text-adventure-game.md" in names
    assert len(report.deleted) == 6  # 10 papers in the file: 3 also in Tony’s lists, 1 edited
    assert mine.exists() and "kept because you added tags" in " ".join(map(str, report.problems))
    o1 = front_of((papers_dir / "openai-o1-system-card.md").read_text())
    assert o1["authors"] == ["Tony"]
    assert "004_668e95e94da32894.txt" not in [s["file"] for s in o1["seeds"]]
    assert o1["title"] == "OpenAI o1 System Card"  # the title the reader now has stays
    again = pages(project / "content")
    import_seeds(project / "seeds", project / "content", prune=True)
    assert pages(project / "content") == again
