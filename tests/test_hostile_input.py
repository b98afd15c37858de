"""Hostile input (issue 8): no crash, no hang, nothing silent, config that cannot break the site.

Real sites are built in subprocesses with a time limit: a hang fails the test
instead of blocking the suite. Each hostile class is in one collection built
twice (``--strict`` and not), so the builds also prove the output is byte-identical.
In-process, Hypothesis generates more of each class (``tests/strategies_hostile.py``)
and runs the core on it with a deadline.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from specsite.collect import Candidate, parse_spec
from specsite.config import ConfigError, load_config
from specsite.crosslink import mentions, rewrite
from specsite.export import export_json
from specsite.extract import Extractor
from specsite.model import Collection
from specsite.prompt import load_prompt
from specsite.references import References
from tests.conftest import (
    PROMPT,
    REPO,
    Site,
    pagefind_unordered,
    write_files,
    write_project,
)
from tests.serving import free_port as _free_port
from tests.strategies_hostile import (
    FRONT_MATTER,
    MARKDOWN,
    hostile_front_matter,
    hostile_markdown,
    hostile_spec,
)

SCHEMA = json.loads((REPO / "schema" / "specs.schema.json").read_text("utf-8"))
BUILD_SECONDS = 240  # far above a normal build of these few files; a hang fails the test


def build(
    config_file: Path, out: Path, *, strict: bool = False, prefix: list[str] | None = None
) -> Site:
    """``mkdocs build`` in a subprocess with a time limit (``prefix``: e.g. run as a user)."""
    command = [*(prefix or []), sys.executable, "-m", "mkdocs", "build"]
    command += ["-f", str(config_file), "-d", str(out)]
    if strict:
        command.append("--strict")
    done = subprocess.run(
        command,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        cwd=str(config_file.parent),
        timeout=BUILD_SECONDS,
        check=False,
    )
    return Site(done.returncode, done.stdout + done.stderr, out)


def strict_json(path: Path) -> Any:
    def refuse(name: str) -> Any:
        raise ValueError(f"{path} holds the non-JSON constant {name}")

    return json.loads(path.read_text("utf-8"), parse_constant=refuse)


def site_bytes(root: Path) -> dict[str, bytes]:
    files = (p for p in root.rglob("*") if p.is_file())
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in files
        if not pagefind_unordered(p.relative_to(root).as_posix())
    }


def report_text(site: Site) -> str:
    return site.html("build-report/").get_text(" ")


# -- one collection of every hostile class ------------------------------------------------

LINKS = hostile_spec(
    "Links",
    body="See [flow](ARCHITECTURE.md#data-flow-(v2)) and [the architecture][arch].\n\n"
    "[arch]: ARCHITECTURE.md\n",
)
ARCHITECTURE = "# Architecture\n\n## Data flow (v2)\n\nText.\n"
CR_ONLY = b"# CR Only\r\rline two\r\xff bad byte on line three\r"
MAX_FILE_SIZE = 400_000
TOO_BIG = "# Too Big\n\n" + "A long line of text that keeps going.\n" * (MAX_FILE_SIZE // 30)

# file (relative to specs/) -> the problem code its entry must carry
EXPECTED_SPEC_CODES = {
    **{f"fm-{name}.md": "" for name in FRONT_MATTER},
    "fm-alias-bomb.md": "front-matter-too-large",
    "fm-self-alias.md": "front-matter-recursive",
    "fm-self-alias-map.md": "front-matter-recursive",
    "fm-huge-int.md": "front-matter-invalid",
    "fm-deep-nesting.md": "front-matter-too-large",
    **{f"md-{name}.md": "markdown-too-complex" for name in MARKDOWN},
    "md-backticks-before-reference.md": "",
    "links.md": "",
    "utf16.md": "",
    "cr-only.md": "not-utf8",
    "caf\ufffd.md": "file-name-garbled",
    "too-big.md": "file-too-large",
    "line\ufffdbreak.md": "file-name-garbled",
    "many-mentions.md": "reference-missing",
}
# file -> (code, words of the reason) for files listed in the build report, not published
EXPECTED_SKIPPED = {
    "specs/pipe.md": ("not-regular-file", "named pipe"),
    "specs/socket.md": ("not-regular-file", "socket"),
    "specs/.draft.md": ("hidden", "hidden file"),
    "specs/.drafts": ("hidden", "hidden folder"),
    "specs/" + "/".join(["d"] * 33): ("folder-too-deep", "folders below"),
}


def write_hostile_project(root: Path) -> Path:
    specs = root / "specs"
    files: dict[str, str | bytes] = {
        **{f"fm-{n}.md": hostile_spec(n, front=t) for n, t in FRONT_MATTER.items()},
        **{f"md-{n}.md": hostile_spec(n, body=t) for n, t in MARKDOWN.items()},
        "links.md": LINKS,
        "utf16.md": "\ufeff# Sixteen Bits\n\nText in UTF-16.\n".encode("utf-16-le"),
        "cr-only.md": CR_ONLY,
        ".draft.md": "# Draft\n",
        ".drafts/a.md": "# Hidden folder\n",
        "too-big.md": TOO_BIG,
        "line\nbreak.md": "# Line Break Name\n",
        "many-mentions.md": "# Mentions\n\n" + "MISSING.md " * 5000 + "\n" + "MISSING.md\n" * 50,
        "/".join(["d"] * 34) + "/deep.md": "# Too Deep\n",
    }
    write_files(specs, files)
    latin_name = Path(os.fsdecode(os.fsencode(specs) + b"/caf\xe9.md"))  # not UTF-8
    latin_name.write_bytes(b"# Latin Name\n\nText.\n")
    os.mkfifo(specs / "pipe.md")
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(specs / "socket.md"))
    return write_project(
        root,
        specsite={"specs_dir": "specs", "prompt": str(PROMPT), "max_file_size": MAX_FILE_SIZE},
        docs={"index.md": "# Home\n", "reference/ARCHITECTURE.md": ARCHITECTURE},
    )


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[Site, Site]:
    root = tmp_path_factory.mktemp("hostile")
    config = write_hostile_project(root)
    strict = build(config, root / "site-strict", strict=True)
    lenient = build(config, root / "site")
    return strict, lenient


def test_hostile_collection_builds_without_traceback_and_fails_strict(
    hostile: tuple[Site, Site],
) -> None:
    strict, lenient = hostile
    for site in hostile:
        assert "Traceback" not in site.output, site.output
        assert "RecursionError" not in site.output, site.output
    assert lenient.ok, lenient.output
    assert not strict.ok
    assert "specs/md-nested-emphasis.md:" in lenient.output  # the source, not the page


def test_every_hostile_file_is_published_or_listed_with_its_reason(
    hostile: tuple[Site, Site],
) -> None:
    site = hostile[1]
    specs = {s["source"].removeprefix("specs/"): s for s in site.export()["specs"]}
    assert set(EXPECTED_SPEC_CODES) <= set(specs), sorted(specs)
    for name, code in EXPECTED_SPEC_CODES.items():
        codes = [p["code"] for p in specs[name]["problems"]]
        if code:
            assert code in codes, (name, specs[name]["problems"])
        assert "The first risk stays indexed." in [i["text"] for i in specs[name]["items"]] or (
            not name.startswith(("fm-", "md-"))
        ), name
    report = report_text(site)
    for source, (code, reason) in EXPECTED_SKIPPED.items():
        assert source in report, source
        assert code in report and reason in report, (source, code, reason)
    assert "specs/.drafts/a.md" not in {s["source"] for s in site.export()["specs"]}


def test_lines_encodings_and_bounded_metadata(hostile: tuple[Site, Site]) -> None:
    site = hostile[1]
    cr = site.spec("cr-only.md")
    assert [p["line"] for p in cr["problems"] if p["code"] == "not-utf8"] == [4]
    assert site.spec("utf16.md")["title"] == "Sixteen Bits"
    assert site.spec("caf\ufffd.md")["title"] == "Latin Name"
    meta = {name: site.spec(f"fm-{name}.md")["meta"] for name in FRONT_MATTER}
    assert meta["alias-bomb"] == {}
    assert meta["non-finite"]["score"] == "NaN" and meta["non-finite"]["floor"] == "-Infinity"
    assert meta["set"]["labels"] == ["alpha", "mid", "zeta"]
    assert "\ufffd" in site.spec("fm-lone-surrogate.md")["title"]
    assert "too large to show" in meta["huge-binary-int"]["n"]
    problems = site.spec("many-mentions.md")["problems"]
    mentions = [p for p in problems if p["code"] == "reference-missing"]
    assert len(mentions) == 21 and "31 more lines" in mentions[-1]["message"]
    page = (site.root / "specs" / "fm-alias-bomb" / "index.html").stat().st_size
    assert page < 200_000


def test_exhausting_markdown_is_published_as_escaped_text(hostile: tuple[Site, Site]) -> None:
    site = hostile[1]
    page = site.html("specs/md-nested-div/")
    escaped = page.select_one("pre.specsite-escaped")
    assert escaped is not None and "<div markdown>" in escaped.get_text()
    assert page.select("article div div div") == []  # no element built from the spec's tags
    entry = site.spec("md-nested-div.md")
    problem = next(p for p in entry["problems"] if p["code"] == "markdown-too-complex")
    assert problem["line"] is not None and problem["line"] > 10


def test_links_stay_valid_markdown(hostile: tuple[Site, Site]) -> None:
    site = hostile[1]
    page = site.html("specs/links/")
    links = {a.get_text(): str(a["href"]) for a in page.select("article a[href]")}
    assert links["flow"].endswith("reference/ARCHITECTURE/#data-flow-(v2)"), links
    assert links["the architecture"].endswith("reference/ARCHITECTURE/"), links
    assert site.spec("links.md")["references"] == ["ARCHITECTURE.md"]
    text = site.html("specs/links/").get_text()
    assert "](" not in text and "[arch]" not in text


def test_specs_json_is_strict_json_valid_and_builds_are_identical(
    hostile: tuple[Site, Site],
) -> None:
    strict, lenient = hostile
    data = strict_json(lenient.root / "specs.json")
    jsonschema.validate(data, SCHEMA)
    assert site_bytes(strict.root) == site_bytes(lenient.root)


# -- errors fail every build ---------------------------------------------------------------


def test_errors_fail_the_build_without_strict(tmp_path: Path) -> None:
    missing = write_project(tmp_path / "a", specsite={"specs_dir": "nowhere"})
    site = build(missing, tmp_path / "a" / "site")
    assert not site.ok and "specs-dir-missing" in site.output
    assert "Traceback" not in site.output

    same = write_project(tmp_path / "b", specsite={"specs_dir": "docs", "prompt": str(PROMPT)})
    site = build(same, tmp_path / "b" / "site")
    assert not site.ok and "'specs_dir'" in site.output and "docs folder" in site.output
    assert "Traceback" not in site.output


def test_unreadable_folders_are_reported() -> None:
    """Root reads every folder whatever its mode: then the build runs as 'nobody'."""
    as_user = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
    if os.geteuid() == 0 and shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv: every folder is readable")
    prefix = as_user if os.geteuid() == 0 else []
    root = Path(tempfile.mkdtemp(prefix="specsite-unreadable-"))  # outside root's 0700 tmp
    specs = write_files(root / "specs", {"a.md": "# A\n", "locked/b.md": "# B\n"})
    config = write_project(root, specsite={"specs_dir": "specs", "prompt": str(PROMPT)})
    for path in [root, *root.rglob("*")]:
        path.chmod(0o777 if path.is_dir() else 0o666)
    (specs / "locked").chmod(0)
    try:
        site = build(config, root / "site", prefix=prefix)
        assert site.ok and "Traceback" not in site.output, site.output
        assert "folder-unreadable" in site.output and "specs/locked" in site.output
        assert "specs/locked" in report_text(site)
        specs.chmod(0)
        site = build(config, root / "site2", prefix=prefix)
        assert not site.ok and "specs-dir-unreadable" in site.output, site.output
        assert "Traceback" not in site.output
    finally:
        specs.chmod(0o755)
        (specs / "locked").chmod(0o755)
        shutil.rmtree(root)


# -- configuration -------------------------------------------------------------------------


def test_config_mistakes_stop_the_build_naming_the_key(tmp_path: Path) -> None:
    config = write_project(
        tmp_path, specsite={"kinds": {"risk": {"heading": ["Hazards"]}}, "prompt": str(PROMPT)}
    )
    site = build(config, tmp_path / "site")
    assert not site.ok and "kinds.risk.heading" in site.output
    assert "Traceback" not in site.output


@pytest.mark.parametrize(
    ("user", "message"),
    [
        ({"kinds": {"risk": {"heading": ["X"]}}}, "kinds.risk.heading"),
        ({"indexes": {"risks": {"titel": "Risks"}}}, "indexes.risks.titel"),
        ({"kinds": {"risk": {"resolvable": "no"}}}, "kinds.risk.resolvable"),
        ({"kinds": {"risk": "Risks"}}, "kinds.risk"),
        ({"page_size": "10"}, "page_size"),
        ({"max_file_size": 0}, "max_file_size"),
        ({"trust_html": "yes"}, "trust_html"),
        ({"references": {"X.md": "javascript:alert(1)"}}, "references.X.md"),
        ({"references": {"X.md": "data:text/html,hi"}}, "references.X.md"),
        ({"references": {"X.md": "java\tscript:alert(1)"}}, "references.X.md"),
        ({"indexes": {"prompt": {"kinds": ["risk"]}}}, "indexes.prompt"),
        ({"indexes": {"build-report": {"kinds": ["risk"]}}}, "indexes.build-report"),
        ({"indexes": {"specs/companion": {"kinds": ["risk"]}}}, "indexes.specs/companion"),
        ({"indexes": {"../up": {"kinds": ["risk"]}}}, "indexes.../up"),
        ({"specs_url": "risks"}, "indexes.risks"),
        ({"specs_url": "/specs"}, "specs_url"),
        ({"specs_url": "catalog"}, "specs_url"),
        ({"indexes": {"x": {"kinds": ["nope"]}}}, "indexes.x.kinds"),
    ],
)
def test_config_is_validated_like_mkdocs_validates_its_own(
    user: dict[str, Any], message: str
) -> None:
    with pytest.raises(ConfigError, match=f"'?{message}") as error:
        load_config(user, REPO)
    assert message in str(error.value)


def test_config_defaults_merge_key_by_key() -> None:
    config = load_config({"kinds": {"risk": {"headings": ["Hazards"]}}}, REPO)
    risk = config.kind("risk")
    assert (risk.title, risk.short, risk.headings) == ("Risks", "Risks", ("Hazards",))
    assert [k.key for k in config.kinds][:2] == ["blocker", "risk"]
    config = load_config({"references": {"API.md": "https://example.com/api"}}, REPO)
    assert config.references == {"API.md": "https://example.com/api"}
    assert load_config({}, REPO).trust_html is False


def test_a_section_name_the_prompt_does_not_have_is_an_error() -> None:
    config = load_config({"required": ["Sumary"], "section_aliases": {"Outlook": ["X"]}}, REPO)
    problems = load_prompt(config).problems
    named = sorted(p.message.split("'")[1] for p in problems if p.severity == "error")
    assert named == ["Outlook", "Sumary"]
    good = load_config({"required": ["Executive Summary", "open questions"]}, REPO)
    assert [p for p in load_prompt(good).problems if p.severity == "error"] == []


# -- serve ---------------------------------------------------------------------------------


def _get(url: str) -> str:
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return str(response.read().decode("utf-8"))
    except OSError:
        return ""


def _wait(url: str, check: Any, seconds: float = 60) -> str:
    deadline = time.monotonic() + seconds
    text = ""
    while time.monotonic() < deadline:
        text = _get(url)
        if text and check(text):
            return text
        time.sleep(0.3)
    raise AssertionError(f"{url} never satisfied the check; last page:\n{text[:2000]}")


def test_serve_survives_a_hostile_spec_and_a_recreated_folder(tmp_path: Path) -> None:
    specs = write_files(
        tmp_path / "specs",
        {
            "bad.md": hostile_spec("Bad Nesting", body=MARKDOWN["nested-emphasis"]),
            "good.md": hostile_spec("Good One"),
        },
    )
    config = write_project(tmp_path, specsite={"specs_dir": "specs", "prompt": str(PROMPT)})
    port = _free_port()
    command = [sys.executable, "-m", "mkdocs", "serve", "--livereload", "-f", str(config)]
    server = subprocess.Popen(
        [*command, "-a", f"127.0.0.1:{port}"],
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}/"
    try:
        _wait(base, lambda t: "Good One" in t and "Bad Nesting" in t)
        assert "specsite-escaped" in _wait(base + "specs/bad/", lambda t: "Bad Nesting" in t)
        shutil.rmtree(specs)  # the folder's own watch dies with it
        _wait(base, lambda t: "Good One" not in t)
        specs.mkdir()
        (specs / "fresh.md").write_text(hostile_spec("Fresh Spec"), "utf-8")
        _wait(base, lambda t: "Fresh Spec" in t)
    finally:
        server.terminate()
        server.wait(timeout=20)


# -- the link rewriter ---------------------------------------------------------------------


def _resolve(name: str) -> str | None:
    return "../reference/ARCHITECTURE.md" if name == "ARCHITECTURE.md" else None


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "[flow](ARCHITECTURE.md#data-flow-(v2))",
            "[flow](../reference/ARCHITECTURE.md#data-flow-(v2))",
        ),
        ("[arch]: ARCHITECTURE.md", "[arch]: ../reference/ARCHITECTURE.md"),
        (
            '[arch]: <ARCHITECTURE.md> "The design"',
            '[arch]: <../reference/ARCHITECTURE.md> "The design"',
        ),
        ("[the design][arch]", "[the design][arch]"),
        ("``a ` ARCHITECTURE.md``", "``a ` ARCHITECTURE.md``"),
    ],
)
def test_rewrite_keeps_links_valid(line: str, expected: str) -> None:
    assert rewrite(line, set(), _resolve) == expected
    assert rewrite(expected, set(), _resolve) == expected


def test_rewriter_is_linear_on_runs() -> None:
    """Thousands of backticks or brackets before a name: linear work (was about cubic)."""
    for line in ("`" * 20000 + " ARCHITECTURE.md", "[" * 20000 + "ARCHITECTURE.md"):
        assert rewrite(line, set(), _resolve).endswith(
            "[ARCHITECTURE.md](../reference/ARCHITECTURE.md)"
        )
        assert [m.name for m in mentions(line, set())] == ["ARCHITECTURE.md"]


# -- Hypothesis: the core on generated hostile input ---------------------------------------

CONFIG = load_config({}, REPO)
PROMPT_MODEL = load_prompt(CONFIG)
EXTRACTOR = Extractor(CONFIG, PROMPT_MODEL)
REFERENCES = References.build(
    PROMPT_MODEL.references, {}, {"reference/ARCHITECTURE.md"}, CONFIG.ignore_references
)
FOLDER = Path(tempfile.mkdtemp(prefix="specsite-hostile-"))
HOSTILE_SETTINGS = settings(
    max_examples=25,
    deadline=3000,  # ms per example: a blow-up or a quadratic path fails here
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _core(text: str) -> None:
    path = FOLDER / "spec.md"
    path.write_text(text, "utf-8", errors="surrogatepass")
    spec = parse_spec(Candidate(path, "spec.md", "spec"), "spec", CONFIG, EXTRACTOR, REFERENCES)
    collection = Collection([spec], [], [])
    exported = export_json(collection, PROMPT_MODEL, lambda s, i: "x", lambda s: "x")
    data = json.loads(exported, parse_constant=lambda name: pytest.fail(name))
    jsonschema.validate(data, SCHEMA)
    assert len(exported) < 2_000_000  # no alias bomb reaches the export


@HOSTILE_SETTINGS
@given(hostile_front_matter(), hostile_markdown())
def test_core_survives_hostile_specs(front: str, body: str) -> None:
    _core(hostile_spec("Generated", front=front, body=body))


@HOSTILE_SETTINGS
@given(st.sampled_from(sorted(FRONT_MATTER)), st.sampled_from(sorted(MARKDOWN)))
def test_core_survives_every_listed_class(front: str, body: str) -> None:
    _core(hostile_spec("Listed", front=FRONT_MATTER[front], body=MARKDOWN[body]))


def test_readme_documents_every_new_problem_code() -> None:
    """Codes raised outside ``Problem(...)`` literals (bounded YAML) are documented too."""
    source = "\n".join(p.read_text("utf-8") for p in (REPO / "src" / "specsite").glob("*.py"))
    codes = set(re.findall(r'YamlTooLarge\(\s*"([a-z0-9-]+)"', source))
    codes |= set(re.findall(r'Problem\(\s*"(?:error|warning|info)",\s*"([a-z0-9-]+)"', source))
    readme = (REPO / "README.md").read_text("utf-8")
    troubleshooting = readme.split("## Troubleshooting", 1)[1].split("\n## ", 1)[0]
    assert {"front-matter-too-large", "markdown-too-complex", "not-regular-file"} <= codes
    assert [code for code in sorted(codes) if f"`{code}`" not in troubleshooting] == []


def test_a_recursion_error_in_the_converter_names_the_source_file(tmp_path: Path) -> None:
    """The last resort behind the guard: with Python's recursion limit lowered, nesting
    the guard lets through exhausts Python-Markdown; the build names the spec's source
    file and publishes the page as escaped text instead of stopping with a traceback."""
    write_files(
        tmp_path / "specs", {"deep.md": hostile_spec("Deep", body="*a " * 300 + "b" + "*" * 300)}
    )
    config = write_project(tmp_path, specsite={"specs_dir": "specs", "prompt": str(PROMPT)})
    code = (
        "import sys; sys.setrecursionlimit(300); from mkdocs.__main__ import cli; "
        f"sys.argv = ['mkdocs', 'build', '-f', {str(config)!r}, '-d', {str(tmp_path / 'site')!r}]; "
        "cli()"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        timeout=BUILD_SECONDS,
        check=False,
    )
    output = done.stdout + done.stderr
    assert done.returncode == 0 and "Traceback" not in output, output
    assert "specs/deep.md: is nested too deeply" in output
    page = (tmp_path / "site" / "specs" / "deep" / "index.html").read_text("utf-8")
    assert 'class="specsite-escaped"' in page
