"""LaTeX in abstracts: which spans are math or text-mode LaTeX, what they show, and MathML.

Abstracts from arXiv keep their LaTeX: `$O(n^2)$`, `50\\%`, `Djokovi\\'{c}`, ``` ``quoted'' ```.
`split_latex` reads a line of such text into segments, left to right, taking at each
position the first of these that matches (`match_at`):

- **math**: `$…$` (the opening `$` followed by a non-space that is not `$`; the next
  unescaped `$` closes it if a non-space precedes it and no digit follows it, so
  "costs $5 and $10" holds no math), `$$…$$` and `\\(…\\)`;
- **groups**: `\\emph{…}` and the other text-style commands, `{\\it …}` and the other
  font switches, and `{…}` around one command (`Schr{\\"o}dinger`): they show their
  content, whose own commands and math are read the same way;
- **commands**: `\\%`, `\\&`, `\\$`, `\\_`, `\\#`, `\\{`, `\\}`, `\\ `, `\\,`, accents that
  make one precomposed letter (`\\'{c}`, `\\"o`, `\\c{c}`, `\\v{C}`, `\\'\\i`), letters
  and symbols such as `\\ss`, `\\AA`, `\\ldots`, `\\alpha`, `\\pm`, and the dashes and
  quotes `--`, `---`, ``` `` ```, `''`.

Everything else is literal text, shown as written: `~` stays `~` (in abstracts it
means "about"), an accent that makes no single letter (`don\\'t`) and an unknown
command (`\\cite{x}`, `\\msun`) show their source, and `\\\\` is two backslashes.

Math becomes MathML (latex2mathml), built into a checked allowlist of elements and
attributes with every text escaped, the TeX kept in an `<annotation>`; TeX that cannot
be converted, or that leaves commands unconverted, shows as its source in
`<code class="math-fallback">`. The plain text of math (search index, snippets) is
pylatexenc's latex-to-text, which also converts every command and accent above.
"""

from __future__ import annotations

import html
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from xml.etree.ElementTree import Element

from latex2mathml.converter import convert_to_element
from pylatexenc.latex2text import LatexNodes2Text
from pylatexenc.latexwalker import LatexWalker, get_default_latex_context_db


@dataclass(frozen=True)
class Text:
    """Literal text, shown exactly as written."""

    text: str


@dataclass(frozen=True)
class Link:
    """An http(s) URL written out in full."""

    url: str


@dataclass(frozen=True)
class Math:
    """A math span: `source` as written (delimiters included), `tex` between them."""

    source: str
    tex: str
    display: bool


@dataclass(frozen=True)
class Command:
    """Text-mode LaTeX that stands for characters: `source` as written, `text` shown."""

    source: str
    text: str


@dataclass(frozen=True)
class Group:
    """`\\emph{…}`, `{\\it …}`, `{\\"o}`: shows its parts, without the braces and command."""

    source: str
    parts: tuple[Segment, ...]


Segment = Text | Link | Math | Command | Group

DIGITS = "0123456789"


def _names(text: str) -> frozenset[str]:
    return frozenset(text.split())


_MAX_DEPTH = 4
"""How deeply groups may nest (`{\\em{x}}` is 2); deeper braces are literal text."""

_ESCAPED = "%&$_#{}"
_SPACES = {" ": " ", ",": "\u2009"}
_ACCENT_SYMBOLS = "'`^\"~=."
_ACCENT_LETTERS = frozenset("cvuHkrdb")
_MACROS = _names(
    """ss o O ae AE oe OE aa AA l L i j ldots dots textellipsis textendash textemdash
    textbackslash textasciitilde textdegree dag
    alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu
    nu xi pi varpi rho varrho sigma varsigma tau upsilon phi varphi chi psi omega
    Gamma Delta Theta Lambda Xi Pi Sigma Upsilon Phi Psi Omega
    pm mp times div cdot circ sim simeq approx propto le leq ge geq neq ll gg to
    rightarrow leftarrow leftrightarrow Rightarrow Leftarrow Leftrightarrow infty partial
    nabla odot ell hbar"""
)
"""Letters and symbols written as `\\name` (or `\\name{}`) outside math."""
_GROUP_COMMANDS = _names(
    "emph textit textbf textsl textsc texttt textrm textsf textup textmd textnormal text mbox"
)
_SWITCHES = _names("em it bf sl sc tt rm sf up md")

_NAME = re.compile(r"[A-Za-z]+")
_SPECIAL = re.compile(r"[$\\{\-`']")
"""Characters `match_at` may start a segment at; everything else is literal text."""
_ACCENT_ARGUMENT = re.compile(r"\{(?:[^\W\d_]|\\[ij])\}|[^\W\d_]|\\[ij](?![A-Za-z])")
_BRACED_ARGUMENT = re.compile(r"\{(?:[^\W\d_]|\\[ij])\}")
_UNCONVERTED = re.compile(r"\\[A-Za-z]")


def match_at(
    src: str, pos: int, end: int | None = None, depth: int = 0
) -> tuple[Segment, int] | None:
    """Return the math span, group or command starting at `pos` (not past `end`) and where
    it ends, or None when `src[pos]` is literal text."""
    end = len(src) if end is None else end
    if pos >= end:
        return None
    char = src[pos]
    if char not in "$\\{-`'":
        return None
    found: tuple[Segment, int] | None = None
    if char == "$" or src.startswith("\\(", pos, end):
        found = _match_math(src, pos, end)
    if found is None and char in "\\{":
        found = _match_group(src, pos, end, depth)
    return found or _match_command(src, pos, end)


def _find(src: str, delimiter: str, pos: int, end: int) -> int | None:
    """Index of the next `delimiter` from `pos`, stepping over backslash pairs (`\\$`)."""
    while pos < end:
        if src.startswith(delimiter, pos, end):
            return pos
        pos += 2 if src[pos] == "\\" else 1
    return None


def _match_math(src: str, pos: int, end: int) -> tuple[Segment, int] | None:
    if src.startswith("$$", pos, end):
        close = _find(src, "$$", pos + 2, end)
        if close is None or not src[pos + 2 : close].strip():
            return None
        return Math(src[pos : close + 2], src[pos + 2 : close], True), close + 2
    if src[pos] == "$":
        if pos + 1 >= end or src[pos + 1].isspace() or src[pos + 1] == "$":
            return None
        close = _find(src, "$", pos + 1, end)
        if close is None or src[close - 1].isspace():
            return None
        if close + 1 < end and src[close + 1] in DIGITS:
            return None
        return Math(src[pos : close + 1], src[pos + 1 : close], False), close + 1
    close = _find(src, "\\)", pos + 2, end)
    if close is None or not src[pos + 2 : close].strip():
        return None
    return Math(src[pos : close + 2], src[pos + 2 : close], False), close + 2


def _match_command(src: str, pos: int, end: int) -> tuple[Segment, int] | None:
    char = src[pos]
    if char == "-":
        if src.startswith("---", pos, end):
            return Command("---", "\u2014"), pos + 3
        if src.startswith("--", pos, end):
            return Command("--", "\u2013"), pos + 2
        return None
    if char in "`'":
        if src.startswith(char * 2, pos, end):
            return Command(char * 2, "\u201c" if char == "`" else "\u201d"), pos + 2
        return None
    if char != "\\" or pos + 1 >= end:
        return None
    second = src[pos + 1]
    if second in _ESCAPED:
        return Command(src[pos : pos + 2], second), pos + 2
    if second in _SPACES:
        return Command(src[pos : pos + 2], _SPACES[second]), pos + 2
    if second in _ACCENT_SYMBOLS:
        argument = _ACCENT_ARGUMENT.match(src, pos + 2, end)
        return _accent(src, pos, argument.end()) if argument else None
    name = _NAME.match(src, pos + 1, end)
    if name is None:
        return None
    if name.group() in _ACCENT_LETTERS:
        argument = _BRACED_ARGUMENT.match(src, name.end(), end)
        return _accent(src, pos, argument.end()) if argument else None
    if name.group() in _MACROS:
        stop = name.end() + (2 if src.startswith("{}", name.end(), end) else 0)
        return Command(src[pos:stop], latex_to_text("\\" + name.group())), stop
    return None


def _accent(src: str, pos: int, stop: int) -> tuple[Segment, int] | None:
    """An accent is a command only when it makes one precomposed letter (`\\'t` is not)."""
    source = src[pos:stop]
    text = unicodedata.normalize("NFC", latex_to_text(source))
    if len(text) != 1 or not text.isalpha():
        return None
    return Command(source, text), stop


def _match_group(src: str, pos: int, end: int, depth: int) -> tuple[Segment, int] | None:
    if depth >= _MAX_DEPTH:
        return None
    if src[pos] == "\\":
        name = _NAME.match(src, pos + 1, end)
        if name is None or name.group() not in _GROUP_COMMANDS:
            return None
        if not src.startswith("{", name.end(), end):
            return None
        return _group_from(src, pos, name.end() + 1, end, depth)
    name = _NAME.match(src, pos + 2, end) if src.startswith("{\\", pos, end) else None
    if name is not None and name.group() in _SWITCHES:
        start = name.end()
        while start < end and src[start] == " ":
            start += 1
        return _group_from(src, pos, start, end, depth)
    inner = _match_command(src, pos + 1, end) if pos + 1 < end else None
    if inner is None or not src.startswith("\\", pos + 1) or not src.startswith("}", inner[1], end):
        return None
    return Group(src[pos : inner[1] + 1], (inner[0],)), inner[1] + 1


def _group_from(src: str, pos: int, start: int, end: int, depth: int) -> tuple[Segment, int] | None:
    body = _group_body(src, start, end, depth + 1)
    if body is None:
        return None
    parts, close = body
    return Group(src[pos : close + 1], parts), close + 1


def _group_body(src: str, pos: int, end: int, depth: int) -> tuple[tuple[Segment, ...], int] | None:
    """The parts of a group's content up to its closing brace, and where that brace is."""
    parts: list[Segment] = []
    literal: list[str] = []

    def flush() -> None:
        if literal:
            parts.append(Text("".join(literal)))
            literal.clear()

    while pos < end:
        char = src[pos]
        if char == "}":
            flush()
            return tuple(parts), pos
        found = match_at(src, pos, end, depth)
        if found is None and char == "{":
            if depth >= _MAX_DEPTH:
                return None
            found = _group_from(src, pos, pos + 1, end, depth)
            if found is None:
                return None
        if found is not None:
            flush()
            segment, pos = found
            parts.append(segment)
        elif src.startswith("\\\\", pos, end):
            literal.append("\\\\")
            pos += 2
        else:
            literal.append(char)
            pos += 1
    return None


def split_latex(text: str, links: Mapping[int, str] | None = None) -> list[Segment]:
    """Read one paragraph into segments; `links` maps where a URL starts to the URL."""
    links = links or {}
    starts = sorted(links)
    segments: list[Segment] = []
    literal: list[str] = []
    pos, end = 0, len(text)
    while pos < end:
        url = links.get(pos)
        found: tuple[Segment, int] | None = (Link(url), pos + len(url)) if url else None
        found = found or match_at(text, pos, end)
        if found is not None:
            if literal:
                segments.append(Text("".join(literal)))
                literal.clear()
            segment, pos = found
            segments.append(segment)
        elif text.startswith("\\\\", pos):
            literal.append("\\\\")
            pos += 2
        else:
            # Nothing starts before the next character that can open LaTeX or a link:
            # take the run of plain text up to it in one step.
            special = _SPECIAL.search(text, pos + 1)
            stop = special.start() if special else end
            following = bisect_right(starts, pos)
            if following < len(starts):
                stop = min(stop, starts[following])
            literal.append(text[pos:stop])
            pos = stop
    if literal:
        segments.append(Text("".join(literal)))
    return segments


@lru_cache(maxsize=4096)
def latex_to_text(source: str) -> str:
    """pylatexenc's latex-to-text of `source`; the source itself if pylatexenc fails."""
    try:
        # What LatexNodes2Text.latex_to_text does, with the macro table built once:
        # pylatexenc builds a new one for every walker otherwise.
        walker = LatexWalker(source, latex_context=_latex_context())
        return str(_text_converter().nodelist_to_text(walker.get_latex_nodes()[0]))
    except Exception:  # pylatexenc raises assorted errors on malformed input
        return source


@lru_cache(maxsize=1)
def _latex_context() -> Any:
    return get_default_latex_context_db()


@lru_cache(maxsize=1)
def _text_converter() -> LatexNodes2Text:
    # A `%` in an abstract is a percent sign, never the start of a comment.
    return LatexNodes2Text(keep_comments=True)


# Macros that papers define for themselves with one near-universal meaning; math using
# them renders instead of falling back (the annotation keeps the TeX as written).
_COMMON_MACROS = {
    **{letter: f"\\mathbb{{{letter}}}" for letter in "NZQRC"},
    "eps": "\\epsilon",
    "msun": "M_\\odot",
    "Msun": "M_\\odot",
    "rsun": "R_\\odot",
    "kms": "\\mathrm{km\\,s^{-1}}",
}
_MACRO_USE = re.compile(r"\\([A-Za-z]+)(?![A-Za-z])")


def _expand(tex: str) -> str:
    return _MACRO_USE.sub(lambda m: _COMMON_MACROS.get(m.group(1), m.group()), tex)


def math_text(math: Math) -> str:
    """The plain text of a math span: latex-to-text, or its source when it falls back."""
    if mathml(math.tex, math.display) is None:
        return math.source
    return latex_to_text(_expand(math.tex))


def math_html(math: Math) -> str:
    """MathML for a math span, or its source in `<code class="math-fallback">`."""
    rendered = mathml(math.tex, math.display)
    if rendered is None:
        return f'<code class="math-fallback">{html.escape(math.source)}</code>'
    return rendered


_ELEMENTS = _names(
    """mrow mi mn mo ms mtext mspace msub msup msubsup mfrac msqrt mroot mover munder
    munderover mtable mtr mtd mlabeledtr mstyle mpadded mphantom menclose merror
    mmultiscripts mprescripts none"""
)
_ATTRIBUTES = _names(
    """mathvariant mathsize stretchy fence separator accent accentunder lspace rspace
    width height depth voffset linethickness columnalign rowalign columnspacing
    rowspacing columnlines rowlines frame framespacing displaystyle scriptlevel minsize
    maxsize movablelimits symmetric largeop form notation linebreak align"""
)
_CHARACTER_REFERENCE = re.compile(r"&#(?:[xX]([0-9a-fA-F]{1,6})|([0-9]{1,7}));")


class _Unsafe(Exception):
    """latex2mathml made something the allowlist does not hold."""


@lru_cache(maxsize=8192)
def mathml(tex: str, display: bool = False) -> str | None:
    """Return `<math>` for `tex` with the TeX in an annotation, or None if it cannot be shown.

    None when latex2mathml fails, leaves a command unconverted (a macro of the paper's
    own, such as `\\msun`) or makes an element outside the allowlist.
    """
    try:
        root = convert_to_element(_expand(tex), display="block" if display else "inline")
        body = "".join(_serialise(child) for child in root)
    except Exception:  # latex2mathml raises many kinds of error on TeX it cannot read
        return None
    if len(root) != 1 or root[0].tag != "mrow":
        body = f"<mrow>{body}</mrow>"  # <semantics> shows its first child only
    mode = "block" if display else "inline"
    return (
        f'<math display="{mode}"><semantics>{body}'
        f'<annotation encoding="application/x-tex">{html.escape(tex)}</annotation>'
        "</semantics></math>"
    )


def _serialise(element: Element) -> str:
    tag = element.tag
    if tag not in _ELEMENTS:
        raise _Unsafe(tag)
    attributes = "".join(
        f' {name}="{html.escape(str(value))}"'
        for name, value in sorted(element.attrib.items())
        if name in _ATTRIBUTES
    )
    inner = _element_text(element.text) + "".join(_serialise(child) for child in element)
    return f"<{tag}{attributes}>{inner}</{tag}>" + _element_text(element.tail)


def _element_text(text: str | None) -> str:
    if not text:
        return ""
    # latex2mathml writes symbols as character references and other text as it is.
    decoded = _CHARACTER_REFERENCE.sub(_decode_reference, text)
    if _UNCONVERTED.search(decoded):
        raise _Unsafe(decoded)
    return html.escape(decoded, quote=False)


def _decode_reference(match: re.Match[str]) -> str:
    code = int(match.group(1), 16) if match.group(1) else int(match.group(2))
    if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF or code == 0:
        raise _Unsafe(match.group())
    return chr(code)


def segments_text(segments: Iterable[Segment]) -> str:
    """The plain text of segments (not yet white-space collapsed)."""
    out = []
    for segment in segments:
        if isinstance(segment, Text):
            out.append(segment.text)
        elif isinstance(segment, Link):
            out.append(segment.url)
        elif isinstance(segment, Math):
            out.append(math_text(segment))
        elif isinstance(segment, Command):
            out.append(segment.text)
        else:
            out.append(segments_text(segment.parts))
    return "".join(out)


def segments_html(segments: Iterable[Segment]) -> str:
    """HTML for segments: text escaped, math as MathML, URLs as text (no links)."""
    out = []
    for segment in segments:
        if isinstance(segment, Text):
            out.append(html.escape(segment.text, quote=False))
        elif isinstance(segment, Link):
            out.append(html.escape(segment.url, quote=False))
        elif isinstance(segment, Math):
            out.append(math_html(segment))
        elif isinstance(segment, Command):
            out.append(html.escape(segment.text, quote=False))
        else:
            out.append(segments_html(segment.parts))
    return "".join(out)
