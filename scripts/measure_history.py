"""Measure the one batched ``git log`` call that dates every spec (specsite.history).

Makes a temporary git repository with N spec files (default 1,000) committed over a
few commits (each later commit touching a tenth of the files), then times
``git_history`` on its specs folder against the cost of one ``git log`` process per
file, the approach specsite avoids (measured on a sample and scaled up).

    .venv/bin/python scripts/measure_history.py [--specs 1000] [--commits 5]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from specsite.history import git_history


def git(root: Path, *args: str, when: str | None = None) -> None:
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    if when is not None:
        env["GIT_COMMITTER_DATE"] = when
        env["GIT_AUTHOR_DATE"] = when
    subprocess.run(
        ["git", "-c", "user.name=Bench", "-c", "user.email=b@example.org", *args],
        cwd=root,
        env=env,
        check=True,
        capture_output=True,
    )


def make_repo(root: Path, specs: int, commits: int) -> Path:
    folder = root / "specs"
    folder.mkdir(parents=True)
    git(root, "init", "-q")
    for number in range(specs):
        (folder / f"spec-{number:05d}.md").write_text(f"# Spec {number}\n\nText.\n", "utf-8")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "first", when="2024-01-01T00:00:00+00:00")
    for commit in range(1, commits):
        for number in range(commit, specs, 10):
            path = folder / f"spec-{number:05d}.md"
            path.write_text(path.read_text("utf-8") + f"Edit {commit}.\n", "utf-8")
        git(root, "add", "-A")
        when = f"2024-{commit + 1:02d}-01T00:00:00+00:00"
        git(root, "commit", "-qm", f"edit {commit}", when=when)
    return folder


def best(runs: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--specs", type=int, default=1000)
    parser.add_argument("--commits", type=int, default=5)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="specsite-history-") as temp:
        folder = make_repo(Path(temp).resolve(), args.specs, args.commits)
        history = git_history(folder)
        assert history.missing is None, history.missing
        assert len(history.dates) == args.specs, len(history.dates)
        batched = best(args.runs, lambda: git_history(folder))
        sample = sorted(folder.iterdir())[:50]

        def per_file() -> None:
            for path in sample:
                subprocess.run(
                    ["git", "log", "--format=%as", "--", path.name],
                    cwd=folder,
                    capture_output=True,
                    check=True,
                )

        per_file_total = best(1, per_file) * args.specs / len(sample)
        print(
            f"{args.specs} specs, {args.commits} commits: one batched git log "
            f"{batched * 1000:.0f} ms ({batched / args.specs * 1e6:.0f} us a spec); "
            f"one git log per file would take about {per_file_total:.1f} s "
            f"({per_file_total / batched:.0f}x)"
        )


if __name__ == "__main__":
    main()
