"""Everything computed from the record, refreshed through one path: `refresh_derived(article_ids)`
writes the search index, queues drug-mention suggestions and Fingerprints, and bumps the version under
which aggregates (facet counts, profiles) are cached (refresh.py); cache.py reads that version."""
