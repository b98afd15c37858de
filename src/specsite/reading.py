"""Reading a text file as people save them: BOMs, CRLF, Latin-1, or not text at all."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from specsite.problems import Problem

_BOM = b"\xef\xbb\xbf"


@dataclass
class ReadResult:
    text: str | None  # None when the file could not be read as text
    problems: list[Problem] = field(default_factory=list)


def read_text(path: Path) -> ReadResult:
    """The file's text with ``\\n`` line ends; problems instead of exceptions."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return ReadResult(None, [Problem("error", "file-missing", "file does not exist")])
    except IsADirectoryError:
        return ReadResult(None, [Problem("error", "not-a-file", "is a folder, not a file")])
    except OSError as error:
        return ReadResult(
            None, [Problem("error", "unreadable", f"cannot be read ({error.strerror})")]
        )
    return decode(data)


def decode(data: bytes) -> ReadResult:
    problems: list[Problem] = []
    if b"\x00" in data[:8192]:
        return ReadResult(
            None,
            [
                Problem(
                    "warning",
                    "binary-file",
                    "is a binary file, not Markdown text; it was not published",
                )
            ],
        )
    if data.startswith(_BOM):
        data = data[len(_BOM) :]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        text = data.decode("cp1252", errors="replace")
        problems.append(
            Problem(
                "warning",
                "not-utf8",
                f"is not valid UTF-8 (byte {data[error.start]:#04x}); read as Latin-1/cp1252, "
                "save it as UTF-8",
                line,
            )
        )
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return ReadResult(text, problems)
