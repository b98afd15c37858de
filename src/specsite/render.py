"""Jinja2 rendering of generated Markdown pages, safe by construction.

Every ``{{ value }}`` is escaped for Markdown *and* HTML by the environment's
``finalize`` hook (:func:`specsite.sanitize.escape`) unless it is ``Markup``
built by specsite itself (links, spec bodies). Text from specs therefore never
becomes script, table syntax or template code in an index page.
"""

from __future__ import annotations

import urllib.parse
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from specsite.sanitize import escape, html_text, safe_url

__all__ = ["escape", "link", "render"]  # escape lives in sanitize; importable from here too


def link(text: Any, href: str) -> Markup:
    """A Markdown link whose text is escaped and whose target is URL-quoted; a target
    that could run script (``javascript:``...) leaves the text unlinked."""
    if not safe_url(href):
        return escape(text)
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
    env.filters["html_text"] = html_text
    return env


_ENV = _environment()


def render(template: str, **context: Any) -> str:
    return _ENV.get_template(template).render(**context)
