"""examples/kep/: a KEP-style collection (README.md per folder, kep.yaml beside it) by
configuration alone, built with the real ``mkdocs build``."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import REPO, Site, run_build

KEP = REPO / "examples" / "kep"


@pytest.fixture(scope="module")
def kep_site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    site = run_build(
        tmp_path_factory.mktemp("kep") / "site", config_file=KEP / "mkdocs.yml", strict=False
    )
    assert site.ok, site.output
    return site


def _items(site: Site, name: str) -> list[tuple[str, str]]:
    spec = next(s for s in site.export()["specs"] if s["source"].endswith(f"{name}/README.md"))
    return [(item["kind"], item["text"]) for item in spec["items"]]


def test_only_proposals_are_published(kep_site: Site) -> None:
    sources = [s["source"] for s in kep_site.export()["specs"]]
    assert [Path(s).parent.name for s in sources] == ["1001-fast-widgets", "1002-widget-quotas"]


def test_items_follow_the_principles(kep_site: Site) -> None:
    assert _items(kep_site, "1001-fast-widgets") == [
        (
            "risk",
            "The layout cache can serve a stale layout after a widget is removed; "
            "the cache key includes the layout version.",
        ),
        ("risk", "A cold cache after a deploy makes the first load slower than today."),
        ("out_of_scope", "Changing the widget API."),
        ("out_of_scope", "Server-side rendering of widgets."),
        ("open_question", "Do we cache per user or per team? Decision: per user."),
        ("open_question", "How long does a cached layout live?"),
    ]
    # the questionnaire's questions and answers are no performance items
    assert _items(kep_site, "1002-widget-quotas") == [
        ("risk", "Existing dashboards exceed the quota"),
        ("out_of_scope", "Quotas per organisation."),
    ]


def test_kep_yaml_metadata(kep_site: Site) -> None:
    specs = {Path(s["source"]).parent.name: s for s in kep_site.export()["specs"]}
    fast = specs["1001-fast-widgets"]
    assert fast["title"] == "Fast widget rendering"
    assert fast["info"] == {
        "owner": ["@ana", "@bo"],
        "status": "implementable",
        "updated": "2025-06-01",
    }
    (problem,) = [p for p in fast["problems"] if p["code"] == "metadata-invalid"]
    assert "'creation-date' (kep.yaml line 8)" in problem["message"]
    page = " ".join(kep_site.html("specs/sig-widgets/1001-fast-widgets/").get_text(" ").split())
    assert "milestone: alpha: v1.31; beta: v1.32" in page and "{'alpha'" not in page
    quotas = specs["1002-widget-quotas"]["items"][0]
    assert quotas["fields"] == {"mitigation": "grandfather existing dashboards for one release."}
    register = " ".join(kep_site.html("risks/").get_text(" ").split())
    assert "grandfather existing dashboards for one release." in register
