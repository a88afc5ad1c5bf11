"""Caching of aggregates over the public corpus (facet counts, a drug's profile, similar articles),
keyed by the corpus version that `refresh_derived` bumps after every committed change: nothing stale
is ever read, no code invalidates anything, and finding the version is one primary-key lookup (it
used to be COUNT(*) over the article and link tables on every request)."""

import hashlib

from django.core.cache import cache

from .refresh import current_version

CACHE_SECONDS = 24 * 3600


def cached_for_corpus(namespace, arguments, compute):
    """compute(), cached under (namespace, arguments, corpus version)."""
    source = f"{namespace}|{arguments!r}|{current_version()}"
    key = f"{namespace}:" + hashlib.sha256(source.encode()).hexdigest()
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, CACHE_SECONDS)
    return value
