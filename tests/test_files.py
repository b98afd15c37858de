"""A collection's other files: attachments, pages of folder specs, links between them,
exclusions and symbolic-link aliases, on one real MkDocs build of a KEP-shaped fixture."""

from __future__ import annotations

import json
import posixpath
import re
import shutil
import subprocess
import sys
import urllib.parse
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.conftest import PROMPT, REPO, Site, run_build, write_files, write_project

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c63f8ffff3f0005fe02fea7d6a48a0000000049454e44ae426082"
)

ALPHA = """\
# KEP-0001: Alpha widgets

## Summary

Alpha makes widgets fast. The flow:

![Flow](flow.png)

<img src="flow.png" alt="flow again" width="200">

The architecture: ![arch](images/ARCH.png)

See the sibling [beta proposal](../0002-beta/README.md), the older
[gamma note](../0003-Gamma.md), our [design notes](Design-Notes.md)
and the [metadata](kep.yaml#L2); the [example folder](example/).

This link goes [nowhere](nowhere.md), twice: [again](nowhere.md).

## Risks and Mitigations

- Alpha may overload the widget cache.
"""

DESIGN_NOTES = """\
# Design notes

Back to [the proposal](README.md), with the flow ![flow](flow.png).

This image is [gone](gone.png).
"""

BETA = """\
# KEP-0002: Beta quotas

## Summary

Builds on [alpha](../0001-alpha).

## Risks and Mitigations

- Quotas may starve batch jobs.
"""

GAMMA = "# Gamma note\n\n## Summary\n\nAn old flat proposal.\n"

EVIL_SVG = '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Site:
    root = tmp_path_factory.mktemp("files")
    keps = root / "keps"
    write_files(
        keps,
        {
            "README.md": "# Our proposals\n\nThe collection's index.\n",
            "NNNN-template/README.md": "# KEP-NNNN: Title\n\n## Summary\n",
            "NNNN-template/kep.yaml": "status: provisional\n",
            "sig-a/0001-alpha/README.md": ALPHA,
            "sig-a/0001-alpha/kep.yaml": "title: Alpha widgets\nstatus: implementable\n",
            "sig-a/0001-alpha/flow.png": PNG,
            "sig-a/0001-alpha/images/Arch.png": PNG,
            "sig-a/0001-alpha/Design-Notes.md": DESIGN_NOTES,
            "sig-a/0001-alpha/example/widget.yaml": "kind: Widget\n",
            "sig-a/0001-alpha/page.html": "<script>alert(1)</script>",
            "sig-a/0001-alpha/evil.svg": EVIL_SVG,
            "sig-a/0002-beta/README.md": BETA,
            "sig-a/0002-beta/kep.yaml": "status: implemented\n",
            "sig-a/0003-Gamma.md": GAMMA,
        },
    )
    (keps / "sig-old").mkdir()
    (keps / "sig-old" / "0002-beta.md").symlink_to("../sig-a/0002-beta/README.md")
    (root / "elsewhere.md").write_text("# Elsewhere\n", encoding="utf-8")
    (keps / "outside.md").symlink_to(root / "elsewhere.md")
    config = write_project(
        root,
        specsite={
            "specs_dir": "keps",
            "prompt": str(PROMPT),
            "sidecar": "kep.yaml",
            "exclude": ["/README.md", "NNNN-*/"],
            "search": False,
        },
    )
    site = run_build(root / "site", config_file=config, strict=False)
    assert site.ok, site.output
    return site


def text(site: Site, page: str) -> str:
    """The text of a page's content, words separated by single spaces."""
    content = site.html(page).select_one("article")
    assert content is not None
    return content.get_text(" ", strip=True)


def page_files(site: Site, page: str, soup: BeautifulSoup, tag: str, attribute: str) -> list[Path]:
    """The site files the page's content references (a page URL becomes its index.html)."""
    content = soup.select_one("article")
    assert content is not None
    found = []
    for element in content.find_all(tag):
        url = str(element.get(attribute) or "")
        if not url or re.match(r"^[a-z]+:|^#|^/", url):
            continue
        path = urllib.parse.unquote(url.split("#")[0].split("?")[0])
        target = site.root / posixpath.normpath(posixpath.join(page, path))
        found.append(target / "index.html" if target.is_dir() else target)
    return found


def links(site: Site, page: str) -> dict[str, Path]:
    """Link text -> the site file it points to."""
    soup = site.html(page)
    content = soup.select_one("article")
    assert content is not None
    result = {}
    for element in content.find_all("a"):
        url = str(element.get("href") or "")
        if url and not re.match(r"^[a-z]+:|^#|^/", url):
            path = urllib.parse.unquote(url.split("#")[0])
            target = site.root / posixpath.normpath(posixpath.join(page, path))
            result[element.get_text(strip=True)] = (
                target / "index.html" if target.is_dir() else target
            )
    return result


def test_images_beside_a_folder_spec_load(built: Site) -> None:
    page = "specs/sig-a/0001-alpha/"
    soup = built.html(page)
    images = page_files(built, page, soup, "img", "src")
    assert len(images) == 3  # Markdown image, raw HTML <img>, the mixed-case one
    for image in images:
        assert image.is_file() and image.read_bytes() == PNG, image
    assert (built.root / "specs/sig-a/0001-alpha/images/Arch.png").is_file()  # case kept


def test_sibling_mixed_case_folder_and_sidecar_links_resolve(built: Site) -> None:
    found = links(built, "specs/sig-a/0001-alpha/")
    assert found["beta proposal"] == built.root / "specs/sig-a/0002-beta/index.html"
    assert found["gamma note"] == built.root / "specs/sig-a/0003-gamma/index.html"
    assert found["design notes"] == (built.root / "specs/sig-a/0001-alpha/design-notes/index.html")
    assert found["metadata"] == built.root / "specs/sig-a/0001-alpha/kep.yaml"
    for name in ("beta proposal", "gamma note", "design notes", "metadata"):
        assert found[name].is_file(), name
    # a folder that is no spec: a page listing the files published from it
    listing = built.root / "specs/sig-a/0001-alpha/example/index.html"
    assert found["example folder"] == listing and listing.is_file()
    assert links(built, "specs/sig-a/0001-alpha/example/")["widget.yaml"] == (
        built.root / "specs/sig-a/0001-alpha/example/widget.yaml"
    )
    back = links(built, "specs/sig-a/0002-beta/")
    assert back["alpha"] == built.root / "specs/sig-a/0001-alpha/index.html"
    assert re.search(
        r"keps/sig-a/0001-alpha/README\.md:\d+: links to 'images/ARCH\.png', whose name "
        r"differs in case.*\[link-case\]",
        built.output,
    )


def test_other_markdown_file_is_a_page_of_the_spec(built: Site) -> None:
    page = "specs/sig-a/0001-alpha/design-notes/"
    soup = built.html(page)
    heading = soup.select_one("article h1")
    assert heading is not None and heading.get_text(strip=True) == "Design notes"
    assert "keps/sig-a/0001-alpha/Design-Notes.md" in text(built, page)
    found = links(built, page)
    assert found["the proposal"] == built.root / "specs/sig-a/0001-alpha/index.html"
    assert found["Alpha widgets"] == built.root / "specs/sig-a/0001-alpha/index.html"
    [image] = page_files(built, page, soup, "img", "src")
    assert image.is_file()
    spec_page = links(built, "specs/sig-a/0001-alpha/")
    assert spec_page["Design notes"] == built.root / page / "index.html"
    # a page of a spec, not a spec: not in the catalog or specs.json
    sources = [spec["source"] for spec in built.export()["specs"]]
    assert not any(s.endswith("Design-Notes.md") for s in sources)
    [alpha] = [s for s in built.export()["specs"] if s["source"].endswith("0001-alpha/README.md")]
    assert alpha["pages"] == [
        {"title": "Design notes", "url": "specs/sig-a/0001-alpha/design-notes/"}
    ]


def test_unresolved_links_are_reported_at_their_source_line(built: Site) -> None:
    line = (
        ALPHA.split("\n").index("This link goes [nowhere](nowhere.md), twice: [again](nowhere.md).")
        + 1
    )
    reported = re.findall(r".*links to 'nowhere\.md'.*", built.output)
    assert len(reported) == 1, reported  # once per target and file
    assert f"keps/sig-a/0001-alpha/README.md:{line}: links to 'nowhere.md'" in reported[0]
    assert "[link-unresolved]" in reported[0]
    assert re.search(
        r"keps/sig-a/0001-alpha/Design-Notes\.md:5: links to 'gone\.png'.*\[link-unresolved\]",
        built.output,
    )
    # MkDocs no longer reports them against the generated page
    mkdocs = "".join(m for m in built.output.splitlines() if "Doc file" in m)
    assert "nowhere.md" not in mkdocs and "gone.png" not in mkdocs
    [alpha] = [s for s in built.export()["specs"] if s["source"].endswith("0001-alpha/README.md")]
    [gone] = [p for p in alpha["problems"] if "gone.png" in p["message"]]
    assert gone["source"] == "keps/sig-a/0001-alpha/Design-Notes.md" and gone["line"] == 5


def test_excluded_files_are_listed_not_published(built: Site) -> None:
    report = text(built, "build-report/")
    assert re.search(r"keps/README\.md\s+excluded by exclude: /README\.md", report)
    for name in ("NNNN-template/README.md", "NNNN-template/kep.yaml"):
        assert re.search(rf"keps/{re.escape(name)}\s+excluded by exclude: NNNN-\*/", report)
    sources = {spec["source"] for spec in built.export()["specs"]}
    assert sources == {
        "keps/sig-a/0001-alpha/README.md",
        "keps/sig-a/0002-beta/README.md",
        "keps/sig-a/0003-Gamma.md",
    }
    assert not (built.root / "specs/readme").exists()


def test_symlinked_spec_is_published_once_as_an_alias(built: Site) -> None:
    specs = built.export()["specs"]
    [beta] = [s for s in specs if s["source"].endswith("0002-beta/README.md")]
    assert beta["aliases"] == ["keps/sig-old/0002-beta.md"]
    assert not (built.root / "specs/sig-old").exists()
    risks = text(built, "risks/")
    assert risks.count("Quotas may starve batch jobs.") == 1
    page = text(built, "specs/sig-a/0002-beta/")
    assert "keps/sig-old/0002-beta.md" in page
    report = text(built, "build-report/")
    assert re.search(r"keps/sig-old/0002-beta\.md\s+is a symbolic link to sig-a/0002-beta/", report)
    assert re.search(r"keps/outside\.md\s+is a symbolic link to a file outside the specs", report)


def test_attachments_that_could_run_script_are_not_published(built: Site) -> None:
    for name in ("page.html", "evil.svg"):
        assert not (built.root / "specs/sig-a/0001-alpha" / name).exists()
    report = text(built, "build-report/")
    assert "(attachment-active)" in report


def test_no_machine_path_in_the_site(built: Site) -> None:
    machine = str(built.root.parent)
    for file in built.root.rglob("*"):
        if file.suffix in (".html", ".json", ".xml", ".js") and file.is_file():
            assert machine not in file.read_text(encoding="utf-8", errors="replace"), file
    data = json.loads((built.root / "specs.json").read_text(encoding="utf-8"))
    assert all(not s["source"].startswith("/") for s in data["specs"])


def test_kep_example_publishes_its_files_faithfully(tmp_path: Path) -> None:
    """examples/kep: the template and the folder's README.md excluded, the image and the
    other page of 1001 published, the old file name an alias; no link broken by specsite."""
    # the specs folder elsewhere on the machine: its path is published nowhere
    specs = tmp_path / "elsewhere" / "keps"
    shutil.copytree(REPO / "examples/kep/keps", specs, symlinks=True)
    site = run_build(
        tmp_path / "site",
        config_file=REPO / "examples/kep/mkdocs.yml",
        specs_dir=specs,
        strict=False,
    )
    assert site.ok, site.output
    for file in site.root.rglob("*"):
        if file.is_file() and file.suffix in (".html", ".json", ".js", ".xml"):
            assert str(tmp_path) not in file.read_text(encoding="utf-8", errors="replace"), file
    sources = [s["source"] for s in site.export()["specs"]]
    assert sources == [
        "keps/sig-widgets/1001-fast-widgets/README.md",
        "keps/sig-widgets/1002-widget-quotas/README.md",
    ]
    report = text(site, "build-report/")
    assert re.search(r"keps/README\.md\s+excluded by exclude: /README\.md", report)
    assert re.search(
        r"keps/NNNN-kep-template/kep\.yaml\s+excluded by exclude: /NNNN-kep-template/", report
    )
    fast = site.export()["specs"][0]
    assert fast["aliases"] == ["keps/sig-widgets/20250201-fast-widgets.md"]
    assert fast["pages"] == [
        {"title": "Layout cache design", "url": "specs/sig-widgets/1001-fast-widgets/cache-design/"}
    ]
    assert "link-unresolved" not in site.output and "Doc file" not in site.output
    checked = subprocess.run(
        [
            sys.executable,
            str(REPO / "scripts/check_links.py"),
            str(site.root),
            str(tmp_path / "elsewhere"),
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "broken by specsite: 0" in checked and "links: 0" not in checked, checked


def test_links_without_directory_urls(tmp_path: Path) -> None:
    """Raw HTML keeps its URL as written: specsite writes the final one for either URL style."""
    write_files(
        tmp_path / "specs",
        {
            "0001-a/README.md": (
                '# A\n\n<img src="a.png" alt="a">\n\n![a](a.png) [b](../0002-b/README.md)\n\n'
                '<p align="center">\n  <img src="a.png"\n  alt="a tag over two lines">\n</p>\n'
            ),
            "0001-a/a.png": PNG,
            "0002-b/README.md": "# B\n\nBack to [a](../0001-a/).\n",
        },
    )
    config = write_project(
        tmp_path, specsite={"specs_dir": "specs", "prompt": str(PROMPT), "search": False}
    )
    config.write_text(
        config.read_text(encoding="utf-8") + "use_directory_urls: false\n", encoding="utf-8"
    )
    site = run_build(tmp_path / "site", config_file=config, strict=False)
    assert site.ok, site.output
    page = "specs/0001-a.html"
    soup = BeautifulSoup((site.root / page).read_text(encoding="utf-8"), "html.parser")
    base = posixpath.dirname(page)
    sources = [str(img["src"]) for img in soup.select("article img")]
    assert len(sources) == 3
    for src in sources:
        assert (site.root / posixpath.join(base, src)).read_bytes() == PNG
    [href] = [str(a["href"]) for a in soup.select("article a") if a.get_text() == "b"]
    assert (site.root / posixpath.normpath(posixpath.join(base, href))) == (
        site.root / "specs/0002-b.html"
    )
    assert "link-unresolved" not in site.output
