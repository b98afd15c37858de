"""The pure core on its own: no MkDocs, no files beyond the prompt."""

from __future__ import annotations

import pytest

from specsite.blocks import parse_blocks
from specsite.config import load_config
from specsite.extract import Extractor
from specsite.headings import normalize
from specsite.listindent import reindent_lists
from specsite.prompt import load_prompt
from specsite.urls import url_between
from tests.conftest import REPO


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    config = load_config({}, REPO)
    return Extractor(config, load_prompt(config))


def items(extractor: Extractor, text: str) -> list[tuple[str, str]]:
    found = extractor.extract(parse_blocks(text), text.split("\n"), 0).items
    return [(item.kind, item.text) for item in found]


@pytest.mark.parametrize(
    ("heading", "normalized"),
    [
        ("3) RISKS and concerns", "risks and concerns"),
        ("3. Risks & Concerns", "risks and concerns"),
        ("Out of Scope (Non-Goals)", "out of scope"),
        ("Open Questions / Decisions Needed", "open questions / decisions needed"),
        ("**Performance & Scalability:**", "performance and scalability"),
    ],
)
def test_heading_normalization(heading: str, normalized: str) -> None:
    assert normalize(heading) == normalized


def test_an_item_that_opens_with_raw_html_is_still_an_item(extractor: Extractor) -> None:
    text = "## Risks\n\n- <script> tags in alert names could run</script>\n- <b>Bold</b> risk\n"
    assert items(extractor, text) == [
        ("risk", "tags in alert names could run"),
        ("risk", "Bold risk"),
    ]


def test_lists_are_reindented_for_python_markdown_without_moving_lines() -> None:
    text = "- a\n  - b\n    - c\n\n  more about a\n1. one\n   ```\n   code\n   ```\n"
    lines = text.split("\n")
    out = reindent_lists(lines, parse_blocks(text))
    assert len(out) == len(lines)
    assert out[:5] == ["- a", "    - b", "        - c", "", "    more about a"]
    assert out[6:9] == ["    ```", "    code", "    ```"]
    already = "- a\n    - b\n"
    assert reindent_lists(already.split("\n"), parse_blocks(already)) == already.split("\n")


@pytest.mark.parametrize(
    ("target", "page", "directory_urls", "url"),
    [
        ("specs/a.md", "risks.md", True, "../specs/a/"),
        ("specs/a.md", "index.md", True, "specs/a/"),
        ("index.md", "risks/2.md", True, "../../"),
        ("specs/a.md", "risks/2.md", False, "../specs/a.html"),
        ("specs/a.md", "index.md", False, "specs/a.html"),
    ],
)
def test_urls_between_pages(target: str, page: str, directory_urls: bool, url: str) -> None:
    assert url_between(target, page, directory_urls) == url


# The MkDocs adapter: the only modules allowed to import MkDocs.
ADAPTERS = {"__init__", "plugin", "render_ahead", "search_adapter"}


def test_the_core_imports_nothing_from_mkdocs() -> None:
    import subprocess
    import sys

    modules = sorted(p.stem for p in (REPO / "src" / "specsite").glob("*.py"))
    code = (
        "import sys\n"
        + "".join(f"import specsite.{m}\n" for m in modules if m not in ADAPTERS)
        + "print(sorted(n for n in sys.modules if n.split('.')[0] in ('mkdocs', 'properdocs')))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
