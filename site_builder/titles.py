"""Guess a title for a paper whose seeds give none, from its abstract.

A named contribution wins ("We present Holistic Evaluation of Language Models
(HELM)", "we introduce MLE-bench, a benchmark for …"); else what the authors say
they present ("We present a methodology for …"); else a short clause of the first
sentence. Every guess is marked inferred, so the reader knows to check it.
"""

from __future__ import annotations

import re

from .memo import cached

MAX_WORDS = 14
_VERBS = (
    r"(?:present|introduce|propose|release|describe|develop|design|build"
    r"|study|explore|investigate|identify)"
)
_INTRO = re.compile(
    rf"(?:^|[.;:]\s+|,\s+|\b(?:here|this (?:paper|work|report)|in this (?:paper|work|report)),?\s+)"
    rf"we\s+(?:also\s+|then\s+|further\s+)?{_VERBS}(?:s|d|ed)?\s+(?P<rest>.+)",
    re.IGNORECASE,
)
# A name: capitalised words (small words allowed between), or a coined token such as
# "MLE-bench" or "GSM8K", optionally followed by "(ACRONYM)".
_SMALL = r"(?:of|for|the|and|in|on|with|to|a|an|via|from|by)"
_NAME_WORD = r"(?:[A-Z0-9][\w\-+.']*[\w+]|[A-Z0-9])"
_NAME = re.compile(
    rf"^(?P<name>{_NAME_WORD}(?:\s+(?:{_SMALL}\s+)*{_NAME_WORD})*(?:\s+\([A-Z][\w\-]*\))?)"
    rf"(?P<after>[\s,.:;(]|$)"
)
_CALLED = re.compile(
    rf"\b(?:called|named|dubbed|termed)\s+(?P<name>{_NAME_WORD}(?:\s+(?:{_SMALL}\s+)*{_NAME_WORD})*"
    rf"(?:\s+\([A-Z][\w\-]*\))?)"
)
_APPOSITIVE = re.compile(r"^,\s+(?P<desc>(?:a|an|the)\s[^,;:()]+)")
_CLAUSE_END = re.compile(r"\s*(?:[,;:]|\s[-—–]\s|--+|\.\s|\.$|$)")
_SUBORDINATE = re.compile(
    r"^(?:as|while|although|though|when|whereas|since|despite|because|if)\b", re.I
)
MIN_WORDS = 4
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")
_ARTICLE = re.compile(r"^(?:a|an|the)\s", re.IGNORECASE)


def infer_title(abstract: str) -> str:
    """Return a short title guessed from an abstract (never empty)."""
    # Asked for when slugs are chosen, then when pages are written; the import guesses
    # them on every core beforehand (the memo brings them back from the workers).
    return cached("inferred title", abstract, _infer_title, abstract)


def _infer_title(abstract: str) -> str:
    text = " ".join(abstract.split())
    sentences = _SENTENCE.split(text)
    for sentence in sentences[:4]:
        named = _named_contribution(sentence)
        if named:
            return named
    for sentence in sentences[:3]:
        match = _INTRO.search(sentence)
        if match and _ARTICLE.match(match.group("rest")):
            return _shorten(_first_clause(match.group("rest")))
    first = sentences[0] if sentences else text
    return _shorten(_opening_clause(first)) or "Untitled paper"


def named_contribution(abstract: str) -> str | None:
    """Return the name the abstract gives its contribution ("MLE-bench"), if it gives one."""
    for sentence in _SENTENCE.split(" ".join(abstract.split()))[:4]:
        name = _named_in(sentence)
        if name:
            return name
    return None


def _named_contribution(sentence: str) -> str | None:
    called = _CALLED.search(sentence)
    match = _INTRO.search(sentence)
    if match:
        rest = match.group("rest")
        name = _NAME.match(rest)
        if name and _looks_like_name(name.group("name")):
            title = name.group("name")
            appositive = _APPOSITIVE.match(rest[name.end("name") :])
            if appositive:
                desc = _first_clause(appositive.group("desc"))
                if len(desc.split()) <= MAX_WORDS - len(title.split()):
                    return f"{title}: {desc[0].upper()}{desc[1:]}"
            return title
    if called and _looks_like_name(called.group("name")):
        return called.group("name")
    return None


def _named_in(sentence: str) -> str | None:
    match = _INTRO.search(sentence)
    if match:
        name = _NAME.match(match.group("rest"))
        if name and _looks_like_name(name.group("name")):
            return name.group("name")
    called = _CALLED.search(sentence)
    if called and _looks_like_name(called.group("name")):
        return called.group("name")
    return None


def _looks_like_name(name: str) -> bool:
    """Reject sentence starts such as "We" or a single common capitalised word."""
    words = name.split()
    if len(words) == 1:
        word = words[0]
        # One word is a name only when coined: inner capitals, digits or a hyphen.
        return (
            any(c.isdigit() for c in word)
            or any(c.isupper() for c in word[1:])
            or "-" in word
            or word[0].isupper()
            and word.lower() not in {"we", "our", "this", "these", "it"}
        )
    return True


def _first_clause(text: str) -> str:
    match = _CLAUSE_END.search(text)
    clause = text[: match.start()] if match else text
    # Keep a parenthesised acronym whole even if the cut fell inside it.
    if clause.count("(") > clause.count(")"):
        clause = clause[: clause.rfind("(")].rstrip()
    return clause.strip()


def _opening_clause(sentence: str) -> str:
    """The first clause of a sentence that says something: skip "As …," and keep ≥ 4 words."""
    if _SUBORDINATE.match(sentence) and "," in sentence:
        sentence = sentence.split(",", 1)[1].strip()
    clause = _first_clause(sentence)
    if len(clause.split()) < MIN_WORDS:
        clause = sentence.rstrip(".")
    return clause


def _shorten(clause: str) -> str:
    words = clause.split()
    if len(words) > MAX_WORDS:
        words = words[:MAX_WORDS]
        while words and words[-1].lower() in {
            "of",
            "for",
            "the",
            "and",
            "in",
            "on",
            "with",
            "to",
            "a",
            "an",
            "by",
            "that",
            "which",
            "is",
        }:
            words.pop()
        clause = " ".join(words) + "…"
    return clause[:1].upper() + clause[1:]
