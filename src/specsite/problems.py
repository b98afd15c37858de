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

    def located(self, source: str) -> str:
        where = source if self.line is None else f"{source}:{self.line}"
        return f"{where}: {self.message} [{self.code}]"

    def shifted(self, lines: int) -> Problem:
        """The same problem with its line moved by ``lines`` (body -> file numbering)."""
        if self.line is None:
            return self
        return Problem(self.severity, self.code, self.message, self.line + lines)
