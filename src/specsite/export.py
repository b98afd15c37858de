"""``specs.json``: the public, versioned, machine-readable view of the collection.

Its shape is a contract (``schema/specs.schema.json``, documented in the README):
change it only with a version bump.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from specsite.model import Collection, Item, Spec
from specsite.problems import Problem
from specsite.prompt import Prompt
from specsite.sanitize import json_text
from specsite.urls import page_url

EXPORT_VERSION = 1


Memo = Callable[[object, Callable[[], str]], str]
_SPECS = "\x00specs\x00"  # stands for the spec list while the rest is serialised


def export_data(
    collection: Collection,
    prompt: Prompt,
    item_url: Callable[[Spec, Item], str],
    spec_url: Callable[[Spec], str],
    *,
    specs_value: Any = None,
) -> dict[str, Any]:
    return {
        "version": EXPORT_VERSION,
        "prompt": {
            "name": prompt.meta_text("name"),
            "agent": prompt.meta_text("agent"),
            "description": prompt.meta_text("description"),
            "source": prompt.source,
            "sha256": prompt.sha256,
            "sections": [
                {
                    "title": s.title,
                    "number": s.number,
                    "required": s.required,
                    "parts": list(s.parts),
                }
                for s in prompt.sections
            ],
        },
        "specs": (
            [_spec(spec, item_url, spec_url) for spec in collection.specs]
            if specs_value is None
            else specs_value
        ),
    }


def _spec(
    spec: Spec, item_url: Callable[[Spec, Item], str], spec_url: Callable[[Spec], str]
) -> dict[str, Any]:
    def titles(state: str) -> list[str]:
        return [s.title for s in spec.sections if s.state == state]

    return {
        "slug": spec.slug,
        "title": spec.title,
        "source": spec.source,
        "url": spec_url(spec),
        "status": spec.status,
        "meta": spec.meta,
        "info": spec.info,
        "sections": {
            "present": titles("present"),
            "missing": titles("missing"),
            "empty": titles("empty"),
            "placeholder": titles("placeholder"),
        },
        "references": spec.references,
        **_lifecycle(spec),
        # the first sentence of the Recommendation section ('' when none): additive in v1
        "recommendation": spec.recommendation,
        # the components its New/Modified Components part names: additive in v1
        "components": list(spec.components),
        "items": [_item(spec, item, item_url) for item in spec.items],
        "problems": [_problem(p) for p in spec.problems],
        "endpoints": [
            {
                "method": e.method,
                "path": e.path,
                "auth": e.auth,
                "request": e.request,
                "response": e.response,
                "url": f"{spec_url(spec)}#{e.id}",
                "line": e.line,
            }
            for e in spec.endpoints
        ],
        "events": [
            {
                "name": e.name,
                "direction": e.direction,
                "payload": e.payload,
                "url": f"{spec_url(spec)}#{e.id}",
                "line": e.line,
            }
            for e in spec.events
        ],
    } | _optional(spec, lambda uri: page_url(uri, not spec_url(spec).endswith(".html")))


def _optional(spec: Spec, page_url: Callable[[str], str]) -> dict[str, Any]:
    """Keys a spec has only in some collections: its aliases, its pages."""
    data: dict[str, Any] = {}
    if spec.aliases:
        data["aliases"] = list(spec.aliases)
    if spec.pages:
        data["pages"] = [{"title": p.title, "url": page_url(p.uri)} for p in spec.pages]
    return data


def _problem(problem: Problem) -> dict[str, Any]:
    data: dict[str, Any] = {
        "severity": problem.severity,
        "code": problem.code,
        "message": problem.message,
        "line": problem.line,
    }
    if problem.source is not None:
        data["source"] = problem.source
    return data


def _item(spec: Spec, item: Item, item_url: Callable[[Spec, Item], str]) -> dict[str, Any]:
    data: dict[str, Any] = {
        "kind": item.kind,
        "id": item.id,
        "text": item.text,
        "url": item_url(spec, item),
        "resolved": item.resolved,
        "line": item.line,
    }
    if item.detail:  # optional keys: only when the item has them
        data["detail"] = item.detail
    if item.fields:
        data["fields"] = dict(item.fields)
    return data


def export_json(
    collection: Collection,
    prompt: Prompt,
    item_url: Callable[[Spec, Item], str],
    spec_url: Callable[[Spec], str],
    memo: Memo | None = None,
) -> str:
    """Strict JSON (no NaN/Infinity), the same bytes for the same input. Each spec is
    serialised on its own, so under ``serve`` (``memo``) only edited specs are."""

    def one(spec: Spec) -> str:
        return json_text(_spec(spec, item_url, spec_url))

    parts = [
        one(spec) if memo is None else memo(("export", spec), partial(one, spec))
        for spec in collection.specs
    ]
    head = json_text(export_data(collection, prompt, item_url, spec_url, specs_value=_SPECS))
    return head.replace(json_text(_SPECS), "[" + ",".join(parts) + "]", 1) + "\n"


def _lifecycle(spec: Spec) -> dict[str, Any]:
    """The lifecycle keys (``specsite.lifecycle``): status stage, supersession, dates,
    provenance, repository links."""
    life = spec.lifecycle
    dates, origin = life.dates, life.provenance
    return {
        "lifecycle": {
            "status": life.status,
            "stage": life.stage,
            "known": life.known,
            "hidden": life.hidden,
            "supersedes": [link.slug for link in life.supersedes],
            "superseded_by": [link.slug for link in life.superseded_by],
        },
        "dates": {
            "created": dates.created,
            "created_from": dates.created_from,
            "updated": dates.updated,
            "updated_from": dates.updated_from,
        },
        "provenance": {
            "prompt": origin.prompt,
            "version": origin.version,
            "hash": origin.hash,
            "state": origin.state,
        },
        "source_url": life.view_url,
        "edit_url": life.edit_url,
    }
