"""Charts drawn at build time: the SVG parsed as XML, then shown in headless Chromium.

Every chart must be well-formed XML whatever its labels hold, every bar and node a link
to its page, the output the same bytes for the same data in any order, and the layout of
a large co-author graph inside its viewBox with no two nodes overlapping.
"""

from __future__ import annotations

import math
import os
import random
import re
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import axe_playwright_python
import pytest

from site_builder.charts import (
    Bar,
    Edge,
    Node,
    bar_chart,
    chart_table,
    coauthor_graph,
    edge_width,
    node_positions,
)

PROJECT = Path(__file__).resolve().parent.parent
SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = ["<script>alert(1)</script>", 'say "hi"', "R&D & more", "]]> end", "nul\x00 byte"]


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    return root


def links(root: ET.Element) -> list[ET.Element]:
    return list(root.iter(f"{SVG}a"))


def child(element: ET.Element, tag: str, cls: str | None = None) -> ET.Element:
    for found in element.iter(f"{SVG}{tag}"):
        if cls is None or found.get("class") == cls:
            return found
    raise AssertionError(f"no <{tag} class={cls!r}> in {ET.tostring(element)!r}")


def own_title(element: ET.Element) -> str:
    title = element.find(f"{SVG}title")
    assert title is not None
    return title.text or ""


def view_box(root: ET.Element) -> tuple[float, float, float, float]:
    x, y, w, h = (float(part) for part in root.get("viewBox", "").split())
    return x, y, w, h


def author_bars() -> list[Bar]:
    return [
        Bar("Saachi Jain", 10, "authors/saachi-jain.html"),
        Bar("Tony", 31, "authors/tony.html"),
        Bar("alice", 10, "authors/alice.html"),
        Bar("Bob", 3, "authors/bob.html"),
    ]


# ------------------------------------------------------------------ bar chart


def test_every_bar_is_a_link_with_its_label_and_value_largest_first() -> None:
    root = parse(bar_chart(author_bars(), "Papers per author", "How many papers each wrote."))
    got = [
        (
            a.get("href"),
            child(a, "text", "chart-label").text,
            child(a, "text", "chart-value").text,
            own_title(a),
        )
        for a in links(root)
    ]
    assert got == [
        ("authors/tony.html", "Tony", "31", "Tony: 31 papers"),
        # equal values: by label, ignoring case
        ("authors/alice.html", "alice", "10", "alice: 10 papers"),
        ("authors/saachi-jain.html", "Saachi Jain", "10", "Saachi Jain: 10 papers"),
        ("authors/bob.html", "Bob", "3", "Bob: 3 papers"),
    ]
    widths = [float(child(a, "rect", "chart-bar").get("width", "")) for a in links(root)]
    assert widths[1] == widths[2]
    assert widths[0] / widths[3] == pytest.approx(31 / 3, rel=1e-3)
    assert root.find(f".//{SVG}text[@class='chart-note']") is None


def test_bar_chart_is_labelled_and_sized_by_its_bars() -> None:
    root = parse(bar_chart(author_bars(), "Papers per author", "How many.", id_prefix="by-author"))
    assert root.get("aria-labelledby") == "by-author-title"
    assert root.get("aria-describedby") == "by-author-desc"
    assert root.find(f"{SVG}title[@id='by-author-title']").text == "Papers per author"  # type: ignore[union-attr]
    assert root.find(f"{SVG}desc[@id='by-author-desc']").text == "How many."  # type: ignore[union-attr]
    _, _, width, height = view_box(root)
    taller = parse(bar_chart(author_bars() * 3, "Papers per author", "How many."))
    assert view_box(taller)[3] > height
    assert view_box(taller)[2] == width
    # The inline min-width keeps 13-unit text at 12 CSS px or more when the chart shrinks.
    least = float(re.fullmatch(r"min-width: (\d+)px", root.get("style", "")).group(1))  # type: ignore[union-attr]
    assert float(root.get("font-size", "")) * least / width >= 12


def test_many_bars_are_cut_with_and_n_more() -> None:
    bars = [Bar(f"Author {i:02}", 100 - i, f"authors/a{i}.html") for i in range(40)]
    root = parse(bar_chart(bars, "Papers per author", "Counts.", max_bars=25))
    shown = links(root)
    assert len(shown) == 25
    assert [a.get("href") for a in shown] == [f"authors/a{i}.html" for i in range(25)]
    assert child(root, "text", "chart-note").text == "and 15 more"
    assert "25 largest of 40" in (root.find(f"{SVG}desc").text or "")  # type: ignore[union-attr]
    one = parse(bar_chart(bars[:1], "One", "Counts.", unit="topic"))
    assert own_title(links(one)[0]) == "Author 00: 100 topics"
    last = parse(bar_chart(bars[-1:], "One", "Counts.", unit="topic"))
    assert own_title(links(last)[0]) == "Author 39: 61 topics"
    single = parse(bar_chart([Bar("Ann", 1, "a.html")], "One", "Counts.", unit="topic"))
    assert own_title(links(single)[0]) == "Ann: 1 topic"


def test_long_labels_get_an_ellipsis_and_keep_the_full_text_in_the_title() -> None:
    name = "Professor Maximilian Alexander Wolfgang von Hohenzollern-Sigmaringen"
    root = parse(bar_chart([Bar(name, 2, "authors/max.html")], "Authors", "Counts."))
    (link,) = links(root)
    shown = child(link, "text", "chart-label").text or ""
    assert shown.endswith("…")
    assert name.startswith(shown[:-1])
    assert len(shown) < len(name)
    assert own_title(link) == f"{name}: 2 papers"


def test_empty_bar_chart_says_so() -> None:
    root = parse(bar_chart([], "Papers per topic", "No topics."))
    assert links(root) == []
    assert child(root, "text", "chart-note").text == "Nothing to show yet."


@pytest.mark.parametrize("label", HOSTILE)
def test_hostile_labels_are_escaped_and_the_svg_stays_well_formed(label: str) -> None:
    href = 'authors/x.html?a="1"&b=<2>'
    chart = bar_chart([Bar(label, 1, href)], f"Title {label}", f"Desc {label}")
    assert "<script" not in chart
    root = parse(chart)  # raises on anything malformed
    (link,) = links(root)
    expected = label.replace("\x00", "\ufffd")
    assert link.get("href") == href
    assert child(link, "text", "chart-label").text == expected
    assert own_title(link) == f"{expected}: 1 paper"
    assert root.find(f"{SVG}title").text == f"Title {expected}"  # type: ignore[union-attr]
    assert [element.tag for element in root.iter() if "script" in element.tag] == []


@pytest.mark.parametrize(
    "href", ["javascript:alert(1)", " JavaScript:x", "java\tscript:x", "data:,x"]
)
def test_links_other_than_relative_or_http_are_refused(href: str) -> None:
    with pytest.raises(ValueError, match="link"):
        bar_chart([Bar("A", 1, href)], "T", "D")
    with pytest.raises(ValueError, match="link"):
        coauthor_graph([Node("a", "A", href, 1)], [], "T", "D")


def test_bad_arguments_are_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        bar_chart([Bar("A", -1, "a.html")], "T", "D")
    with pytest.raises(ValueError, match="max_bars"):
        bar_chart([], "T", "D", max_bars=0)
    with pytest.raises(ValueError, match="id_prefix"):
        bar_chart([], "T", "D", id_prefix='x" onload="y')


def test_charts_are_byte_identical_whatever_the_input_order() -> None:
    bars = [Bar(f"Author {i % 13}", i % 5, f"authors/{i}.html") for i in range(50)]
    nodes, edges = random_graph(80, 150, seed=7)
    first = bar_chart(bars, "Bars", "D")
    graph = coauthor_graph(nodes, edges, "Graph", "D")
    shuffler = random.Random(1)
    for _ in range(5):
        bars_again, nodes_again = bars[:], nodes[:]
        edges_again = [Edge(e.b, e.a, e.weight) if shuffler.random() < 0.5 else e for e in edges]
        shuffler.shuffle(bars_again)
        shuffler.shuffle(nodes_again)
        shuffler.shuffle(edges_again)
        assert bar_chart(bars_again, "Bars", "D") == first
        assert coauthor_graph(nodes_again, edges_again, "Graph", "D") == graph


def test_charts_with_different_titles_get_different_ids() -> None:
    charts = [
        parse(bar_chart(author_bars(), "Papers per author", "D")),
        parse(bar_chart(author_bars(), "Papers per topic", "D")),
        parse(coauthor_graph(*two_authors(), "Co-authors", "D")),
    ]
    ids = [element.get("id") for chart in charts for element in chart.iter() if element.get("id")]
    assert len(ids) == 6
    assert len(set(ids)) == 6
    for chart in charts:
        for ref in [chart.get("aria-labelledby"), chart.get("aria-describedby")]:
            assert any(element.get("id") == ref for element in chart.iter())


def test_chart_table_lists_every_bar_in_chart_order() -> None:
    bars = [*author_bars(), Bar("<b>&</b>", 1, "authors/x.html")]
    table = ET.fromstring(chart_table(bars, "Papers per author", label_header="Author"))
    assert table.tag == "table"
    assert table.findtext("caption") == "Papers per author"
    assert [th.text for th in table.iter("th") if th.get("scope") == "col"] == ["Author", "Papers"]
    rows = [
        (row.find("th/a").get("href"), row.findtext("th/a"), row.findtext("td"))  # type: ignore[union-attr]
        for row in table.iter("tr")
        if row.find("th[@scope='row']") is not None
    ]
    assert rows == [
        ("authors/tony.html", "Tony", "31"),
        ("authors/alice.html", "alice", "10"),
        ("authors/saachi-jain.html", "Saachi Jain", "10"),
        ("authors/bob.html", "Bob", "3"),
        ("authors/x.html", "<b>&</b>", "1"),
    ]


# ------------------------------------------------------------------ co-author graph


def two_authors() -> tuple[list[Node], list[Edge]]:
    """Tony and Saachi Jain, joined by the o1 and GPT-4o system cards."""
    nodes = [
        Node("tony", "Tony", "authors/tony.html", 31),
        Node("saachi-jain", "Saachi Jain", "authors/saachi-jain.html", 10),
    ]
    return nodes, [Edge("saachi-jain", "tony", 2)]


def random_graph(count: int, edges: int, seed: int) -> tuple[list[Node], list[Edge]]:
    rng = random.Random(seed)
    nodes = [
        Node(
            f"n{i}",
            f"Author {i} {'Lastname' * (i % 3)}".strip(),
            f"authors/n{i}.html",
            rng.randint(1, 40),
        )
        for i in range(count)
    ]
    pairs: dict[tuple[int, int], int] = {}
    while len(pairs) < edges:
        a, b = sorted(rng.sample(range(count), 2))
        pairs[(a, b)] = rng.randint(1, 5)
    return nodes, [Edge(f"n{a}", f"n{b}", weight) for (a, b), weight in sorted(pairs.items())]


def graph_nodes(root: ET.Element) -> dict[str, tuple[float, float, float]]:
    """href → (x, y, r) of each drawn node, in viewBox coordinates."""
    group = root.find(f"{SVG}g")
    assert group is not None
    dx, dy = (
        float(v)
        for v in re.fullmatch(r"translate\((\S+) (\S+)\)", group.get("transform", "")).groups()
    )  # type: ignore[union-attr]
    found = {}
    for link in links(root):
        circle = child(link, "circle", "chart-node")
        x, y, r = (float(circle.get(name, "")) for name in ("cx", "cy", "r"))
        found[link.get("href", "")] = (x + dx, y + dy, r)
    return found


def test_two_authors_sharing_two_papers_are_two_linked_nodes_and_one_edge() -> None:
    root = parse(coauthor_graph(*two_authors(), "Co-authors", "Authors joined by shared papers."))
    assert {a.get("href"): child(a, "text", "chart-label").text for a in links(root)} == {
        "authors/tony.html": "Tony",
        "authors/saachi-jain.html": "Saachi Jain",
    }
    assert [own_title(a) for a in links(root)] == ["Tony: 31 papers", "Saachi Jain: 10 papers"]
    edges = [p for p in root.iter(f"{SVG}path") if p.get("class") == "chart-edge"]
    assert len(edges) == 1
    assert float(edges[0].get("stroke-width", "")) == edge_width(2) > edge_width(1)
    assert own_title(edges[0]) == "Tony and Saachi Jain: 2 shared papers"
    radii = {href: r for href, (_, _, r) in graph_nodes(root).items()}
    assert radii["authors/tony.html"] > radii["authors/saachi-jain.html"]
    assert root.get("aria-labelledby", "").endswith("-title")


def test_sixty_nodes_fit_the_view_box_and_do_not_overlap() -> None:
    nodes, edges = random_graph(60, 120, seed=3)
    root = parse(coauthor_graph(nodes, edges, "Co-authors", "D"))
    placed = graph_nodes(root)
    assert len(placed) == 60
    x0, y0, width, height = view_box(root)
    for x, y, r in placed.values():
        assert x0 <= x - r and x + r <= x0 + width
        assert y0 <= y - r and y + r <= y0 + height
    points = list(placed.values())
    closest = min(
        math.dist(p[:2], q[:2]) - p[2] - q[2] for i, p in enumerate(points) for q in points[i + 1 :]
    )
    assert closest >= 4
    # The text is 13 units: the chart is not squeezed into an unreadable square.
    assert width < 1200 and height < 1200


def test_only_the_most_prolific_are_drawn_with_a_note() -> None:
    nodes, edges = random_graph(100, 300, seed=5)
    root = parse(coauthor_graph(nodes, edges, "Co-authors", "D", max_nodes=60))
    drawn = set(graph_nodes(root))
    ranked = sorted(nodes, key=lambda n: (-n.weight, n.label.casefold(), n.label, n.id))
    assert drawn == {node.href for node in ranked[:60]}
    assert child(root, "text", "chart-note").text == (
        "The 60 authors with most papers; 40 more not shown."
    )
    label = {node.id: node.label for node in ranked[:60]}
    kept = {frozenset((label[e.a], label[e.b])) for e in edges if e.a in label and e.b in label}
    titles = [own_title(p) for p in root.iter(f"{SVG}path")]
    assert {frozenset(t.split(":")[0].split(" and ")) for t in titles} == kept


def test_authors_without_co_authors_come_after_the_connected_ones() -> None:
    nodes = [
        Node("solo", "Solo Writer", "authors/solo.html", 50),
        Node("a", "Ann", "authors/a.html", 3),
        Node("b", "Ben", "authors/b.html", 2),
        Node("c", "Cy", "authors/c.html", 1),
    ]
    edges = [Edge("a", "c", 1), Edge("b", "c", 4)]
    order = list(node_positions(nodes, edges))
    assert order == ["a", "c", "b", "solo"]  # walk follows the strongest tie (c-b: 4 papers)
    root = parse(coauthor_graph(nodes, edges, "Co-authors", "D"))
    assert [a.get("href") for a in links(root)][-1] == "authors/solo.html"


def test_graph_edge_cases() -> None:
    empty = parse(coauthor_graph([], [], "Co-authors", "D"))
    assert child(empty, "text", "chart-note").text == "No authors yet."
    one = parse(coauthor_graph([Node("a", "Ann", "authors/a.html", 1)], [], "Co-authors", "D"))
    assert list(graph_nodes(one)) == ["authors/a.html"]
    node = Node("a", "A", "a.html", 1)
    other = Node("b", "B", "b.html", 1)
    for nodes, edges, message in [
        ([node, node], [], "duplicate node"),
        ([node], [Edge("a", "zz", 1)], "unknown node"),
        ([node], [Edge("a", "a", 1)], "itself"),
        ([node, other], [Edge("a", "b", 0)], "at least 1"),
        ([node, other], [Edge("a", "b", 1), Edge("b", "a", 2)], "duplicate edge"),
    ]:
        with pytest.raises(ValueError, match=message):
            coauthor_graph(nodes, edges, "T", "D")


@pytest.mark.parametrize("label", HOSTILE)
def test_hostile_author_names_in_the_graph(label: str) -> None:
    nodes = [Node("x", label, "authors/x.html?a=1&b=2", 2), Node("y", "Y", "authors/y.html", 1)]
    chart = coauthor_graph(nodes, [Edge("x", "y", 1)], label, label)
    assert "<script" not in chart
    root = parse(chart)
    expected = label.replace("\x00", "\ufffd")
    shown = child(links(root)[0], "text", "chart-label").text or ""
    assert shown == expected or (shown.endswith("…") and expected.startswith(shown[:-1]))
    assert own_title(links(root)[0]) == f"{expected}: 2 papers"
    assert links(root)[0].get("href") == "authors/x.html?a=1&b=2"
    assert own_title(child(root, "path", "chart-edge")) == f"{expected} and Y: 1 shared paper"


def test_a_huge_library_is_drawn_quickly() -> None:
    nodes, edges = random_graph(30_000, 100_000, seed=11)
    started = time.perf_counter()
    chart = coauthor_graph(nodes, edges, "Co-authors", "D")
    bars = bar_chart([Bar(n.label, n.weight, n.href) for n in nodes], "Bars", "D")
    elapsed = time.perf_counter() - started
    assert len(links(parse(chart))) == 60
    assert len(links(parse(bars))) == 25
    assert elapsed < 3.0, f"took {elapsed:.2f}s"


# ------------------------------------------------------------------ in a browser


def sample_page(folder: Path) -> tuple[Path, list[Bar]]:
    """A page like the stats page: both charts, the table, the site's CSS."""
    css = folder / "static" / "css"
    css.mkdir(parents=True)
    for name in ("site.css", "charts.css"):
        (css / name).write_text((PROJECT / "static" / "css" / name).read_text("utf-8"), "utf-8")
    nodes, edges = random_graph(70, 110, seed=2)
    bars = [*author_bars(), *(Bar(n.label, n.weight, n.href) for n in nodes)]
    (folder / "authors").mkdir()
    (folder / "authors" / "saachi-jain.html").write_text("<title>Saachi Jain</title>", "utf-8")
    page = folder / "stats.html"
    page.write_text(
        f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Stats</title>
<link rel="stylesheet" href="static/css/site.css">
<link rel="stylesheet" href="static/css/charts.css">
</head><body><main id="main"><h1>Stats</h1>
<h2>Papers per author</h2>
<div class="chart-scroll">{bar_chart(bars, "Papers per author", "Papers by each author.")}</div>
<details><summary>As a table</summary>{chart_table(bars, "Papers per author")}</details>
<h2>Co-authors</h2>
<div class="chart-scroll">{coauthor_graph(*two_authors(), "Co-authors", "Shared papers.")}</div>
<h2>Co-authors in a large library</h2>
<div class="chart-scroll">{coauthor_graph(nodes, edges, "Many co-authors", "Shared papers.")}</div>
</main></body></html>""",
        encoding="utf-8",
    )
    return page, bars


# The computed colours site.css gives --fg and --accent in each scheme.
SCHEMES = {
    "light": {"fg": "rgb(29, 31, 35)", "accent": "rgb(31, 95, 191)"},
    "dark": {"fg": "rgb(230, 232, 236)", "accent": "rgb(138, 180, 255)"},
}

AXE = [
    Path(os.environ.get("AXE_CORE_JS", "")),
    Path(axe_playwright_python.__file__).parent / "axe.min.js",
    PROJECT / "node_modules" / "axe-core" / "axe.min.js",
]


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_charts_in_chromium(tmp_path: Path, scheme: str, browser) -> None:  # type: ignore[no-untyped-def]
    page_path, bars = sample_page(tmp_path / "site")
    page = browser.new_page(color_scheme=scheme, viewport={"width": 1000, "height": 800})
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto(page_path.as_uri())
    page.screenshot(path=str(tmp_path / f"charts-{scheme}.png"), full_page=True)

    colours = page.evaluate(
        """() => ({
          bar: getComputedStyle(document.querySelector('.chart-bar')).fill,
          node: getComputedStyle(document.querySelector('.chart-node')).fill,
          label: getComputedStyle(document.querySelector('.chart-label')).fill,
        })"""
    )
    expected = SCHEMES[scheme]
    assert colours == {
        "bar": expected["accent"],
        "node": expected["accent"],
        "label": expected["fg"],
    }

    # Every bar and node is a link reached with the keyboard, in chart order.
    hrefs = []
    for _ in range(6):
        page.keyboard.press("Tab")
        hrefs.append(page.evaluate("document.activeElement.getAttribute('href')"))
    ranked = sorted(bars, key=lambda bar: (-bar.value, bar.label.casefold()))
    assert hrefs == [bar.href for bar in ranked[:6]]
    page.click(".chart-graph a[href='authors/saachi-jain.html']")
    assert page.url.endswith("/authors/saachi-jain.html")

    # On a phone the text stays 12px or more: the chart scrolls instead of shrinking.
    page.goto(page_path.as_uri())
    page.set_viewport_size({"width": 390, "height": 800})
    smallest = page.evaluate(
        """() => Math.min(...[...document.querySelectorAll('svg.chart text')].map(text => {
          const svg = text.ownerSVGElement;
          const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
          return parseFloat(getComputedStyle(text).fontSize) * scale;
        }))"""
    )
    assert smallest >= 12
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(tmp_path / f"charts-{scheme}-phone.png"))
    assert errors == []


@pytest.mark.browser
def test_axe_core_finds_no_serious_or_critical_violations(tmp_path: Path, browser) -> None:  # type: ignore[no-untyped-def]
    axe = next((path for path in AXE if path.name and path.is_file()), None)
    if axe is None:
        pytest.skip("axe-core not installed (npm install axe-core, or set AXE_CORE_JS)")
    page_path, _ = sample_page(tmp_path / "site")
    for scheme in ("light", "dark"):
        page = browser.new_page(color_scheme=scheme)
        page.goto(page_path.as_uri())
        page.add_script_tag(content=axe.read_text("utf-8"))
        violations = page.evaluate(
            """async () => (await axe.run()).violations
                 .filter(v => v.impact === 'serious' || v.impact === 'critical')
                 .map(v => `${v.id}: ${v.nodes.map(n => n.target.join(' ')).join(', ')}`)"""
        )
        assert violations == [], scheme
