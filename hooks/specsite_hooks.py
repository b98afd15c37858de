"""specsite for the ``hooks:`` setup: a shim over the plugin (options under ``extra: specsite:``).

Prefer ``plugins: [search, specsite]``; see the README.
"""

from specsite.plugin import SpecsitePlugin

globals().update(SpecsitePlugin(from_extra=True).event_handlers())
