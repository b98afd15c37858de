"""Jinja2 rendering of generated Markdown pages, safe by construction.

Every ``{{ value }}`` is escaped for Markdown *and* HTML by the environment's
``finalize`` hook unless it is ``Markup`` built by specsite itself (links,
spec bodies). Text from specs therefore never becomes script, table syntax or
template code in an index page.
"""

from __future__ import annotations

import urllib.parse
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

# HTML specials, table pipes and the characters that start Markdown or
# pymdown-extensions inline syntax become numeric character references.
_ESCAPES = {ord(c): f"&#{ord(c)};" for c in "&<>\"'|[]*_`{}\\~^=$"}
_ESCAPES[ord("\n")] = " "
_ESCAPES[ord("\r")] = " "


def escape(value: Any) -> Markup:
    """Markdown-and-HTML escape one value; Markup passes through unchanged."""
    if isinstance(value, Markup):
        return value
    if value is None:
        return Markup("")
    if isinstance(value, list | tuple):
        return Markup(", ").join(escape(v) for v in value)
    return Markup(str(value).translate(_ESCAPES))


def link(text: Any, href: str) -> Markup:
    """A Markdown link whose text is escaped and whose target is URL-quoted."""
    quoted = urllib.parse.quote(href, safe="/#:.-_~%")
    return Markup(f"[{escape(text)}]({quoted})")


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("specsite", "templates"),
        autoescape=False,
        undefined=StrictUndefined,
        finalize=escape,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["link"] = link
    return env


_ENV = _environment()


def render(template: str, **context: Any) -> str:
    return _ENV.get_template(template).render(**context)
