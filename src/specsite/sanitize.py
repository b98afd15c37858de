"""The one place where untrusted text is made safe for the site, its search index and export.

Specs are written by an agent that reads tickets, chats and web pages, so any of
their text may carry injected markup; the site is opened by every engineer. So:

- the HTML of every page that shows Markdown as written (spec pages, the prompt)
  goes through an allow-list sanitizer (``nh3``) unless the config says
  ``trust_html: true`` (:func:`clean_page`, called by the plugin's
  ``on_page_content``): scripts, event handlers, styles and ``javascript:`` /
  ``data:`` URLs go, what Markdown, Material and pymdown-extensions produce stays;
- every value a template writes is escaped for Markdown and HTML (:func:`escape`),
  values written into page front matter are HTML-escaped (:func:`html_text`);
- a link target is kept only if it is http(s), mailto or relative (:func:`safe_url`);
- a path of the build machine is published relative to the project (:func:`public_path`);
- ``specs.json`` is strict JSON: no ``NaN``/``Infinity``, stable order (:func:`json_text`);
- a build-log message shows control characters as escapes (:func:`terminal_text`).
"""

from __future__ import annotations

import datetime
import html
import json
import math
import posixpath
import re
from pathlib import Path
from typing import Any

import nh3
from markupsafe import Markup

# -- HTML ---------------------------------------------------------------------------

ALLOWED_TAGS = frozenset(
    {
        # text
        "a", "abbr", "b", "bdi", "bdo", "blockquote", "br", "cite", "code", "dd", "del",
        "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3",
        "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "nav", "ol", "p",
        "pre", "q", "rp", "rt", "ruby", "s", "samp", "small", "span", "strong", "sub",
        "summary", "sup", "time", "u", "ul", "var", "wbr",
        # tables
        "caption", "col", "colgroup", "table", "tbody", "td", "tfoot", "th", "thead", "tr",
        # task lists (pymdownx.tasklist), tabs (pymdownx.tabbed)
        "input", "label",
    }
)  # fmt: skip

# Removed together with their content (the others keep their text).
DROPPED_WITH_CONTENT = frozenset(
    {"script", "style", "template", "noscript", "iframe", "object", "textarea", "title", "xmp"}
)

_EVERYWHERE = {"id", "class", "title", "lang", "dir", "role", "aria-label", "aria-hidden"}
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    "*": _EVERYWHERE,
    "a": {"href", "name", "hreflang"},
    "img": {"src", "alt", "width", "height", "loading"},
    "input": {"checked", "disabled", "name"},  # type: checkbox or radio only, below
    "div": {"data-tabs"},  # pymdownx.tabbed
    "details": {"open"},
    "ol": {"start", "type", "reversed"},
    "li": {"value"},
    "td": {"colspan", "rowspan", "align", "style", "headers"},
    "th": {"colspan", "rowspan", "align", "style", "scope", "headers"},
    "col": {"span", "align", "style"},
    "colgroup": {"span", "align"},
    "table": {"data-search-exclude"},  # Material's search plugin skips such tables
    "time": {"datetime"},
    "del": {"datetime", "cite"},
    "ins": {"datetime", "cite"},
    "q": {"cite"},
    "blockquote": {"cite"},
    "label": {"for"},
}
_ATTRIBUTE_VALUES = {"input": {"type": {"checkbox", "radio"}}}  # task lists, tabs
URL_SCHEMES = frozenset({"http", "https", "mailto"})
STYLE_PROPERTIES = frozenset({"text-align"})  # table alignment from the tables extension

# Element ids starting with '__' are Material's own (#__config holds the theme's
# settings, #__search, #__drawer...): a spec must not clobber them. Code blocks and
# tabs legitimately make such ids.
_MATERIAL_ID = re.compile(r"__(?:code_|codelineno-|tabbed_|span-|fn)[\w:.-]*")


def _attribute_filter(tag: str, name: str, value: str) -> str | None:
    if name in ("id", "for", "name") and value.startswith("__"):
        return value if _MATERIAL_ID.fullmatch(value) else None
    return value


_CLEANER = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    clean_content_tags=set(DROPPED_WITH_CONTENT),
    attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
    attribute_filter=_attribute_filter,
    tag_attribute_values={
        tag: {name: set(values) for name, values in attrs.items()}
        for tag, attrs in _ATTRIBUTE_VALUES.items()
    },
    url_schemes=set(URL_SCHEMES),
    filter_style_properties=set(STYLE_PROPERTIES),
    link_rel=None,
    strip_comments=True,
)


def clean_html(text: str) -> str:
    """Rendered HTML of a page with everything outside the allow-list removed."""
    return _CLEANER.clean(text)


def clean_page(text: str, *, trust_html: bool) -> str:
    """A generated page's HTML as published: sanitized unless the team trusts its specs."""
    return text if trust_html else clean_html(text)


# -- values written by templates ------------------------------------------------------

# HTML specials, table pipes and the characters that start Markdown or
# pymdown-extensions inline syntax become numeric character references.
_ESCAPES = {ord(c): f"&#{ord(c)};" for c in "&<>\"'|[]*_`{}\\~^=$"}
_ESCAPES[ord("\n")] = " "
_ESCAPES[ord("\r")] = " "


def escape(value: Any) -> Markup:
    """Markdown-and-HTML escape one value; Markup (built by specsite) passes unchanged."""
    if isinstance(value, Markup):
        return value
    if value is None:
        return Markup("")
    if isinstance(value, list | tuple):
        return Markup(", ").join(escape(v) for v in value)
    if isinstance(value, dict):
        return Markup(", ").join(Markup(f"{escape(k)}: {escape(v)}") for k, v in value.items())
    return Markup(str(value).translate(_ESCAPES))


def html_text(value: Any) -> str:
    """Plain text for a place the theme writes as HTML without escaping (page title, tags)."""
    return html.escape(str(value), quote=True)


_SCHEME = re.compile(r"^\s*([A-Za-z][A-Za-z0-9+.-]*):")
_CONTROL = re.compile(r"[\x00-\x20\x7f]")


def safe_url(url: str) -> bool:
    """True for a link target that cannot run script: http(s), mailto or relative."""
    cleaned = _CONTROL.sub("", html.unescape(url))
    match = _SCHEME.match(cleaned)
    return match is None or match.group(1).lower() in URL_SCHEMES


# -- the build log ------------------------------------------------------------------

# C0/C1 controls and bidirectional overrides: in a terminal they move the cursor,
# recolour or clear the screen, or make a line read differently from what it says.
_TERMINAL_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def terminal_text(text: str) -> str:
    """A message for the build log with every control character shown as an escape."""
    return _TERMINAL_CONTROL.sub(lambda m: repr(m.group())[1:-1], text)


# -- paths --------------------------------------------------------------------------


def public_path(path: Path, root: Path, base: Path | None = None) -> str:
    """A build-machine path as published: relative to the project ``root`` when inside it,
    else relative to the parent of ``base`` (the configured specs folder, the prompt's
    folder), else its file name: no absolute path of the build machine reaches a page,
    the build log or ``specs.json``."""
    for anchor in (root, *([] if base is None else [base.parent])):
        try:
            return path.relative_to(anchor).as_posix()
        except ValueError:
            continue
    return posixpath.basename(path.as_posix())


# -- export -------------------------------------------------------------------------


def plain_data(value: Any) -> Any:
    """Metadata as strict, stable JSON data: dates become ISO text, non-finite numbers
    text, sets sorted lists, keys text; the same input always gives the same bytes."""
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    if isinstance(value, dict):
        return {str(k): plain_data(v) for k, v in value.items()}
    if isinstance(value, set | frozenset):
        items = [plain_data(v) for v in value]
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True))
    if isinstance(value, list | tuple):
        return [plain_data(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def json_text(data: Any) -> str:
    """Strict JSON (``allow_nan=False``): browsers' ``JSON.parse`` reads every byte of it."""
    return json.dumps(plain_data(data), ensure_ascii=False, separators=(",", ":"), allow_nan=False)
