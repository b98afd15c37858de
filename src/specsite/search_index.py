"""The Pagefind index, written by Pagefind's own binary running beside the build.

``pagefind[bin]`` ships the binary; its ``--service`` mode takes records over
stdin while the site builds, so indexing runs in its own process (the second
core) and the build only waits for the final write. The Python wrapper's async
API reads one reply per 100 ms, far too slow for tens of thousands of records,
so this module speaks the same documented message format (base64 JSON,
comma-terminated) with a writer and a reader thread instead. No MkDocs import.
"""

from __future__ import annotations

import base64
import functools
import json
import os
import queue
import re
import shutil
import subprocess
import sys
import sysconfig
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from specsite.search import LANGUAGE, Record

OUTPUT_FOLDER = "pagefind"


class SearchIndexError(RuntimeError):
    """Pagefind could not start, refused a record or could not write the index."""


# Pagefind 1.6 scores a query in time linear in the pages that match it; 1.5 compares every
# matching page with every other (a common word took 6.5 s at 5,000 specs, 1.6: 0.96 s).
# PyPI's ``pagefind[bin]`` stops at 1.5.2, so ``scripts/setup`` puts the npm registry's
# 1.6 binary beside the Python that runs specsite; the newest one found is used.
BINARY_NAMES = ("pagefind_extended", "pagefind")
_VERSION = re.compile(r"(\d+)\.(\d+)\.(\d+)")


@dataclass(frozen=True)
class Binary:
    path: Path
    version: tuple[int, int, int]

    def describe(self) -> str:
        return f"Pagefind {'.'.join(map(str, self.version))} ({self.path})"


def binary_version(path: Path) -> tuple[int, int, int] | None:
    """``pagefind --version`` as numbers, or None when it does not run."""
    try:
        done = subprocess.run(
            [str(path), "--version"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None
    found = _VERSION.search(done.stdout)
    if done.returncode != 0 or found is None:
        return None
    major, minor, patch = (int(part) for part in found.groups())
    return major, minor, patch


def _candidates() -> list[Path]:
    found = []
    scripts = Path(sysconfig.get_path("scripts"))
    for folder in (scripts, Path(sys.executable).parent):
        found += [folder / name for name in BINARY_NAMES]
    found += [Path(p) for name in BINARY_NAMES if (p := shutil.which(name))]
    try:
        from pagefind.service import get_executable
    except ImportError:  # pragma: no cover - a dependency of specsite
        pass
    else:
        wheel = get_executable()
        if wheel is not None:
            found.append(Path(wheel))
    unique: dict[Path, None] = {}
    for path in found:
        if path.is_file():
            unique.setdefault(path.resolve(), None)
    return list(unique)


@functools.cache
def find_binary() -> Binary:
    """The Pagefind binary to run: ``PAGEFIND_BINARY_PATH`` when set, else the newest of
    the ones beside this Python, on ``PATH`` and in the ``pagefind[bin]`` wheel."""
    chosen = os.environ.get("PAGEFIND_BINARY_PATH")
    paths = [Path(chosen)] if chosen else _candidates()
    best: Binary | None = None
    for path in paths:
        version = binary_version(path)
        if version is not None and (best is None or version > best.version):
            best = Binary(path, version)
    if best is None:
        where = f"PAGEFIND_BINARY_PATH={chosen}" if chosen else "pip install 'pagefind[bin]'"
        raise SearchIndexError(f"no Pagefind binary runs here ({where})")
    return best


class PagefindIndex:
    """A Pagefind service process fed records as they become known, written once at the end."""

    def __init__(self) -> None:
        self._process = subprocess.Popen(
            [str(find_binary().path), "--service"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        self._outbox: queue.SimpleQueue[dict[str, Any] | None] = queue.SimpleQueue()
        self._replies: dict[int, dict[str, Any]] = {}
        self._errors: list[str] = []
        self._arrived = threading.Condition()
        self._sent = 0
        self._write_id = 0
        self.records = 0
        assert self._process.stdin is not None and self._process.stdout is not None
        self._writer = threading.Thread(target=self._write, args=(self._process.stdin,))
        self._reader = threading.Thread(target=self._read, args=(self._process.stdout,))
        self._writer.daemon = self._reader.daemon = True
        self._writer.start()
        self._reader.start()
        reply = self._wait(self._send({"type": "NewIndex", "config": {"force_language": LANGUAGE}}))
        self._index_id = int(reply["index_id"])

    def _send(self, payload: dict[str, Any]) -> int:
        self._sent += 1
        self._outbox.put({"message_id": self._sent, "payload": payload})
        return self._sent

    def _write(self, stdin: IO[bytes]) -> None:
        try:
            while (message := self._outbox.get()) is not None:
                stdin.write(base64.b64encode(json.dumps(message).encode("utf-8")) + b",")
                if self._outbox.empty():
                    stdin.flush()
            stdin.close()
        except (BrokenPipeError, OSError) as error:
            with self._arrived:
                self._errors.append(f"Pagefind stopped: {error}")
                self._arrived.notify_all()

    def _read(self, stdout: IO[bytes]) -> None:
        pending = b""
        while chunk := stdout.read1(1 << 16):  # type: ignore[attr-defined]
            pending += chunk
            *messages, pending = pending.split(b",")
            with self._arrived:
                for raw in messages:
                    reply = json.loads(base64.b64decode(raw))
                    payload = reply.get("payload") or {}
                    if payload.get("type") == "Error":
                        self._errors.append(str(payload.get("message")))
                    message_id = reply.get("message_id")
                    if isinstance(message_id, int):
                        self._replies[message_id] = payload
                self._arrived.notify_all()
        with self._arrived:
            self._errors.append("Pagefind exited")
            self._arrived.notify_all()

    def _wait(self, message_id: int) -> dict[str, Any]:
        with self._arrived:
            while message_id not in self._replies:
                if self._errors:
                    raise SearchIndexError("Pagefind: " + "; ".join(self._errors[:3]))
                self._arrived.wait()
            reply = self._replies.pop(message_id)
        if reply.get("type") == "Error":
            raise SearchIndexError(f"Pagefind: {reply.get('message')}")
        return reply

    def add(self, record: Record) -> None:
        """Queue one record; returns at once (Pagefind indexes it in its own process)."""
        self.records += 1
        self._send(
            {
                "type": "AddRecord",
                "index_id": self._index_id,
                "url": "/" + record.url.lstrip("/"),
                "content": record.content,
                "language": LANGUAGE,
                "meta": record.meta(),
                "filters": record.filters,
                "sort": None,
            }
        )

    def start_writing(self, site_dir: Path) -> None:
        """Ask Pagefind to write the index under ``site_dir/pagefind`` once the records
        sent so far are in; it writes in its own process while the site renders."""
        self._write_id = self._send(
            {
                "type": "WriteFiles",
                "index_id": self._index_id,
                "output_path": str(site_dir / OUTPUT_FOLDER),
            }
        )

    def finish(self) -> None:
        """Wait until the index is written, then stop Pagefind."""
        try:
            self._wait(self._write_id)
            with self._arrived:
                if self._errors:
                    raise SearchIndexError("Pagefind: " + "; ".join(self._errors[:3]))
        finally:
            self.close()

    def abandon(self) -> None:
        """Stop Pagefind at once: its index is no longer wanted (a newer build started)."""
        if self._process.poll() is None:
            self._process.kill()
            self._process.wait()

    def close(self) -> None:
        """Stop the Pagefind process (also when the build failed before writing)."""
        if self._process.poll() is None:
            self._outbox.put(None)
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
