"""Hostile specs cannot run script, leak files or paths, or make invalid or unstable output.

Specs are written by an agent that reads untrusted text; the site is opened by every
engineer. These tests build real sites from hostile specs (and a hostile config) with a
specs folder outside the project, check the output files, and open every page in headless
Chromium behind nginx, asserting that no dialog ever opens, also after typing into search.
The one place that makes text safe is ``specsite.sanitize``.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from playwright.sync_api import Browser, Dialog, sync_playwright

from specsite import render as render_module
from specsite import sanitize
from specsite.build import build
from specsite.config import load_config
from specsite.model import Item
from specsite.references import References
from specsite.sanitize import (
    clean_html,
    json_text,
    plain_data,
    public_path,
    safe_url,
    terminal_text,
)
from specsite.specpage import anchor
from tests.conftest import (
    PROMPT,
    REPO,
    Site,
    pagefind_unordered,
    run_build,
    write_files,
    write_project,
)
from tests.serving import nginx
from tests.test_browser import CHROMIUM, CHROMIUM_FLAGS

SECRET = "SECRET-SIDECAR-OUTSIDE-THE-PROJECT"
CLIMB_SECRET = "SECRET-ABOVE-THE-SPEC-FOLDER"

# -- sanitize.py: the allow-list --------------------------------------------------------

KEPT = [
    "<details><summary>More</summary>text</details>",
    '<details open=""><summary>More</summary>text</details>',
    "<p>a<br>b</p>",
    "<kbd>Ctrl</kbd>",
    "H<sub>2</sub>O x<sup>2</sup>",
    '<table><thead><tr><th style="text-align:center">a</th></tr></thead>'
    '<tbody><tr><td style="text-align:right">1</td></tr></tbody></table>',
    '<img src="https://example.com/a.png" alt="ok">',
    '<img src="pics/a.png" alt="relative">',
    '<a href="https://example.com/">x</a>',
    '<a href="../other/#part">x</a>',
    '<a href="mailto:a@example.com">x</a>',
    '<h2 id="risks">Risks<a class="headerlink" href="#risks" title="Permanent link">¶</a></h2>',
    '<li><a id="risk-1" class="specsite-item"></a>Risk</li>',
    '<ul class="task-list"><li class="task-list-item"><label class="task-list-control">'
    '<input type="checkbox" disabled="" checked=""><span class="task-list-indicator"></span>'
    "</label> done</li></ul>",
    '<div class="admonition warning"><p class="admonition-title">Careful</p><p>x</p></div>',
    '<div class="highlight"><pre><span></span><code><span class="k">def</span></code></pre></div>',
    '<pre class="mermaid"><code>graph LR</code></pre>',
    '<sup id="fnref:1"><a class="footnote-ref" href="#fn:1">1</a></sup>',
    '<span id="__code_0"></span><a id="__codelineno-0-1" name="__codelineno-0-1"'
    ' href="#__codelineno-0-1"></a>',
    '<table data-search-exclude=""><tbody><tr><td>x</td></tr></tbody></table>',
    '<div class="tabbed-set tabbed-alternate" data-tabs="1:2"><input checked="checked"'
    ' id="__tabbed_1_1" name="__tabbed_1" type="radio"><div class="tabbed-labels">'
    '<label for="__tabbed_1_1">Tab 1</label></div></div>',
]

REMOVED = [
    ("<script>alert(1)</script>ok", "ok"),
    ('<img src="x" onerror="alert(1)">', '<img src="x">'),
    ('<a href="javascript:alert(1)">x</a>', "<a>x</a>"),
    ('<a href="JaVaScRiPt:alert(1)">x</a>', "<a>x</a>"),
    ('<a href="java&#x09;script:alert(1)">x</a>', "<a>x</a>"),
    ('<a href="data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;">x</a>', "<a>x</a>"),
    ('<img src="data:image/png;base64,AAAA">', "<img>"),
    ('<p style="position:fixed;top:0">x</p>', "<p>x</p>"),
    ('<td style="background:url(javascript:alert(1));text-align:left">x</td>', "x"),
    ("<style>body{display:none}</style>ok", "ok"),
    ('<iframe src="https://example.com/"></iframe>ok', "ok"),
    ('<form action="https://example.com/"><input name="q"></form>ok', "ok"),
    ('<svg onload="alert(1)"><circle r="1"></circle></svg>ok', "ok"),
    ('<div id="__config">{"base": "x"}</div>', '<div>{"base": "x"}</div>'),
    ('<p onclick="alert(1)" onmouseover="alert(2)">x</p>', "<p>x</p>"),
    ('<input type="text" value="x">', "<input>"),
    ("<!-- comment --><p>x</p>", "<p>x</p>"),
    ('<base href="https://example.com/">ok', "ok"),
    ('<meta http-equiv="refresh" content="0;url=javascript:alert(1)">ok', "ok"),
]


@pytest.mark.parametrize("html", KEPT)
def test_sanitizer_keeps_what_markdown_and_material_produce(html: str) -> None:
    assert clean_html(html) == html


@pytest.mark.parametrize(("html", "expected"), REMOVED)
def test_sanitizer_removes_script_handlers_styles_and_unsafe_urls(html: str, expected: str) -> None:
    cleaned = clean_html(html)
    assert expected in cleaned
    for bad in ("script", "onerror", "onclick", "javascript", "data:", "position", "iframe"):
        assert bad not in cleaned.lower()


def test_every_output_path_goes_through_sanitize() -> None:
    """The one place: template values, link targets and generated pages' HTML."""
    assert render_module._ENV.finalize is sanitize.escape
    templates = (REPO / "src" / "specsite" / "templates").glob("*.j2")
    assert not [t.name for t in templates if re.search(r"\|\s*safe\b", t.read_text("utf-8"))]
    assert str(render_module.link("EVIL.md", "javascript://x/%0Aalert(1)")) == "EVIL.md"
    # the config check refuses such a URL; the page never links it in any case
    references = References({"EVIL.md": "javascript://x/%0Aalert(1)", "A.md": "https://x/a"})
    assert references.link_from("specs/a.md", "EVIL.md") is None
    assert references.link_from("specs/a.md", "A.md") == "https://x/a"
    assert str(render_module.link("A", "https://x.example/a")) == "[A](https://x.example/a)"
    assert "<script" not in sanitize.clean_page("<script>alert(1)</script>", trust_html=False)
    assert "<script" in sanitize.clean_page("<script>alert(1)</script>", trust_html=True)


def test_item_anchor_escapes_its_id() -> None:
    """Item ids come from configured kind keys: the anchor never breaks out of its quotes."""
    item = Item("x", 'k"><img src=x onerror=alert(1)>-1', "t", 1, None, 0, "list")
    html = anchor(item)
    assert html.startswith('<a id="k&quot;&gt;&lt;img') and html.count("<") == 2


def test_safe_url() -> None:
    for url in ("https://x.example/", "http://x", "mailto:a@b", "../a/", "#x", "a.md", "//x/"):
        assert safe_url(url), url
    for url in ("javascript:alert(1)", " JavaScript:x", "java\tscript:x", "data:text/html,x",
                "vbscript:x", "javascript&#58;x", "file:///etc/passwd"):  # fmt: skip
        assert not safe_url(url), url


def test_plain_data_is_strict_and_stable() -> None:
    data = plain_data({"n": float("nan"), "i": float("-inf"), "s": {"b", "a", 3}, 1: [{"c"}]})
    assert data == {"n": "NaN", "i": "-Infinity", "s": ["a", "b", 3], "1": [["c"]]}
    assert json.loads(json_text(data), parse_constant=_reject) == data


def test_terminal_text_shows_control_characters_as_escapes() -> None:
    assert terminal_text("a\x1b[2Jb\x07c\u202ed é") == "a\\x1b[2Jb\\x07c\\u202ed é"


def test_public_path_is_never_absolute(tmp_path: Path) -> None:
    root, specs = tmp_path / "project", tmp_path / "elsewhere" / "specs"
    assert public_path(root / "specs" / "a.md", root, root / "specs") == "specs/a.md"
    assert public_path(specs / "x" / "a.md", root, specs) == "specs/x/a.md"
    assert public_path(Path("/srv/other/b.md"), root, specs) == "b.md"


# -- a hostile collection, built for real -------------------------------------------------

IMG = "<img src=x onerror=alert('{}')>"
QUOTED_IMG = '<img src="x" onerror="alert(\'{}\')">'

HOSTILE_META = {
    "title": "<script>alert('title')</script>" + IMG.format("title"),
    "status": IMG.format("status"),
    "owner": "<svg onload=alert('owner')>",
    "date": '"><img src=x onerror=alert("date")>',
    "modules": [IMG.format("module"), "ok"],
    "tags": [IMG.format("tag"), "<script>alert('tag2')</script>", "plain"],
    "reviewers": [{"name": IMG.format("nested")}],
    IMG.format("key"): "value",
    "links": "javascript:alert('meta')",
}

EVIL_BODY = f"""
# Evil {QUOTED_IMG.format("h1")} spec <script>alert('h1-script')</script>

## Executive Summary

Hello <script>alert('body')</script> and {QUOTED_IMG.format("body-img")} and
[click](javascript:alert%28'link'%29) and
[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)
and <a href="JaVaScRiPt:alert('a')">a</a> and <a href="javascript&colon;alert('ent')">e</a>.
See <javascript:alert('autolink')> and EVIL.md.

<div style="position:fixed;inset:0" onclick="alert('div')" id="__config">{{"base": "x"}}</div>
<details ontoggle="alert('toggle')" open><summary>More</summary>
Hidden <kbd>Ctrl</kbd> H<sub>2</sub>O</details>
<img src="https://example.com/a.png" alt="ok-img">
<img src="data:image/svg+xml,<svg onload=alert('data')>">
<iframe srcdoc="<script>parent.alert('frame')</script>"></iframe>
<svg><script>alert('svg')</script></svg>
<math><mi xlink:href="javascript:alert('math')">m</mi></math>
<object data="javascript:alert('object')"></object><embed src="javascript:alert('embed')">
<style>@import "javascript:alert('style')";</style>
<form action="javascript:alert('form')"><button>b</button></form>
<template><img src=x onerror=alert('template')></template>
<noscript><p title="</noscript><img src=x onerror=alert('noscript')>"></noscript>

## Heading {{: onclick="alert('attr')" }}

Paragraph with attributes.
{{: onmouseover="alert('attr-p')" style="position:fixed" }}

<div markdown="1">
**bold** {QUOTED_IMG.format("md-in-html")}
</div>

| a | {IMG.format("cell")} |
|:-:|--:|
| 1 | <img src=x onerror=alert('cell2')> |

!!! note "Admonition <img src=x onerror=alert('adm')>"
    text

```html
<script>alert('code')</script>
```

```mermaid
graph LR
  A["<img src=x onerror=alert('mermaid')>"] --> B["<script>alert('mermaid2')</script>"]
  click A "javascript:alert('mermaid-click')"
  click B call alert("mermaid-call")
```

## Risks & Concerns

**Risks:**

- Risk with {QUOTED_IMG.format("risk")} and <script>alert('risk2')</script>

## Out of Scope

- {IMG.format("oos")}

## Open Questions

- {QUOTED_IMG.format("question")}?

## Hazards

- Hazard {QUOTED_IMG.format("hazard")}
"""

HOSTILE_CONFIG: dict[str, Any] = {
    "sidecar": "{stem}.yaml",
    "kinds": {
        "hazard": {
            "title": IMG.format("kind-title"),
            "short": "<script>alert('kind-short')</script>",
            "headings": ["Hazards"],
        }
    },
    "indexes": {
        "hazards": {"title": IMG.format("index-title"), "kinds": ["hazard"]},
        "open-questions": {"title": "<script>alert('index2')</script>Questions"},
    },
}

MARKDOWN_EXTENSIONS: list[Any] = [
    "tables",
    "attr_list",
    "md_in_html",
    "admonition",
    "footnotes",
    {"toc": {"permalink": True}},
    "pymdownx.details",
    {"pymdownx.tasklist": {"custom_checkbox": True}},
    "pymdownx.highlight",
    {"pymdownx.superfences": {"custom_fences": [{"name": "mermaid", "class": "mermaid"}]}},
]
FENCE_FORMAT = "!!python/name:pymdownx.superfences.fence_code_format"
THEME_FEATURES = ["search.highlight", "search.suggest", "content.code.copy", "navigation.top"]


@dataclass
class Hostile:
    root: Path  # tmp folder holding everything
    project: Path
    specs: Path
    config: Path


def _reject(constant: str) -> None:
    raise ValueError(f"specs.json holds {constant}, which is not JSON")


def hostile_prompt() -> str:
    """The repo's prompt with hostile metadata, an injected line and a hostile optional section."""
    text = PROMPT.read_text(encoding="utf-8")
    text = text.replace('name: "study"', "name: \"study <img src=x onerror=alert('prompt')>\"")
    text = text.replace("**Audience:**", "<script>alert('prompt-body')</script>\n\n**Audience:**")
    return text + "\n### 7. Notes <img src=x onerror=alert('section')> (optional)\n\nAny.\n"


def write_hostile(base: Path, **extra: Any) -> Hostile:
    """A project whose specs and prompt folders lie outside it, with hostile specs, file
    names, sidecars, prompt and config."""
    project, specs, outside = base / "project", base / "elsewhere" / "specs", base / "outside"
    prompt = write_files(base / "elsewhere" / "prompts", {"study.md": hostile_prompt()})
    meta = yaml.safe_dump(HOSTILE_META, allow_unicode=True)
    write_files(
        specs,
        {
            "evil.md": f"---\n{meta}---\n{EVIL_BODY}",
            "<img src=x onerror=alert('file')>.md": "No title and no heading.\n",
            "numbers.md": "---\ntitle: Numbers\nnan: .nan\ninf: .inf\nneg: -.inf\n"
            "aset: !!set {zeta, alpha, mid, beta, omega}\n"
            "nested: {deep: [.nan, !!set {b, a}]}\n---\n# Numbers\n\nText.\n",
            "linked.md": "# Linked\n\nText with its metadata in a linked file.\n",
            "clear\x1b[2J\x1b[31mscreen\u202e.md": "# Control \x1b[2J characters\n\nText.\n",
        },
    )
    write_files(outside, {"secret.yaml": f"owner: {SECRET}\n"})
    (specs / "linked.yaml").symlink_to(outside / "secret.yaml")
    config = write_project(
        project,
        specsite={
            "specs_dir": str(specs),
            "prompt": str(prompt / "study.md"),
            **HOSTILE_CONFIG,
            **extra,
        },
        docs={
            "index.md": "# Home\n",
            "reference/ARCHITECTURE.md": "# Architecture\n\nThe system.\n",
        },
    )
    data = yaml.safe_load(config.read_text(encoding="utf-8"))
    data["markdown_extensions"] = MARKDOWN_EXTENSIONS
    data["theme"]["features"] = THEME_FEATURES
    text = yaml.safe_dump(data, allow_unicode=True)
    text = text.replace("- class: mermaid\n", f"- class: mermaid\n      format: {FENCE_FORMAT}\n")
    config.write_text(text, encoding="utf-8")
    return Hostile(base, project, specs, config)


def build_site(hostile: Hostile, name: str) -> Site:
    site = run_build(hostile.root / name, config_file=hostile.config, strict=False)
    assert site.ok, site.output
    assert "Traceback" not in site.output
    # a file name's controls: U+FFFD in published names, escaped in the log
    assert "clear\ufffd[2J\ufffd[31mscreen\\u202e.md" in site.output
    assert "\x1b" not in site.output and "\u202e" not in site.output
    return site


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Hostile:
    return write_hostile(tmp_path_factory.mktemp("hostile"))


@pytest.fixture(scope="module")
def hostile_site(hostile: Hostile) -> Site:
    return build_site(hostile, "site")


def site_files(site: Site) -> dict[str, bytes]:
    return {
        p.relative_to(site.root).as_posix(): p.read_bytes()
        for p in sorted(site.root.rglob("*"))
        if p.is_file() and not pagefind_unordered(p.relative_to(site.root).as_posix())
    }


URL_ATTRIBUTES = {"href", "src", "action", "formaction", "srcset", "xlink:href", "data", "poster"}


CHART_ELEMENTS = {"svg", "title", "desc", "g", "a", "rect", "text"}


def test_no_script_survives_in_any_generated_page(hostile_site: Site) -> None:
    """Every page and index: no element or attribute that runs script, whatever its source."""
    pages = [p for p in hostile_site.root.rglob("*.html") if "assets" not in p.parts]
    assert len(pages) > 8
    for page in pages:
        soup = hostile_site.html(page.relative_to(hostile_site.root).as_posix())
        article = soup.select_one("article") or soup
        for tag in [*article.find_all(True), *soup.select(".md-nav *, .md-header *, title")]:
            chart = tag.find_parent("svg", class_="specsite-chart")
            if tag.name == "svg" and "specsite-chart" in (tag.get("class") or []):
                chart = tag  # the dashboard's build-time charts: drawn by specsite, escaped
            if chart is not None:
                assert tag.name in CHART_ELEMENTS, (page, tag)
            elif tag in article.find_all(True):
                assert tag.name not in ("script", "iframe", "object", "embed", "svg", "form"), (
                    page,
                    tag,
                )
            for name, value in tag.attrs.items():
                assert not name.lower().startswith("on"), (page, tag)
                text = " ".join(value) if isinstance(value, list) else str(value)
                if name in URL_ATTRIBUTES:
                    url = re.sub(r"[\x00-\x20]", "", text).lower()
                    assert not url.startswith(("javascript:", "data:", "vbscript:")), (page, tag)
                if name == "style":
                    assert text.replace(" ", "").startswith("text-align:"), (page, tag)
        assert not soup.select("article [id='__config']"), page
        assert len(soup.select("[id='__config']")) == 1, page  # Material's own, untouched


def test_hostile_text_stays_visible_as_text(hostile_site: Site) -> None:
    page = hostile_site.html("specs/evil/")
    article = page.select_one("article")
    assert article is not None
    text = article.get_text()
    assert "alert('status')" in text  # metadata is shown, as text
    assert "alert('module')" in text and "alert('nested')" in text and "alert('key')" in text
    assert "alert('risk')" not in text  # the tag is removed, its attribute with it
    assert page.select_one("details summary") is not None  # allowed HTML is kept
    assert page.select_one("kbd") is not None and page.select_one("sub") is not None
    assert page.select_one("img[src='https://example.com/a.png']") is not None
    assert page.select_one("a[href$='#risk-1']") is not None
    assert page.select_one("a.specsite-item[id='risk-1']") is not None
    assert page.select_one("div.admonition") is not None
    assert page.select_one("div.highlight") is not None
    assert page.select_one("table th[style]") is not None
    assert "alert('code')" in text  # code stays code
    # the reference mapped to a javascript: URL is shown, not linked
    assert "EVIL.md" in text
    assert not [a for a in article.find_all("a") if a.get_text() == "EVIL.md"]
    assert not article.select("a[href*='reference'], a[href*='alert']")
    title = page.select_one("title")
    assert title is not None and "<script>" in title.get_text()  # the title, escaped once
    named = hostile_site.spec(">.md")  # a file name is a title too
    assert named["title"] == "<img src=x onerror=alert('file')>"
    assert named["title"] in hostile_site.html(named["url"]).get_text()
    prompt = hostile_site.html("prompt/").get_text()
    assert "alert('prompt')" in prompt and "alert('prompt-body')" not in prompt
    assert "alert('section')" in hostile_site.html("conformance/").get_text()


def test_tags_stay_text_in_the_search_index(hostile_site: Site) -> None:
    """Pagefind's records hold spec text as text (the search box shows it with
    textContent only; the browser test below types into it)."""
    records = [r for r in hostile_site.pagefind_records() if "/specs/evil/" in r["url"]]
    assert records
    for record in records:
        assert "<" not in record["url"] and '"' not in record["url"]
    tags = records[0]["filters"]["tag"]
    assert any("onerror" in t for t in tags) and "plain" in tags


def test_config_values_are_escaped_in_navigation_and_indexes(hostile_site: Site) -> None:
    home = hostile_site.html("")
    nav_text = home.select_one(".md-nav")
    assert nav_text is not None
    assert "alert('index-title')" in nav_text.get_text()
    hazards = hostile_site.html("hazards/")
    assert "alert('kind-title')" in hazards.get_text()
    assert not hazards.select("article img, article script")
    catalog_heads = [th.get_text() for th in home.select("article table th")]
    assert "<script>alert('kind-short')</script>" in catalog_heads


def test_sidecar_symlink_outside_the_project_is_not_read(hostile_site: Site) -> None:
    linked = hostile_site.spec("linked.md")
    assert "owner" not in linked["meta"]
    [problem] = [p for p in linked["problems"] if p["code"] == "symlink-outside"]
    assert problem["message"] == (
        "metadata file linked.yaml is a symbolic link to a file outside the project; not read"
    )
    leaked = [name for name, data in site_files(hostile_site).items() if SECRET.encode() in data]
    assert leaked == []


def test_no_absolute_path_of_the_build_machine_is_published(
    hostile: Hostile, hostile_site: Site
) -> None:
    machine_paths = {str(hostile.root), str(hostile.root.resolve()), str(REPO)}
    found = [
        (name, path)
        for name, data in site_files(hostile_site).items()
        for path in machine_paths
        if path.encode() in data
    ]
    assert found == []
    export = hostile_site.export()
    assert export["prompt"]["source"] == "prompts/study.md"
    assert [s["source"] for s in export["specs"]] == [
        "specs/<img src=x onerror=alert('file')>.md",
        "specs/clear\ufffd[2J\ufffd[31mscreen\u202e.md",
        "specs/evil.md",
        "specs/linked.md",
        "specs/numbers.md",
    ]
    assert "Source: specs/evil.md" in hostile_site.html("specs/evil/").get_text()


def test_specs_json_is_strict_json_and_valid(hostile_site: Site) -> None:
    text = (hostile_site.root / "specs.json").read_text(encoding="utf-8")
    data = json.loads(text, parse_constant=_reject)
    schema = json.loads((REPO / "schema" / "specs.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, schema)
    numbers = hostile_site.spec("numbers.md")["meta"]
    assert numbers["nan"] == "NaN" and numbers["inf"] == "Infinity"
    assert numbers["neg"] == "-Infinity"
    assert numbers["aset"] == ["alpha", "beta", "mid", "omega", "zeta"]
    assert numbers["nested"] == {"deep": ["NaN", ["a", "b"]]}
    evil = hostile_site.spec("evil.md")
    assert evil["meta"]["tags"][0] == IMG.format("tag")  # the export holds the text as written


def test_two_builds_are_byte_identical(hostile: Hostile, hostile_site: Site) -> None:
    """Sets iterate in a new order in every Python process: the output must not."""
    again = build_site(hostile, "site-again")
    first, second = site_files(hostile_site), site_files(again)
    assert sorted(first) == sorted(second)
    assert [name for name in first if first[name] != second[name]] == []


def test_check_names_files_of_an_outside_specs_folder_by_their_real_path(
    hostile: Hostile,
) -> None:
    """Published names are relative; ``specsite check`` still points at the real files."""
    done = subprocess.run(
        [str(Path(sys.executable).with_name("specsite")), "check", "-f", str(hostile.config)],
        cwd=hostile.project,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        timeout=120,
        check=False,
    )
    lines = (done.stdout + done.stderr).splitlines()
    for name, code in (("evil.md", "missing-section"), ("linked.yaml", "symlink-outside")):
        [line] = [x for x in lines if f"[{code}]" in x and x.split(":", 1)[0].endswith(name)][:1]
        assert Path(line.split(":", 1)[0]) == hostile.specs / name, line


def test_sidecar_path_may_not_climb_out_of_the_spec_folder(tmp_path: Path) -> None:
    write_files(tmp_path, {"specs/team/a.md": "# A\n\nText.\n", "specs/a.yaml": "x: 1\n"})
    write_files(tmp_path, {"specs/team/../../a.yaml": f"owner: {CLIMB_SECRET}\n"})
    config = load_config(
        {"specs_dir": "specs", "prompt": str(PROMPT), "sidecar": "../../{stem}.yaml"}, tmp_path
    )
    result = build(config, [])
    spec = result.collection.specs[0]
    assert "owner" not in spec.meta
    assert "sidecar-outside" in [p.code for p in spec.problems]
    assert CLIMB_SECRET not in result.plan.files["specs.json"]
    assert all(CLIMB_SECRET not in page for page in result.plan.pages.values())


# -- in the browser ---------------------------------------------------------------------

HOSTILE_QUERIES = [
    "<img src=x onerror=alert('typed')>",
    '"><script>alert(1)</script>',
    "javascript:alert(1)",
    "onerror",
    "evil <img src=x onerror=alert('typed')>",
]
# these find the hostile spec: its text, title and tags are shown, the result is opened
# (with Material's search.highlight the query is then marked in the page)
FINDS_RESULTS = {"onerror", "evil <img src=x onerror=alert('typed')>"}
# the header search box: specsite's own (Pagefind) when the site has it, else Material's;
# (input, status line, result link)
SEARCH_UIS = [
    ("input.specsite-search-input", ".specsite-search-meta", ".specsite-search-hit a"),
    ("input.md-search__input", ".md-search-result__meta", ".md-search-result__item a"),
]


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is missing: scripts/test installs it (apt-get install chromium)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


def _pages(site: Site) -> list[str]:
    return sorted(
        p.relative_to(site.root).as_posix()
        for p in site.root.rglob("*.html")
        if "assets" not in p.parts and p.name != "404.html"
    )


def _visit_all(
    browser: Browser, url: str, pages: list[str], queries: list[str], *, diagrams: bool = True
) -> list[str]:
    """Open every page (letting Mermaid draw), type into its table filter, then type each
    query into the header search and open the first result (Material then highlights the
    query in the page); return the dialogs that opened."""
    dialogs: list[str] = []
    context = browser.new_context()
    page = context.new_page()

    def record(dialog: Dialog) -> None:
        dialogs.append(f"{page.url}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", record)
    for path in pages:
        page.goto(url + path, wait_until="networkidle")
        if diagrams and page.locator("pre.mermaid").count():  # Material draws it in a div
            page.locator("div.mermaid").first.wait_for(state="attached", timeout=20_000)
        filter_box = page.locator("input.specsite-filter-input")
        if filter_box.count() and queries:
            filter_box.first.fill(queries[0])
    for query in queries:
        page.goto(url + "specs/evil/", wait_until="networkidle")  # the worker has the index
        box, meta, hit = next(ui for ui in SEARCH_UIS if page.locator(ui[0]).count())
        page.locator(box).first.click(force=True)
        page.keyboard.type(query, delay=5)
        page.wait_for_function(
            "meta => !/Initializing|Type to|Searching/i.test("
            "document.querySelector(meta)?.textContent || 'Type to')",
            arg=meta,
            timeout=20_000,
        )
        if query in FINDS_RESULTS:
            result = page.locator(hit).first
            result.wait_for(timeout=20_000)
            result.click()
            page.wait_for_load_state("networkidle")
            assert "specs/evil/" in page.url
    context.close()
    return dialogs


def test_no_dialog_opens_on_any_page_or_search(hostile_site: Site, chromium: Browser) -> None:
    pages = _pages(hostile_site)
    assert "specs/evil/index.html" in pages and "hazards/index.html" in pages
    with nginx(hostile_site.root, hostile_site.root.parent / "nginx") as url:
        assert _visit_all(chromium, url, pages, HOSTILE_QUERIES) == []


def test_trust_html_keeps_raw_html_and_the_check_sees_it_run(
    tmp_path: Path, chromium: Browser
) -> None:
    """With ``trust_html: true`` raw HTML is published as before; the same browser check
    that finds no dialog on the sanitized site sees this one open, so it can fail."""
    hostile = write_hostile(tmp_path, trust_html=True)
    site = build_site(hostile, "site")
    page = site.html("specs/evil/")
    assert page.select_one("img[onerror]") is not None
    assert page.select_one("article script") is not None
    with nginx(site.root, tmp_path / "nginx") as url:
        # (its raw <div id="__config"> breaks Material's script, so no diagram is drawn)
        dialogs = _visit_all(chromium, url, ["specs/evil/index.html"], [], diagrams=False)
    assert any("body-img" in d for d in dialogs), dialogs
