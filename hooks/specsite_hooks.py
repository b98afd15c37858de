"""specsite for the ``hooks:`` setup: a shim over the plugin (options under ``extra: specsite:``).

Prefer ``plugins: [search, specsite]``; see the README.
"""

from specsite.plugin import SpecsitePlugin

_plugin = SpecsitePlugin(from_extra=True)
on_config = _plugin.on_config
on_files = _plugin.on_files
on_page_markdown = _plugin.on_page_markdown
