"""The API and event catalog: extraction, the catalog page, conflicts and the export."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml

from specsite.api import ApiExtractor, endpoint_key
from specsite.blocks import parse_blocks
from specsite.config import load_config
from specsite.model import Endpoint
from specsite.prompt import load_prompt
from tests.conftest import REPO, Site, SiteBuilder

Found = tuple[list[tuple[str | None, ...]], list[tuple[str | None, ...]]]


@pytest.fixture(scope="module")
def api() -> ApiExtractor:
    config = load_config({}, REPO)
    return ApiExtractor(config, load_prompt(config))


def extract(api: ApiExtractor, text: str, *, fields: bool = False) -> Found:
    endpoints, events = api.extract(parse_blocks(text), text.split("\n"), 0)
    if fields:
        return (
            [(e.method, e.path, e.auth, e.request, e.response) for e in endpoints],
            [(e.name, e.direction, e.payload) for e in events],
        )
    return [(e.method, e.path) for e in endpoints], [(e.name,) for e in events]


def test_tables_in_several_column_layouts(api: ApiExtractor) -> None:
    text = """\
### API & Event Definitions

| Path | Method | Auth | Request Body | Response |
|---|---|---|---|---|
| `/api/v1/x/{id}` | `GET` | JWT | — | 200 `X` |

| Endpoint | Auth | Returns |
|---|---|---|
| `POST /api/v1/x` | JWT | 201 |
| `DELETE /api/v1/x/{id}` | admin | 204 |

| Verb | Route | Body | Success | Errors |
|---|---|---|---|---|
| PUT | /api/v1/y | `Y` | 200 | 404 |

| Message | Sender | Schema |
|---|---|---|
| `x.created` | server | `{id}` |

| Channel | Event | Direction | Payload |
|---|---|---|---|
| `/ws/v1/x` | `x.updated` | S→C | `X` |

| From | To | Event | Payload |
|---|---|---|---|
| client | server | `x.ping` | `{}` |
"""
    assert extract(api, text, fields=True) == (
        [
            ("GET", "/api/v1/x/{id}", "JWT", None, "200 X"),
            ("POST", "/api/v1/x", "JWT", None, "201"),
            ("DELETE", "/api/v1/x/{id}", "admin", None, "204"),
            ("PUT", "/api/v1/y", None, "Y", "200"),
        ],
        [
            ("x.created", "server->client", "{id}"),
            ("x.updated", "server->client", "X"),
            ("x.ping", "client->server", "{}"),
        ],
    )


def test_table_cells_holding_several_endpoints_or_a_bare_path(api: ApiExtractor) -> None:
    text = """\
### API & Event Definitions

| Method | Path |
|---|---|
| GET | api/v1/alerts |

| Endpoint | Notes |
|---|---|
| `GET /api/v1/x`, `POST /api/v1/x` | list and create |

The `alerts` channel carries `alert.triggered` and `alert.cleared` events (server → client).
"""
    assert extract(api, text, fields=True) == (
        [
            ("GET", "/api/v1/alerts", None, None, None),
            ("GET", "/api/v1/x", None, None, None),
            ("POST", "/api/v1/x", None, None, None),
        ],
        [("alert.triggered", "server->client", None), ("alert.cleared", "server->client", None)],
    )


def test_inline_code_in_bullets_paragraphs_and_sub_headings(api: ApiExtractor) -> None:
    text = """\
## 2. Proposed Solution

### API & Event Definitions

**REST API** (JWT everywhere)

- `GET /api/v1/alerts?state=active` (JWT) → 200 `Alert[]`
- `PATCH /api/v1/alerts/{id}` — JWT — body `AlertUpdate` → `200 Alert` / `404`
- `GET/DELETE /api/v1/alerts/{id}/mute`.
- POST `/api/v1/alerts/{id}/test` → 202

`PUT /api/v1/alerts/{id}/quiet` — auth: bearer. Body: `{until}`. Returns `204`.

#### `POST /api/v1/alerts`

**Auth:** JWT

**Request:** `AlertCreate`

**Response:** `201 Alert`, `422`

**WebSocket API** (`/ws/v1/alerts`)

- `alert.triggered` (server->client): `{ alert_id, price }`
- **alert.cleared** (server → client): `{ alert_id }`
- WS `alerts.subscribe` (client->server) `{}`; `alerts.subscribed` (server->client) `{ count }`.
- `alert.snoozed` / `alert.woken` (server->client)

### Integration Points

- The `users` module keeps serving `GET /api/v1/users/{id}`; `user.updated` (server->client).
"""
    assert extract(api, text, fields=True) == (
        [
            ("GET", "/api/v1/alerts", "JWT", None, "200 Alert[]"),
            ("PATCH", "/api/v1/alerts/{id}", "JWT", "AlertUpdate", "200 Alert / 404"),
            ("GET", "/api/v1/alerts/{id}/mute", "JWT", None, None),
            ("DELETE", "/api/v1/alerts/{id}/mute", "JWT", None, None),
            ("POST", "/api/v1/alerts/{id}/test", "JWT", None, "202"),
            ("PUT", "/api/v1/alerts/{id}/quiet", "bearer", "{until}", "204"),
            ("POST", "/api/v1/alerts", "JWT", "AlertCreate", "201 Alert, 422"),
        ],
        [
            ("alert.triggered", "server->client", "{ alert_id, price }"),
            ("alert.cleared", "server->client", "{ alert_id }"),
            ("alerts.subscribe", "client->server", "{}"),
            ("alerts.subscribed", "server->client", "{ count }"),
            ("alert.snoozed", "server->client", None),
            ("alert.woken", "server->client", None),
        ],
    )


def test_nested_bullets_and_list_labels_give_the_fields(api: ApiExtractor) -> None:
    text = """\
## 2. Proposed Solution / Implementation Details

* **Architecture & Data Flow:** the UI calls `POST /api/v1/orders/{id}/notes`.
* **API & Event Definitions:**
    * **REST API:**
        * `POST /api/v1/orders/{order_id}/notes`
            * Auth: JWT
            * Request: `NoteCreate`
            * Response: 201 `Note`
    * **WebSocket API:**
        * `order.note_added` — server→client — payload `{ order_id, note }`
* **Testing Strategy:** `DELETE /api/v1/orders/{id}/notes/{note_id}` returns 404 twice.
"""
    assert extract(api, text, fields=True) == (
        [("POST", "/api/v1/orders/{order_id}/notes", "JWT", "NoteCreate", "201 Note")],
        [("order.note_added", "server->client", "{ order_id, note }")],
    )


def test_details_below_a_definition_path_first_and_unchanged_rows(api: ApiExtractor) -> None:
    text = """\
### API & Event Definitions

**`POST /api/v1/alerts`** — Create an alert.

- Auth: JWT
- Body: `AlertCreate`
- 201 `Alert`; 422 on validation error

- `/api/v1/alerts/{id}` (DELETE) — JWT → 204

| Method | Path | Notes |
|---|---|---|
| GET | `/api/v1/alerts` | existing, unchanged |
| GET | `/api/v1/alerts/{id}/history` | new |

- **Event:** `alert.fired` — **Direction:** server→client — **Payload:** `{ id }`
"""
    assert extract(api, text, fields=True) == (
        [
            ("POST", "/api/v1/alerts", "JWT", "AlertCreate", "201 Alert"),
            ("DELETE", "/api/v1/alerts/{id}", "JWT", None, "204"),
            ("GET", "/api/v1/alerts/{id}/history", None, None, None),
        ],
        [("alert.fired", "server->client", "{ id }")],
    )


def test_socket_urls_and_key_or_field_tables_are_not_definitions(api: ApiExtractor) -> None:
    text = """\
### WebSocket API

Connect with `GET /ws/v1/alerts` (upgrade).

| Key | Type | TTL |
|---|---|---|
| `alerts:{user_id}` | hash | 1 h |

| Field | Type | Notes |
|---|---|---|
| `alert_id` | uuid | |

| Name | Direction |
|---|---|
| `error` | server->client |
"""
    assert extract(api, text) == ([], [("error",)])


def test_api_headings_the_names_miss_are_found_by_their_words(api: ApiExtractor) -> None:
    text = """\
### Realtime (WebSocket) Events

| Event | Message |
|---|---|
| `a.b` | `{ x }` |

### Proposed endpoints

- `GET /api/v1/q` → 200

### API keys

- `GET /api/v1/not-an-api-part` → 200

### Domain events

- `c.d` (server->client)
"""
    assert extract(api, text, fields=True) == (
        [("GET", "/api/v1/q", None, None, "200")],
        [("a.b", None, "{ x }")],
    )


def test_api_labels_under_other_parts_are_mentions(api: ApiExtractor) -> None:
    text = """\
## 2. Proposed Solution / Implementation Details

* **Architecture & Data Flow:**
    * **API:** the gateway already exposes `GET /api/v1/mention`.
* **API & Event Definitions:**
    * `POST /api/v1/defined` → 201

### Integration Points

**API:** `GET /api/v1/mention2` of the users module.

#### WebSocket API

- `x.mention` (server->client)
"""
    assert extract(api, text) == ([("POST", "/api/v1/defined")], [])


def test_a_part_heading_gives_auth_and_direction_to_what_follows(api: ApiExtractor) -> None:
    text = """\
### REST API (all endpoints require a valid JWT)

- `GET /api/v1/a` → 200
- `GET /api/v1/b` (public) → 200

### WebSocket API (server → client)

- `a.changed` `{ id }`
- `a.ping` (client->server)
"""
    assert extract(api, text, fields=True) == (
        [("GET", "/api/v1/a", "JWT", None, "200"), ("GET", "/api/v1/b", "public", None, "200")],
        [("a.changed", "server->client", "{ id }"), ("a.ping", "client->server", None)],
    )


def test_mentions_outside_the_api_part_and_code_are_not_definitions(api: ApiExtractor) -> None:
    text = """\
## 2. Proposed Solution

### Architecture & Data Flow

The chart calls `GET /api/v1/charts` and receives `chart.updated` (server->client).

### API & Event Definitions

```http
POST /api/v1/from-a-code-block
```

    curl -X DELETE https://host/api/v1/from-curl

- `GET /api/v1/charts` → 200 `Chart[]`
- Internally, `charts.saved` is published on the event bus.
- Both `openapi.json` and `asyncapi.yaml` get a minor bump.

## 3. Risks & Concerns

- **Risks:** `GET /api/v1/charts` could be slow; `chart.updated` (server->client) storms.
"""
    assert extract(api, text) == ([("GET", "/api/v1/charts")], [])


def test_unchanged_endpoints_and_events_are_mentions(api: ApiExtractor) -> None:
    text = """\
### API & Event Definitions

- The existing `GET /api/v1/users/me` is unchanged.
- `PUT /api/v1/users/me/prefs` — existing endpoint, new fields.
- `GET /api/v1/bars?adjustment=all` — unchanged shape, new `adjustment` query param.
- The existing `order.filled` event is unchanged.
- `order.updated` event now carries `account_kind`.
"""
    assert extract(api, text) == (
        [("PUT", "/api/v1/users/me/prefs"), ("GET", "/api/v1/bars")],
        [("order.updated",)],
    )


@pytest.mark.parametrize(
    ("written", "direction"),
    [
        ("server->client", "server->client"),
        ("Server → Client", "server->client"),
        ("S2C", "server->client"),
        ("client-to-server", "client->server"),
        ("C→S", "client->server"),
        ("Outgoing", "server->client"),
        ("↑", "client->server"),
        ("→ client", "server->client"),
        ("sent by the browser", "client->server"),
        ("bidirectional", "both"),
        ("server", "server->client"),
        ("sideways", "sideways"),
    ],
)
def test_directions_have_one_spelling(api: ApiExtractor, written: str, direction: str) -> None:
    text = f"### WebSocket API\n\n| Event | Direction |\n|---|---|\n| `a.b` | {written} |\n"
    events: list[tuple[str | None, ...]] = [("a.b", direction, None)]
    assert extract(api, text, fields=True)[1] == events


def test_each_api_part_defines_an_endpoint_once_and_anchors_are_numbered(
    api: ApiExtractor,
) -> None:
    text = """\
## Approach A

### API & Event Definitions

- `GET /api/v1/a/{id}` → 200

## Approach B

### API & Event Definitions

- `GET /api/v1/a/{a_id}` → 200, same as A
- `POST /api/v1/a` → 201

`GET /api/v1/a/{a_id}` is cached for 5 s.
"""
    endpoints, _ = api.extract(parse_blocks(text), text.split("\n"), 10)
    assert [(e.method, e.path, e.id, e.line) for e in endpoints] == [
        ("GET", "/api/v1/a/{id}", "api-endpoint-1", 15),
        ("GET", "/api/v1/a/{a_id}", "api-endpoint-2", 21),
        ("POST", "/api/v1/a", "api-endpoint-3", 22),
    ]


def test_a_huge_paragraph_is_read_within_bounds(api: ApiExtractor) -> None:
    """Definitions are short: a hostile run of 100,000 event names yields a bounded list."""
    text = "### WebSocket API\n\n" + " ".join(f"`e.n{i}` (server->client)" for i in range(100_000))
    _, events = extract(api, text)
    assert 0 < len(events) <= 200


def test_paths_lose_host_and_query_and_name_parameters_in_braces(api: ApiExtractor) -> None:
    text = (
        "### REST API\n\n- `GET https://api.example.com/api/v1/a/:id?x=1` → 200\n"
        "- `PUT /api/v1/b/:b_id/c`.\n"
    )
    assert extract(api, text) == ([("GET", "/api/v1/a/{id}"), ("PUT", "/api/v1/b/{b_id}/c")], [])


def test_path_parameters_compare_by_position_not_name() -> None:
    assert endpoint_key("get", "/a/{id}") == endpoint_key("GET", "/a/{alert_id}/")
    assert endpoint_key("GET", "/a/:id/b") == endpoint_key("GET", "/a/<x>/b")
    assert endpoint_key("GET", "/a/{id}") != endpoint_key("GET", "/a/{id}/b")
    assert endpoint_key("GET", "/a/{id}") != endpoint_key("PUT", "/a/{id}")


def test_the_api_part_is_configuration(tmp_path: Path) -> None:
    text = "## Interfaz\n\n- `GET /api/v1/x` → 200\n\n## API\n\n- `GET /api/v1/y` → 200\n"
    config = load_config({"api": {"headings": ["Interfaz"], "rest": [], "events": []}}, REPO)
    custom = ApiExtractor(config, load_prompt(config))
    assert extract(custom, text) == ([("GET", "/api/v1/x")], [])


# -- a real site ---------------------------------------------------------------------

SPEC = """\
---
title: {title}
status: {status}
---
# {title}

## 2. Proposed Solution

### API & Event Definitions

| Method | Path | Auth | Request | Response |
|---|---|---|---|---|
| GET | `/api/v1/alerts/{{{param}}}` | {auth} | - | 200 `Alert` |
| POST | `/api/v1/{slug}` | JWT | `{{ x }}` | 201 `<img src=x onerror=alert(1)>` <b>x</b> |

| Event | Direction | Payload |
|---|---|---|
| `alert.triggered` | {direction} | `{{ alert_id }}` |

## 3. Risks & Concerns

- **Risks:** none.
"""


def spec(title: str, status: str, param: str, auth: str, direction: str, slug: str) -> str:
    return SPEC.format(
        title=title, status=status, param=param, auth=auth, direction=direction, slug=slug
    )


@pytest.fixture(scope="module")
def conflict_site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    from tests.conftest import run_build, write_files

    root = tmp_path_factory.mktemp("api")
    specs = write_files(
        root / "specs",
        {
            "a-alerts.md": spec("Alerts", "Approved", "id", "JWT", "server->client", "a"),
            "b-mobile.md": spec("Mobile", "review", "alert_id", "session", "client->server", "b"),
            "c-old.md": spec("Old alerts", "Superseded", "x", "none", "both", "c"),
            "d-gone.md": spec("Gone", "REJECTED", "x", "none", "both", "d"),
        },
    )
    return run_build(root / "site", specs_dir=specs, strict=False)


def test_conflicts_are_build_warnings_naming_both_specs(conflict_site: Site) -> None:
    assert conflict_site.ok, conflict_site.output
    warnings = re.findall(r"WARNING -  specsite: (.*\[api-conflict\])", conflict_site.output)
    assert len(warnings) == 2
    assert re.fullmatch(
        r"\S*/b-mobile\.md:13: GET /api/v1/alerts/\{alert_id\} is also defined by "
        r"\S*/a-alerts\.md:13 with a different auth \[api-conflict\]",
        warnings[0],
    )
    assert re.fullmatch(
        r"\S*/b-mobile\.md:18: event alert\.triggered is also defined by "
        r"\S*/a-alerts\.md:18 with a different direction \[api-conflict\]",
        warnings[1],
    )

    def conflicts(name: str) -> list[tuple[str, int]]:
        problems = conflict_site.spec(name)["problems"]
        return [(p["code"], p["line"]) for p in problems if p["code"] == "api-conflict"]

    assert conflicts("b-mobile.md") == [("api-conflict", 13), ("api-conflict", 18)]
    for name in ("a-alerts.md", "c-old.md", "d-gone.md"):
        assert not conflicts(name), name


def test_conflicts_fail_a_strict_build(build_specs: SiteBuilder) -> None:
    site = build_specs(
        {
            "a.md": spec("A", "draft", "id", "JWT", "server->client", "a"),
            "b.md": spec("B", "draft", "id", "JWT", "server->client", "b"),
            "c.md": spec("C", "draft", "n", "admin", "server->client", "c"),
        }
    )
    assert not site.ok
    assert re.search(
        r"c\.md:13: GET /api/v1/alerts/\{n\} is also defined by .*a\.md:13", site.output
    )
    assert "b.md:13" not in site.output  # the same definition twice is no conflict


def test_the_catalog_page_lists_every_definition_and_flags_conflicts(conflict_site: Site) -> None:
    page = conflict_site.html("api/")
    tables = page.select("article table")
    conflicts, endpoints, events = tables
    rows = [
        [td.get_text(" ", strip=True) for td in tr.select("td")]
        for tr in conflicts.select("tbody tr")
    ]
    assert rows == [
        ["GET /api/v1/alerts/{alert_id}", "auth", "Alerts (line 13)", "Mobile (line 13)"],
        ["event alert.triggered", "direction", "Alerts (line 18)", "Mobile (line 18)"],
    ]
    listed = [
        (
            tr.select("td")[0].get_text(),
            tr.select("td")[1].get_text(),
            tr.select("td")[5].get_text(),
        )
        for tr in endpoints.select("tbody tr")
    ]
    assert listed == [
        ("POST", "/api/v1/a", "Alerts"),
        ("GET", "/api/v1/alerts/{id}", "Alerts"),
        ("GET", "/api/v1/alerts/{alert_id}", "Mobile"),
        ("GET", "/api/v1/alerts/{x}", "Old alerts"),
        ("GET", "/api/v1/alerts/{x}", "Gone"),
        ("POST", "/api/v1/b", "Mobile"),
        ("POST", "/api/v1/c", "Old alerts"),
        ("POST", "/api/v1/d", "Gone"),
    ]
    flagged = [
        tr.select("td")[column].get_text()
        for table, column in ((endpoints, 5), (events, 3))
        for tr in table.select("tbody tr.specsite-conflict")
    ]
    assert flagged == ["Alerts", "Mobile", "Alerts", "Mobile"]
    assert len(events.select("tbody tr")) == 4
    # every row links to its definition: the anchor exists in the spec page
    for link in page.select("article table a[href*='#api-']"):
        target, anchor = str(link["href"]).split("#")
        spec_page = conflict_site.html("api/" + target)
        assert spec_page.select_one(f"#{anchor}") is not None, link["href"]
    # spec text is escaped: no element from a table cell
    assert not page.select("article img") and not page.select("article table b")
    assert "201 <img src=x onerror=alert(1)> x" in endpoints.get_text()


def test_the_catalog_is_in_the_nav_after_the_indexes(conflict_site: Site) -> None:
    nav = conflict_site.html("").select_one("nav.md-nav--primary")
    assert nav is not None
    labels = [a.get_text(strip=True) for a in nav.select("a")]
    assert labels.index("API catalog") == labels.index("Out of scope") + 1


def test_specs_json_carries_endpoints_and_events_and_matches_its_schema(
    conflict_site: Site, example_site: Site
) -> None:
    schema = json.loads((REPO / "schema" / "specs.schema.json").read_text("utf-8"))
    jsonschema.validate(conflict_site.export(), schema)
    jsonschema.validate(example_site.export(), schema)
    entry = conflict_site.spec("a-alerts.md")
    assert entry["endpoints"] == [
        {
            "method": "GET",
            "path": "/api/v1/alerts/{id}",
            "auth": "JWT",
            "request": None,
            "response": "200 Alert",
            "url": "specs/a-alerts/#api-endpoint-1",
            "line": 13,
        },
        {
            "method": "POST",
            "path": "/api/v1/a",
            "auth": "JWT",
            "request": "{ x }",
            "response": "201 <img src=x onerror=alert(1)> x",
            "url": "specs/a-alerts/#api-endpoint-2",
            "line": 14,
        },
    ]
    assert entry["events"] == [
        {
            "name": "alert.triggered",
            "direction": "server->client",
            "payload": "{ alert_id }",
            "url": "specs/a-alerts/#api-event-1",
            "line": 18,
        }
    ]
    example = example_site.spec("price-alerts.md")
    assert [e["path"] for e in example["endpoints"]][:2] == ["/api/v1/alerts", "/api/v1/alerts"]
    assert "alert.triggered" in [e["name"] for e in example["events"]]


def test_the_catalog_is_paginated(build_specs: SiteBuilder, tmp_path: Path) -> None:
    from tests.conftest import run_build, write_files, write_project

    specs = write_files(
        tmp_path / "many",
        {
            f"s{n}.md": spec(f"S{n}", "draft", "id", "JWT", "server->client", f"s{n}")
            for n in range(4)
        },
    )
    config = write_project(
        tmp_path / "project",
        specsite={
            "specs_dir": str(specs),
            "prompt": str(REPO / "prompts" / "study.md"),
            "page_size": 3,
        },
    )
    site = run_build(tmp_path / "site", config_file=config, strict=False)
    assert site.ok, site.output
    pages = [
        "api/",
        *sorted(f"api/{p.parent.name}/" for p in (site.root / "api").glob("*/index.html")),
    ]
    seen = []
    for path in pages:
        rows = site.html(path).select("article table.specsite-api tbody tr")
        assert 0 < len(rows) <= 3, path
        seen += [str(a["href"]).split("specs/", 1)[1] for tr in rows for a in tr.select("td a")[:1]]
    wanted = [
        e["url"].split("specs/", 1)[1]
        for s in site.export()["specs"]
        for e in [*s["endpoints"], *s["events"]]
    ]
    assert sorted(seen) == sorted(wanted) and len(seen) == 12 and len(pages) == 5


# -- a blind labelled corpus -------------------------------------------------------------

THRESHOLD = 0.95


CORPORA = [
    (
        "api_corpus",
        "expected.yaml",
        {
            ("PATCH /api/v1/orders/{}", "order-amendments", "order-entry-api"),
            ("event order.updated", "order-amendments", "order-entry-api"),
        },
    ),
    # a second blind corpus (tests/fixtures/corpus5/LABELS.txt), measured before any change
    ("corpus5", "api_expected.yaml", {("event alert.triggered", "mobile-push", "price-alerts-v2")}),
]


@pytest.mark.parametrize(("folder", "labels_file", "expected_conflicts"), CORPORA)
def test_recall_and_precision_on_a_labelled_corpus(
    folder: str, labels_file: str, expected_conflicts: set[tuple[str, str, str]]
) -> None:
    """The corpora were written and labelled by other sessions, blind to the extractor
    (api_corpus/MEASUREMENT.txt has its blind figures); endpoints match on method and path
    (parameters by position), events on name, one to one, nearest line first."""
    from specsite.build import build

    corpus = REPO / "tests" / "fixtures" / folder
    config = load_config({"specs_dir": str(corpus), "prompt": str(REPO / "prompts/study.md")}, REPO)
    collection = build(config, set()).collection
    expected = yaml.safe_load((corpus / labels_file).read_text("utf-8"))
    counts = {"endpoints": [0, 0, 0], "events": [0, 0, 0]}  # matched, labelled, extracted
    lines = [0, 0]
    for spec in collection.specs:
        labels = expected.get(Path(spec.source).stem) or {}
        for kind, got in (("endpoints", spec.endpoints), ("events", spec.events)):
            keys = [
                (endpoint_key(e.method, e.path) if isinstance(e, Endpoint) else e.name, e.line)
                for e in got
            ]
            free = list(range(len(keys)))
            for label in labels.get(kind) or []:
                key = (
                    endpoint_key(label["method"], str(label["path"]))
                    if kind == "endpoints"
                    else label["name"]
                )
                candidates = [i for i in free if keys[i][0] == key]
                if candidates:
                    best = min(candidates, key=lambda i: abs(keys[i][1] - label["line"]))
                    free.remove(best)
                    counts[kind][0] += 1
                    lines[0] += keys[best][1] == label["line"]
                    lines[1] += 1
                counts[kind][1] += 1
            counts[kind][2] += len(got)
    for kind, (matched, labelled, extracted) in counts.items():
        assert labelled > 30 and extracted > 30, kind
        assert matched / labelled >= THRESHOLD, (kind, "recall", matched, labelled)
        assert matched / extracted >= THRESHOLD, (kind, "precision", matched, extracted)
    assert lines[0] / lines[1] >= THRESHOLD
    conflicts = {
        (c.key, Path(c.first.source).stem, Path(c.later.source).stem)
        for c in collection.api_conflicts
    }
    assert conflicts == expected_conflicts


def test_catalog_pages_stay_bounded_in_size_not_only_in_rows() -> None:
    """Long payloads or one endpoint defined by hundreds of specs must not make a catalog
    page of ``page_size`` rows grow past its budget: pages split by size as well."""
    from specsite.api import _row_cost, catalog_chunks, catalog_rows
    from specsite.build import build

    corpus = REPO / "tests" / "fixtures" / "api_corpus"
    config = load_config({"specs_dir": str(corpus), "prompt": str(REPO / "prompts/study.md")}, REPO)
    collection = build(config, set()).collection
    rows = catalog_rows(collection.specs, collection.api_conflicts)
    largest = max(_row_cost(row) for row in rows)
    budget = 4 * largest
    pages = catalog_chunks(rows, 1000, budget)
    assert len(pages) > 3
    assert [row for page in pages for row in page] == rows  # nothing lost, order kept
    assert all(sum(_row_cost(row) for row in page) <= budget for page in pages)
    assert catalog_chunks(rows, 1000) == [rows]  # a small catalog is one page
