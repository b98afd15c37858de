"""Problems found in the input: every one names a code, a message and, where known, a line."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning", "info"]


@dataclass(frozen=True)
class Problem:
    """``warning`` and ``error`` fail ``--strict``; ``info`` is only reported."""

    severity: Severity
    code: str
    message: str
    line: int | None = None  # 1-based line in the source file
    # the file it is in, when not the spec it is listed under (a page of a folder spec)
    source: str | None = None

    def located(self, source: str) -> str:
        source = self.source or source
        where = source if self.line is None else f"{source}:{self.line}"
        return f"{where}: {self.message} [{self.code}]"

    def shifted(self, lines: int) -> Problem:
        """The same problem with its line moved by ``lines`` (body -> file numbering)."""
        if self.line is None:
            return self
        return Problem(self.severity, self.code, self.message, self.line + lines, self.source)


@dataclass(frozen=True)
class Mentions:
    """One problem as the reader sees it: repeated identical problems of a file counted once."""

    problem: Problem  # the first mention
    count: int

    def note(self) -> str:
        if self.count == 1:
            return ""
        return (
            f" ({self.count} mentions, first at line {self.problem.line})"
            if (self.problem.line is not None)
            else f" ({self.count} mentions)"
        )

    def located(self, source: str) -> str:
        """As ``Problem.located``, the count inside the message: the code stays last."""
        problem = self.problem
        counted = Problem(
            problem.severity,
            problem.code,
            problem.message + self.note(),
            problem.line,
            problem.source,
        )
        return counted.located(source)


def grouped(problems: list[Problem]) -> list[Mentions]:
    """The problems of one file, each distinct (severity, code, message) once, in first-seen
    order: a spec citing a missing page 40 times gets one line with a count, not 40."""
    first: dict[tuple[str, str, str, str | None], Problem] = {}
    counts: dict[tuple[str, str, str, str | None], int] = {}
    for problem in problems:
        key = (problem.severity, problem.code, problem.message, problem.source)
        first.setdefault(key, problem)
        counts[key] = counts.get(key, 0) + 1
    return [Mentions(problem, counts[key]) for key, problem in first.items()]
