"""One error type for bad input: it names the file, the line or key, and a fix."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """A problem in a user's file, located as precisely as we can."""

    path: str
    message: str
    line: int | None = None
    hint: str | None = None

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        text = f"{where}: {self.message}"
        return f"{text} ({self.hint})" if self.hint else text


class SiteBuilderError(Exception):
    """A user's mistake that stops a command; printed without a traceback, exit status 1."""

    def __init__(self, problems: list[Problem] | Problem | str):
        if isinstance(problems, str):
            problems = [Problem("site-builder", problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))

    def __reduce__(self) -> tuple[type[SiteBuilderError], tuple[list[Problem]]]:
        # Raised in a build worker, it reaches the parent whole (see parallel.py).
        return (SiteBuilderError, (self.problems,))
