"""specsite: publish a collection of engineering specifications as a searchable static site.

The package is the pure core (no MkDocs imports); ``hooks/specsite_hooks.py`` is
the MkDocs adapter.
"""

__version__ = "0.1.0"
