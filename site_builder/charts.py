"""Charts drawn at build time as inline SVG: no script runs in the browser.

Two charts and a table:

- `bar_chart`: a horizontal bar chart (papers per author, papers per topic); every bar
  with its label is a link to its page.
- `coauthor_graph`: authors as nodes on a circle, joined by edges as wide as the number
  of papers they share; every node with its label is a link.
- `chart_table`: the data of a bar chart as an accessible HTML table.

Everything here is pure: the same data gives byte-identical markup whatever the order it
comes in. All text is escaped, and characters XML does not allow are replaced, so the
SVG is well-formed XML as well as valid HTML. Colours come from CSS classes (see
static/css/charts.css), so the site's light and dark schemes apply.
"""

from __future__ import annotations

import hashlib
import math
import re
import unicodedata
import urllib.parse
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

__all__ = ["Bar", "Edge", "Node", "bar_chart", "chart_table", "coauthor_graph"]

SVG_NS = "http://www.w3.org/2000/svg"

FONT_SIZE = 13
"""Font size of every chart text, in user units (CSS px at the chart's natural size)."""
MIN_TEXT_PX = 12
"""The smallest the text may get on screen: charts shrink no further than this."""

# Bar chart geometry, in user units.
BAR_WIDTH = 640
BAR_LABEL_WIDTH = 200
BAR_GAP = 8
BAR_ROW = 28
BAR_HEIGHT = 18
BAR_VALUE_ROOM = 48
BAR_PAD = 4

# Co-author graph geometry.
NODE_R_MIN = 5.0
NODE_R_MAX = 12.0
NODE_SPACING = 2 * NODE_R_MAX + 6
"""Distance along the circle between neighbouring nodes: wide enough for the largest."""
CIRCLE_R_MIN = 80.0
LABEL_GAP = 6.0
GRAPH_MARGIN = 8.0
GRAPH_LABEL_MAX = 170.0
"""Longest node label, in user units, before it is cut with an ellipsis."""
HIT_R = 12.0
"""Radius of the invisible target around each node: at least 24 by 24 to click or tap."""

_ID_RE = re.compile(r"[A-Za-z][A-Za-z0-9_-]*\Z")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_ALLOWED_SCHEMES = ("", "http", "https")


@dataclass(frozen=True)
class Bar:
    """One bar: a label, a count, and the page it links to."""

    label: str
    value: int
    href: str
    """A relative link (such as `authors/saachi-jain.html`) or an http(s) URL."""


@dataclass(frozen=True)
class Node:
    """One author of the co-author graph."""

    id: str
    label: str
    href: str
    weight: int
    """Number of papers: the node's size, and how the most prolific are chosen."""


@dataclass(frozen=True)
class Edge:
    """Two authors (node ids) and the number of papers they share."""

    a: str
    b: str
    weight: int


# ------------------------------------------------------------------ text helpers


def _clean(text: str) -> str:
    """Text safe for XML: forbidden characters replaced, white space runs made one space."""
    return " ".join(_NOT_XML.sub("\ufffd", text).split())


def _char_width(char: str) -> float:
    """A generous estimate of a character's advance, in ems, in a sans-serif font."""
    if unicodedata.east_asian_width(char) in ("W", "F"):
        return 1.0
    if unicodedata.combining(char):
        return 0.0
    if char in "il.,:;'|!ij()[] ":
        return 0.32
    if char in "mwMW@":
        return 0.9
    if char.isupper() or char.isdigit():
        return 0.68
    return 0.58


def text_width(text: str, font_size: float = FONT_SIZE) -> float:
    """Estimated width of `text` in user units (an upper bound for common fonts)."""
    return sum(_char_width(char) for char in text) * font_size


def _fit(text: str, width: float) -> str:
    """`text` cut with an ellipsis so that its estimated width is at most `width`."""
    if text_width(text) <= width:
        return text
    room = width - text_width("…")
    used = 0.0
    end = 0
    for end, char in enumerate(text):  # noqa: B007 - `end` is read after the loop
        used += _char_width(char) * FONT_SIZE
        if used > room:
            break
    return text[:end].rstrip() + "…"


def _plural(count: int, unit: str) -> str:
    return f"{count} {unit}" if count == 1 else f"{count} {unit}s"


def _num(value: float) -> str:
    """A coordinate with at most two decimals, without trailing zeros (and never -0)."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _href(href: str) -> str:
    """Check that a link is relative or http(s); return it unchanged."""
    if _NOT_XML.search(href) or any(char in href for char in "\t\n\r"):
        raise ValueError(f"chart link contains control characters: {href!r}")
    scheme = urllib.parse.urlsplit(href).scheme.lower()
    if scheme not in _ALLOWED_SCHEMES:
        raise ValueError(f"chart link must be relative or http(s): {href!r}")
    return href


def _ids(id_prefix: str | None, kind: str, title: str) -> tuple[str, str]:
    """The ids of a chart's <title> and <desc>: from `id_prefix`, else from the title."""
    if id_prefix is None:
        slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:40].strip("-")
        digest = hashlib.sha1(f"{kind}\0{title}".encode()).hexdigest()[:6]
        id_prefix = f"chart-{slug}-{digest}" if slug else f"chart-{digest}"
    elif not _ID_RE.match(id_prefix):
        raise ValueError(f"id_prefix must be a letter then letters, digits, - or _: {id_prefix!r}")
    return f"{id_prefix}-title", f"{id_prefix}-desc"


def _svg_open(
    kind: str, width: float, height: float, title: str, description: str, ids: tuple[str, str]
) -> list[str]:
    """The opening of a chart's SVG, with its <title> and <desc>.

    No role="img": an img's children are presentational, so its links would be hidden
    from screen readers (axe-core's nested-interactive rule, serious). The SVG keeps its
    own role (graphics-document), which the Nu HTML Checker accepts and "group" is not.
    The inline min-width keeps the 13-unit text at 12 CSS px or more when the chart
    shrinks to fit; a narrower container should scroll (.chart-scroll in charts.css).
    """
    title_id, desc_id = ids
    w, h = _num(width), _num(height)
    least = math.ceil(width * MIN_TEXT_PX / FONT_SIZE)
    return [
        f'<svg xmlns="{SVG_NS}" class="chart chart-{kind}" viewBox="0 0 {w} {h}" '
        f'width="{w}" height="{h}" style="min-width: {least}px" font-size="{FONT_SIZE}" '
        f'aria-labelledby="{title_id}" aria-describedby="{desc_id}">',
        f'<title id="{title_id}">{escape(_clean(title))}</title>',
        f'<desc id="{desc_id}">{escape(_clean(description))}</desc>',
    ]


# ------------------------------------------------------------------ bar chart


def _sorted_bars(bars: Iterable[Bar]) -> list[Bar]:
    for bar in bars:
        if bar.value < 0:
            raise ValueError(f"bar value must not be negative: {bar!r}")
    return sorted(bars, key=lambda bar: (-bar.value, bar.label.casefold(), bar.label, bar.href))


def bar_chart(
    bars: Sequence[Bar],
    title: str,
    description: str,
    max_bars: int = 25,
    unit: str = "paper",
    id_prefix: str | None = None,
) -> Markup:
    """A horizontal bar chart as inline SVG, largest value first, each bar a link.

    At most `max_bars` bars are drawn, with an "and N more" line below them. Labels too
    long for the label column are cut with an ellipsis; the full label and the value are
    in each link's <title> (its tooltip and accessible name). The SVG scales to its
    container's width (viewBox), and its height follows the number of bars.
    `id_prefix` makes the ids of <title> and <desc>; by default they come from the title.
    """
    if max_bars < 1:
        raise ValueError(f"max_bars must be at least 1: {max_bars}")
    ordered = _sorted_bars(bars)
    shown = ordered[:max_bars]
    hidden = len(ordered) - len(shown)
    top = max((bar.value for bar in shown), default=0)

    bar_x = BAR_LABEL_WIDTH + BAR_GAP
    bar_room = BAR_WIDTH - bar_x - BAR_VALUE_ROOM
    rows = len(shown) + (1 if hidden or not shown else 0)
    height = BAR_PAD * 2 + rows * BAR_ROW

    desc = _clean(description)
    if hidden:
        desc = f"{desc} The {len(shown)} largest of {len(ordered)} are shown.".strip()
    out = _svg_open("bars", BAR_WIDTH, height, title, desc, _ids(id_prefix, "bars", title))

    for index, bar in enumerate(shown):
        label = _clean(bar.label)
        y = BAR_PAD + index * BAR_ROW
        middle = y + BAR_ROW / 2
        length = bar_room * bar.value / top if top else 0.0
        if bar.value:
            length = max(length, 2.0)
        name = f"{label}: {_plural(bar.value, unit)}"
        out.append(
            f'<a class="chart-link" href="{escape(_href(bar.href))}">'
            f"<title>{escape(name)}</title>"
            f'<rect class="chart-hit" x="0" y="{_num(y)}" width="{BAR_WIDTH}" '
            f'height="{BAR_ROW}" rx="4"/>'
            f'<text class="chart-label" x="{BAR_LABEL_WIDTH}" y="{_num(middle)}" '
            f'text-anchor="end" dominant-baseline="central">'
            f"{escape(_fit(label, BAR_LABEL_WIDTH))}</text>"
            f'<rect class="chart-bar" x="{bar_x}" y="{_num(middle - BAR_HEIGHT / 2)}" '
            f'width="{_num(length)}" height="{BAR_HEIGHT}" rx="2"/>'
            f'<text class="chart-value" x="{_num(bar_x + length + 6)}" y="{_num(middle)}" '
            f'dominant-baseline="central">{bar.value}</text>'
            "</a>"
        )
    if hidden or not shown:
        note_y = BAR_PAD + len(shown) * BAR_ROW + BAR_ROW / 2
        note = f"and {hidden} more" if hidden else "Nothing to show yet."
        out.append(
            f'<text class="chart-note" x="{bar_x}" y="{_num(note_y)}" '
            f'dominant-baseline="central">{escape(note)}</text>'
        )
    out.append("</svg>")
    return Markup("\n".join(out))


def chart_table(
    bars: Sequence[Bar],
    caption: str,
    label_header: str = "Name",
    value_header: str = "Papers",
) -> Markup:
    """The data of a bar chart as an HTML table: every row, in the chart's order.

    Each row's header cell is a link to its page; the values are plain numbers.
    """
    rows = [
        f'<tr><th scope="row"><a href="{escape(_href(bar.href))}">{escape(_clean(bar.label))}'
        f'</a></th><td class="num">{bar.value}</td></tr>'
        for bar in _sorted_bars(bars)
    ]
    return Markup(
        "\n".join(
            [
                '<table class="chart-table">',
                f"<caption>{escape(_clean(caption))}</caption>",
                f'<thead><tr><th scope="col">{escape(_clean(label_header))}</th>'
                f'<th scope="col" class="num">{escape(_clean(value_header))}</th></tr></thead>',
                "<tbody>",
                *rows,
                "</tbody>",
                "</table>",
            ]
        )
    )


# ------------------------------------------------------------------ co-author graph


@dataclass(frozen=True)
class _Placed:
    node: Node
    x: float
    y: float
    r: float
    angle: float
    label: str


def _node_key(node: Node) -> tuple[int, str, str, str]:
    return (-node.weight, node.label.casefold(), node.label, node.id)


def _check_graph(nodes: Sequence[Node], edges: Sequence[Edge]) -> dict[tuple[str, str], int]:
    """Validate the graph; return edge weights keyed by the sorted pair of ids."""
    ids: set[str] = set()
    for node in nodes:
        if node.id in ids:
            raise ValueError(f"duplicate node id: {node.id!r}")
        if node.weight < 0:
            raise ValueError(f"node weight must not be negative: {node!r}")
        ids.add(node.id)
    pairs: dict[tuple[str, str], int] = {}
    for edge in edges:
        if edge.a not in ids or edge.b not in ids:
            raise ValueError(f"edge names an unknown node: {edge!r}")
        if edge.a == edge.b:
            raise ValueError(f"edge joins a node to itself: {edge!r}")
        if edge.weight < 1:
            raise ValueError(f"edge weight must be at least 1: {edge!r}")
        pair = (edge.a, edge.b) if edge.a < edge.b else (edge.b, edge.a)
        if pair in pairs:
            raise ValueError(f"duplicate edge between {pair[0]!r} and {pair[1]!r}")
        pairs[pair] = edge.weight
    return pairs


def _circle_order(chosen: list[Node], pairs: dict[tuple[str, str], int]) -> list[Node]:
    """Nodes in circle order: connected groups together, largest group first.

    Within a group the walk starts at its most prolific author and goes depth first,
    following the strongest ties first, so co-authors sit side by side. Authors with no
    co-author among the chosen come last, most prolific first.
    """
    by_id = {node.id: node for node in chosen}
    neighbours: dict[str, list[tuple[int, str]]] = {node.id: [] for node in chosen}
    for (a, b), weight in pairs.items():
        neighbours[a].append((weight, b))
        neighbours[b].append((weight, a))
    for node_id, links in neighbours.items():
        links.sort(key=lambda link: (-link[0], _node_key(by_id[link[1]])))
        neighbours[node_id] = links

    groups: list[list[Node]] = []
    alone: list[Node] = []
    seen: set[str] = set()
    for start in chosen:  # already most prolific first
        if start.id in seen:
            continue
        if not neighbours[start.id]:
            seen.add(start.id)
            alone.append(start)
            continue
        group: list[Node] = []
        stack = [start.id]
        while stack:
            node_id = stack.pop()
            if node_id in seen:
                continue
            seen.add(node_id)
            group.append(by_id[node_id])
            stack.extend(other for _, other in reversed(neighbours[node_id]) if other not in seen)
        groups.append(group)
    groups.sort(key=lambda group: (-len(group), -sum(node.weight for node in group)))
    return [node for group in groups for node in group] + alone


def _layout(ordered: list[Node]) -> tuple[list[_Placed], float]:
    """Place nodes evenly on a circle centred on (0, 0), first at the right, clockwise."""
    count = len(ordered)
    top = max((node.weight for node in ordered), default=0)
    radius = max(CIRCLE_R_MIN, count * NODE_SPACING / (2 * math.pi))
    if count == 1:
        radius = 0.0
    placed = []
    for index, node in enumerate(ordered):
        angle = 2 * math.pi * index / count if count else 0.0
        size = math.sqrt(node.weight / top) if top else 0.0
        r = NODE_R_MIN + (NODE_R_MAX - NODE_R_MIN) * size
        label = _fit(_clean(node.label), GRAPH_LABEL_MAX)
        x, y = radius * math.cos(angle), radius * math.sin(angle)
        placed.append(_Placed(node, x, y, r, angle, label))
    return placed, radius


def _label_geometry(place: _Placed) -> tuple[float, float, float, str]:
    """Where a node's label starts, its rotation in degrees, and its text-anchor.

    Labels point away from the centre; on the left half they are turned half a circle so
    they read left to right, and end at the node instead of starting there.
    """
    cos, sin = math.cos(place.angle), math.sin(place.angle)
    distance = NODE_R_MAX + LABEL_GAP
    lx, ly = place.x + distance * cos, place.y + distance * sin
    degrees = math.degrees(place.angle)
    if cos < -1e-9:
        return lx, ly, degrees - 180.0, "end"
    return lx, ly, degrees, "start"


def _label_extent(place: _Placed) -> tuple[float, float, float, float]:
    """An axis-aligned box (x0, y0, x1, y1) holding a node, its label and its target."""
    lx, ly, _, _ = _label_geometry(place)
    width = text_width(place.label)
    ex, ey = lx + width * math.cos(place.angle), ly + width * math.sin(place.angle)
    half = FONT_SIZE * 0.7
    reach = max(place.r, HIT_R)
    return (
        min(place.x - reach, lx - half, ex - half),
        min(place.y - reach, ly - half, ey - half),
        max(place.x + reach, lx + half, ex + half),
        max(place.y + reach, ly + half, ey + half),
    )


def _edge_path(a: _Placed, b: _Placed) -> str:
    """A curve from a to b bowed towards the centre of the circle."""
    cx, cy = (a.x + b.x) * 0.3, (a.y + b.y) * 0.3
    return (
        f"M{_num(a.x)} {_num(a.y)}Q{_num(cx)} {_num(cy)} {_num(b.x)} {_num(b.y)}"
        if (a.x, a.y) != (b.x, b.y)
        else f"M{_num(a.x)} {_num(a.y)}"
    )


def edge_width(weight: int) -> float:
    """Stroke width of an edge: 1.5 for one shared paper, wider for more, at most 8."""
    return min(1.5 * weight, 8.0)


def coauthor_graph(
    nodes: Sequence[Node],
    edges: Sequence[Edge],
    title: str,
    description: str,
    max_nodes: int = 60,
    id_prefix: str | None = None,
) -> Markup:
    """A co-author graph as inline SVG: authors on a circle, joined by shared papers.

    Only the `max_nodes` most prolific authors are drawn (weight, then label), with a
    note saying how many more there are; edges between drawn authors are kept. Connected
    authors sit together around the circle, and authors with no co-author among those
    drawn come last. A node's radius grows with its papers and an edge's width with the
    papers it stands for. Each node and its label is a link; each edge's tooltip names
    both authors. The layout is computed here, so the same data gives the same picture.
    """
    if max_nodes < 1:
        raise ValueError(f"max_nodes must be at least 1: {max_nodes}")
    placed, kept = _plan(nodes, edges, max_nodes)
    hidden = len(nodes) - len(placed)
    where = {place.node.id: place for place in placed}

    boxes = [_label_extent(place) for place in placed] or [(-80.0, -20.0, 80.0, 20.0)]
    x0 = min(box[0] for box in boxes) - GRAPH_MARGIN
    y0 = min(box[1] for box in boxes) - GRAPH_MARGIN
    x1 = max(box[2] for box in boxes) + GRAPH_MARGIN
    y1 = max(box[3] for box in boxes) + GRAPH_MARGIN
    note = ""
    if hidden:
        note = f"The {len(placed)} authors with most papers; {hidden} more not shown."
    elif not placed:
        note = "No authors yet."
    if note:
        x0 = min(x0, -text_width(note) / 2 - GRAPH_MARGIN)
        x1 = max(x1, text_width(note) / 2 + GRAPH_MARGIN)
        y1 += BAR_ROW
    width, height = x1 - x0, y1 - y0

    desc = _clean(description)
    if hidden:
        desc = f"{desc} {note}".strip()
    out = _svg_open("graph", width, height, title, desc, _ids(id_prefix, "graph", title))
    out.append(f'<g transform="translate({_num(-x0)} {_num(-y0)})">')

    out.append('<g class="chart-edges">')
    for (a, b), weight in sorted(kept.items(), key=lambda item: (item[1], item[0])):
        pa, pb = sorted((where[a], where[b]), key=lambda place: _node_key(place.node))
        names = f"{_clean(pa.node.label)} and {_clean(pb.node.label)}"
        out.append(
            f'<path class="chart-edge" d="{_edge_path(pa, pb)}" '
            f'stroke-width="{_num(edge_width(weight))}">'
            f"<title>{escape(names)}: {_plural(weight, 'shared paper')}</title></path>"
        )
    out.append("</g>")

    out.append('<g class="chart-nodes">')
    for place in placed:
        lx, ly, rotation, anchor = _label_geometry(place)
        name = f"{_clean(place.node.label)}: {_plural(place.node.weight, 'paper')}"
        turn = f' transform="rotate({_num(rotation)} {_num(lx)} {_num(ly)})"' if rotation else ""
        out.append(
            f'<a class="chart-link" href="{escape(_href(place.node.href))}">'
            f"<title>{escape(name)}</title>"
            f'<circle class="chart-hit" cx="{_num(place.x)}" cy="{_num(place.y)}" '
            f'r="{_num(max(place.r, HIT_R))}"/>'
            f'<circle class="chart-node" cx="{_num(place.x)}" cy="{_num(place.y)}" '
            f'r="{_num(place.r)}"/>'
            f'<text class="chart-label" x="{_num(lx)}" y="{_num(ly)}" text-anchor="{anchor}" '
            f'dominant-baseline="central"{turn}>{escape(place.label)}</text>'
            "</a>"
        )
    out.append("</g>")
    if note:
        out.append(
            f'<text class="chart-note" x="0" y="{_num(y1 - BAR_ROW / 2 - GRAPH_MARGIN / 2)}" '
            f'text-anchor="middle" dominant-baseline="central">{escape(note)}</text>'
        )
    out.append("</g>")
    out.append("</svg>")
    return Markup("\n".join(out))


def _plan(
    nodes: Sequence[Node], edges: Sequence[Edge], max_nodes: int
) -> tuple[list[_Placed], dict[tuple[str, str], int]]:
    """The drawn nodes placed on the circle, and the edges kept between them.

    Sorting picks the most prolific; everything after that works on at most `max_nodes`
    nodes and the edges between them, so a huge library costs one sort and one pass.
    """
    pairs = _check_graph(nodes, edges)
    chosen = sorted(nodes, key=_node_key)[:max_nodes]
    ids = {node.id for node in chosen}
    kept = {pair: weight for pair, weight in pairs.items() if pair[0] in ids and pair[1] in ids}
    placed, _ = _layout(_circle_order(chosen, kept))
    return placed, kept


def node_positions(
    nodes: Sequence[Node], edges: Sequence[Edge], max_nodes: int = 60
) -> dict[str, tuple[float, float, float]]:
    """The layout `coauthor_graph` draws: node id → (x, y, radius), centred on (0, 0).

    Only the drawn nodes are included; `coauthor_graph` shifts them all by the same
    amount into its viewBox. For tests and for anyone placing extra marks.
    """
    placed, _ = _plan(nodes, edges, max_nodes)
    return {place.node.id: (place.x, place.y, place.r) for place in placed}
