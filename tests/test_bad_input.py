"""Bad input: every way a collection can be broken, each built into a real site.

Every case is a small collection (the broken file plus a valid companion spec)
built on its own with ``--strict``, so that the exit code belongs to that case
alone. The builds run once per module, in parallel, and the assertions are
parametrized over them: no traceback, a located message, the file in the
catalog and in ``specs.json`` (or in the build report when it cannot be read),
and ``--strict`` failing exactly where the user must act.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import urllib.parse
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import pytest
from bs4 import BeautifulSoup, Tag

from tests.conftest import (
    PROMPT,
    Site,
    pagefind_unordered,
    run_build,
    write_files,
    write_project,
)

# -- the valid spec every case starts from ----------------------------------------

PARTS: dict[str, str] = {
    "summary": "Users need a small feature; we add one endpoint to an existing module.",
    "solution": "The alerts module gains one REST endpoint backed by a PostgreSQL table.",
    "blockers": "- Confirm that the queue library supports delayed delivery.",
    "risks": "- A burst of requests could overload the database pool.",
    "performance": "- Ten times the load needs a second worker process.",
    "out_of_scope": "- Mobile push notifications are not part of this work.",
    "questions": "- Should the retention period be configurable per user?",
    "recommendation": "Ship the single endpoint first and measure the load before scaling out.",
}

BODY = """\
## 1. Executive Summary

{summary}

## 2. Proposed Solution / Implementation Details

{solution}

## 3. Risks & Concerns

**Blockers:**

{blockers}

**Risks:**

{risks}

**Performance & Scalability:**

{performance}

## 4. Out of Scope

{out_of_scope}

## 5. Open Questions

{questions}

## 6. Recommendation (if multiple approaches)

{recommendation}
"""

KINDS = ("blocker", "risk", "performance", "out_of_scope", "open_question")


def spec_text(title: str, *, front: str | None = None, h1: bool = True, **parts: str) -> str:
    """A spec with all six sections of the prompt and one item of every kind.

    ``front`` replaces the front matter lines (without the ``---`` fences);
    ``parts`` replaces sections' content by their key in ``PARTS``.
    """
    if front is None:
        front = f"title: {json.dumps(title)}\nstatus: draft\nowner: tester\n"
    head = f"---\n{front}---\n\n"
    heading = f"# {title}\n\n" if h1 else ""
    return head + heading + BODY.format(**{**PARTS, **parts})


def line_of(text: str, needle: str) -> int:
    """The 1-based line of ``text`` holding ``needle``."""
    return next(n for n, line in enumerate(text.split("\n"), 1) if needle in line)


def crlf(text: str) -> str:
    return text.replace("\n", "\r\n")


COMPANION = "companion.md"
COMPANION_TEXT = spec_text("Companion Spec")

# -- the cases ----------------------------------------------------------------------

Writer = Callable[[Path, Path], None]  # (specs folder, case folder) -> None
Where = Literal["catalog", "report", "prompt"]


def files(content: dict[str, str | bytes]) -> Writer:
    def write(specs: Path, _root: Path) -> None:
        write_files(specs, content)

    return write


@dataclass(frozen=True)
class Case:
    """One broken (or merely unusual) input and what the site must make of it."""

    name: str
    write: Writer
    target: str  # the file the message is about, relative to the specs (or case) folder
    code: str | None = None  # the problem code expected for ``target``; None: no problem
    line: int | None = None  # the line the message must name, where it is known
    strict_ok: bool | None = None  # the --strict outcome; None where the brief leaves it open
    where: Where = "catalog"  # where the file must show up: catalog+export, report, prompt
    project: bool = False  # build a stand-alone project with the specs inside it
    prompt: str | None = None  # prompt text ("" = no prompt file at all)
    extra: dict[str, Any] = field(default_factory=dict)


UNCLOSED_QUOTE = spec_text(
    "Unclosed Quote", front='title: Unclosed Quote\nstatus: draft\nowner: "tester\n'
)
LIST_FRONT = spec_text("List Front Matter", front="- title\n- status\n")
TABS_FRONT = spec_text("Tabs", front="title: Tabs\nstatus: draft\ntags:\n\t- alerts\n")
UNCLOSED_FRONT = spec_text("Never Closed").replace("---\n\n# Never Closed", "\n# Never Closed", 1)
LATIN1 = spec_text("Latin One", risks="- Café menu prices could overload the database pool.")
MISSING_REF = spec_text(
    "Missing Reference",
    summary="Users need a small feature; the design follows NONEXISTENT.md closely.",
    solution="See [the missing design](NONEXISTENT.md) for the data flow.",
)
BINARY = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 64

NAMES = {
    "with space.md": "Name With Space",
    "ünïcødé.md": "Name Unicode",
    "hash#tag.md": "Name Hash",
    "what?.md": "Name Question",
}

BIG_PARAGRAPH = (
    "The stream keeps a bounded buffer per symbol and drops the oldest frames first. " * 10
).strip()
BIG_SIZE = 10 * 1024 * 1024
BIG = spec_text(
    "Big Spec",
    solution="\n\n".join([BIG_PARAGRAPH] * (BIG_SIZE // len(BIG_PARAGRAPH) + 1))
    + "\n\nEND-OF-BIG-SPEC marker paragraph.",
)

MANY_COUNT = 10_000
MANY = spec_text(
    "Many Items",
    risks="\n".join(f"- Risk number {i} could overload the pool." for i in range(MANY_COUNT)),
)

DEPTH = 60
DEEP = spec_text(
    "Deep Nesting",
    risks="\n".join("    " * level + f"- level {level} detail" for level in range(DEPTH)),
)

ESCAPE_TITLE = 'Escaping <script>alert("title")</script> {{ 7*7 }} {% if true %}yes{% endif %}'
ESCAPING = spec_text(
    ESCAPE_TITLE,
    h1=False,
    front=(
        f"title: {json.dumps(ESCAPE_TITLE)}\nstatus: draft\nowner: '<img src=x onerror=alert(3)>'\n"
    ),
    risks=(
        '- Injection: <script>alert("risk")</script> and raw <b>bold</b> '
        "<img src=/x onerror=alert(2)> in a risk.\n"
        "- Template text {{ 7*7 }} and {% if true %}yes{% endif %} must stay literal.\n"
        "- A plain pipe a | b in list text."
    ),
    performance=(
        "| Risk | Impact |\n|---|---|\n"
        "| Cell with a \\| pipe inside | High |\n"
        '| Cell {{ 7*7 }} <script>alert("cell")</script> | Low |'
    ),
    questions='- Should <script>alert("q")</script> be allowed? {{ 7*7 }} | {% raw %}x{% endraw %}',
)

NO_OUTPUT_PROMPT = """\
---
name: "bare"
---

# A prompt without an output section

Write a technical specification about the feature you are given.

## Notes

Keep it short and concrete.
"""

SECRET = "TOP-SECRET-CONTENT-OUTSIDE-THE-PROJECT"


def write_symlink_outside(specs: Path, root: Path) -> None:
    secret = root / "secret.md"
    secret.write_text(spec_text("Secret", summary=SECRET), encoding="utf-8")
    specs.mkdir(parents=True, exist_ok=True)
    (specs / "outside.md").symlink_to(secret)


def write_symlink_loop(specs: Path, _root: Path) -> None:
    specs.mkdir(parents=True, exist_ok=True)
    (specs / "loop-a.md").symlink_to("loop-b.md")
    (specs / "loop-b.md").symlink_to("loop-a.md")
    (specs / "again").symlink_to(".", target_is_directory=True)  # a folder that contains itself


CASES = [
    Case("baseline", files({"spec.md": spec_text("Line Endings")}), "spec.md", strict_ok=True),
    # front matter
    Case(
        "fm-unclosed-quote",
        files({"unclosed-quote.md": UNCLOSED_QUOTE}),
        "unclosed-quote.md",
        "front-matter-invalid",
        line_of(UNCLOSED_QUOTE, 'owner: "tester'),
        strict_ok=False,
    ),
    Case(
        "fm-list",
        files({"list-front.md": LIST_FRONT}),
        "list-front.md",
        "front-matter-not-mapping",
        2,
        strict_ok=False,
    ),
    Case(
        "fm-tabs",
        files({"tabs.md": TABS_FRONT}),
        "tabs.md",
        "front-matter-invalid",
        line_of(TABS_FRONT, "\t- alerts"),
        strict_ok=False,
    ),
    Case(
        "fm-unclosed-block",
        files({"never-closed.md": UNCLOSED_FRONT}),
        "never-closed.md",
        "front-matter-unclosed",
        1,
        strict_ok=False,
    ),
    # encodings and empty files
    Case(
        "latin1",
        files({"latin1.md": LATIN1.encode("latin-1")}),
        "latin1.md",
        "not-utf8",
        line_of(LATIN1, "Café"),
        strict_ok=False,
    ),
    Case(
        "binary",
        files({"binary.md": BINARY}),
        "binary.md",
        "binary-file",
        strict_ok=False,
        where="report",
    ),
    Case("empty", files({"empty.md": ""}), "empty.md", "empty-file", strict_ok=False),
    Case(
        "whitespace",
        files({"whitespace.md": "  \n\t\n   \r\n"}),
        "whitespace.md",
        "empty-file",
        strict_ok=False,
    ),
    Case(
        "bom",
        files({"spec.md": b"\xef\xbb\xbf" + spec_text("Line Endings").encode()}),
        "spec.md",
        strict_ok=True,
    ),
    Case(
        "crlf",
        files({"spec.md": crlf(spec_text("Line Endings")).encode()}),
        "spec.md",
        strict_ok=True,
    ),
    Case(
        "bom-crlf",
        files({"spec.md": b"\xef\xbb\xbf" + crlf(spec_text("Line Endings")).encode()}),
        "spec.md",
        strict_ok=True,
    ),
    # references
    Case(
        "missing-ref",
        files({"missing-ref.md": MISSING_REF}),
        "missing-ref.md",
        "reference-missing",
        line_of(MISSING_REF, "follows NONEXISTENT.md"),
        strict_ok=False,
        extra={"link_line": line_of(MISSING_REF, "(NONEXISTENT.md)")},
    ),
    Case(
        "missing-ref-crlf",
        files({"missing-ref.md": crlf(MISSING_REF).encode()}),
        "missing-ref.md",
        "reference-missing",
        line_of(MISSING_REF, "follows NONEXISTENT.md"),
        strict_ok=False,
    ),
    # names
    Case(
        "duplicate-title",
        files({"dup-a.md": spec_text("Same Title"), "dup-b.md": spec_text("Same Title")}),
        "dup-a.md",
        "duplicate-title",
        strict_ok=False,
    ),
    Case(
        "case-collision",
        files({"Foo.md": spec_text("Foo Upper"), "foo.md": spec_text("Foo Lower")}),
        "foo.md",
        "slug-collision",
        strict_ok=False,
    ),
    Case(
        "names",
        files({name: spec_text(title) for name, title in NAMES.items()}),
        "with space.md",
        strict_ok=True,
    ),
    # symbolic links, inside a stand-alone project so that "outside" has a meaning
    Case(
        "symlink-outside",
        write_symlink_outside,
        "outside.md",
        "symlink-outside",
        strict_ok=False,
        where="report",
        project=True,
    ),
    Case(
        "symlink-loop",
        write_symlink_loop,
        "loop-a.md",
        "symlink-broken",
        where="report",
        project=True,
    ),
    # the prompt
    Case(
        "missing-prompt",
        files({}),
        "nowhere/study.md",
        "file-missing",
        strict_ok=False,
        where="prompt",
        prompt="",
    ),
    Case(
        "prompt-no-output",
        files({}),
        "prompt.md",
        "prompt-no-output-section",
        strict_ok=False,
        where="prompt",
        prompt=NO_OUTPUT_PROMPT,
    ),
    # size and shape
    Case("big", files({"big.md": BIG}), "big.md", strict_ok=True),
    Case("many", files({"many.md": MANY}), "many.md", strict_ok=True),
    Case("deep", files({"deep.md": DEEP}), "deep.md", strict_ok=True),
    # text that must not become markup
    Case("escaping", files({"escaping.md": ESCAPING}), "escaping.md", strict_ok=True),
]
BY_NAME = {case.name: case for case in CASES}


@dataclass
class Built:
    case: Case
    site: Site
    specs: Path  # the collection folder


def build_case(case: Case, root: Path) -> Built:
    root.mkdir(parents=True)
    kwargs: dict[str, Any] = {}
    if case.prompt == "":
        kwargs["prompt"] = root / "nowhere" / "study.md"
    elif case.prompt is not None:
        kwargs["prompt"] = root / "prompt.md"
        kwargs["prompt"].write_text(case.prompt, encoding="utf-8")
    if case.project:
        project = root / "project"
        specs = project / "specs"
        settings = {"specs_dir": "specs", "prompt": str(kwargs.get("prompt", PROMPT))}
        kwargs = {"config_file": write_project(project, specsite=settings)}
        out = project / "site"
    else:
        specs = root / "specs"
        kwargs["specs_dir"] = specs
        out = root / "site"
    write_files(specs, {COMPANION: COMPANION_TEXT})
    case.write(specs, root)
    return Built(case, run_build(out, **kwargs), specs)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Built]:
    """Every case built once, several at a time (each build is its own process)."""
    base = tmp_path_factory.mktemp("bad-input")
    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        done = pool.map(lambda case: build_case(case, base / case.name), CASES)
        return {b.case.name: b for b in done}


def cases(predicate: Callable[[Case], bool]) -> list[Any]:
    return [pytest.param(c.name, id=c.name) for c in CASES if predicate(c)]


# -- reading the built site -----------------------------------------------------------


def article(site: Site, page: str) -> Tag:
    found = site.html(page).find("article")
    assert isinstance(found, Tag), f"{page} has no <article>"
    return found


def table_rows(table: Tag) -> list[list[Tag]]:
    """The cells of every body row of ``table``."""
    return [
        [c for c in tr.find_all("td") if isinstance(c, Tag)]
        for tr in table.find_all("tr")
        if isinstance(tr, Tag) and tr.find("td") is not None
    ]


def rows(container: Tag) -> list[list[Tag]]:
    """The body rows of every table in ``container``."""
    return [
        row
        for table in container.find_all("table")
        if isinstance(table, Tag)
        for row in table_rows(table)
    ]


def catalog_rows(site: Site) -> list[list[Tag]]:
    """Rows of the catalog table of the home page (the table whose header ends 'Problems')."""
    for table in article(site, "").find_all("table"):
        assert isinstance(table, Tag)
        headers = [th.get_text(strip=True) for th in table.find_all("th")]
        if headers and headers[0] == "Spec" and headers[-1] == "Problems":
            for line in table.select(".specsite-rec"):  # a recommendation under the title
                line.decompose()
            return table_rows(table)
    raise AssertionError("no catalog table on the home page")


def href_of(cell: Tag) -> str:
    anchor = cell.find("a")
    assert isinstance(anchor, Tag), cell
    return str(anchor["href"])


def resolve(site: Site, page: str, href: str) -> Path:
    """The file a relative link on ``page`` ('' = home, 'risks/' ...) opens."""
    target = Path(os.path.normpath(site.root / page / urllib.parse.unquote(href.split("#")[0])))
    return target / "index.html" if target.is_dir() else target


def report_row(site: Site, source_suffix: str) -> str:
    """The build report's row for one input, as text."""
    found = [
        " | ".join(cell.get_text(" ", strip=True) for cell in row)
        for row in rows(article(site, "build-report/"))
        if row and row[0].get_text(strip=True).endswith("/" + source_suffix)
    ]
    assert len(found) == 1, f"build report rows for {source_suffix}: {found}"
    return found[0]


def message_pattern(target: str, line: int | None, code: str) -> re.Pattern[str]:
    """A hook message as ``_report`` logs ``Problem.located``: 'path:line: message [code]'."""
    where = re.escape(target) + ("" if line is None else f":{line}")
    return re.compile(
        rf"^(?:WARNING|INFO)\s+-\s+specsite: (?:[^\n]*/)?{where}: [^\n]+ \[{re.escape(code)}\]$",
        re.MULTILINE,
    )


def specsite_lines(site: Site) -> str:
    return "\n".join(line for line in site.output.splitlines() if "specsite:" in line)


def problems_of(entry: dict[str, Any]) -> list[tuple[str, int | None]]:
    return [(p["code"], p["line"]) for p in entry["problems"]]


# -- every case ----------------------------------------------------------------------


@pytest.mark.parametrize("name", cases(lambda c: True))
def test_build_does_not_crash(built: dict[str, Built], name: str) -> None:
    site = built[name].site
    assert "Traceback" not in site.output, site.output
    assert not re.search(r"^ERROR\b", site.output, re.MULTILINE), site.output
    for page in ("index.html", "build-report/index.html", "specs.json"):
        assert (site.root / page).is_file(), f"{page} missing:\n{site.output}"


@pytest.mark.parametrize("name", cases(lambda c: c.strict_ok is not None))
def test_strict_fails_only_where_the_user_must_act(built: dict[str, Built], name: str) -> None:
    case, site = built[name].case, built[name].site
    assert site.ok is case.strict_ok, (
        f"--strict exit {site.returncode}, expected {'0' if case.strict_ok else 'nonzero'}:\n"
        + site.output
    )


@pytest.mark.parametrize("name", cases(lambda c: c.code is not None))
def test_message_names_the_file_and_line(built: dict[str, Built], name: str) -> None:
    case, site = built[name].case, built[name].site
    assert case.code is not None
    pattern = message_pattern(case.target, case.line, case.code)
    assert pattern.search(site.output), (
        f"expected a message like '.../{case.target}"
        f"{'' if case.line is None else f':{case.line}'}: ... [{case.code}]', got:\n"
        + specsite_lines(site)
    )
    if case.where == "catalog":  # the export carries the same location
        entry = site.spec("/" + case.target)
        assert (case.code, case.line) in problems_of(entry), entry["problems"]


@pytest.mark.parametrize("name", cases(lambda c: c.where == "catalog"))
def test_spec_is_in_the_catalog_and_the_export_with_its_problems(
    built: dict[str, Built], name: str
) -> None:
    case, site = built[name].case, built[name].site
    entry = site.spec("/" + case.target)
    if case.code is None:
        assert entry["problems"] == [], entry["problems"]
    else:
        assert case.code in [code for code, _ in problems_of(entry)], entry["problems"]
    row = next((r for r in catalog_rows(site) if href_of(r[0]) == entry["url"]), None)
    assert row is not None, f"no catalog row links to {entry['url']}"
    assert row[0].get_text(strip=True) == entry["title"]
    assert resolve(site, "", href_of(row[0])).is_file(), href_of(row[0])
    counted = len([p for p in entry["problems"] if p["severity"] != "info"])
    assert row[-1].get_text(strip=True) == str(counted)


@pytest.mark.parametrize("name", cases(lambda c: c.where == "report"))
def test_unreadable_file_is_in_the_build_report(built: dict[str, Built], name: str) -> None:
    case, site = built[name].case, built[name].site
    assert f"({case.code})" in report_row(site, case.target)


@pytest.mark.parametrize("name", cases(lambda c: c.where == "prompt"))
def test_prompt_problem_is_in_the_build_report(built: dict[str, Built], name: str) -> None:
    case, site = built[name].case, built[name].site
    text = article(site, "build-report/").get_text(" ", strip=True)
    assert f"({case.code})" in text and case.target in text, text[:2000]
    # the specs are still published and indexed by the configured kinds
    assert [i["kind"] for i in site.spec("/" + COMPANION)["items"]] == list(KINDS)
    assert (site.root / "prompt" / "index.html").is_file()


@pytest.mark.parametrize("name", cases(lambda c: True))
def test_build_report_lists_every_input(built: dict[str, Built], name: str) -> None:
    """Every file (and linked folder) of the collection has a row saying what became of it."""
    case, site, specs = built[name].case, built[name].site, built[name].specs
    inputs: list[str] = []
    for folder, dirs, names in os.walk(specs):
        here = Path(folder)
        inputs += [
            (here / d).relative_to(specs).as_posix() for d in dirs if (here / d).is_symlink()
        ]
        inputs += [(here / n).relative_to(specs).as_posix() for n in names]
    for relative in inputs:
        row = report_row(site, relative)
        if relative == case.target and case.code is not None:
            assert f"({case.code})" in row, row


@pytest.mark.parametrize("name", cases(lambda c: True))
def test_companion_spec_is_unaffected(built: dict[str, Built], name: str) -> None:
    entry = built[name].site.spec("/" + COMPANION)
    assert entry["problems"] == []
    assert [i["kind"] for i in entry["items"]] == list(KINDS)


# -- encodings and line endings --------------------------------------------------------


@pytest.mark.parametrize("name", ["bom", "crlf", "bom-crlf"])
def test_bom_and_crlf_give_the_same_spec_as_plain_utf8(built: dict[str, Built], name: str) -> None:
    def comparable(site: Site) -> dict[str, Any]:
        return {k: v for k, v in site.spec("/spec.md").items() if k != "source"}

    assert comparable(built[name].site) == comparable(built["baseline"].site)


def test_missing_reference_lines_are_the_same_with_crlf(built: dict[str, Built]) -> None:
    lf = problems_of(built["missing-ref"].site.spec("/missing-ref.md"))
    assert lf == problems_of(built["missing-ref-crlf"].site.spec("/missing-ref.md"))
    link_line = BY_NAME["missing-ref"].extra["link_line"]
    assert ("reference-missing", link_line) in lf


def test_latin1_text_is_read_as_latin1(built: dict[str, Built]) -> None:
    site = built["latin1"].site
    assert "Café menu prices could overload the database pool." in site.items("/latin1.md", "risk")
    assert "Café menu" in article(site, "risks/").get_text()


# -- names -----------------------------------------------------------------------------


def test_duplicate_titles_are_flagged_on_both_files(built: dict[str, Built]) -> None:
    site = built["duplicate-title"].site
    a, b = site.spec("/dup-a.md"), site.spec("/dup-b.md")
    assert a["url"] != b["url"]
    assert ("duplicate-title", None) in problems_of(b)
    assert message_pattern("dup-b.md", None, "duplicate-title").search(site.output)
    assert "dup-a.md" in next(p["message"] for p in b["problems"])
    titled = [r for r in catalog_rows(site) if r[0].get_text(strip=True) == "Same Title"]
    assert sorted(href_of(r[0]) for r in titled) == sorted([a["url"], b["url"]])


def test_names_differing_only_in_case_get_two_pages(built: dict[str, Built]) -> None:
    specs = built["case-collision"].specs
    if len({p.name for p in specs.iterdir()}) < 3:
        pytest.skip("case-insensitive file system: Foo.md and foo.md are one file")
    site = built["case-collision"].site
    upper, lower = site.spec("/Foo.md"), site.spec("/foo.md")
    assert (upper["title"], lower["title"]) == ("Foo Upper", "Foo Lower")
    assert upper["url"] != lower["url"]
    for entry in (upper, lower):
        page = site.html(entry["url"])
        assert entry["title"] in page.get_text(), entry["url"]
    assert "Foo.md" in next(p["message"] for p in lower["problems"])


@pytest.mark.parametrize("file_name", list(NAMES))
def test_names_with_spaces_unicode_hash_and_question_mark(
    built: dict[str, Built], file_name: str
) -> None:
    site = built["names"].site
    entry = site.spec("/" + file_name)
    assert entry["title"] == NAMES[file_name] and entry["problems"] == []
    assert not re.search(r"[ #?]", entry["url"]), entry["url"]
    row = next(r for r in catalog_rows(site) if r[0].get_text(strip=True) == NAMES[file_name])
    page = resolve(site, "", href_of(row[0]))
    assert page.is_file(), href_of(row[0])
    h1 = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").find("h1")
    assert isinstance(h1, Tag) and NAMES[file_name] in h1.get_text()
    # item links from the indexes reach the same page
    risk = next(i for i in entry["items"] if i["kind"] == "risk")
    links = [
        href_of(r[2])
        for r in rows(article(site, "risks/"))
        if len(r) in (3, 5)
        and r[2].find("a") is not None
        and r[0].get_text(strip=True) == NAMES[file_name]
    ]
    assert len(links) == 3  # the blocker, the risk and the performance item
    assert {resolve(site, "risks/", h) for h in links} == {page}
    assert any(h.endswith("#" + risk["id"]) for h in links)


# -- symbolic links ---------------------------------------------------------------------


def test_symlink_outside_the_project_is_not_published(built: dict[str, Built]) -> None:
    site = built["symlink-outside"].site
    assert all(not s["source"].endswith("outside.md") for s in site.export()["specs"])
    leaked = [
        p.relative_to(site.root).as_posix()
        for p in site.root.rglob("*")
        if p.is_file() and SECRET.encode() in p.read_bytes()
    ]
    assert leaked == []


def test_symlink_loops_are_reported_and_skipped(built: dict[str, Built]) -> None:
    site = built["symlink-loop"].site
    assert "(symlink-broken)" in report_row(site, "loop-b.md")
    assert "(symlink-folder)" in report_row(site, "again")
    sources = [s["source"] for s in site.export()["specs"]]
    assert sources == ["specs/" + COMPANION]


# -- the prompt ------------------------------------------------------------------------


def test_prompt_without_output_section_is_explained(built: dict[str, Built]) -> None:
    site = built["prompt-no-output"].site
    assert site.export()["prompt"]["sections"] == []
    assert "has no output sections" in article(site, "prompt/").get_text()


# -- size and shape --------------------------------------------------------------------


def test_ten_megabyte_spec(built: dict[str, Built]) -> None:
    site = built["big"].site
    assert len(BIG.encode()) >= BIG_SIZE
    assert [i["kind"] for i in site.spec("/big.md")["items"]] == list(KINDS)
    page = (site.root / "specs" / "big" / "index.html").read_bytes()
    assert b"END-OF-BIG-SPEC" in page


def test_ten_thousand_items(built: dict[str, Built]) -> None:
    site = built["many"].site
    risks = [i for i in site.spec("/many.md")["items"] if i["kind"] == "risk"]
    assert len(risks) == MANY_COUNT
    assert len({i["id"] for i in risks}) == MANY_COUNT
    assert risks[-1]["text"] == f"Risk number {MANY_COUNT - 1} could overload the pool."
    assert risks[-1]["line"] == line_of(MANY, f"Risk number {MANY_COUNT - 1} ")
    # the register is paginated (a spec is never split): count over every page
    pages = [
        site.root / "risks" / "index.html",
        *sorted((site.root / "risks").glob("*/index.html")),
    ]
    html = [page.read_text(encoding="utf-8") for page in pages]
    links = sum(len(re.findall(r'href="(?:\.\./)+specs/many/#risk-\d+"', text)) for text in html)
    assert links == MANY_COUNT
    counted = sum(int(n) for text in html for n in re.findall(r"<h2[^>]*>Risks \((\d+)\)", text))
    assert counted == MANY_COUNT + 1  # and the companion's risk
    row = next(r for r in catalog_rows(site) if r[0].get_text(strip=True) == "Many Items")
    counts = [c.get_text(strip=True) for c in row[5:11]]  # after Date and Updated
    assert counts == ["1", str(MANY_COUNT), "1", "1", "1", "0"]


def test_deeply_nested_list(built: dict[str, Built]) -> None:
    site = built["deep"].site
    entry = site.spec("/deep.md")
    assert entry["problems"] == [], entry["problems"]
    assert [i["kind"] for i in entry["items"]] == list(KINDS)
    assert site.items("/deep.md", "risk") == ["level 0 detail"]
    page = (site.root / "specs" / "deep" / "index.html").read_text(encoding="utf-8")
    assert f"level {DEPTH - 1} detail" in page


# -- text that must not become markup ----------------------------------------------------

INDEX_PAGES = ["", "risks/", "open-questions/", "build-report/", "conformance/", "references/"]


@pytest.mark.parametrize("page", INDEX_PAGES)
def test_spec_text_makes_no_elements_in_generated_pages(built: dict[str, Built], page: str) -> None:
    body = article(built["escaping"].site, page)
    made = [str(t)[:80] for t in body.find_all(["script", "img", "b", "style", "iframe"])]
    assert made == []
    text = body.get_text()
    assert "49" not in text
    if page != "references/":
        assert ESCAPE_TITLE in text


def test_index_rows_show_item_text_literally(built: dict[str, Built]) -> None:
    site = built["escaping"].site
    entry = site.spec("/escaping.md")
    shown: dict[str, str] = {}
    for page in ("risks/", "open-questions/"):
        for row in rows(article(site, page)):
            if len(row) in (3, 5) and row[2].find("a") is not None:
                shown[href_of(row[2]).rsplit("#", 1)[1]] = row[2].get_text(strip=True)
    expected = {
        i["id"]: i["text"]
        for i in entry["items"]
        if i["kind"] in ("blocker", "risk", "performance", "open_question")
    }
    assert shown == expected
    texts = list(expected.values())
    assert "Template text {{ 7*7 }} and {% if true %}yes{% endif %} must stay literal." in texts
    assert "Cell with a | pipe inside" in texts
    assert "A plain pipe a | b in list text." in texts
    assert any("{% raw %}x{% endraw %}" in t for t in texts)


def test_catalog_shows_title_and_owner_literally(built: dict[str, Built]) -> None:
    site = built["escaping"].site
    row = next(r for r in catalog_rows(site) if r[0].get_text(strip=True) == ESCAPE_TITLE)
    assert row[2].get_text(strip=True) == "<img src=x onerror=alert(3)>"
    assert len(row) == 11
    assert "jinja" not in site.output.lower()


def test_spec_page_title_makes_no_script(built: dict[str, Built]) -> None:
    """The title specsite writes into the spec page's metadata ends up in the theme's header."""
    soup = built["escaping"].site.html("specs/escaping/")
    scripts = [
        str(s)[:80]
        for s in soup.find_all("script")
        if 'alert("title")' in s.get_text() and s.find_parent("title") is None
    ]
    assert scripts == []
    # ... and the title still reads as written, in the header and the browser tab
    header = [el.get_text(strip=True) for el in soup.select(".md-header__topic .md-ellipsis")]
    assert ESCAPE_TITLE in header
    assert soup.title is not None and soup.title.get_text().startswith(ESCAPE_TITLE)


# -- reproducibility ---------------------------------------------------------------------


def describe_difference(a: Path, b: Path) -> str:
    one, two = a.read_bytes(), b.read_bytes()
    if a.suffix == ".gz":
        if gzip.decompress(one) == gzip.decompress(two):
            head = next(i for i, (x, y) in enumerate(zip(one, two, strict=False)) if x != y)
            return f"same content, gzip header differs at byte {head} (mtime/name)"
        one, two = gzip.decompress(one), gzip.decompress(two)
    for number, (x, y) in enumerate(zip(one.split(b"\n"), two.split(b"\n"), strict=False), 1):
        if x != y:
            return f"line {number}: {x[:120]!r} != {y[:120]!r}"
    return f"lengths {len(one)} != {len(two)}"


def test_example_build_is_reproducible(tmp_path: Path) -> None:
    env = {"SOURCE_DATE_EPOCH": "1700000000"}
    outs = [tmp_path / "first" / "site", tmp_path / "second" / "site"]
    for out in outs:
        out.parent.mkdir()
    with ThreadPoolExecutor(max_workers=2) as pool:
        sites = list(pool.map(lambda out: run_build(out, env=env), outs))
    for site in sites:
        assert site.ok, site.output

    def listing(root: Path) -> set[str]:
        return {
            p.relative_to(root).as_posix()
            for p in root.rglob("*")
            if p.is_file() and not pagefind_unordered(p.relative_to(root).as_posix())
        }

    # Pagefind writes its filter and meta files in hash-map order: same data, other bytes
    # (and names, which are content hashes); the records themselves are reproducible.
    for out in outs:
        assert list((out / "pagefind" / "filter").iterdir())
    counts = [sum(1 for p in (out / "pagefind").rglob("*") if p.is_file()) for out in outs]
    assert counts[0] == counts[1]

    first, second = (listing(out) for out in outs)
    assert first == second
    differing = {
        name: describe_difference(outs[0] / name, outs[1] / name)
        for name in sorted(first)
        if (outs[0] / name).read_bytes() != (outs[1] / name).read_bytes()
    }
    assert differing == {}
