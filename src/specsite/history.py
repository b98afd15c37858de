"""Created and last-updated dates of every spec from git history, in one ``git log`` call.

A spec that writes no dates still gets them from the commits that touched its file:
the first commit is its creation, the last its latest update. One ``git log`` over the
whole specs folder answers for every file at once (a process per file would cost
seconds at a few thousand specs). Without git, outside a checkout or in a shallow
clone (whose oldest commit is not the file's first), there are no git dates and the
reason is said once, in the build report.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

GIT_TIMEOUT = 120  # seconds for the one log call; a larger history is said to be too slow
_HEADER = "\x01"  # starts each commit's line in the log output (never a status letter)


@dataclass(frozen=True)
class FileDates:
    created: str  # YYYY-MM-DD of the first commit that added the file (under its current name)
    updated: str  # YYYY-MM-DD of the last commit that changed it


@dataclass
class History:
    """Dates by absolute file path, or why there are none (``missing``)."""

    dates: dict[Path, FileDates] = field(default_factory=dict)
    missing: str | None = None

    def of(self, path: Path) -> FileDates | None:
        return self.dates.get(path)  # absolute: specs_dir is resolved, like git's toplevel


def _git(args: list[str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"}
    env.pop("GIT_DIR", None)
    env.pop("GIT_WORK_TREE", None)
    return subprocess.run(
        ["git", *args],
        cwd=str(cwd),
        capture_output=True,
        env=env,
        timeout=GIT_TIMEOUT,
        check=False,
    )


def _first_line(data: bytes) -> str:
    text = data.decode("utf-8", errors="replace").strip()
    return text.splitlines()[0] if text else "no message"


def git_history(folder: Path) -> History:
    """The dates of every file git knows below ``folder``, or why there are none."""
    if shutil.which("git") is None:
        return History(missing="git is not installed (no 'git' on PATH)")
    if not folder.is_dir():
        return History(missing="the specs folder does not exist")
    try:
        where = _git(["rev-parse", "--show-toplevel", "--is-shallow-repository"], folder)
        if where.returncode != 0:
            message = _first_line(where.stderr)
            if "not a git repository" in message:
                return History(missing="the specs folder is not inside a git checkout")
            return History(missing=f"git cannot read the checkout ({message})")
        top, shallow = (os.fsdecode(line) for line in where.stdout.splitlines()[:2])
        if shallow.strip() == "true":
            return History(
                missing="the checkout is a shallow clone, so its oldest commit is not each "
                "file's first (fetch the whole history: 'git fetch --unshallow', or "
                "'fetch-depth: 0' in CI)"
            )
        log = _git(
            [
                "-c",
                "log.showSignature=false",
                "log",
                "--no-color",
                "--no-textconv",
                f"--format={_HEADER}%as",
                "--name-status",
                "-M",
                "-z",
                "--",
                ".",
            ],
            folder,
        )
    except subprocess.TimeoutExpired:
        return History(missing=f"git log took longer than {GIT_TIMEOUT} s")
    except OSError as error:
        return History(missing=f"git could not run ({error.strerror})")
    if log.returncode != 0:
        message = _first_line(log.stderr)
        if "does not have any commits" in message:
            return History(missing="the git checkout has no commits yet")
        return History(missing=f"git log failed ({message})")
    return History(dates=parse_log(log.stdout, Path(top)))


def parse_log(output: bytes, top: Path) -> dict[Path, FileDates]:
    """Parse ``git log --format=<HEADER>%as --name-status -M -z`` (newest commit first).

    A rename carries the file's older history over to its current name; a file added,
    deleted and added again is dated from its latest addition.
    """
    created: dict[str, str] = {}
    updated: dict[str, str] = {}
    current: dict[str, str] = {}  # an older name -> the file's name now
    born: set[str] = set()  # files whose addition has been seen: older entries are others'
    tokens = output.split(b"\0")
    date = ""
    index = 0
    while index < len(tokens):
        token = tokens[index].lstrip(b"\n")
        index += 1
        if not token:
            continue
        if token.startswith(_HEADER.encode()):
            date = token[1:].decode("ascii", errors="replace").strip()
            continue
        status = token[:1].decode("ascii", errors="replace")
        if status in ("R", "C"):
            old, new = (os.fsdecode(t) for t in tokens[index : index + 2])
            index += 2
            name = current.get(new, new)
            if name not in born:
                updated.setdefault(name, date)
                created[name] = date
                if status == "R":
                    current[old] = name  # older commits of the old name are this file's
                else:
                    born.add(name)  # a copy starts its own history
            continue
        path = os.fsdecode(tokens[index]) if index < len(tokens) else ""
        index += 1
        name = current.get(path, path)
        if not path or name in born or status == "D":
            if status == "D" and name not in updated:
                born.add(name)  # deleted later: what is there now (nothing) has no dates
            continue
        updated.setdefault(name, date)
        created[name] = date
        if status == "A":
            born.add(name)
    return {
        top / name: FileDates(created[name], updated[name])
        for name in created
        if name in updated and created[name] and updated[name]
    }
