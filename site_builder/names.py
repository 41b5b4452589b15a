"""Author names: one person, one author page, however the seeds and pages spell them.

By default "Last, First" and "First Last" are the same person, and so are spellings
that differ only in case, accents, dots or spacing. The config's `author_aliases`
joins anything else ("S. Jain" → "Saachi Jain"); `author_names` renames one name.
"""

from __future__ import annotations

import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence

from .seeds import clean_name


def name_key(name: str) -> str:
    """Return what two spellings of one name have in common."""
    text = unicodedata.normalize("NFKD", clean_name(name))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(text.replace(".", " ").casefold().split())


class NameResolver:
    """Maps every spelling of an author to the one name their page shows."""

    def __init__(
        self,
        aliases: Mapping[str, Sequence[str]] | None = None,
        renames: Mapping[str, str] | None = None,
    ):
        self._canonical: dict[str, str] = {}
        for shown, spellings in (aliases or {}).items():
            for spelling in [shown, *spellings]:
                self._canonical[name_key(spelling)] = clean_name(shown)
        for spelling, shown in (renames or {}).items():
            self._canonical[name_key(spelling)] = clean_name(shown)
        self._shown: dict[str, str] = {}

    def learn(self, names: Iterable[str]) -> None:
        """Choose how to show names the config does not fix: the commonest spelling wins."""
        counts: dict[str, Counter[str]] = defaultdict(Counter)
        for name in names:
            cleaned = clean_name(name)
            if cleaned and name_key(cleaned) not in self._canonical:
                counts[name_key(cleaned)][cleaned] += 1
        for key, spellings in counts.items():
            self._shown[key] = min(spellings, key=lambda s: (-spellings[s], s))

    def resolve(self, name: str) -> str:
        """Return the name to show for any spelling."""
        key = name_key(name)
        return self._canonical.get(key) or self._shown.get(key) or clean_name(name)
