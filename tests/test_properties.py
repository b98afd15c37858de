"""Property-based tests of the pure core with Hypothesis.

1. Any text, and any Markdown-ish text built from the shapes specs use (headings,
   bold labels, lists, task lists, tables, fences, quotes, front matter), goes
   through front matter splitting, block parsing and extraction without an exception.
2. Every extracted item's text is plain text taken from one inline run of the
   source: a (whitespace-folded) suffix of the text of one paragraph, heading,
   list-item paragraph or table cell, computed independently from markdown-it's
   tokens with markup stripped (a label or a task box may cut a prefix off, never
   anything else).
3. ``crosslink.rewrite`` never changes a line inside fenced or indented code, and
   rewriting twice changes nothing.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token

from specsite.blocks import code_lines, parse_blocks
from specsite.config import load_config
from specsite.crosslink import rewrite
from specsite.extract import Extraction, Extractor
from specsite.frontmatter import split_front_matter
from specsite.plaintext import fold
from specsite.prompt import load_prompt

REPO = Path(__file__).resolve().parents[1]
CONFIG = load_config({}, REPO)
EXTRACTOR = Extractor(CONFIG, load_prompt(CONFIG))
# The same parser settings as specsite.blocks, built here so the oracle does not
# reuse specsite's own tree.
ORACLE_MD = MarkdownIt("commonmark", {"html": True}).enable("table")

SETTINGS = settings(
    max_examples=200,
    deadline=None,
    database=None,
    report_multiple_bugs=False,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def extract(text: str) -> Extraction:
    """The pipeline of collect.parse_spec, without the file system."""
    front = split_front_matter(text)
    blocks = parse_blocks(front.body)
    return EXTRACTOR.extract(blocks, front.body.split("\n"), front.body_line)


# -- a grammar of Markdown-ish specs ------------------------------------------------------

WORDS = [
    "alpha",
    "Beta",
    "risk",
    "the",
    "cache",
    "Resolved:",
    "Decision:",
    "None",
    "N/A",
    "TBD",
    "résumé",
    "Übersetzung",
    "日本語",
    "🚀",
    "x",
    "1.",
    "10x",
    "a_b",
    ":",
    "settings.rate_limits.plans",
    "ARCHITECTURE.md",
    "docs/WEBSOCKET-ARCHITECTURE.md",
    "&amp;",
    "\\*",
    "[x]",
    "[ ]",
    "|",
    "#",
    "-",
    "*",
    "(note)",
]
word = st.sampled_from(WORDS)


@st.composite
def atom(draw: st.DrawFn) -> str:
    w = draw(word)
    shape = draw(
        st.sampled_from(
            [
                "{w}",
                "{w}",
                "{w}",
                "**{w}**",
                "*{w}*",
                "_{w}_",
                "`{w}`",
                "[{w}](https://example.com/p)",
                "![{w}](i.png)",
                "<b>{w}</b>",
                "**{w}:**",
                "**{w}**:",
                "`{w}` `{w}`",
            ]
        )
    )
    return shape.format(w=w)


@st.composite
def inline(draw: st.DrawFn) -> str:
    parts = draw(st.lists(atom(), min_size=1, max_size=6))
    separators = draw(
        st.lists(
            st.sampled_from([" ", " ", "", "  ", "\t"]), min_size=len(parts), max_size=len(parts)
        )
    )
    return "".join(p + s for p, s in zip(parts, separators, strict=True)).rstrip("\n")


KIND_TITLES = [
    "Blockers",
    "Blocker",
    "Risks",
    "Risks & Concerns",
    "3. Risks and Concerns",
    "Risks & Mitigations",
    "Performance & Scalability",
    "3.3 Performance",
    "Out of Scope",
    "Out of Scope (Non-Goals)",
    "Non-Goals",
    "Open Questions",
    "5. Open Questions / Decisions Needed",
    "Executive Summary",
    "2. Proposed Solution — Approach A",
    "Recommendation",
    "Approach B",
]
LABELS = [
    "**Blockers:**",
    "**Blockers**:",
    "**Blockers**",
    "**Risks:**",
    "**Risks**",
    "**Performance & Scalability:**",
    "**Open Questions:**",
    "**Out of Scope**",
    "**Non-Goals:**",
    "**Note:**",
]
HEADERS = [
    "Category",
    "Description",
    "#",
    "ID",
    "Risk",
    "Item",
    "Question",
    "Status",
    "Owner",
    "Details",
    "Blocker",
    "",
]
CELLS = ["Blocker", "Risk", "Performance", "Resolved", "Open", "✅", "1", ""]


@st.composite
def heading(draw: st.DrawFn) -> str:
    title = draw(st.one_of(st.sampled_from(KIND_TITLES), inline()))
    return "#" * draw(st.integers(1, 4)) + " " + title


@st.composite
def label(draw: st.DrawFn) -> str:
    rest = draw(st.one_of(st.just(""), inline(), st.sampled_from(["None identified.", "N/A"])))
    return draw(st.sampled_from(LABELS)) + (" " + rest if rest else "")


@st.composite
def list_block(draw: st.DrawFn) -> str:
    marker = draw(st.sampled_from(["-", "*", "1.", "- [ ]", "- [x]", "* [X]"]))
    lines: list[str] = []
    for number in range(draw(st.integers(1, 4))):
        first = draw(st.one_of(inline(), label(), st.just("None")))
        this = marker.replace("1.", f"{number + 1}.")
        lines.append(f"{this} {first}")
        for _ in range(draw(st.integers(0, 2))):
            indent = " " * draw(st.sampled_from([2, 3, 4, 8]))
            child = draw(st.sampled_from(["- {t}", "{t}", "", "```", "Resolved: {t}", "| a | b |"]))
            lines.append(indent + child.format(t=draw(inline())) if child else "")
    return "\n".join(lines)


@st.composite
def table(draw: st.DrawFn) -> str:
    headers = draw(st.lists(st.sampled_from(HEADERS), min_size=1, max_size=4))
    rows = [
        "| "
        + " | ".join(
            draw(st.one_of(st.sampled_from(CELLS), inline())).replace("|", "/") for _ in headers
        )
        + " |"
        for _ in range(draw(st.integers(0, 3)))
    ]
    return "\n".join(["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers), *rows])


@st.composite
def fence(draw: st.DrawFn) -> str:
    mark = draw(st.sampled_from(["```", "~~~", "````"]))
    body = draw(st.lists(st.one_of(inline(), heading(), label()), max_size=3))
    closing = [mark] if draw(st.booleans()) else []
    return "\n".join([mark + draw(st.sampled_from(["", "python", "text"])), *body, *closing])


@st.composite
def block(draw: st.DrawFn) -> str:
    quoted: st.SearchStrategy[str] = st.one_of(inline(), list_block()).map(lambda t: "> " + t)
    text: str = draw(
        st.one_of(
            heading(),
            heading(),
            inline(),
            label(),
            list_block(),
            list_block(),
            table(),
            fence(),
            quoted,
            st.sampled_from(["None identified.", "N/A", "- None", "---", "<div>raw</div>"]),
        )
    )
    return text


YAML_VALUES = ["draft", '"quoted: value"', "[a, b]", "{k: v}", "", "- item", "'single'", "|"]


@st.composite
def front_matter(draw: st.DrawFn) -> str:
    lines = []
    for key in draw(
        st.lists(st.sampled_from(["title", "status", "date", "tags", "x"]), max_size=4)
    ):
        if key == "date":
            year, month, day = (
                draw(st.integers(1, 9999)),
                draw(st.integers(0, 19)),
                draw(st.integers(0, 39)),
            )
            value = f"{year:04d}-{month:02d}-{day:02d}"
        elif draw(st.integers(0, 4)) == 0:  # sometimes not valid YAML at all
            value = draw(st.one_of(st.sampled_from(YAML_VALUES), inline()))
        else:
            value = json.dumps(draw(inline()), ensure_ascii=False)
        lines.append(f"{key}: {value}")
    closing = ["---"] if draw(st.booleans()) else []
    return "\n".join(["---", *lines, *closing]) + "\n"


@st.composite
def markdown(draw: st.DrawFn) -> str:
    head = draw(st.one_of(st.just(""), front_matter()))
    blocks = draw(st.lists(block(), max_size=8))
    joins = draw(
        st.lists(
            st.sampled_from(["\n", "\n\n", "\n\n"]), min_size=len(blocks), max_size=len(blocks)
        )
    )
    return head + "".join(b + j for b, j in zip(blocks, joins, strict=True))


# -- 1. nothing raises ---------------------------------------------------------------------


def check_extracts(text: str) -> None:
    extraction = extract(text)
    for item in extraction.items:
        assert item.kind in {kind.key for kind in CONFIG.kinds}
        assert item.line >= 1


@SETTINGS
@given(st.text())
def test_any_text_is_extracted_without_error(text: str) -> None:
    check_extracts(text)


@SETTINGS
@given(markdown())
def test_any_markdownish_spec_is_extracted_without_error(text: str) -> None:
    check_extracts(text)


# -- 2. item text is plain text of one inline run ------------------------------------------


def oracle_text(children: list[Token]) -> str:
    """Text of inline tokens: text and code as written, breaks as spaces, images by their
    alt text; emphasis, link syntax and raw HTML tags dropped."""
    parts: list[str] = []
    for token in children:
        if token.type in ("text", "code_inline"):
            parts.append(token.content)
        elif token.type in ("softbreak", "hardbreak"):
            parts.append("\n")
        elif token.type == "image":
            parts.append(oracle_text(list(token.children or [])))
    return "".join(parts)


def inline_runs(body: str) -> list[str]:
    """The folded plain text of every inline run (paragraph, heading, cell) of the body."""
    return [
        fold(oracle_text(list(t.children or [])))
        for t in ORACLE_MD.parse(body)
        if t.type == "inline"
    ]


def check_item_texts(text: str) -> None:
    extraction = extract(text)
    runs = inline_runs(split_front_matter(text).body)
    for item in extraction.items:
        assert item.text, item
        assert item.text == fold(item.text)
        # one run's text, less a lead label and a severity marker or inline mitigation
        # that became fields (itemwalk): a contiguous part of one run
        assert any(item.text in run for run in runs), (item.text, runs)


@SETTINGS
@given(markdown())
def test_item_text_is_plain_text_of_one_inline_run(text: str) -> None:
    check_item_texts(text)


# -- 3. cross-links ------------------------------------------------------------------------

TARGETS = {
    "ARCHITECTURE.md": "../../reference/ARCHITECTURE.md",
    "WEBSOCKET-ARCHITECTURE.md": "../../reference/WEBSOCKET-ARCHITECTURE.md",
    "guide.md": "https://example.com/guide.md",
    "a.md": "../a.md",
}


def resolve(name: str) -> str | None:
    return TARGETS.get(name)


LINK_PIECES = [
    "ARCHITECTURE.md",
    "docs/ARCHITECTURE.md",
    "WEBSOCKET-ARCHITECTURE.md",
    "guide.md",
    "a.md",
    "a.md.md",
    "b.md",
    "README.md",
    "`ARCHITECTURE.md`",
    "`docs/a.md`",
    "[ARCHITECTURE.md](ARCHITECTURE.md)",
    "[see](docs/a.md#part)",
    '[x](guide.md "t")',
    '<a href="a.md">',
    "[",
    "]",
    "(",
    ")",
    "`",
    " ",
    " ",
    "x",
    "/",
    ".",
    "-",
    "#",
    "!",
    "https://example.com/a.md",
    "settings.a.md_b",
]


@st.composite
def link_line(draw: st.DrawFn) -> str:
    return "".join(draw(st.lists(st.sampled_from(LINK_PIECES), max_size=8)))


@st.composite
def link_doc(draw: st.DrawFn) -> str:
    lines: list[str] = []
    for _ in range(draw(st.integers(0, 10))):
        kind = draw(st.sampled_from(["prose", "prose", "fence", "indented", "list", "quote"]))
        if kind == "fence":
            mark = draw(st.sampled_from(["```", "~~~"]))
            lines += [mark, *draw(st.lists(link_line(), max_size=3))]
            if draw(st.booleans()):
                lines.append(mark)
        elif kind == "indented":
            lines += ["", "    " + draw(link_line()), ""]
        elif kind == "list":
            lines += ["- " + draw(link_line()), "  ```", "  " + draw(link_line()), "  ```"]
        elif kind == "quote":
            lines += ["> ```", "> " + draw(link_line()), "> ```"]
        else:
            lines.append(draw(link_line()))
    return "\n".join(lines)


def fenced_lines(text: str) -> set[int]:
    """Lines of fenced and indented code at any depth, straight from markdown-it."""
    lines: set[int] = set()
    for token in ORACLE_MD.parse(text):
        if token.type in ("fence", "code_block") and token.map:
            lines.update(range(token.map[0], token.map[1]))
    return lines


def check_rewrite(text: str) -> None:
    skip = code_lines(parse_blocks(text))
    once = rewrite(text, skip, resolve)
    before, after = text.split("\n"), once.split("\n")
    assert len(after) == len(before)
    for number in fenced_lines(text):
        if number < len(before):
            assert after[number] == before[number], number
    assert code_lines(parse_blocks(once)) == skip
    assert rewrite(once, skip, resolve) == once


@SETTINGS
@given(st.one_of(link_doc(), st.text()))
@example("[]ARCHITECTURE.md")  # '[][NAME](url)': the inline link wins over '[text][label]'
def test_rewrite_keeps_code_and_is_idempotent(text: str) -> None:
    check_rewrite(text)


# -- counterexamples, pinned so they fail (or pass) deterministically ----------------------

CHECKS = {"extracts": check_extracts, "item_texts": check_item_texts, "rewrite": check_rewrite}


@pytest.mark.parametrize(
    ("check", "text"),
    [
        pytest.param("extracts", "---\ntitle: x\n", id="unclosed-front-matter"),
        pytest.param(
            "extracts",
            "---\ndate: 2026-02-30\n---\n# Title\n",
            id="impossible-date-in-front-matter",
        ),
        pytest.param("extracts", "---\nx: " + "[" * 1000 + "\n---\n", id="deeply-nested-yaml"),
        pytest.param(
            "item_texts",
            "- **Risks:** [Redis](https://example.com) `SCAN` blocks the server.\n",
            id="label-rest-link-space-code",
        ),
        pytest.param(
            "item_texts",
            "## Risks\n\n**Performance:** `orjson` `ujson` are fast.\n",
            id="label-rest-code-space-code",
        ),
        pytest.param("item_texts", "### Risks\n\n**` `**\n", id="bold-lead-in-without-text"),
        pytest.param(
            "item_texts",
            "### Risks\n\n- [x] **Cache** `stampede` on deploy\n",
            id="task-box-and-markup",
        ),
        pytest.param(
            "rewrite", "```\nsee ARCHITECTURE.md\n```\nARCHITECTURE.md", id="fence-then-prose"
        ),
        pytest.param(
            "rewrite",
            "See [the guide](docs/ARCHITECTURE.md for details.",
            id="link-missing-closing-paren",
        ),
    ],
)
def test_known_counterexamples(check: str, text: str) -> None:
    CHECKS[check](text)
