"""Reading a text file as people save them: BOMs, CRLF, Latin-1, UTF-16, or not text at all.

Only regular files are read, and never more than a configured size: a named pipe
would block the build forever and a huge file would exhaust memory, so both become
problems instead.
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from specsite.problems import Problem

_BOM = b"\xef\xbb\xbf"
# Longest first: the UTF-32 little-endian BOM starts with the UTF-16 one.
_UNICODE_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
DEFAULT_MAX_SIZE = 16_000_000


@dataclass
class ReadResult:
    text: str | None  # None when the file could not be read as text
    problems: list[Problem] = field(default_factory=list)


def special_file_kind(mode: int) -> str | None:
    """What a non-regular file is, in words (None for a regular file)."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISDIR(mode):
        return "a folder"
    return "not a regular file"


def not_regular(kind: str) -> Problem:
    return Problem("warning", "not-regular-file", f"is {kind}, not a regular file; not read")


def too_large(size: int, limit: int) -> Problem:
    return Problem(
        "warning",
        "file-too-large",
        f"is {size:,} bytes, above the max_file_size limit of {limit:,} bytes; not published",
    )


def read_text(path: Path, max_size: int = DEFAULT_MAX_SIZE) -> ReadResult:
    """The file's text with ``\\n`` line ends; problems instead of exceptions.

    The file is opened without blocking and checked with ``fstat`` on the open
    descriptor, so a pipe, socket or device is reported, never waited on.
    """
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError:
        return ReadResult(None, [Problem("warning", "file-missing", "file does not exist")])
    except IsADirectoryError:
        return ReadResult(None, [Problem("warning", "not-a-file", "is a folder, not a file")])
    except OSError as error:
        if error.errno == errno.ENXIO:  # a socket cannot be opened
            return ReadResult(None, [not_regular("a socket")])
        return ReadResult(
            None, [Problem("warning", "unreadable", f"cannot be read ({error.strerror})")]
        )
    try:
        info = os.fstat(descriptor)
        kind = special_file_kind(info.st_mode)
        if kind == "a folder":
            return ReadResult(None, [Problem("warning", "not-a-file", "is a folder, not a file")])
        if kind is not None:
            return ReadResult(None, [not_regular(kind)])
        if info.st_size > max_size:
            return ReadResult(None, [too_large(info.st_size, max_size)])
        with os.fdopen(descriptor, "rb", closefd=False) as handle:
            data = handle.read(max_size + 1)
    except OSError as error:
        return ReadResult(
            None, [Problem("warning", "unreadable", f"cannot be read ({error.strerror})")]
        )
    finally:
        os.close(descriptor)
    if len(data) > max_size:  # grew while we read it
        return ReadResult(None, [too_large(len(data), max_size)])
    return decode(data)


def _line_of(data: bytes, offset: int) -> int:
    """1-based line of a byte offset, counting LF, CRLF and lone CR line ends."""
    head = data[:offset]
    return head.count(b"\n") + head.count(b"\r") - head.count(b"\r\n") + 1


def decode(data: bytes) -> ReadResult:
    problems: list[Problem] = []
    for bom, encoding in _UNICODE_BOMS:
        if data.startswith(bom):
            text = data[len(bom) :].decode(encoding, errors="replace")
            return ReadResult(_normalize_line_ends(text), problems)
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
        line = _line_of(data, error.start)
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
    return ReadResult(_normalize_line_ends(text), problems)


def _normalize_line_ends(text: str) -> str:
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text
