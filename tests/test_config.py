"""Configuration and project layouts: what a user changes in mkdocs.yml and docs/."""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup

from tests.conftest import PROMPT, REPO, run_build, write_project

EXAMPLE = (REPO / "specs" / "price-alerts.md").read_text("utf-8")


def test_without_a_home_page_the_catalog_is_the_home_page(tmp_path: Path) -> None:
    specs = tmp_path / "specs"
    specs.mkdir()
    (specs / "alerts.md").write_text(EXAMPLE, "utf-8")
    config = write_project(
        tmp_path, specsite={"specs_dir": "specs", "prompt": str(PROMPT)}, docs={"x.md": "# X\n"}
    )
    site = run_build(tmp_path / "site", config_file=config, strict=False)
    assert site.ok, site.output
    link = site.html("").select_one("article table tbody tr td a")
    assert link is not None and link["href"] == "specs/alerts/"


def test_specs_inside_docs_are_published_once(tmp_path: Path) -> None:
    specs = tmp_path / "docs" / "specs"
    specs.mkdir(parents=True)
    (specs / "alerts.md").write_text(EXAMPLE, "utf-8")
    config = write_project(
        tmp_path,
        specsite={"specs_dir": "docs/specs", "prompt": str(PROMPT), "specs_url": "features"},
        docs={"index.md": "# Home\n"},
    )
    site = run_build(tmp_path / "site", config_file=config, strict=False)
    assert site.ok, site.output
    assert (site.root / "features" / "alerts" / "index.html").is_file()
    assert not (site.root / "specs").exists()
    assert [s["url"] for s in site.export()["specs"]] == ["features/alerts/"]


def test_a_users_nav_is_kept(tmp_path: Path) -> None:
    shutil.copytree(REPO / "specs", tmp_path / "specs")
    config = write_project(
        tmp_path,
        specsite={"specs_dir": "specs", "prompt": str(PROMPT)},
        docs={"index.md": "# Home\n", "about.md": "# About\n"},
        nav=[{"Start": "index.md"}, {"Risks": "risks.md"}, {"About": "about.md"}],
    )
    site = run_build(tmp_path / "site", config_file=config, strict=False)
    assert site.ok, site.output
    labels = [a.get_text(strip=True) for a in site.html("about/").select("nav.md-nav--primary a")]
    assert labels[-3:] == ["Start", "Risks", "About"]


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ("plugin", "Plugin 'specsite' option 'spec_dir': Unrecognised configuration name"),
        ("hooks", "unknown key(s) spec_dir"),
    ],
)
def test_unknown_config_keys_stop_the_build_with_a_clear_message(
    tmp_path: Path, setup: str, message: str
) -> None:
    """Even without --strict: a typo in a key would silently change what the site shows."""
    config = write_project(tmp_path, specsite={"spec_dir": "specs"}, setup=setup)
    site = run_build(tmp_path / "site", config_file=config, strict=False)
    assert not site.ok
    assert message in site.output
    assert "Traceback" not in site.output


def test_a_wrong_type_is_named_by_mkdocs(tmp_path: Path) -> None:
    config = write_project(tmp_path, specsite={"page_size": "ten"})
    site = run_build(tmp_path / "site", config_file=config)
    assert not site.ok
    assert "Plugin 'specsite' option 'page_size'" in site.output
    assert "Traceback" not in site.output


def test_plugin_options_are_the_keys_of_the_defaults() -> None:
    """The plugin's MkDocs schema and defaults.yml list the same keys (no silent drift)."""
    from specsite.config import default_values
    from specsite.plugin import SpecsitePluginConfig

    schema = {key for key, _ in SpecsitePluginConfig._schema}
    assert schema == set(default_values())


def test_a_bad_page_size_is_refused(tmp_path: Path) -> None:
    config = write_project(tmp_path, specsite={"page_size": 0})
    site = run_build(tmp_path / "site", config_file=config)
    assert not site.ok and "'page_size': expected a whole number above 0" in site.output


def _broken_links(site_root: Path, page: Path) -> list[str]:
    """Relative links in a page whose target file or anchor does not exist."""
    soup = BeautifulSoup(page.read_text("utf-8"), "html.parser")
    broken = []
    for link in soup.select("article a[href]"):
        href = str(link["href"])
        parts = urlsplit(href)
        if parts.scheme or href.startswith(("#", "/")):
            continue
        target = (page.parent / unquote(parts.path)).resolve()
        if target.is_dir():
            target = target / "index.html"
        exists = target.is_file() and target.is_relative_to(site_root.resolve())
        anchored = not parts.fragment or (
            exists and f'id="{parts.fragment}"' in target.read_text("utf-8")
        )
        if not (exists and anchored):
            broken.append(href)
    return broken


def test_every_generated_link_resolves_with_and_without_directory_urls(tmp_path: Path) -> None:
    for directory_urls in (True, False):
        root = tmp_path / str(directory_urls)
        shutil.copytree(REPO / "specs", root / "specs")
        shutil.copytree(REPO / "docs", root / "docs")
        config = write_project(root, specsite={"specs_dir": "specs", "prompt": str(PROMPT)})
        text = config.read_text("utf-8") + f"use_directory_urls: {str(directory_urls).lower()}\n"
        config.write_text(text, "utf-8")
        (root / "docs" / "index.md").write_text("# Home\n", "utf-8")
        site = run_build(root / "site", config_file=config)
        assert site.ok, site.output
        pages = sorted(site.root.rglob("*.html"))
        assert len(pages) > 15
        for page in pages:
            assert _broken_links(site.root, page) == [], page
        spec = site.export()["specs"][0]
        assert spec["url"].endswith(".html") != directory_urls
