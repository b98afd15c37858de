"""Lifecycle and history: supersession both ways, unknown statuses, git dates, provenance,
view-source and edit links.

Most checks build in-process (``specsite.build.build``); the page checks run real MkDocs
builds and read the HTML; the git checks make real repositories with dated commits.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from specsite.build import Build, build
from specsite.config import load_config
from specsite.history import git_history
from specsite.model import Spec
from tests.conftest import PROMPT, Site, run_build, write_files, write_project

BODY = (
    "\n## 1. Executive Summary\n\nWhat.\n\n## 2. Proposed Solution\n\nHow.\n\n"
    "## 3. Risks & Concerns\n\n- A risk.\n\n## 4. Out of Scope\n\n- Nothing.\n\n"
    "## 5. Open Questions\n\n- Why?\n"
)
GIT = shutil.which("git")
needs_git = pytest.mark.skipif(GIT is None, reason="git is not installed")


def front(**keys: Any) -> str:
    return "---\n" + yaml.safe_dump(keys, sort_keys=False) + "---\n"


def in_process(root: Path, files: dict[str, str], **settings: Any) -> Build:
    specs = write_files(root / "specs", files)
    config = load_config({"specs_dir": str(specs), "prompt": str(PROMPT), **settings}, root)
    return build(config, {"index.md"}, has_home=True)


def spec(result: Build, name: str) -> Spec:
    return next(s for s in result.collection.specs if s.source.endswith(name))


def codes(item: Spec) -> list[tuple[str, int | None]]:
    return [(p.code, p.line) for p in item.problems if p.severity != "info"]


# -- supersession ------------------------------------------------------------------

SUPERSESSION = {
    # by slug in front matter
    "api-keys.md": front(title="API keys", status="superseded", superseded_by="api-key-scopes")
    + "# API keys\n"
    + BODY,
    # the reverse direction, by a relative link, from the lines under the title
    "api-key-scopes.md": "# API key scopes\n\n**Status:** Approved · "
    "**Supersedes:** [the old one](./legacy-tokens.md)\n" + BODY,
    "legacy-tokens.md": front(status="rejected") + "# Legacy tokens\n" + BODY,
    # 'Superseded by <title>' as the status line
    "webhooks-v1.md": "# Webhooks v1\n\n**Status:** Superseded by Webhooks v2\n" + BODY,
    # ... or a link in the status line
    "search-v1.md": "# Search v1\n\n**Status:** Superseded by [the new one](search-v2.md).\n"
    + BODY,
    "search-v2.md": front(status="review") + "# Search v2\n" + BODY,
    "webhooks-v2.md": front(status="draft", supersedes=["webhooks-v1.md"])
    + "# Webhooks v2\n"
    + BODY,
}


def test_supersession_links_both_ways(tmp_path: Path) -> None:
    result = in_process(tmp_path, SUPERSESSION)
    old, new = spec(result, "api-keys.md"), spec(result, "api-key-scopes.md")
    assert [link.slug for link in old.lifecycle.superseded_by] == ["api-key-scopes"]
    assert [link.slug for link in new.lifecycle.supersedes] == ["api-keys", "legacy-tokens"]
    legacy = spec(result, "legacy-tokens.md")
    assert [link.slug for link in legacy.lifecycle.superseded_by] == ["api-key-scopes"]
    v1, v2 = spec(result, "webhooks-v1.md"), spec(result, "webhooks-v2.md")
    assert v1.lifecycle.status == "superseded"
    assert [link.title for link in v1.lifecycle.superseded_by] == ["Webhooks v2"]
    assert [link.slug for link in v2.lifecycle.supersedes] == ["webhooks-v1"]  # written once
    search = spec(result, "search-v1.md").lifecycle
    assert search.status == "superseded"
    assert [link.slug for link in search.superseded_by] == ["search-v2"]
    assert [link.slug for link in spec(result, "search-v2.md").lifecycle.supersedes] == [
        "search-v1"
    ]
    for item in result.collection.specs:
        assert codes(item) == [], (item.source, item.problems)


def test_cycle_and_missing_target_are_warnings_with_lines(tmp_path: Path) -> None:
    files = {
        "a.md": front(status="draft", superseded_by="b") + "# A\n" + BODY,
        "b.md": front(status="draft", superseded_by="a.md") + "# B\n" + BODY,
        "self.md": front(status="draft", supersedes="self") + "# Self\n" + BODY,
        "lost.md": "# Lost\n\n**Status:** Superseded by Nowhere To Be Found\n" + BODY,
        "fine.md": front(status="draft") + "# Fine\n" + BODY,
    }
    result = in_process(tmp_path, files)
    assert codes(spec(result, "a.md")) == [("lifecycle-cycle", 3)]
    assert codes(spec(result, "b.md")) == [("lifecycle-cycle", 3)]
    message = next(p.message for p in spec(result, "a.md").problems)
    assert "specs/a.md" in message and "specs/b.md" in message
    assert codes(spec(result, "self.md")) == [("lifecycle-cycle", 3)]
    assert codes(spec(result, "lost.md")) == [("lifecycle-link-missing", 3)]
    assert "Nowhere To Be Found" in spec(result, "lost.md").problems[0].message
    assert codes(spec(result, "fine.md")) == []
    # the build log names file and line
    printed = [message for _, message in result.messages()]
    assert any(m.startswith("specs/lost.md:3: superseded_by") for m in printed), printed


def test_superseded_page_says_so_at_the_top_with_a_link(tmp_path: Path) -> None:
    site = _site(tmp_path, SUPERSESSION)
    assert site.ok, site.output
    page = site.html("specs/api-keys/")
    banner = page.select_one("article p.specsite-banner")
    assert banner is not None
    h1 = page.select_one("article h1")
    assert h1 is not None and h1.find_next_sibling() is banner  # right under the title
    assert "specsite-status-superseded" in (banner.get("class") or [])
    assert banner.get_text(" ", strip=True).startswith("Superseded by")
    link = banner.select_one("a")
    assert link is not None and link.get_text() == "API key scopes"
    assert link["href"] == "../api-key-scopes/"
    assert (site.root / "specs" / "api-key-scopes" / "index.html").is_file()
    back = site.html("specs/api-key-scopes/").select_one("article p.specsite-banner")
    assert back is not None
    assert "specsite-status-approved" in (back.get("class") or [])
    assert [a["href"] for a in back.select("a")] == ["../api-keys/", "../legacy-tokens/"]
    data = site.spec("api-keys.md")
    assert data["lifecycle"]["superseded_by"] == ["api-key-scopes"]
    assert data["lifecycle"]["hidden"] is True
    assert site.spec("api-key-scopes.md")["lifecycle"]["supersedes"] == [
        "api-keys",
        "legacy-tokens",
    ]


def test_banner_text_is_escaped(tmp_path: Path) -> None:
    files = {
        "x.md": front(status="<img src=x onerror=alert(1)>") + "# X\n" + BODY,
        "y.md": front(status="draft", supersedes="x") + "# <b>Y</b> *new*\n" + BODY,
    }
    site = _site(tmp_path, files, strict=False)
    assert site.ok, site.output
    banner = site.html("specs/x/").select_one("article p.specsite-banner")
    assert banner is not None and banner.select("img") == []
    assert "specsite-status-unknown" in (banner.get("class") or [])
    assert "<img src=x" in banner.get_text()
    assert "status-unknown" in site.output


# -- statuses --------------------------------------------------------------------


def test_unknown_status_is_a_warning_naming_file_and_line(tmp_path: Path) -> None:
    files = {
        "front.md": front(title="Front", status="Pondering") + "# Front\n" + BODY,
        "body.md": "# Body\n\nOwner: me\nStatus: Frobnicated\n" + BODY,
        "alias.md": front(status="Accepted") + "# Alias\n" + BODY,  # -> approved
        "none.md": "# None\n" + BODY,
    }
    result = in_process(tmp_path, files)
    assert codes(spec(result, "front.md")) == [("status-unknown", 3)]
    assert codes(spec(result, "body.md")) == [("status-unknown", 4)]
    message = spec(result, "body.md").problems[0].message
    assert "'frobnicated'" in message and "draft, review, approved" in message
    assert codes(spec(result, "alias.md")) == []
    assert spec(result, "alias.md").lifecycle.stage == 2
    assert codes(spec(result, "none.md")) == []
    configured = in_process(
        tmp_path / "configured",
        files,
        statuses={"order": ["draft", "approved", "pondering"], "aliases": {"frobnicated": "draft"}},
    )
    for item in configured.collection.specs:
        assert codes(item) == [], item.problems
    assert spec(configured, "front.md").lifecycle.stage == 2


def test_api_conflicts_skip_statuses_the_config_hides(tmp_path: Path) -> None:
    api = (
        "\n## API & Event Definitions\n\nREST:\n\n| Method | Path | Auth | Request | Response |\n"
        "|---|---|---|---|---|\n| GET | `/api/things` | JWT | — | 200 `{response}` |\n"
    )
    files = {
        "a.md": front(status="draft") + "# A\n" + BODY + api.format(response="ThingList"),
        "b.md": front(status="parked") + "# B\n" + BODY + api.format(response="ThingMap"),
    }
    hiding = {"order": ["draft", "parked"], "hidden": ["parked"]}
    assert in_process(tmp_path / "hidden", files, statuses=hiding).collection.api_conflicts == []
    showing = {"order": ["draft", "parked"], "hidden": []}
    assert in_process(tmp_path / "shown", files, statuses=showing).collection.api_conflicts


# -- git dates ------------------------------------------------------------------


def git(root: Path, *args: str, date: str | None = None) -> None:
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    if date is not None:
        env["GIT_COMMITTER_DATE"] = date
    command = ["git", "-c", "user.name=Spec Writer", "-c", "user.email=w@example.org"]
    subprocess.run(
        [*command, *args], cwd=root, env=env, check=True, capture_output=True, timeout=60
    )


def commit(root: Path, message: str, when: str) -> None:
    """A commit whose author and committer dates are both ``when``."""
    git(root, "commit", "-qm", message, f"--date={when}", date=when)


def dated_repo(root: Path) -> Path:
    """A project in a git repository: two specs, two commits on known dates."""
    config = _project(
        root,
        {
            "alerts.md": "# Alerts\n" + BODY,
            "written.md": front(date="2020-05-06") + "# Written\n" + BODY,
        },
    )
    git(root, "init", "-q")
    git(root, "add", "-A")
    commit(root, "first", "2024-01-02T10:00:00+00:00")
    (root / "specs" / "alerts.md").write_text("# Alerts\n" + BODY + "\nMore.\n", encoding="utf-8")
    git(root, "add", "-A")
    commit(root, "second", "2024-03-04T10:00:00+00:00")
    return config


@needs_git
def test_dates_come_from_git_where_the_spec_gives_none(tmp_path: Path) -> None:
    config = dated_repo(tmp_path / "project")
    site = run_build(tmp_path / "site", config_file=config)
    assert site.ok, site.output
    assert "git-dates-missing" not in site.output
    alerts = site.spec("alerts.md")["dates"]
    assert alerts == {
        "created": "2024-01-02",
        "created_from": "git",
        "updated": "2024-03-04",
        "updated_from": "git",
    }
    written = site.spec("written.md")["dates"]
    assert written["created"] == "2020-05-06" and written["created_from"] == "spec"
    assert written["updated"] == "2024-01-02" and written["updated_from"] == "git"
    summary = site.html("specs/alerts/").select_one("article blockquote")
    assert summary is not None
    text = summary.get_text(" ", strip=True)
    assert "Date: 2024-01-02 (git)" in text and "Updated: 2024-03-04 (git)" in text
    catalog = site.html("").select_one("table.specsite-catalog")
    assert catalog is not None
    rows = {tr.select("td")[0].get_text(): tr for tr in catalog.select("tbody tr")}
    assert [td.get_text() for td in rows["Alerts"].select("td")[3:5]] == [
        "2024-01-02",
        "2024-03-04",
    ]
    shard = next((site.root / "explorer").glob("specs-0.*.json"))
    records = {r[0]: r for r in json.loads(shard.read_text(encoding="utf-8"))["specs"]}
    assert records["Alerts"][4] == "2024-01-02" and records["Alerts"][10] == "2024-03-04"


@needs_git
def test_git_history_follows_renames(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    write_files(root / "specs", {"old.md": "# Old\n", "other.md": "# Other\n"})
    git(root, "init", "-q")
    git(root, "add", "-A")
    commit(root, "1", "2023-01-01T00:00:00+00:00")
    git(root, "mv", "specs/old.md", "specs/new.md")
    commit(root, "2", "2023-06-01T00:00:00+00:00")
    history = git_history(root.resolve() / "specs")
    assert history.missing is None
    renamed = history.of(root.resolve() / "specs" / "new.md")
    assert renamed is not None and (renamed.created, renamed.updated) == (
        "2023-01-01",
        "2023-06-01",
    )
    assert history.of(root.resolve() / "specs" / "old.md") is None
    other = history.of(root.resolve() / "specs" / "other.md")
    assert other is not None and other.updated == "2023-01-01"


def test_without_git_the_build_works_and_says_why(tmp_path: Path) -> None:
    config = _project(tmp_path / "project", {"alerts.md": "# Alerts\n" + BODY})
    empty = tmp_path / "no-tools"
    empty.mkdir()
    site = run_build(tmp_path / "site", config_file=config, env={"PATH": str(empty)})
    assert site.ok, site.output  # --strict: the note is information, not a warning
    assert "git-dates-missing" in site.output and "git is not installed" in site.output
    assert site.spec("alerts.md")["dates"]["created"] is None
    report = site.html("build-report/").get_text(" ", strip=True)
    assert "git is not installed" in report


def test_outside_a_checkout_the_build_says_why(tmp_path: Path) -> None:
    history = git_history(tmp_path)
    if GIT is None:
        assert history.missing is not None and "not installed" in history.missing
    else:
        assert history.missing == "the specs folder is not inside a git checkout"
    result = in_process(tmp_path, {"a.md": "# A\n" + BODY})
    notes = [(where, note.code, note.message) for where, note in result.collection.notes]
    assert len(notes) == 1 and notes[0][1] == "git-dates-missing"
    assert notes[0][0] == "specs" and "1 spec(s)" in notes[0][2]
    written = in_process(tmp_path / "w", {"a.md": front(date="2020-01-01", updated="2021-01-01")})
    assert written.collection.notes == []  # every spec writes its dates: nothing to say


@needs_git
def test_shallow_clone_says_why_dates_are_missing(tmp_path: Path) -> None:
    dated_repo(tmp_path / "origin")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", (tmp_path / "origin").as_uri(), str(clone))
    history = git_history(clone / "specs")
    assert history.missing is not None and "shallow clone" in history.missing
    assert history.dates == {}


# -- provenance --------------------------------------------------------------------


def test_provenance_current_changed_unknown(tmp_path: Path) -> None:
    digest = hashlib.sha256(PROMPT.read_bytes()).hexdigest()
    files = {
        "current.md": front(status="draft", prompt="study.md", prompt_hash=digest[:10].upper())
        + "# Current\n"
        + BODY,
        "changed.md": "# Changed\n\n**Status:** Draft · **Prompt hash:** sha256:0123abcd\n" + BODY,
        "other.md": front(prompt="another-template.md", prompt_hash="0123abcd") + "# O\n" + BODY,
        "bad.md": front(prompt_hash="xyz") + "# Bad\n" + BODY,
        "none.md": "# None\n" + BODY,
    }
    site = _site(tmp_path, files, strict=False)
    assert site.ok, site.output
    states = {
        name: site.spec(name)["provenance"]["state"]
        for name in ("current.md", "changed.md", "other.md", "bad.md", "none.md")
    }
    assert states == {
        "current.md": "current",
        "changed.md": "changed",
        "other.md": "unknown",
        "bad.md": "unknown",
        "none.md": "unknown",
    }
    assert site.spec("current.md")["provenance"]["hash"] == digest[:10]
    assert [p["code"] for p in site.spec("bad.md")["problems"]] == ["prompt-hash-invalid"]
    page = site.html("specs/changed/").select_one("article blockquote")
    assert page is not None
    text = page.get_text(" ", strip=True)
    assert "Generated from prompt:" in text and "prompt changed since" in text
    assert f"now {digest[:12]}" in text
    current = site.html("specs/current/").get_text(" ", strip=True)
    assert "the current prompt" in current and "prompt changed since" not in current
    shard = next((site.root / "explorer").glob("specs-0.*.json"))
    records = {r[0]: r for r in json.loads(shard.read_text(encoding="utf-8"))["specs"]}
    assert records["Changed"][11] == "changed" and records["Current"][11] == "current"


# -- view source and edit links ----------------------------------------------------


def test_view_source_and_edit_links(tmp_path: Path) -> None:
    config = _project(
        tmp_path / "project",
        {"alerts.md": "# Alerts\n" + BODY},
        repo_url="https://github.com/acme/specs",
        edit_uri="edit/main/docs/",
    )
    site = run_build(tmp_path / "site", config_file=config)
    assert site.ok, site.output
    page = site.html("specs/alerts/")
    summary = page.select_one("article blockquote")
    assert summary is not None
    hrefs = [a["href"] for a in summary.select("a") if "github.com" in a["href"]]
    assert hrefs == [
        "https://github.com/acme/specs/blob/main/specs/alerts.md",
        "https://github.com/acme/specs/edit/main/specs/alerts.md",
    ]
    button = page.select_one("a.md-content__button[href*='edit']")
    assert button is not None
    assert button["href"] == "https://github.com/acme/specs/edit/main/specs/alerts.md"
    data = site.spec("alerts.md")
    assert data["edit_url"] == "https://github.com/acme/specs/edit/main/specs/alerts.md"
    assert data["source_url"] == "https://github.com/acme/specs/blob/main/specs/alerts.md"


def test_no_repository_no_links(tmp_path: Path) -> None:
    result = in_process(tmp_path, {"alerts.md": "# Alerts\n" + BODY})
    life = spec(result, "alerts.md").lifecycle
    assert (life.view_url, life.edit_url) == (None, None)
    page = result.plan.pages["specs/alerts.md"]
    assert "**Source:** specs/alerts.md" in page


# -- helpers ----------------------------------------------------------------------


def _project(root: Path, files: dict[str, str], **mkdocs: Any) -> Path:
    """A MkDocs project in ``root`` with its specs in ``root/specs``; returns mkdocs.yml."""
    write_files(root / "specs", files)
    config = write_project(root, specsite={"specs_dir": "specs", "prompt": str(PROMPT)})
    if mkdocs:
        data = yaml.safe_load(config.read_text(encoding="utf-8"))
        data.update(mkdocs)
        data["theme"]["features"] = ["content.action.edit"]
        config.write_text(yaml.safe_dump(data), encoding="utf-8")
    return config


def _site(tmp_path: Path, files: dict[str, str], *, strict: bool = True) -> Site:
    config = _project(tmp_path / "project", files)
    return run_build(tmp_path / "site", config_file=config, strict=strict)
