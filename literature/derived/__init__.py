"""Everything computed from the record, refreshed through one path: `refresh_derived(article_ids)`
writes the search index, suggests drug links from the text and recomputes Fingerprints, and bumps the
version under which aggregates (facet counts, profiles) are cached (refresh.py); cache.py caches under
that version; signals.py turns plain ORM saves into the same call."""

from .refresh import collecting, refresh_derived

__all__ = ["collecting", "refresh_derived"]
