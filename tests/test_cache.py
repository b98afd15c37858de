"""The serve cache: a rebuild re-parses only edited specs and re-renders only their pages."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from specsite.build import build
from specsite.cache import SpecCache
from specsite.config import load_config
from tests.conftest import EXAMPLE_SPECS, PROMPT


def test_a_rebuild_reparses_only_the_edited_spec(tmp_path: Path) -> None:
    specs = shutil.copytree(EXAMPLE_SPECS, tmp_path / "specs")
    config = load_config({"specs_dir": str(specs), "prompt": str(PROMPT)}, tmp_path)
    cache = SpecCache()
    first = build(config, [], cache=cache)
    count = len(first.collection.specs)
    assert cache.hits == 0 and count > 3
    memos = len(cache.pages)  # spec pages, index pages, data shards, export parts
    assert memos > 2 * count

    again = build(config, [], cache=cache)
    assert cache.hits == count
    assert again.plan.pages == first.plan.pages
    assert again.plan.files == first.plan.files

    edited = specs / "price-alerts.md"
    text = edited.read_text("utf-8")
    marker = "**Risks:**\n\n"
    edited.write_text(text.replace(marker, marker + "- A risk added while serving.\n", 1), "utf-8")
    stat = edited.stat()
    os.utime(edited, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))  # a later save
    third = build(config, [], cache=cache)
    assert cache.hits == count - 1
    changed = {uri for uri in third.plan.pages if third.plan.pages[uri] != first.plan.pages[uri]}
    assert "specs/price-alerts.md" in changed
    assert not any(uri.startswith("specs/") and uri != "specs/price-alerts.md" for uri in changed)
    assert "A risk added while serving." in third.plan.pages["risks.md"]
    assert len(cache.pages) == memos  # the edited spec's memos replaced, none left over
    fresh = build(config, [])  # what the cache gives is what a build from scratch gives
    assert third.plan.pages == fresh.plan.pages
    assert third.plan.files == fresh.plan.files
    assert third.plan.appendices == fresh.plan.appendices


def test_a_config_change_drops_the_cache(tmp_path: Path) -> None:
    specs = shutil.copytree(EXAMPLE_SPECS, tmp_path / "specs")
    cache = SpecCache()
    config = load_config({"specs_dir": str(specs), "prompt": str(PROMPT)}, tmp_path)
    build(config, [], cache=cache)
    other = load_config(
        {"specs_dir": str(specs), "prompt": str(PROMPT), "placeholders": ["XYZZY"]}, tmp_path
    )
    build(other, [], cache=cache)
    assert cache.hits == 0


def test_memo_keeps_a_product_while_its_inputs_hold() -> None:
    cache = SpecCache()
    cache.start("build")
    made: list[str] = []

    def make(name: str) -> list[str]:
        made.append(name)
        return [name]

    assert cache.memo(("search", "a"), lambda: make("a")) == ["a"]
    cache.finish()
    cache.start("build")
    assert cache.memo(("search", "a"), lambda: make("a")) == ["a"]
    assert cache.memo(("search", "b"), lambda: make("b")) == ["b"]
    assert made == ["a", "b"]  # 'a' came from the cache the second time
    cache.finish()
    cache.start("build")
    cache.finish()  # a build that used nothing drops everything
    assert cache.products == {}


def test_listing_pages_follow_every_edit_of_what_they_show(tmp_path: Path) -> None:
    """The catalog, conformance and index pages are keyed on what they show of each spec:
    after each edit (a status, an owner, a section removed, a risk's text) the cached
    rebuild equals a build from scratch."""
    specs = shutil.copytree(EXAMPLE_SPECS, tmp_path / "specs")
    config = load_config({"specs_dir": str(specs), "prompt": str(PROMPT)}, tmp_path)
    cache = SpecCache()
    build(config, [], cache=cache)
    edited = specs / "price-alerts.md"
    edits = [
        ("status: review", "status: approved"),
        ("owner: m.keller", "owner: Someone Else"),
        ("## 4. Out of Scope", "## Beyond"),
        ("**Risks:**\n\n- ", "**Risks:**\n\n- Reworded while serving: "),
    ]
    for number, (old, new) in enumerate(edits, start=1):
        text = edited.read_text("utf-8")
        assert old in text, old
        edited.write_text(text.replace(old, new, 1), "utf-8")
        stat = edited.stat()
        os.utime(edited, ns=(stat.st_atime_ns, stat.st_mtime_ns + number * 1_000_000))
        cached = build(config, [], cache=cache)
        fresh = build(config, [])
        assert cached.plan.pages == fresh.plan.pages, new
        assert cached.plan.files == fresh.plan.files, new
    assert "Someone Else" in cached.plan.pages["index.md"]
