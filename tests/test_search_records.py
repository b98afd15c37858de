"""Search records from the model, in process: anchors, facets, what each record holds."""

from __future__ import annotations

from pathlib import Path

from markdown.extensions.toc import slugify

from specsite.build import build
from specsite.config import load_config
from specsite.search import (
    PAGE_KIND,
    SECTION_KIND,
    SPEC_KIND,
    Record,
    page_record,
    plain_markdown,
    spec_records,
)
from tests.conftest import PROMPT

SPEC = """---
title: Sync Engine
status: review
owner: a.keller
modules: [sync, storage]
tags: realtime
---

# Sync Engine

Intro words about quokkas.

## 1. Executive Summary

Summary text.

## 2. Proposed Solution / Implementation Details

### Details

```bash
# not a heading
```

### Details

See [the guide](../GUIDE.md) and <span class="x">inline html</span>.

## 3. Risks & Concerns {#risks-here}

**Blockers:**

- Vendor contract unsigned for the wombat gateway.

**Risks:**

- Clock skew corrupts the merge order of offline edits.

## 5. Open Questions

- [x] Do we keep tombstones forever? Resolved: 30 days.
- Which conflict policy wins for deletes?
"""


def _records(tmp_path: Path, text: str = SPEC) -> list[Record]:
    specs = tmp_path / "specs"
    specs.mkdir()
    (specs / "sync-engine.md").write_text(text, encoding="utf-8")
    config = load_config({"specs_dir": str(specs), "prompt": str(PROMPT)}, tmp_path)
    result = build(config, set())
    (spec,) = result.collection.specs
    return list(spec_records(spec, config, slugify))


def test_one_record_per_spec_top_section_and_item(tmp_path: Path) -> None:
    records = _records(tmp_path)
    kinds = [r.kind for r in records]
    assert kinds.count(SPEC_KIND) == 1
    sections = [r for r in records if r.kind == SECTION_KIND]
    assert [r.label for r in sections] == [
        "1. Executive Summary",
        "2. Proposed Solution / Implementation Details",
        "3. Risks & Concerns",
        "5. Open Questions",
    ]
    # ids as the toc extension gives them: the title's H1 first, explicit {#id} kept
    assert [r.url for r in sections] == [
        "specs/sync-engine/#1-executive-summary",
        "specs/sync-engine/#2-proposed-solution-implementation-details",
        "specs/sync-engine/#risks-here",
        "specs/sync-engine/#5-open-questions",
    ]
    solution = sections[1].content
    assert "Details" in solution and "not a heading" in solution  # sub-sections belong to it
    assert "the guide" in solution and "GUIDE.md" not in solution and "span" not in solution
    items = {r.kind: r for r in records if r.kind not in (SPEC_KIND, SECTION_KIND)}
    assert set(items) == {"Blockers", "Risks", "Open Questions"}
    assert items["Blockers"].content == "Vendor contract unsigned for the wombat gateway."
    assert items["Blockers"].url == "specs/sync-engine/#blocker-1"
    assert items["Blockers"].label == "Vendor contract unsigned for the wombat gateway."


def test_every_record_carries_the_spec_facets(tmp_path: Path) -> None:
    records = _records(tmp_path)
    for record in records:
        assert record.title == "Sync Engine"
        assert record.status == "review"
        assert record.filters["status"] == ["review"]
        assert record.filters["owner"] == ["a.keller"]
        assert record.filters["module"] == ["sync", "storage"]
        assert record.filters["tag"] == ["realtime"]
        assert record.filters["kind"] == [record.kind]
    questions = [r for r in records if r.kind == "Open Questions"]
    assert [q.filters["state"] for q in questions] == [["resolved"], ["open"]]
    assert all("state" not in r.filters for r in records if r.kind != "Open Questions")
    assert records[0].meta() == {"title": "Sync Engine", "kind": SPEC_KIND, "status": "review"}
    assert "quokkas" in records[0].content and "a.keller" in records[0].content


def test_a_spec_without_its_own_h1_gets_the_title_id_first(tmp_path: Path) -> None:
    text = "---\ntitle: Overview\n---\n\n## Overview\n\nText.\n"
    records = _records(tmp_path, text)
    section = next(r for r in records if r.kind == SECTION_KIND)
    assert section.url.endswith("#overview_1")  # the page's '# Overview' took 'overview'
    assert records[0].status == "not set" and records[0].filters["status"] == ["not set"]


def test_page_records_and_plain_text() -> None:
    record = page_record("reference/API/", "API", "---\ntitle: API\n---\n# API\n\n**Bold** `x`")
    assert record.kind == PAGE_KIND and record.filters == {"kind": [PAGE_KIND]}
    assert "title:" not in record.content
    assert plain_markdown('<a id="x"></a>[text](http://h/p) {#id .c}\n\n  more') == "text more"
