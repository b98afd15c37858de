"""Where a kind's items come from, on real-collection shapes (KEP and RFC configurations).

Each case is a small proposal built in-process with the configuration of
``examples/kep``, ``examples/rfc`` or the repository (study.md), and its exact item list
is asserted:

- the template's questionnaire (a heading the template fills with questions, like the
  KEP's 'Production Readiness Review Questionnaire > Scalability') is answered, not
  itemised; the same heading under another of the template's sections is the author's;
- a risk or performance sub-section of the motivation describes today, not the proposal
  (a Non-Goals sub-section there is the proposal's scope);
- a colon sentence naming the kind introduces the list under it;
- 'Non-goal #1: ...' paragraphs are the items, the paragraphs between them explain them;
- 'However, ...' after a drawback answers that drawback, it is no second one; a lead
  naming a way of handling ('**Alpha approach:** ...') describes the items above, and
  so does a list an item's closing 'Mitigations:' introduces;
- a section's one paragraph over its kind sub-sections (naming several kinds, or in
  italics) introduces them;
- among open questions, a paragraph about 'this question' explains the one above, and a
  sentence filing itself under another kind ('... is out of scope') is of that kind;
- an answer to a pointed question of the template's hidden instructions ('How will
  security be reviewed, and by whom?') and a pointer ('Same as the ... KEP.') are no items.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from specsite.build import build
from specsite.labels import is_none
from specsite.project import load_project
from tests.conftest import REPO

KEP = """\
# KEP-2001: Cache warmers

## Summary

Warm node caches before pods start.

## Motivation

### Goals

- Warm caches on node start.

### Non-Goals

- Persisting caches across reboots.

### Scalability

Today every node cold-starts its cache, which doubles API reads after an upgrade.

## Proposal

### Risks and Mitigations

- Warmers can overload the API server after a mass restart.

**Alpha approach:** warmers start with a random delay of up to 60 s.

**Blast radius:** in beta the gate is on by default. Mitigations:
- Operators can turn the gate off per node pool.

## Design Details

### Scalability

One warm-up LIST per node at start; at 5,000 nodes the LISTs spread over 60 s.

## Production Readiness Review Questionnaire

### Scalability

###### Will enabling / using this feature result in any new API calls?

Yes: one LIST per node at start.

* **Will enabling / using this feature result in increasing size or count of the
  existing API objects?**
  - One annotation per node.

## Drawbacks

This adds one more controller to operate.

However, the controller is small and has no state.

## Unresolved Questions

- Which API group does the warmer config live in?
"""

RFC = """\
- Feature Name: `lazy_statics`
- Start Date: 2024-06-01

# Summary

Lazily initialised statics.

# Motivation

## Performance

Today every static is initialised at start, which costs 40 ms in large binaries.

## Non-goals

Thread-local statics; they keep their own macro.

# Guide-level explanation

Write `static X: Lazy<T>`.

# Reference-level explanation

## Non-goals

The roadmap keeps its focus.

It is worth listing some explicit non-goals, to set expectations:

- No new syntax.
- No change to `const` evaluation.

# Drawbacks

Non-goal #1 is not a drawback; this section lists drawbacks.

Drawback 1: every access checks an atomic flag.

This costs one load per access.

Drawback 2: initialisation order becomes implicit.

# Rationale and alternatives

Keep `lazy_static!`.

# Unresolved questions

Should `Lazy` be `Sync` by default?

This RFC does not strictly depend on this question being resolved.

Generic sub-range integers are out of scope for this RFC.
"""


def _items(
    tmp_path: Path, example: str, relative: str, text: str, prompt: Path
) -> list[tuple[str, str]]:
    source = tmp_path / "specs" / relative
    source.parent.mkdir(parents=True)
    source.write_text(text, encoding="utf-8")
    project = load_project(
        REPO / "examples" / example / "mkdocs.yml",
        cwd=tmp_path,
        specs_dir=tmp_path / "specs",
        prompt=prompt,
    )
    (spec,) = build(project.settings, set()).collection.specs
    return [(item.kind, item.text) for item in spec.items]


def test_questionnaire_answers_are_no_items_but_the_authors_own_section_is(
    tmp_path: Path,
) -> None:
    items = _items(
        tmp_path,
        "kep",
        "sig-node/2001-cache-warmers/README.md",
        KEP,
        REPO / "examples" / "kep" / "template.md",
    )
    assert items == [
        ("risk", "Warmers can overload the API server after a mass restart."),
        ("risk", "Blast radius: in beta the gate is on by default."),
        ("risk", "This adds one more controller to operate."),
        (
            "performance",
            "One warm-up LIST per node at start; at 5,000 nodes the LISTs spread over 60 s.",
        ),
        ("out_of_scope", "Persisting caches across reboots."),
        ("open_question", "Which API group does the warmer config live in?"),
    ]


def test_motivation_intro_numbered_paragraphs_and_rebuttals(tmp_path: Path) -> None:
    items = _items(
        tmp_path, "rfc", "0042-lazy-statics.md", RFC, REPO / "examples" / "rfc" / "template.md"
    )
    assert items == [
        ("risk", "Drawback 1: every access checks an atomic flag."),
        ("risk", "Drawback 2: initialisation order becomes implicit."),
        ("out_of_scope", "Thread-local statics; they keep their own macro."),
        ("out_of_scope", "No new syntax."),
        ("out_of_scope", "No change to const evaluation."),
        ("out_of_scope", "Generic sub-range integers are out of scope for this RFC."),
        ("open_question", "Should Lazy be Sync by default?"),
    ]


@pytest.mark.parametrize(
    ("text", "nothing"),
    [
        ("None outstanding that I know about.", True),
        ("Not currently aware of any other than the complexity of adding anything.", True),
        ("We are not aware of any.", True),
        ("I can't think of any drawbacks.", True),
        ("None that I know of.", True),
        ("Left-over buffers grow without bound.", False),
        ("Nonetheless the cache can be stale for a second.", False),
    ],
)
def test_nothing_statements(text: str, nothing: bool) -> None:
    assert is_none(text) is nothing


STUDY = """\
# Audit console

## 1. Executive Summary

One console for staff audit records.

## 3. Risks & Concerns

*Blockers, risks and performance considerations found during the study.*

### Blockers

- Staff SSO does not pass group membership yet.

### Risks

- Reason fields get filled with "x". (Medium)

## 4. Out of Scope

- Customer-facing audit views.
"""


def test_an_introduction_over_kind_sub_sections_is_no_item(tmp_path: Path) -> None:
    source = tmp_path / "specs" / "audit-console.md"
    source.parent.mkdir(parents=True)
    source.write_text(STUDY, encoding="utf-8")
    project = load_project(REPO / "mkdocs.yml", cwd=tmp_path, specs_dir=tmp_path / "specs")
    (spec,) = build(project.settings, set()).collection.specs
    assert [(item.kind, item.text, item.fields) for item in spec.items] == [
        ("blocker", "Staff SSO does not pass group membership yet.", {}),
        ("risk", 'Reason fields get filled with "x".', {"severity": "Medium"}),
        ("out_of_scope", "Customer-facing audit views.", {}),
    ]


def test_answers_to_the_templates_pointed_questions_and_pointers_are_no_items(
    tmp_path: Path,
) -> None:
    template = (REPO / "examples" / "kep" / "template.md").read_text("utf-8")
    template = template.replace(
        "What are the risks of this proposal, and how do we mitigate them?",
        "What are the risks of this proposal, and how do we mitigate them?\n"
        "How will security be reviewed, and by whom?",
    )
    prompt = tmp_path / "template.md"
    prompt.write_text(template, encoding="utf-8")
    text = KEP.replace(
        "- Warmers can overload the API server after a mass restart.\n",
        "- Warmers can overload the API server after a mass restart.\n"
        "- Security will be reviewed by SIG Auth before beta.\n"
        "- Same as the node shutdown KEP.\n"
        "- Warmers widen the security surface; a review by SIG Auth is planned.\n",
    )
    items = _items(tmp_path, "kep", "sig-node/2001-cache-warmers/README.md", text, prompt)
    assert [text for kind, text in items if kind == "risk"] == [
        "Warmers can overload the API server after a mass restart.",
        "Warmers widen the security surface; a review by SIG Auth is planned.",
        "Blast radius: in beta the gate is on by default.",
        "This adds one more controller to operate.",
    ]


def test_a_list_after_however_answers_the_drawback(tmp_path: Path) -> None:
    text = KEP.replace(
        "However, the controller is small and has no state.\n",
        "Other projects already warm caches. However:\n\n"
        "- they do not cover static pods\n- they need a daemon per node\n",
    )
    items = _items(
        tmp_path,
        "kep",
        "sig-node/2001-cache-warmers/README.md",
        text,
        REPO / "examples" / "kep" / "template.md",
    )
    assert [text for kind, text in items if kind == "risk"][-2:] == [
        "This adds one more controller to operate.",
        "Other projects already warm caches.",
    ]
