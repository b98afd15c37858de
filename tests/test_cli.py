"""The ``specsite`` command line, run as the installed command in real folders.

Each test runs ``.venv/bin/specsite`` as a subprocess (what a user and pre-commit
run) and checks its exit code, its compiler-style lines and the files it writes
against a site built by MkDocs from the same files.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from specsite.checking import check
from specsite.project import load_project, read_mkdocs_yml
from tests.conftest import PROMPT, REPO, Site, run_build, write_files

SPECSITE = Path(sys.executable).with_name("specsite")

GOOD = """\
---
status: review
owner: a.dev
---

# Order Throttling

## 1. Executive Summary

Clients flood the order endpoint; we add a per-account token bucket.

## 2. Proposed Solution / Implementation Details

The orders module checks a Redis token bucket before accepting an order; see ARCHITECTURE.md.

## 3. Risks & Concerns

**Blockers:**

- Confirm that Redis Lua scripts are allowed in production.

**Risks:**

- =HYPERLINK("http://evil.example") A bucket per account may be too coarse.

**Performance & Scalability:**

- One Redis round trip per order; fine at 100x.

## 4. Out of Scope

- Throttling market data requests.

## 5. Open Questions

- [x] Per account or per API key? Decision: per account.
- Should limits be configurable per customer tier?

## 6. Recommendation

Ship the token bucket.
"""

# Front matter that is not YAML (line 3), missing sections, an unknown reference (line 10).
BROKEN = """\
---
status: draft
owner: [unclosed
---

# Broken Spec

## 1. Executive Summary

This cites NOWHERE-DOC.md, which does not exist.
"""


def specsite(*args: str | Path, cwd: Path, env: dict[str, str] | None = None) -> tuple[int, str]:
    """Run the installed command; returns its exit code and stdout + stderr."""
    done = subprocess.run(
        [str(SPECSITE), *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})},
        timeout=120,
        check=False,
    )
    return done.returncode, done.stdout + done.stderr


def stdout_of(*args: str | Path, cwd: Path) -> str:
    done = subprocess.run(
        [str(SPECSITE), *map(str, args)], cwd=cwd, capture_output=True, text=True, check=False
    )
    return done.stdout


LINE = re.compile(
    r"^(?P<path>[^:\n]+):(?P<line>\d+):(?P<col>\d+): (?P<severity>\w+): .* \[(?P<code>[\w-]+)\]$"
)


def lines_by_code(output: str) -> dict[str, list[tuple[str, int]]]:
    found: dict[str, list[tuple[str, int]]] = {}
    for line in output.splitlines():
        match = LINE.match(line)
        if match:
            found.setdefault(match["code"], []).append((match["path"], int(match["line"])))
    return found


@pytest.fixture
def collection(tmp_path: Path) -> Path:
    """A folder of specs: one good, one broken (checked with the repo's mkdocs.yml)."""
    return write_files(tmp_path / "specs", {"good.md": GOOD, "broken.md": BROKEN})


# -- check -----------------------------------------------------------------------


def test_check_names_each_broken_file_with_its_line_and_fails(
    collection: Path, tmp_path: Path
) -> None:
    code, output = specsite(
        "check", "-f", REPO / "mkdocs.yml", "--specs-dir", collection, cwd=tmp_path
    )
    assert code == 1, output
    found = lines_by_code(output)
    [(path, line)] = found["front-matter-invalid"]  # where YAML gives up: line 3 or 4
    assert (path, line in (3, 4)) == ("specs/broken.md", True)
    assert found["reference-missing"] == [("specs/broken.md", 10)]
    assert ("specs/broken.md", 1) in found["missing-section"]
    assert not any(path == "specs/good.md" for hits in found.values() for path, _ in hits)
    assert "Traceback" not in output


def test_check_good_files_exit_0_and_print_nothing(collection: Path, tmp_path: Path) -> None:
    code, output = specsite(
        "check",
        "-f",
        REPO / "mkdocs.yml",
        "--specs-dir",
        collection,
        collection / "good.md",
        cwd=tmp_path,
    )
    assert (code, output) == (0, "")


def test_check_whole_example_collection_is_clean() -> None:
    code, output = specsite("check", cwd=REPO)
    assert (code, output) == (0, "")


def test_no_strict_fails_on_errors_only(collection: Path, tmp_path: Path) -> None:
    args = ("check", "-f", REPO / "mkdocs.yml", "--specs-dir", collection, collection / "broken.md")
    strict, _ = specsite(*args, cwd=tmp_path)
    code, output = specsite(*args, "--no-strict", cwd=tmp_path)
    assert (strict, code) == (1, 0)
    assert "reference-missing" in output  # still reported


def test_check_a_file_outside_the_specs_folder_as_a_spec(tmp_path: Path) -> None:
    outside = write_files(tmp_path / "drafts", {"idea.md": BROKEN}) / "idea.md"
    code, output = specsite("check", outside, cwd=REPO)
    assert code == 1
    [(path, _)] = lines_by_code(output)["front-matter-invalid"]
    assert path == outside.as_posix()
    write_files(tmp_path / "drafts", {"sub/other.md": BROKEN, ".hidden/skip.md": BROKEN})
    code, output = specsite("check", tmp_path / "drafts", cwd=tmp_path)  # a folder of drafts
    assert code == 1
    assert sorted(p for p, _ in lines_by_code(output)["front-matter-invalid"]) == [
        "drafts/idea.md",
        "drafts/sub/other.md",
    ]


def test_specs_only_ignores_files_outside_the_specs_folder(tmp_path: Path) -> None:
    """What the pre-commit hook runs: every changed .md file, only specs are checked."""
    outside = write_files(tmp_path, {"idea.md": BROKEN}) / "idea.md"
    args = ("check", "--specs-only", REPO / "README.md", REPO / "docs" / "index.md", outside)
    assert specsite(*args, cwd=REPO) == (0, "")
    broken = write_files(tmp_path / "specs", {"broken.md": BROKEN}) / "broken.md"
    code, output = specsite(
        *args, broken, "-f", REPO / "mkdocs.yml", "--specs-dir", broken.parent, cwd=tmp_path
    )
    assert code == 1
    assert {path for hits in lines_by_code(output).values() for path, _ in hits} == {
        "specs/broken.md"
    }


def test_without_a_project_the_shipped_prompt_is_the_schema(tmp_path: Path) -> None:
    assert specsite("new", "Loose Idea", cwd=tmp_path)[0] == 0
    code, output = specsite("check", "specs/loose-idea.md", cwd=tmp_path)
    assert code == 1
    assert len(lines_by_code(output)["placeholder-section"]) == 5


def test_usage_and_config_errors_exit_2(tmp_path: Path) -> None:
    assert specsite("check", "no-such-file.md", cwd=REPO)[0] == 2
    assert specsite("check", "--specs-dir", tmp_path / "none", cwd=REPO)[0] == 2
    assert specsite("check", "--prompt", tmp_path / "none.md", cwd=REPO)[0] == 2
    bad = write_files(tmp_path, {"mkdocs.yml": "extra:\n  specsite:\n    no_such_key: 1\n"})
    code, output = specsite("check", cwd=bad)
    assert code == 2
    assert "no_such_key" in output


def test_json_equals_the_sites_specs_json(collection: Path, tmp_path: Path) -> None:
    site = run_build(tmp_path / "site", specs_dir=collection, strict=False)
    assert site.ok, site.output
    whole = stdout_of(
        "check",
        "--format",
        "json",
        "-f",
        REPO / "mkdocs.yml",
        "--specs-dir",
        collection,
        cwd=tmp_path,
    )
    assert whole == (site.root / "specs.json").read_text(encoding="utf-8")
    one = json.loads(
        stdout_of(
            "check",
            "--format",
            "json",
            "-f",
            REPO / "mkdocs.yml",
            "--specs-dir",
            collection,
            collection / "broken.md",
            cwd=tmp_path,
        )
    )
    expected = site.export()
    expected["specs"] = [s for s in expected["specs"] if s["source"].endswith("broken.md")]
    assert one == expected


def test_json_equals_the_example_sites_specs_json(example_site: Site) -> None:
    output = stdout_of("check", "--format", "json", cwd=REPO)
    assert output == (example_site.root / "specs.json").read_text(encoding="utf-8")


def test_options_come_from_the_plugin_entry_over_extra(tmp_path: Path) -> None:
    """mkdocs.yml as MkDocs reads it: !ENV resolved, python tags tolerated, plugin first."""
    project = write_files(
        tmp_path / "project",
        {
            "mkdocs.yml": (
                "site_name: x\n"
                "plugins:\n  - search\n  - specsite:\n"
                "      specs_dir: !ENV [CLI_TEST_SPECS, mine]\n"
                "      prompt: prompt.md\n"
                "markdown_extensions:\n  - pymdownx.superfences:\n      custom_fences:\n"
                "        - name: mermaid\n          class: mermaid\n"
                "          format: !!python/name:pymdownx.superfences.fence_code_format\n"
                "extra:\n  specsite:\n    specs_dir: other\n"
            ),
            "prompt.md": PROMPT.read_text(encoding="utf-8"),
            "mine/broken.md": BROKEN,
            "other/good.md": GOOD,
            "docs/index.md": "# Home\n",
        },
    )
    code, output = specsite("check", cwd=project / "docs")  # mkdocs.yml found upward
    assert code == 1
    broken = (project / "mine" / "broken.md").as_posix()  # outside the working folder
    assert [p for p, _ in lines_by_code(output)["front-matter-invalid"]] == [broken]
    code, output = specsite("check", cwd=project, env={"CLI_TEST_SPECS": "other"})
    assert code == 1  # good.md cites ARCHITECTURE.md, which this project's docs lack
    assert set(lines_by_code(output)) == {"reference-missing"}
    write_files(project, {"docs/reference/ARCHITECTURE.md": "# Architecture\n"})
    assert specsite("check", cwd=project, env={"CLI_TEST_SPECS": "other"}) == (0, "")
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text + "exclude_docs: |\n  reference/ARCHITECTURE.md\n", encoding="utf-8")
    code, output = specsite("check", cwd=project, env={"CLI_TEST_SPECS": "other"})
    assert (code, set(lines_by_code(output))) == (1, {"reference-missing"})  # as MkDocs excludes
    config.write_text(text + "use_directory_urls: false\n")
    data = json.loads(stdout_of("check", "--format", "json", cwd=project))
    assert [s["url"] for s in data["specs"]] == ["specs/broken.html"]


# -- new -------------------------------------------------------------------------


def test_new_skeleton_fails_check_until_filled(tmp_path: Path) -> None:
    project = tmp_path / "project"
    assert specsite("init", project, cwd=tmp_path)[0] == 0
    code, output = specsite("new", "Order Throttling", cwd=project / "specs")
    assert code == 0, output
    path = project / "specs" / "order-throttling.md"
    text = path.read_text(encoding="utf-8")
    meta = yaml.safe_load(text.split("---")[1])
    assert meta["status"] == "draft" and meta["owner"] and meta["date"]
    assert "# Order Throttling" in text and "### Performance & Scalability" in text

    code, output = specsite("check", path, cwd=project)
    assert code == 1
    placeholder = lines_by_code(output)["placeholder-section"]
    assert len(placeholder) == 5  # every required section of the prompt
    assert all(p == "specs/order-throttling.md" for p, _ in placeholder)

    sentences = iter(range(1000))
    filled = re.sub(
        r"^TBD$",
        lambda _: f"Real sentence number {next(sentences)} about throttling orders.",
        text,
        flags=re.M,
    )
    path.write_text(filled, encoding="utf-8")
    assert specsite("check", path, cwd=project) == (0, "")
    assert specsite("check", cwd=project) == (0, "")

    code, output = specsite("new", "Order Throttling", cwd=project)
    assert code == 1 and "already exists" in output
    assert path.read_text(encoding="utf-8") == filled  # not overwritten
    other = project / "elsewhere" / "x.md"
    assert specsite("new", "Order Throttling", "-o", other, cwd=project)[0] == 0
    assert other.read_text(encoding="utf-8").count("TBD") == text.count("TBD")


# -- export ----------------------------------------------------------------------


def read_csv(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def test_export_writes_specs_json_and_csvs_matching_it(collection: Path, tmp_path: Path) -> None:
    out = tmp_path / "export"
    code, output = specsite(
        "export", "-o", out, "-f", REPO / "mkdocs.yml", "--specs-dir", collection, cwd=tmp_path
    )
    assert code == 0, output
    data: dict[str, Any] = json.loads((out / "specs.json").read_text(encoding="utf-8"))
    assert (out / "specs.json").read_text(encoding="utf-8") == stdout_of(
        "check",
        "--format",
        "json",
        "-f",
        REPO / "mkdocs.yml",
        "--specs-dir",
        collection,
        cwd=tmp_path,
    )
    indexes = {
        "risks.csv": {"blocker", "risk", "performance"},
        "open-questions.csv": {"open_question"},
        "out-of-scope.csv": {"out_of_scope"},
    }
    for name, kinds in indexes.items():
        rows = read_csv(out / name)
        expected = [
            (
                s["slug"],
                s["title"],
                i["kind"],
                i["id"],
                i["text"],
                i["url"],
                str(i["line"]),
                "" if i["resolved"] is None else str(i["resolved"]).lower(),
            )
            for s in data["specs"]
            for i in s["items"]
            if i["kind"] in kinds
        ]
        got = [
            (
                r["spec"],
                r["title"],
                r["kind"],
                r["item id"],
                r["text"].removeprefix("'"),
                r["url"],
                r["line"],
                r["resolved"],
            )
            for r in rows
        ]
        assert got == expected and expected, name
    risks = read_csv(out / "risks.csv")
    assert any(r["text"].startswith("'=HYPERLINK") for r in risks)  # never a live formula
    catalog = read_csv(out / "catalog.csv")
    assert [r["spec"] for r in catalog] == [s["slug"] for s in data["specs"]]
    good = next(r for r in catalog if r["spec"] == "good")
    assert (good["open_question"], good["open_question open"], good["problems"]) == ("2", "1", "0")


# -- init ------------------------------------------------------------------------


@pytest.mark.parametrize("tool", ["mkdocs", "properdocs"])
def test_init_creates_a_project_that_builds_strict(tmp_path: Path, tool: str) -> None:
    project = tmp_path / "new-project"
    code, output = specsite("init", project, cwd=tmp_path)
    assert code == 0, output
    for name in (
        "mkdocs.yml",
        "prompts/study.md",
        "docs/index.md",
        "docs/reference/ARCHITECTURE.md",
    ):
        assert (project / name).is_file(), name
    assert len(list((project / "specs").glob("*.md"))) == 1
    config = read_mkdocs_yml(project / "mkdocs.yml")
    assert "specsite" in [next(iter(p)) if isinstance(p, dict) else p for p in config["plugins"]]
    assert "hooks" not in config  # the installed plugin, found by its entry point
    assert specsite("check", cwd=project) == (0, "")
    site = run_build(project / "site", config_file=project / "mkdocs.yml", tool=tool)
    assert site.ok, site.output
    spec = site.export()["specs"][0]
    assert spec["references"] == ["ARCHITECTURE.md"]
    assert {i["kind"] for i in spec["items"]} == {
        "blocker",
        "risk",
        "performance",
        "out_of_scope",
        "open_question",
    }


def test_init_never_overwrites(tmp_path: Path) -> None:
    project = write_files(tmp_path / "p", {"docs/index.md": "# Mine\n"})
    code, output = specsite("init", project, cwd=tmp_path)
    assert code == 1
    assert "docs/index.md already exists" in output
    assert (project / "docs" / "index.md").read_text(encoding="utf-8") == "# Mine\n"
    assert not (project / "mkdocs.yml").exists()  # nothing written at all


def test_shipped_prompt_is_the_repositorys_prompt() -> None:
    shipped = REPO / "src" / "specsite" / "data" / "study.md"
    assert shipped.read_bytes() == PROMPT.read_bytes()


def test_pre_commit_hook_runs_specsite_check() -> None:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    hook = next(h for h in hooks if h["id"] == "specsite-check")
    assert hook["entry"] == "specsite check"
    assert hook["language"] == "python"
    assert re.search(hook["files"], "specs/a.md") and not re.search(hook["files"], "a.py")
    assert hook["pass_filenames"] is True
    assert hook["args"] == ["--specs-only"]


def test_checking_some_files_gives_their_whole_collection_entries(tmp_path: Path) -> None:
    """In-process: a subset keeps the page names (and slug collisions) of the whole folder."""
    project = write_files(
        tmp_path,
        {
            "prompts/study.md": PROMPT.read_text(encoding="utf-8"),
            "specs/Foo.md": GOOD,
            "specs/foo.md": GOOD.replace("# Order Throttling", "# Other Title"),
            "specs/sub/README.md": BROKEN,
            "specs/sub/notes.md": "attachment\n",
        },
    )
    settings = load_project(None, cwd=project).settings
    whole = check(settings, set(), None).export_data()
    some = check(settings, set(), [project / "specs" / "foo.md", project / "specs" / "sub"])
    by_source = {s["source"]: s for s in whole["specs"]}
    part = some.export_data()
    assert [s["source"] for s in part["specs"]] == ["specs/foo.md", "specs/sub/README.md"]
    assert [s["slug"] for s in part["specs"]] == ["foo-2", "sub"]
    for spec in part["specs"]:
        assert spec == by_source[spec["source"]]
    # notes.md is a page of the sub/ spec, published with it: nothing is set aside
    assert some.collection.skipped == []


def test_new_takes_the_owner_from_git_else_user(tmp_path: Path) -> None:
    gitconfig = write_files(tmp_path, {"gitconfig": "[user]\n\tname = Ada Lovelace\n"})
    env = {"GIT_CONFIG_GLOBAL": str(gitconfig / "gitconfig"), "GIT_CONFIG_NOSYSTEM": "1"}
    assert specsite("new", "From Git", cwd=tmp_path, env={**env, "USER": "ada"})[0] == 0
    env["GIT_CONFIG_GLOBAL"] = str(tmp_path / "no-such-gitconfig")
    assert specsite("new", "From User", cwd=tmp_path, env={**env, "USER": "grace"})[0] == 0
    owners = [
        yaml.safe_load((tmp_path / "specs" / name).read_text(encoding="utf-8").split("---")[1])
        for name in ("from-git.md", "from-user.md")
    ]
    assert [o["owner"] for o in owners] == ["Ada Lovelace", "grace"]
