"""The API and event catalog: REST endpoints and WebSocket events that specs define.

Only the spec's API part counts (the prompt's 'API & Event Definitions', with its
'REST API' and 'WebSocket API' labels; configured under ``api``): an endpoint named in
Integration Points, prose elsewhere or a code block is a mention, not a definition.
Inside that part, definitions come from tables (columns recognised by their names or,
failing that, by their cells), from inline code (```GET /api/v1/alerts/{id}```, an
event name with its direction) in paragraphs, list items and sub-headings.

The walk reuses the spec's block tree (``specsite.blocks``), so each spec is parsed
once; conflicts are found by grouping definitions on a normalised key, so their cost
grows with the collection, not with its square.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from markdown_it.token import Token

from specsite.blocks import Block, Heading, Inline, ListBlock, ListItem, Paragraph, Quote, Table
from specsite.config import Config
from specsite.headings import alternatives, normalize
from specsite.model import AnchorStyle, ApiConflict, Endpoint, Event, Spec
from specsite.plaintext import fold, inline_text, leading_strong
from specsite.problems import Problem
from specsite.prompt import Prompt
from specsite.statuses import StatusConfig

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")
# statuses whose definitions never conflict with anyone's

_CODE_OPEN, _CODE_CLOSE = "\x01", "\x02"
_MAX_RUN = 4_000  # characters of one paragraph, item or cell read for definitions
_MAX_STARTS = 200  # candidate definitions read in one of them
_M = "(?:" + "|".join(METHODS) + ")"
_METHOD_LIST = _M + r"(?:[ \t]*(?:/|\\?\||,|&|or|and)[ \t]*" + _M + r")*"
_ENDPOINT = re.compile(
    r"(?<![\w/.-])(?P<methods>" + _METHOD_LIST + r")(?![\w-])"
    r"[ \t\x01\x02]*(?:https?://[\w.-]+(?::\d+)?)?(?P<path>/(?!" + _M + r"\b)[^\s\x01\x02]*)"
)
_PATH_THEN_METHOD = re.compile(
    r"\x01(?P<path>/[^\s\x01\x02]*)\x02[ \t]*(?:\(|\[|—|–|-|:|,)?[ \t]*"
    r"\x01?(?P<methods>" + _METHOD_LIST + r")(?![\w-])"
)
_PATH = re.compile(r"(?<![\w.])(/[^\s`'\"<>|]*)")
_METHOD_WORD = re.compile(r"(?<![\w])" + _M + r"(?![\w])", re.IGNORECASE)
_CODE = re.compile(r"\x01([^\x01\x02]*)\x02")
# an event name: dotted, colon or slash separated words ('alert.triggered', 'flags:changed')
_DOTTED_NAME = re.compile(r"^[A-Za-z_][\w-]*(?:[.:][A-Za-z_][\w-]*)+$")
_IDENTIFIER = re.compile(r"^[A-Za-z_][\w.:-]*$")
_NAME_WITH_PAYLOAD = re.compile(r"^(?P<name>[A-Za-z_][\w.:-]*)\s*(?P<payload>[{(\[].*)$", re.S)
_FILE_SUFFIXES = {
    "py",
    "ts",
    "tsx",
    "js",
    "jsx",
    "vue",
    "md",
    "json",
    "yaml",
    "yml",
    "sql",
    "toml",
    "txt",
    "csv",
    "html",
    "css",
    "go",
    "rs",
    "java",
    "proto",
    "lua",
    "sh",
    "ini",
    "cfg",
    "lock",
    "xml",
    "avsc",
    "graphql",
    "env",
    "log",
    "conf",
    "mjs",
    "cjs",
    "d",
}
_SIDE = {
    "server": "server",
    "backend": "server",
    "gateway": "server",
    "api": "server",
    "s": "server",
    "srv": "server",
    "client": "client",
    "browser": "client",
    "frontend": "client",
    "c": "client",
    "ui": "client",
    "app": "client",
    "cli": "client",
}
_DIRECTION = re.compile(
    r"(?<![\w])(server|backend|gateway|srv|s|client|browser|frontend|ui|app|c)\s*"
    r"(?:->|-->|→|⟶|=>|⇒|➔|➜|-to-|\s+to\s+|2|>)\s*"
    r"(server|backend|gateway|srv|s|client|browser|frontend|ui|app|c)(?![\w])",
    re.IGNORECASE,
)
# one side only: '→ client', 'pushed to the client', 'sent by the server', 'from client'
_TOWARDS = re.compile(
    r"(?:→|->|=>|⇒|\bpush(?:ed|es)? to|\bsent to|\bto)\s*(?:the\s+)?"
    r"(?P<to>client|clients|browser|frontend|ui|server|backend)\b"
    r"|\b(?:sent by|from|emitted by|pushed by|published by)\s+(?:the\s+)?"
    r"(?P<by>client|browser|frontend|ui|server|backend|gateway)\b",
    re.IGNORECASE,
)
_BOTH = re.compile(r"\b(?:bidirectional|bi-directional|both(?: ways| directions)?)\b|↔|<->|⇄", re.I)
_PUSH = re.compile(
    r"^\W*(?:push|pushed|server push|emit|emitted|broadcast|outbound|outgoing|down|downstream"
    r"|s2c)\W*$|^\W*[↓⬇]\W*$",
    re.I,
)
_SEND = re.compile(
    r"^\W*(?:send|sent|inbound|incoming|up|upstream|request|command|c2s)\W*$|^\W*[↑⬆]\W*$", re.I
)
_EVENT_CUE = re.compile(
    r"\b(?:ws|websockets?|web socket|socket|events?|messages?|asyncapi|channel|topic|fastws"
    r"|emits?|emitted|pushe?s?|pushed|broadcasts?|subscribes?|notif(?:y|ies|ication))\b",
    re.IGNORECASE,
)
_EVENT_AFTER = re.compile(r"^\s*(?:events?|messages?|frames?|notifications?)\b", re.IGNORECASE)
# words that say an event travels elsewhere (a domain event on the bus), not on the socket
_NOT_SOCKET = re.compile(
    r"\b(?:domain events?|event bus|internal(?:ly)?|redis|kafka|stream|pub/?sub|queue|webhook)\b",
    re.IGNORECASE,
)
_SOCKET = re.compile(r"\b(?:ws|websockets?|web socket|socket|fastws)\b", re.IGNORECASE)
# what may stand before an event name that starts its clause: 'WS', 'WebSocket:', 'new'...
_LEAD_FILLER = re.compile(
    r"^(?:[\s\W]|\b(?:ws|websockets?|web socket|socket|api|new|changed|modified|event|events"
    r"|message|messages|channel|topic|and|or|also|plus|subscribe|server|client|to)\b)*$",
    re.IGNORECASE,
)
_AUTH_WORDS = re.compile(
    r"\b(?:jwt|bearer|session|cookie|public|anonymous|unauthenticated|api[- ]?keys?|hmac|oauth2?"
    r"|mtls|tokens?|admins?|roles?|scopes?|owner|staff|ops|internal|authenticated|auth|login"
    r"|signed|basic|no auth|service|support|compliance|quant|operator|logged[- ]in)\b",
    re.IGNORECASE,
)
_LABELS = re.compile(
    r"(?<![\w-])(?P<label>auth(?:entication|orization)?|permissions?|scopes?|roles?"
    r"|request(?:[ \t]+body)?|body|input|params|payload|schema|direction"
    r"|responses?|returns?|success(?:[ \t]+responses?)?|errors?|error[ \t]+responses?)[ \t]*:",
    re.IGNORECASE,
)
_LABEL_FIELD = {
    "auth": "auth",
    "authentication": "auth",
    "authorization": "auth",
    "permission": "auth",
    "permissions": "auth",
    "scope": "auth",
    "scopes": "auth",
    "role": "auth",
    "roles": "auth",
    "request": "request",
    "request body": "request",
    "body": "request",
    "input": "request",
    "params": "request",
    "payload": "payload",
    "schema": "payload",
    "direction": "direction",
    "response": "response",
    "responses": "response",
    "return": "response",
    "returns": "response",
    "success": "response",
    "success response": "response",
    "success responses": "response",
    "error": "errors",
    "errors": "errors",
    "error response": "errors",
    "error responses": "errors",
}
_ARROW = re.compile(r"(?:→|⇒|=>|(?<![-\w])->|⟶)\s*")
_RETURNS = re.compile(r"\b(?:returns?|responds?(?: with)?|response)\b[\s:]*", re.IGNORECASE)
_STATUS = re.compile(r"(?<![\w.{:/-])[1-5]\d\d(?![\w.])")
_NOT_GIVEN = {"", "-", "—", "–", "n/a", "na", "tbd", "?", "…", "...", "none", "no body", "empty"}

# table columns, by the words of their header, tried in this order
_COLUMN_RULES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern))
    for name, pattern in (
        ("method", r"\b(?:method|methods|verb|verbs)\b|^http$|^op$"),
        ("path", r"\b(?:path|paths|endpoint|endpoints|route|routes|url|uri|resource)\b"),
        ("direction", r"\b(?:direction|dir|flow|sender)\b|^from to$"),
        ("auth", r"\bauth\w*|\b(?:permissions?|scopes?|roles?|access|security)\b"),
        ("errors", r"\berrors?\b|\bfailures?\b|^error"),
        (
            "response",
            r"\b(?:response|responses|success|returns|output|result|reply)\b"
            r"|^status codes?$|^codes?$",
        ),
        ("request", r"\b(?:request|requests|body|input|params|parameters|query)\b"),
        ("payload", r"\b(?:payload|payloads|schema|data|fields|shape|contents?)\b"),
        ("from", r"^(?:from|source|producer|emitter)$"),
        ("to", r"^(?:to|target|consumer|destination|receiver)$"),
        ("event", r"\b(?:event|events|message|messages)\b"),
        ("name", r"^(?:name|channel|topic|type|message type|event type|operation)$"),
    )
)


@dataclass
class _Found:
    """Definitions of one spec, with the API part (numbered) each one is in."""

    endpoints: list[Endpoint] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    part: int = 0  # the API part being read: Approach A's and B's are two
    parts: dict[int, int] = field(default_factory=dict)  # id(definition) -> part

    def add(self, entry: Endpoint | Event) -> None:
        self.parts[id(entry)] = self.part
        if isinstance(entry, Endpoint):
            self.endpoints.append(entry)
        else:
            self.events.append(entry)


@dataclass
class _Entity:
    """An endpoint or event found in one inline run, with where its own text ends."""

    start: int
    end: int  # where the text describing it ends (the next definition or the run's end)
    endpoints: list[Endpoint] = field(default_factory=list)
    event: Event | None = None


class ApiExtractor:
    """Holds the API vocabulary once per build; ``extract`` runs once per spec."""

    def __init__(self, config: Config, prompt: Prompt) -> None:
        self.config = config
        self.prompt = prompt
        api = config.api
        # the prompt's own API part ('**API & Event Definitions:**') opens one too
        from_prompt = tuple(
            part
            for section in prompt.sections
            for part in section.parts
            if {"api", "apis", "endpoints"} & set(normalize(part).split())
        )
        headings = (*api.headings, *from_prompt) if api.headings else ()
        self._names: list[tuple[str, tuple[str, ...]]] = [
            (part, tuple(alt for name in names for alt in alternatives(name)))
            for part, names in (("api", headings), ("rest", api.rest), ("events", api.events))
        ]
        self._kinds = [
            alt for kind in config.kinds for n in kind.headings for alt in alternatives(n)
        ]
        self._parts = {
            alt
            for section in prompt.sections
            for name in (*section.names, *section.parts)
            for alt in alternatives(name)
        }
        self._cache: dict[str, str | None] = {}
        # parts where an API is only mentioned: 'Architecture & Data Flow', 'Testing Strategy'
        self._away = {
            alt
            for section in prompt.sections
            for name in section.parts
            for alt in alternatives(name)
            if self.part_of(name) is None
        } | _AWAY

    @property
    def enabled(self) -> bool:
        return any(names for _, names in self._names)

    # -- vocabulary ------------------------------------------------------------

    def part_of(self, title: str) -> str | None:
        """'api', 'rest' or 'events' when a heading or label names an API part.

        Names match whole ('WebSocket'), or as the start of the heading when they have
        two words or more ('REST API changes'); 'WebSocket command inventory' is no part.
        """
        if title not in self._cache:
            found: str | None = None
            if _ENDPOINT.search(title) or _DOTTED_NAME.match(title.split(" ")[0].strip("`*")):
                self._cache[title] = None  # '#### `GET /api/v1/x`' defines, it names no part
                return None
            best = 0
            for alt in alternatives(title):
                for part, names in self._names:
                    for name in names:
                        if alt == name:
                            score = 2000 + len(name)
                        elif " " in name and alt.startswith(name + " "):
                            score = 1000 + len(name)
                        else:
                            continue
                        if score > best:
                            found, best = part, score
            words = set(normalize(title).split())
            if found is None and len(words) <= 6:
                found = _part_by_words(words)
            if found in ("rest", "events") and words & _REST_WORDS and words & _EVENT_WORDS:
                found = "api"  # 'REST API & WebSocket Events' holds both parts
            self._cache[title] = found
        return self._cache[title]

    def _closes(self, title: str) -> bool:
        """A heading or label naming another part of the prompt ends the API part."""
        if self.part_of(title) is not None:
            return False
        alts = alternatives(title)
        return any(a in self._parts or a in self._kinds for a in alts) or any(
            a.split()[0] in _OTHER_PARTS for a in alts if a
        )

    def _elsewhere(self, title: str) -> bool:
        """A heading of the risks, questions... or of another part of the solution: an
        'API:' label under it mentions, it does not define."""
        if self.part_of(title) is not None:
            return False
        return any(a in self._kinds or a in self._away for a in alternatives(title))

    # -- the walk ----------------------------------------------------------------

    def extract(
        self, blocks: list[Block], lines: list[str], body_line: int
    ) -> tuple[list[Endpoint], list[Event]]:
        """The endpoints and events ``blocks`` define, numbered, with file lines."""
        found = _Found()
        if not self.enabled:
            return [], []
        self._lines = lines
        self._direction: str | None = None  # '**Events** (server → client):' for what follows
        self._auth: str | None = None  # 'REST (JWT unless stated otherwise):' for what follows
        region: int | None = None  # heading level of the open API part (0: opened by a label)
        mode: str | None = None
        kinds: list[tuple[int, bool]] = []  # open headings: (level, mentions only: risks...)
        pending: list[_Entity] = []  # a sub-heading's definition, waiting for its details
        opened = False
        for block in blocks:
            if isinstance(block, Heading):
                text = _text(block.inline)
                while kinds and kinds[-1][0] >= block.level:
                    kinds.pop()
                in_kind = any(k for _, k in kinds)
                kinds.append((block.level, self._elsewhere(text)))
                pending = []
                part = self.part_of(text)
                # a label's part ends at a heading; a heading's part at one of its level
                if region is not None and (
                    (region == 0 and part is None) or (region != 0 and block.level <= region)
                ):
                    region = None
                if part is not None:  # '### WebSocket API (server → client)': for what follows
                    self._direction, self._auth = _direction_near(text), _default_auth(text)
                if region is not None:
                    if part is not None:
                        mode = _mode(part)
                    elif self._closes(text):
                        region = None
                    else:
                        pending = self._run(block.inline, mode, block, "heading", found)
                    continue
                if part is not None and not in_kind and not self._elsewhere(text):
                    region, mode, opened = block.level, _mode(part), True
                    found.part += 1
                continue
            if region is None:
                label = self._label(block)
                if label is not None and label[0] is not None and not self._in_kind(kinds):
                    region, mode, opened = 0, _mode(label[0]), True
                    found.part += 1
                    self._auth = _default_auth(_text_of(block))
                    self._direction = _direction_near(_text_of(block))
                    if label[1]:
                        self._block(block, mode, found, pending)
                    continue
                if isinstance(block, ListBlock) and not self._in_kind(kinds):
                    opened = self._labelled_items(block, found) or opened
                continue
            label = self._label(block)
            if label is not None:
                part, rest, _ = label
                if part is not None:
                    mode = _mode(part)
                    self._direction = _direction_near(_text_of(block))
                    self._auth = _default_auth(_text_of(block))
                    if rest:
                        self._block(block, mode, found, pending)
                    pending = []
                    continue
                if (region == 0 and not rest) or self._closes(label[2]):
                    region = None  # '**Tests**' after '**Endpoints**'
                    continue
            lead = self._lead_in(block)
            if lead is not None:
                mode = _mode(lead)
                self._direction = _direction_near(_text_of(block))
                self._auth = _default_auth(_text_of(block))
            elif isinstance(block, Paragraph) and _default_auth(_text_of(block)):
                self._auth = _default_auth(_text_of(block))  # 'All endpoints require a JWT.'
            self._block(block, mode, found, pending)
        if not opened:  # no API part at all: a table of methods and paths still defines them
            found.part += 1
            for block in blocks:
                if isinstance(block, Table):
                    self._table(block, None, found, tables_only=True)
        return self._number(found, body_line)

    @staticmethod
    def _in_kind(kinds: list[tuple[int, bool]]) -> bool:
        return any(k for _, k in kinds)

    def _label(self, block: Block) -> tuple[str | None, str, str] | None:
        """A bold label paragraph ('**REST API:**', '**Endpoints**'): its part, the text after
        it and the label itself; None when the paragraph does not open with a label."""
        if not isinstance(block, Paragraph):
            return None
        lead = leading_strong(_bounded(block.inline))
        if lead is None:
            return None
        label, rest = lead
        part = self.part_of(label.rstrip(":"))
        if part is not None:
            return part, rest, label
        if not rest or (label.endswith(":") and len(label) < 60):
            return None, rest, label
        return None

    def _lead_in(self, block: Block) -> str | None:
        """'WebSocket (channel `replay`):' or 'REST:' in plain text switches the part."""
        if not isinstance(block, Paragraph):
            return None
        text = _text(block.inline)
        head = re.split(r"[(:—–]|\s-\s", text, maxsplit=1)[0].strip()
        if not head or len(head) > 40:
            return None
        return self.part_of(head)

    def _labelled_items(self, block: ListBlock, found: _Found) -> bool:
        """'* **API & Event Definitions:**' with nested items, outside any API part."""
        opened = False
        for item in block.items:
            inline = item.first_inline
            lead = leading_strong(_bounded(inline)) if inline is not None else None
            part = self.part_of(lead[0].rstrip(":")) if lead is not None else None
            if part is not None:
                opened = True
                found.part += 1
                self._item(item, _mode(part), found)
                continue
            if lead is not None and self._elsewhere(lead[0].rstrip(":")):
                continue  # '* **Architecture & Data Flow:**' and what it holds
            for child in item.children:
                if isinstance(child, ListBlock):
                    opened = self._labelled_items(child, found) or opened
        return opened

    def _block(self, block: Block, mode: str | None, found: _Found, pending: list[_Entity]) -> None:
        if isinstance(block, Paragraph):
            entities = self._run(block.inline, mode, block, "paragraph", found)
            if entities:  # '**Auth:** JWT' paragraphs below describe a lone definition
                pending[:] = entities if len(entities) == 1 else []
            elif len(pending) == 1:
                _details(pending[0], _text(block.inline))
        elif isinstance(block, ListBlock):
            for item in block.items:
                entities = self._item(item, mode, found)
                if not entities and len(pending) == 1 and item.first_inline is not None:
                    _details(pending[0], _text(item.first_inline))
        elif isinstance(block, Table):
            self._table(block, mode, found)
        elif isinstance(block, Quote):
            for child in block.children:
                self._block(child, mode, found, pending)

    def _item(self, item: ListItem, mode: str | None, found: _Found) -> list[_Entity]:
        inline = item.first_inline
        entities: list[_Entity] = []
        if inline is not None:
            lead = leading_strong(_bounded(inline))
            if lead is not None:
                part = self.part_of(lead[0].rstrip(":"))
                if part is not None:
                    mode = _mode(part)
            entities = self._run(inline, mode, item, "list", found)
        for child in item.children[1:] if inline is not None else item.children:
            if isinstance(child, ListBlock):
                for sub in child.items:
                    inner = self._item(sub, mode, found)
                    if not inner and len(entities) == 1 and sub.first_inline is not None:
                        _details(entities[0], _text(sub.first_inline))
            elif isinstance(child, Paragraph):
                inner = self._run(child.inline, mode, child, "paragraph", found)
                if not inner and len(entities) == 1:
                    _details(entities[0], _text(child.inline))
            elif isinstance(child, Table):
                self._table(child, mode, found)
        return entities

    # -- inline runs ---------------------------------------------------------------

    def _run(
        self, inline: Inline, mode: str | None, block: Block, style: AnchorStyle, found: _Found
    ) -> list[_Entity]:
        """Endpoints and events in one run of inline text (a paragraph, item or heading)."""
        # definitions are short runs: the bounds keep a hostile paragraph's cost constant
        text = marked(_bounded(inline).children)[:_MAX_RUN]
        if style in ("list", "heading"):  # '- **alert.triggered** (server → client)'
            text = _PLAIN_NAME.sub(_code_name, text, count=1)
        if "/" not in text and _CODE_OPEN not in text:
            return []
        starts: list[tuple[int, int, str, re.Match[str]]] = []
        taken: list[tuple[int, int]] = []
        for match in _ENDPOINT.finditer(text):
            starts.append((match.start(), match.end(), "endpoint", match))
            taken.append((match.start(), match.end()))
        for match in _PATH_THEN_METHOD.finditer(text):  # '`/api/v1/alerts` (POST)'
            if not any(a < match.end() and match.start() < b for a, b in taken):
                starts.append((match.start(), match.end(), "endpoint", match))
                taken.append((match.start(), match.end()))
        for match in _CODE.finditer(text):
            if any(a < match.end() and match.start() < b for a, b in taken):
                continue
            name = _NAME_WITH_PAYLOAD.match(match.group(1).strip())
            if _is_event_name(name.group("name") if name else match.group(1).strip()):
                starts.append((match.start(), match.end(), "code", match))
        starts.sort(key=lambda s: s[0])
        del starts[_MAX_STARTS:]
        entities: list[_Entity] = []
        for index, (start, _end, what, match) in enumerate(starts):
            stop = len(text)
            if what == "endpoint":
                entity = _Entity(start, stop)
                for method in _METHOD_WORD.findall(match.group("methods")):
                    path = _clean_path(match.group("path"))
                    if path:
                        entity.endpoints.append(Endpoint(method.upper(), path, None, None, None, 0))
                if entity.endpoints and not _unchanged(text, start, starts, index):
                    entities.append(entity)
                continue
            event = self._event(text, match, starts, index, mode)
            if event is not None:
                entities.append(_Entity(start, stop, event=event))
        for position, entity in enumerate(entities):
            following = entities[position + 1] if position + 1 < len(entities) else None
            entity.end = following.start if following is not None else len(text)
        for entity in entities:
            tail = text[_after(text, entity) : entity.end]
            if entity.endpoints:
                auth, request, response = _endpoint_fields(tail)
                for endpoint in entity.endpoints:
                    endpoint.auth, endpoint.request, endpoint.response = auth, request, response
                    endpoint.auth = endpoint.auth or self._auth
                    # the line that holds it as written ('/orders/:id' became '/orders/{id}')
                    self._place(endpoint, block, style, endpoint.path.split("{")[0])
                    found.add(endpoint)
            elif entity.event is not None:
                direction, payload = _event_fields(tail)
                entity.event.direction = entity.event.direction or direction or self._direction
                entity.event.payload = entity.event.payload or payload
                self._place(entity.event, block, style, entity.event.name)
                found.add(entity.event)
        return entities

    def _event(
        self,
        text: str,
        match: re.Match[str],
        starts: list[tuple[int, int, str, re.Match[str]]],
        index: int,
        mode: str | None,
    ) -> Event | None:
        """An inline code span that names a WebSocket event here, or None."""
        content = match.group(1).strip()
        payload = None
        with_payload = _NAME_WITH_PAYLOAD.match(content)
        if with_payload is not None:
            content, payload = with_payload.group("name"), fold(with_payload.group("payload"))
        if not _is_event_name(content):
            return None
        dotted = bool(_DOTTED_NAME.match(content))
        clause_start = _clause_start(text, match.start())
        prefix = _plain(text[clause_start : match.start()])
        next_start = starts[index + 1][0] if index + 1 < len(starts) else len(text)
        after = text[match.end() : next_start]
        following = _plain(after)
        direction = _direction_near(after)
        if direction is None and index + 1 < len(starts):
            # 'a.b' / 'a.c' (server->client): the direction after the last names both
            joiner = _plain(after).strip()
            if joiner in ("/", ",", "and", "or", "&", "|"):
                rest = text[
                    starts[index + 1][1] : starts[index + 2][0]
                    if index + 2 < len(starts)
                    else len(text)
                ]
                direction = _direction_near(rest)
        if direction is None:  # 'WebSocket (server->client): `a.b`', 'new server->client event'
            previous_end = starts[index - 1][1] if index > 0 else 0
            sentence = 0
            for stop in re.finditer(r";|[.!?](?=\s)", _mask(text[: match.start()])):
                sentence = stop.end()
            direction = _direction_near(text[max(previous_end, sentence) : match.start()][-80:])
        cue = bool(_EVENT_CUE.search(prefix)) or bool(_EVENT_AFTER.match(following))
        if _NOT_SOCKET.search(prefix) and not _SOCKET.search(prefix):
            cue = False
            if direction is None:
                return None
        payload_next = bool(re.match(r"^[\s:—–-]*\x01\s*[{\[]", after)) or payload is not None
        payload_next = payload_next or bool(re.match(r"^[\s:—–-]*payload\b", following, re.I))
        leading = bool(_LEAD_FILLER.match(_without_codes(text[clause_start : match.start()])))
        if not dotted and not (direction and (leading or cue)):
            # '- `alert_triggered` — payload `{...}`' under 'WebSocket API'
            compound = _compound(content)
            if not (
                mode == "events"
                and leading
                and compound
                and not content.lower().endswith(("_id", "_ids", "_at"))
                and (payload_next or cue or not following.strip())
            ):
                return None
        if (
            direction is None
            and not payload_next
            and _unchanged(text, match.start(), starts, index)
        ):
            return None
        if mode == "events":
            ok = leading or cue or direction is not None or payload_next
        elif mode == "rest":
            ok = direction is not None or (cue and (leading or payload_next))
        else:
            ok = direction is not None or cue or (leading and payload_next)
        if not ok:
            return None
        return Event(content, direction, payload, 0)

    def _place(self, entry: Endpoint | Event, block: Block, style: AnchorStyle, text: str) -> None:
        """The entry's body line: the line of its block that holds ``text``."""
        line = block.line
        for number in range(block.line, max(block.end, block.line + 1)):
            if number < len(self._lines) and text in self._lines[number]:
                line = number
                break
        entry.body_line = line
        entry.style = style if line == block.line else "paragraph"

    # -- tables --------------------------------------------------------------------

    def _table(
        self, table: Table, mode: str | None, found: _Found, *, tables_only: bool = False
    ) -> None:
        headers = [normalize(_text(cell)) for cell in table.header]
        rows = [[_cell_text(cell) for cell in row.cells] for row in table.rows]
        columns = _classify(headers, rows)
        if tables_only and ("method" not in columns or "path" not in columns):
            return
        for row, cells in zip(table.rows, rows, strict=True):

            def cell(name: str, cells: list[str] = cells) -> str | None:
                index = columns.get(name)
                if index is None or index >= len(cells):
                    return None
                return _given(cells[index])

            endpoints = [(m, path) for m, path in _row_endpoints(cells, columns) if path]
            notes = [c for i, c in enumerate(cells) if i not in columns.values()]
            if endpoints and _says_unchanged(" ; ".join(notes)):
                continue  # '| GET | `/api/v1/x` | existing, unchanged |'
            if endpoints:
                response = cell("response") or cell("errors")
                for method, path in endpoints:
                    request = cell("request") or cell("payload")
                    auth = cell("auth") or self._auth
                    endpoint = Endpoint(method, path, auth, request, response, 0)
                    self._place(endpoint, row, "row", path)
                    found.add(endpoint)
                continue
            if tables_only:
                continue
            name = _row_event(row.cells, columns, mode)
            if name is None:
                continue
            direction = cell("direction")
            if direction is None and ("from" in columns or "to" in columns):
                direction = _given(f"{cell('from') or '?'} -> {cell('to') or '?'}")
            payload = cell("payload") or cell("request")  # '| Message | Direction | Body |'
            if direction is None or payload is None:  # '`a.b` (S→C) `{ id }`' in one cell
                index = columns["event"]
                named = (
                    marked(_bounded(row.cells[index]).children) if index < len(row.cells) else ""
                )
                direction = direction or _direction_near(named.split(name, 1)[-1])
                codes = [c for c in _CODE.findall(named) if c.strip() != name]
                payload = payload or (_trim(codes[0]) if codes else None)
            event = Event(name, _direction(direction), payload, 0)
            self._place(event, row, "row", name)
            found.add(event)

    # -- numbering -----------------------------------------------------------------

    def _number(self, found: _Found, body_line: int) -> tuple[list[Endpoint], list[Event]]:
        """Keep the first definition of each endpoint and event in each API part (each
        approach may define its own); number their anchors."""
        endpoints: list[Endpoint] = []
        seen: set[tuple[int, str]] = set()
        for endpoint in sorted(found.endpoints, key=lambda e: e.body_line):
            key = (found.parts[id(endpoint)], endpoint_key(endpoint.method, endpoint.path))
            if key in seen:
                continue
            seen.add(key)
            endpoint.line = body_line + endpoint.body_line + 1
            endpoint.id = f"api-endpoint-{len(endpoints) + 1}"
            endpoints.append(endpoint)
        events: list[Event] = []
        names: set[tuple[int, str]] = set()
        for event in sorted(found.events, key=lambda e: e.body_line):
            name = (found.parts[id(event)], event.name)
            if name in names:
                continue
            names.add(name)
            event.line = body_line + event.body_line + 1
            event.id = f"api-event-{len(events) + 1}"
            events.append(event)
        return endpoints, events


def _part_by_words(words: set[str]) -> str | None:
    """Headings the configured names miss: 'Realtime (WebSocket) Events', 'Proposed
    endpoints', 'API surface changes'; not 'API keys' or 'Domain events'."""
    if words & {"api", "apis"} and words & _API_NOUNS:
        return "api"
    if words & {"websocket", "websockets", "ws", "realtime", "real", "socket"} and words & {
        "events",
        "messages",
        "api",
        "updates",
        "channels",
    }:
        return "events"
    if words & {"endpoints"} or (words & {"rest", "http"} and words & {"api", "routes"}):
        return "rest"
    return None


_API_NOUNS = {
    "definitions",
    "definition",
    "events",
    "endpoints",
    "contract",
    "contracts",
    "changes",
    "surface",
    "design",
    "spec",
    "specification",
    "interface",
    "interfaces",
    "reference",
}
_AWAY = {
    "architecture",
    "architecture and data flow",
    "data flow",
    "integration points",
    "integration",
    "integrations",
    "testing strategy",
    "testing",
    "tests",
    "new modified components",
    "components",
    "data models and migrations",
    "data model",
    "data models",
    "dependencies",
    "alternatives considered",
    "rollout",
    "security",
}
_REST_WORDS = {"rest", "http", "endpoints", "endpoint"}
_EVENT_WORDS = {"websocket", "websockets", "ws", "events", "event", "messages", "asyncapi"}
# a clause about an event that stays as it is: a mention, unless it says more
_UNCHANGED = re.compile(
    r"\b(?:unchanged|already exists?|existing|as before|as today|no changes?|not changed"
    r"|not redefined|defined (?:in|by) (?:their own|its own|another|other|the \w+) specs?"
    r"|defined elsewhere)\b",
    re.I,
)
# ... unless the clause says what changes: 'unchanged shape, new `adjustment` param'
_CHANGES = re.compile(
    r"\b(?:new|adds?|added|gains?|accepts?|extended|now|changes?|changed)\b(?!\s+(?:to|in)\b)", re.I
)


def _says_unchanged(clause: str) -> bool:
    return bool(_UNCHANGED.search(clause)) and not _CHANGES.search(
        _UNCHANGED.sub(" ", clause).replace("no changes", "")
    )


def _unchanged(
    text: str, position: int, starts: list[tuple[int, int, str, re.Match[str]]], index: int
) -> bool:
    """'The existing `GET /api/v1/users/me` is unchanged.': a mention, not a definition."""
    start = 0
    for stop_mark in re.finditer(r";|[.!?](?=\s)", _mask(text[:position])):
        start = stop_mark.end()
    stop = starts[index + 1][0] if index + 1 < len(starts) else len(text)
    for end in re.finditer(r";|[.!?](?=\s|$)", _mask(text[:stop])):
        if end.start() >= starts[index][1]:
            stop = end.start()
            break
    return _says_unchanged(_plain(_CODE.sub(" ", text[start:stop])))


# parts of section 2 that follow the API part (besides the prompt's own part names)
_OTHER_PARTS = {
    "testing",
    "tests",
    "test",
    "integration",
    "security",
    "observability",
    "monitoring",
    "rollout",
    "migration",
    "migrations",
    "frontend",
    "deployment",
    "alternatives",
    "risks",
    "performance",
    "data",
    "architecture",
    "components",
    "implementation",
}


def _mode(part: str) -> str | None:
    """The part a label switches to: the whole API part is both REST and events."""
    return None if part == "api" else part


def marked(children: list[Token]) -> str:
    """Inline text with code spans kept between \\x01 and \\x02, other markup removed."""
    parts: list[str] = []
    for token in children:
        if token.type == "text":
            parts.append(token.content.replace(_CODE_OPEN, "").replace(_CODE_CLOSE, ""))
        elif token.type == "code_inline":
            content = token.content.replace(_CODE_OPEN, "").replace(_CODE_CLOSE, "")
            parts.append(f"{_CODE_OPEN}{content}{_CODE_CLOSE}")
        elif token.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif token.type == "image":
            parts.append(marked(list(token.children or [])))
    return "".join(parts)


_PLAIN_NAME = re.compile(
    r"^(?P<lead>\s*(?:(?:ws|websocket|event|message)\b\s*:?\s*)?)"
    r"(?P<name>[A-Za-z_][\w-]*(?:[.:][A-Za-z_][\w-]*)+)(?=[\s(:—–,;]|$)",
    re.IGNORECASE,
)


def _code_name(match: re.Match[str]) -> str:
    name = match.group("name")
    if not _is_event_name(name):
        return match.group(0)
    return f"{match.group('lead')}{_CODE_OPEN}{name}{_CODE_CLOSE}"


def _text_of(block: Block) -> str:
    return _text(block.inline) if isinstance(block, Paragraph) else ""


def _bounded(inline: Inline) -> Inline:
    """Definitions are short: a run longer than ``_MAX_RUN`` is read from its start only
    (parsed once: the short copy is kept for the next reader)."""
    if len(inline.source) <= _MAX_RUN:
        return inline
    short = _SHORT_COPIES.get(id(inline))
    if short is None or short[0] is not inline:
        short = (inline, Inline(inline.source[:_MAX_RUN]))
        _SHORT_COPIES.clear()  # only the run being read is kept
        _SHORT_COPIES[id(inline)] = short
    return short[1]


_SHORT_COPIES: dict[int, tuple[Inline, Inline]] = {}


def _text(inline: Inline) -> str:
    return inline_text(_bounded(inline))


def _plain(text: str) -> str:
    return fold(text.replace(_CODE_OPEN, "").replace(_CODE_CLOSE, ""))


def _without_codes(text: str) -> str:
    """The text with every code span that could be an event name removed (a list of names)."""
    return _CODE.sub(lambda m: "" if _is_event_name(m.group(1).split(" ")[0]) else "x", text)


def _mask(text: str) -> str:
    """``text`` with code contents blanked, so punctuation inside code never splits clauses."""
    return _CODE.sub(lambda m: _CODE_OPEN + "x" * len(m.group(1)) + _CODE_CLOSE, text)


def _clause_start(text: str, position: int) -> int:
    masked = _mask(text[:position])
    cut = 0
    for match in re.finditer(r";|[.!?](?=\s)|\(|\)", masked):
        cut = match.end()
    return cut


def _after(text: str, entity: _Entity) -> int:
    """Where an entity's own describing text starts: after its code span."""
    close = text.find(_CODE_CLOSE, entity.start)
    opening = text.find(_CODE_OPEN, entity.start + 1)
    if entity.endpoints:
        match = _ENDPOINT.match(text, entity.start) or _PATH_THEN_METHOD.match(text, entity.start)
        end = match.end() if match is not None else entity.start
        close = text.find(_CODE_CLOSE, end)
        opening = text.find(_CODE_OPEN, end)
        if close != -1 and (opening == -1 or close < opening) and close < entity.end:
            return close + 1
        return end
    return close + 1 if close != -1 and (opening == -1 or close < opening) else entity.start


_DEFAULT_AUTH = re.compile(
    r"\b(?:all|every)\s+(?:\w+\s+)?(?:endpoints?|routes?|requests?|calls?)\b[^.;]{0,120}?"
    r"\b(?:requires?|needs?|uses?|takes?)\s+(?:an?\s+)?(?:valid\s+)?(?P<a>[\w+-]+(?:\s+\+\s+[\w-]+)?)"
    r"|(?P<b>[\w+-]+(?:\s+\+\s+[\w-]+)?)\s+(?:everywhere|on every endpoint|unless (?:stated|noted|"
    r"specified|said) otherwise)"
    r"|\b(?P<c>anonymous|public|unauthenticated)\s+(?:access|requests?)\s+(?:is\s+|are\s+)?allowed",
    re.IGNORECASE,
)


def _default_auth(text: str) -> str | None:
    """'JWT unless stated otherwise', 'all endpoints require a valid JWT', 'anonymous access
    allowed': the auth of every endpoint of the block that names none itself."""
    match = _DEFAULT_AUTH.search(text)
    if match is None:
        return None
    value = match.group("a") or match.group("b") or match.group("c")
    return value if value and _AUTH_WORDS.search(value) else None


def _clean_path(path: str) -> str:
    """The path without query string or trailing punctuation, ':name' written '{name}';
    empty for a WebSocket connection path ('GET /ws/v1/alerts' upgrades, it is no endpoint)."""
    path = re.split(r"[?#]", path, maxsplit=1)[0]
    if re.match(r"^/(?:ws|wss|websockets?|socket)(?:/|$)", path, re.IGNORECASE):
        return ""
    path = path.rstrip(".,;:)]>'\"*")
    if path.count("{") > path.count("}"):
        path = path[: path.rfind("{")].rstrip("/") or path
    return re.sub(r"(?<=/):([A-Za-z_]\w*)", r"{\1}", path)


def _is_event_name(name: str) -> bool:
    if not name or len(name) > 80 or name.startswith(("/", "-", ".")):
        return False
    if not _IDENTIFIER.match(name) or name.isdigit():
        return False
    last = re.split(r"[.:]", name)[-1].lower()
    if "." in name and last in _FILE_SUFFIXES:
        return False
    return not re.match(r"^(?:v?\d+(?:\.\d+)*|https?:.*)$", name, re.IGNORECASE)


def _direction_near(text: str) -> str | None:
    """The direction written just after an event name: '(server->client)', ': C→S'."""
    plain = _plain(text)
    head = plain[:60]
    match = _DIRECTION.search(head)
    if match is not None:
        return _direction(match.group(0))
    if _BOTH.search(head):
        return "both"
    return _one_side(head)


def _one_side(text: str) -> str | None:
    match = _TOWARDS.search(text)
    if match is None:
        return None
    if match.group("to"):
        to_server = _SIDE.get(match.group("to").lower().rstrip("s")) == "server"
        return "client->server" if to_server else "server->client"
    by_server = _SIDE.get(match.group("by").lower()) == "server"
    return "server->client" if by_server else "client->server"


def _direction(text: str | None) -> str | None:
    """'server → client', 'S→C', 'client-to-server', 'both' to one spelling; else as written."""
    if text is None:
        return None
    value = fold(text)
    match = _DIRECTION.search(value)
    if match is not None:
        source = _SIDE.get(match.group(1).lower())
        target = _SIDE.get(match.group(2).lower())
        if source and target and source != target:
            return f"{source}->{target}"
    if _BOTH.search(value):
        return "both"
    side = _SIDE.get(value.lower())
    if side is not None:  # a 'Sender' column: 'server'
        return "server->client" if side == "server" else "client->server"
    if _PUSH.match(value):
        return "server->client"
    if _SEND.match(value):
        return "client->server"
    return _one_side(value) or value or None


def _given(text: str | None) -> str | None:
    """The value in short: without a trailing explanation ('ApiKeyCreate — { label }',
    '200 `Page` (cursor)', '201 `Follow`; 409 taken'); None for 'none', '—' or nothing."""
    if text is None:
        return None
    value = _short(fold(text).strip())
    return None if value.lower().strip(" .") in _NOT_GIVEN else value


def _short(value: str) -> str:
    depth = 0
    for index, char in enumerate(value):
        if char in "{[":
            depth += 1
        elif char in "}]":
            depth = max(0, depth - 1)
        elif depth == 0 and index > 0:
            rest = value[index:]
            if rest.startswith((" (", " — ", " – ", "; ", " - ")):
                head = value[:index].strip()
                if head and not head.endswith(("+", "/", "|", ",")):
                    return head
    return value


def _trim(text: str) -> str | None:
    value = _plain(text).strip(" \t;,.—–-:")
    if value.endswith(")") and value.count(")") > value.count("("):
        value = value[:-1].rstrip()
    value = re.sub(r"^(?:and|with|or)\s+", "", value)
    return _given(value)


def _labelled(text: str) -> dict[str, str]:
    """'Auth: JWT. Body: `X`. Returns 200 `Y`' -> {auth, request, response}."""
    fields: dict[str, str] = {}
    matches = list(_LABELS.finditer(text))
    for position, match in enumerate(matches):
        following = matches[position + 1] if position + 1 < len(matches) else None
        name = _LABEL_FIELD.get(" ".join(match.group("label").lower().split()))
        if name is None or name in fields:
            continue
        end = following.start() if following is not None else len(text)
        value = _trim(_first_sentence(text[match.end() : end]))
        if value:
            fields[name] = value
    return fields


def _first_sentence(text: str) -> str:
    """Up to the first full stop outside code: 'bearer. 200 `X`' -> 'bearer'."""
    stop = re.search(r"\.(?=\s|$)", _mask(text))
    return text[: stop.start()] if stop is not None else text


def _endpoint_fields(tail: str) -> tuple[str | None, str | None, str | None]:
    """Auth, request and response from the text that follows an endpoint."""
    auth, request, response = _endpoint_parts(tail)
    if auth is not None:
        auth = _given(
            re.sub(r"^(?:auth(?:entication|orization)?|requires?)\s+", "", auth, flags=re.I)
        )
    return auth, _given(request), _given(response)


def _endpoint_parts(tail: str) -> tuple[str | None, str | None, str | None]:
    tail = re.sub(r"^\s*[)\]]", "", tail)  # '`/x` (DELETE) — JWT': after the method
    fields = _labelled(tail)
    auth = fields.get("auth")
    request = fields.get("request")
    response = fields.get("response")
    if "errors" in fields:
        response = f"{response}; {fields['errors']}" if response else fields["errors"]
    rest = tail
    if auth is None:
        paren = re.match(r"^\s*\(([^()]*)\)", rest)
        if paren is not None and _AUTH_WORDS.search(_plain(paren.group(1))):
            auth = _trim(paren.group(1))
        else:
            segment = re.match(
                r"^\s*(?:—|–|--|-|:|,)\s*((?:[^—–;\x01(.→]|\x01[^\x02]*\x02|\.(?!\s|$))*)", rest
            )
            if segment is not None:
                parts = [
                    part
                    for part in _plain(segment.group(1)).split(",")
                    if _AUTH_WORDS.search(part) and not _STATUS.search(part) and len(part) < 60
                ]
                auth = _trim(",".join(parts)) if parts else None
    if auth is None:  # '— list alerts (JWT) → 200': a parenthetical that only names auth
        arrow_at = _ARROW.search(rest)
        for paren in re.finditer(
            r"\(([^()]{1,40})\)", rest[: arrow_at.start()] if arrow_at else rest
        ):
            words = _plain(paren.group(1))
            if _AUTH_WORDS.search(words) and not _STATUS.search(words):
                auth = _trim(words)
                break
    if auth is None:
        role = re.search(r"(?:—|–|;|^)\s*(?:role|scope)\s+\x01([^\x02]+)\x02", rest)
        if role is not None:
            auth = "role " + role.group(1)
    if request is None:
        body = re.search(
            r"(?<!no )\b(?:request\s+)?body\s*:?\s*"
            r"(\x01[^\x02]*\x02|\{[^}]*\}|[\w ]{1,30}?(?=[,;.]|$))",
            rest,
            re.I,
        )
        if body is not None:
            request = _trim(body.group(1))
    arrow = _ARROW.search(rest)
    if response is None:
        if arrow is not None:
            response = _trim(rest[arrow.end() :])
        else:
            returns = _RETURNS.search(rest)
            if returns is not None:
                response = _trim(rest[returns.end() :])
            else:
                start = _status_start(rest)
                if start is not None:
                    response = _trim(rest[start:])
    if request is None:
        before = rest[: arrow.start()] if arrow is not None else rest
        code = re.search(r"\x01\s*([{\[][^\x02]*)\x02", before)
        if code is not None and (response is None or code.group(1) not in (response or "")):
            request = _trim(code.group(1))
    return auth, request, response


def _status_start(text: str) -> int | None:
    """Where the first status code is: in plain text, or opening a code span ('`201 {id}`')."""
    for status in _STATUS.finditer(text):
        opening = text.rfind(_CODE_OPEN, 0, status.start())
        closing = text.rfind(_CODE_CLOSE, 0, status.start())
        if opening <= closing:
            return status.start()
        if not text[opening + 1 : status.start()].strip():
            return opening
    return None


def _event_fields(tail: str) -> tuple[str | None, str | None]:
    fields = _labelled(tail)
    direction = _direction(fields["direction"]) if "direction" in fields else _direction_near(tail)
    payload = fields.get("payload")
    if payload is None:
        code = re.match(r"^[^\x01]{0,60}?\x01\s*([{\[][^\x02]*|[A-Z]\w*(?:\[\])?)\s*\x02", tail)
        if code is not None:
            payload = _trim(code.group(1))
    if payload is None:
        colon = re.match(r"^\s*(?:\([^)]*\))?\s*:\s*(.+)$", tail, re.S)
        if colon is not None:
            payload = _trim(colon.group(1))
    return direction, payload


def _details(entity: _Entity, text: str) -> None:
    """'Auth: JWT', 'Payload: `{...}`' lines under a definition fill its fields."""
    fields = _labelled(text)
    if not fields and re.match(r"^\s*[1-5]\d\d\b", text):  # '- 201 `Alert`; 422 invalid'
        fields["response"] = _trim(text) or ""
    for endpoint in entity.endpoints:
        endpoint.auth = endpoint.auth or fields.get("auth")
        endpoint.request = endpoint.request or fields.get("request")
        endpoint.response = endpoint.response or fields.get("response") or fields.get("errors")
    if entity.event is not None:
        if "direction" in fields:
            entity.event.direction = entity.event.direction or _direction(fields["direction"])
        entity.event.payload = (
            entity.event.payload or fields.get("payload") or fields.get("request")
        )


def _cell_text(cell: Inline) -> str:
    return _plain(marked(_bounded(cell).children))


def _classify(headers: list[str], rows: list[list[str]]) -> dict[str, int]:
    """Which column holds what: by the words of its header, else by what its cells look like."""
    columns: dict[str, int] = {}
    for index, header in enumerate(headers):
        for name, pattern in _COLUMN_RULES:
            if name not in columns and pattern.search(header):
                columns[name] = index
                break
            # '| Event | Message |': the message is the payload
            if name == "event" and "payload" not in columns and pattern.search(header):
                columns["payload"] = index
                break
    if "event" not in columns and "name" in columns:
        columns["event"] = columns["name"]
    if rows:
        width = max(len(r) for r in rows)
        for index in range(width):
            cells = [r[index] for r in rows if index < len(r) and r[index].strip()]
            if not cells:
                continue
            methods = sum(1 for c in cells if re.fullmatch(r"\s*" + _METHOD_LIST + r"\s*", c, re.I))
            paths = sum(1 for c in cells if _PATH.match(c.strip()) or _ENDPOINT.match(c.strip()))
            if "method" not in columns and methods * 2 > len(cells):
                columns["method"] = index
            if "path" not in columns and paths * 2 > len(cells) and index != columns.get("method"):
                columns["path"] = index
    return columns


def _row_endpoints(cells: list[str], columns: dict[str, int]) -> list[tuple[str, str]]:
    """(method, path) pairs of one row: from its method and path cells, or a cell holding both."""
    found: list[tuple[str, str]] = []
    method_cell = cells[columns["method"]] if columns.get("method", 99) < len(cells) else ""
    path_cell = cells[columns["path"]] if columns.get("path", 99) < len(cells) else ""
    methods = [m.upper() for m in _METHOD_WORD.findall(method_cell)]
    if path_cell:
        pairs = [
            (m.upper(), _clean_path(both.group("path")))
            for both in _ENDPOINT.finditer(path_cell)  # 'GET /x, POST /x' in one cell
            for m in _METHOD_WORD.findall(both.group("methods"))
        ]
        if pairs:
            return pairs
        path = _PATH.search(path_cell)
        written = path.group(1) if path is not None else None
        if written is None and re.fullmatch(r"[\w{}:.-]+(?:/[\w{}:.-]*)+", path_cell.strip()):
            written = "/" + path_cell.strip()  # 'api/v1/alerts' in a Path column
        if written is not None and methods:
            return [(m, _clean_path(written)) for m in methods]
    for index, cell in enumerate(cells):  # 'POST /api/v1/x' in any other cell
        if index in (columns.get("request"), columns.get("response"), columns.get("errors")):
            continue
        both = _ENDPOINT.search(cell)
        if both is not None and both.start() < 3:
            found += [
                (m.upper(), _clean_path(both.group("path")))
                for m in _METHOD_WORD.findall(both.group("methods"))
            ]
            break
    return found


def _row_event(cells: list[Inline], columns: dict[str, int], mode: str | None) -> str | None:
    index = columns.get("event")
    if index is None or index >= len(cells):
        return None
    if mode == "rest" and "direction" not in columns and "payload" not in columns:
        return None
    text = marked(_bounded(cells[index]).children)
    code = _CODE.search(text)
    candidate = code.group(1).strip() if code is not None else _plain(text)
    with_payload = _NAME_WITH_PAYLOAD.match(candidate)
    if with_payload is not None:
        candidate = with_payload.group("name")
    candidate = candidate.split()[0] if candidate.split() else ""
    candidate = candidate.strip(".,;:()")
    if not _is_event_name(candidate):
        return None
    explicit = "name" not in columns or columns["name"] != index  # an 'Event' column
    described = "direction" in columns or "payload" in columns
    # a 'Type' cell saying 'WS event' makes the row an event in a mixed table
    said = any(
        _SOCKET.search(_plain(marked(_bounded(c).children)))
        for i, c in enumerate(cells)
        if i != index
    )
    if not explicit and not described and not said and mode != "events":
        return None
    if not explicit and not described and not _compound(candidate):
        return None  # '| Field | Type |' rows: 'uuid', 'hash' are no events
    return candidate


def _compound(name: str) -> bool:
    """'alert.triggered', 'alert_triggered', 'AlertTriggered': names, not plain words."""
    return bool(re.search(r"[._:]", name.strip("_")) or re.search(r"[a-z][A-Z]", name))


# -- conflicts ---------------------------------------------------------------------


@functools.lru_cache(maxsize=1 << 16)
def endpoint_key(method: str, path: str) -> str:
    """'GET /alerts/{id}' and 'GET /alerts/{alert_id}/' are the same endpoint: path
    parameters compare by position, not by name."""
    segments = []
    for segment in path.strip().rstrip("/").split("/"):
        if re.fullmatch(r"\{[^}]*\}|:[A-Za-z_]\w*|<[^>]*>|\[[^\]]*\]", segment):
            segment = "{}"
        segments.append(segment)
    return f"{method.upper()} {'/'.join(segments) or '/'}"


def is_live(spec: Spec, statuses: StatusConfig) -> bool:
    """A spec whose status the lifecycle hides (superseded, rejected) defines nothing now."""
    return not statuses.is_hidden(spec.status)


_EMPHASIS = re.compile(r"[`*_]")


@functools.lru_cache(maxsize=1 << 16)
def _normalised(value: str) -> str:
    """A field as compared: generated and copied specs repeat the same values often."""
    return " ".join(_EMPHASIS.sub("", value).casefold().split()).rstrip(".;")


def _same(a: str | None, b: str | None) -> bool:
    """Fields compare when both specs give them, whatever the case, spacing or code ticks."""
    if a is None or b is None or a is b:
        return True
    return _normalised(a) == _normalised(b)


def find_conflicts(specs: Iterable[Spec], statuses: StatusConfig) -> list[ApiConflict]:
    """Endpoints and events that two live specs define differently; each later definition
    is compared with the first one of its key, so the cost stays linear."""
    first_endpoint: dict[str, tuple[Spec, Endpoint]] = {}
    first_event: dict[str, tuple[Spec, Event]] = {}
    conflicts: list[ApiConflict] = []
    for spec in specs:
        if not spec.readable or not is_live(spec, statuses):
            continue
        for endpoint in spec.endpoints:
            key = endpoint_key(endpoint.method, endpoint.path)
            seen = first_endpoint.setdefault(key, (spec, endpoint))
            if seen[0] is spec:
                continue
            other = seen[1]
            fields = tuple(
                name
                for name in ("auth", "request", "response")
                if not _same(getattr(other, name), getattr(endpoint, name))
            )
            if fields:
                label = f"{endpoint.method} {endpoint.path}"
                conflicts.append(
                    ApiConflict(key, label, seen[0], other.line, spec, endpoint.line, fields)
                )
        for event in spec.events:
            key = f"event {event.name}"
            seen_event = first_event.setdefault(key, (spec, event))
            if seen_event[0] is spec:
                continue
            previous = seen_event[1]
            fields = tuple(
                name
                for name in ("direction", "payload")
                if not _same(getattr(previous, name), getattr(event, name))
            )
            if fields:
                conflicts.append(
                    ApiConflict(
                        key,
                        f"event {event.name}",
                        seen_event[0],
                        previous.line,
                        spec,
                        event.line,
                        fields,
                    )
                )
    return conflicts


def flag_conflicts(specs: list[Spec], statuses: StatusConfig) -> list[ApiConflict]:
    """Find the conflicts and report each on the later spec, at its definition's line."""
    conflicts = find_conflicts(specs, statuses)
    for conflict in conflicts:
        conflict.later.problems.append(
            Problem(
                "warning",
                "api-conflict",
                f"{conflict.label} is also defined by {conflict.first.source}:"
                f"{conflict.first_line} with a different {' and '.join(conflict.fields)}",
                conflict.later_line,
            )
        )
    return conflicts


# -- the catalog page ----------------------------------------------------------------

API_PAGE = "api.md"
API_PAGES = "api"


@dataclass
class CatalogRow:
    """One definition on the catalog page."""

    key: str  # the normalised endpoint key or 'event <name>'
    spec: Spec
    entry: Endpoint | Event
    conflict: int | None = None  # number of the conflict it takes part in


def catalog_rows(specs: list[Spec], conflicts: list[ApiConflict]) -> list[CatalogRow]:
    """Endpoints by path (then method), then events by name; the same key stays together."""
    numbers: dict[tuple[str, int], int] = {}
    for number, conflict in enumerate(conflicts, start=1):
        numbers.setdefault((conflict.key, id(conflict.first)), number)
        numbers[(conflict.key, id(conflict.later))] = number
    endpoints: list[CatalogRow] = []
    events: list[CatalogRow] = []
    for spec in specs:
        for endpoint in spec.endpoints:
            key = endpoint_key(endpoint.method, endpoint.path)
            endpoints.append(CatalogRow(key, spec, endpoint, numbers.get((key, id(spec)))))
        for event in spec.events:
            key = f"event {event.name}"
            events.append(CatalogRow(key, spec, event, numbers.get((key, id(spec)))))

    def by_path(row: CatalogRow) -> tuple[str, str, str]:
        method, _, path = row.key.partition(" ")
        return (path.casefold(), method, row.spec.source)

    endpoints.sort(key=by_path)
    events.sort(key=lambda row: (row.key.casefold(), row.spec.source))
    return endpoints + events


PAGE_BUDGET = 350_000  # characters of row text a catalog page holds (about 0.5 MB of HTML)


def _row_cost(row: CatalogRow) -> int:
    """About how many characters a row adds to its page (its cells, its conflict entry)."""
    entry = row.entry
    cells = (
        [entry.auth, entry.request, entry.response]
        if isinstance(entry, Endpoint)
        else [
            entry.direction,
            entry.payload,
        ]
    )
    text = sum(len(cell or "") for cell in cells) + len(row.key) + len(row.spec.title)
    return 250 + 2 * text + (400 if row.conflict is not None else 0)


def catalog_chunks(
    rows: list[CatalogRow], size: int, budget: int = PAGE_BUDGET
) -> list[list[CatalogRow]]:
    """Pages of at most ``size`` rows and about ``budget`` characters (definitions with
    long payloads would otherwise make a page of ``size`` rows over a megabyte); rows of
    one key are not split unless they alone exceed a page. An empty catalog still gets
    one page."""
    pages: list[list[CatalogRow]] = [[]]
    cost = 0
    index = 0
    while index < len(rows):
        end = index
        while end < len(rows) and rows[end].key == rows[index].key:
            end += 1
        group = rows[index:end]
        costs = [_row_cost(row) for row in group]
        if pages[-1] and (len(pages[-1]) + len(group) > size or cost + sum(costs) > budget):
            pages.append([])  # the key starts a page of its own
            cost = 0
        for row, row_cost in zip(group, costs, strict=True):
            if pages[-1] and (len(pages[-1]) >= size or cost + row_cost > budget):
                pages.append([])  # a key too large for one page goes on
                cost = 0
            pages[-1].append(row)
            cost += row_cost
        index = end
    return pages


def catalog_uri(number: int) -> str:
    return API_PAGE if number == 1 else f"{API_PAGES}/{number}.md"


def row_label(row: CatalogRow) -> str:
    entry = row.entry
    return f"{entry.method} {entry.path}" if isinstance(entry, Endpoint) else entry.name
