"""Caching of aggregates over the public corpus (facet counts, a drug's profile), keyed by a version
that changes whenever the data they count changes, so nothing stale is ever served and no code
has to remember to invalidate anything."""

import hashlib

from django.core.cache import cache
from django.db import connection

CACHE_SECONDS = 24 * 3600


def corpus_version():
    """Changes whenever anything a facet counts or names changes: the newest modification and the row
    count of each table involved (counts catch deletions). Read from the database, so every server
    process agrees on it; each part is an index lookup or a count."""
    selects = [
        f"(SELECT {aggregate} FROM {table})"
        for table, aggregates in (
            ("literature_article", ["MAX(modified)", "COUNT(*)"]),
            ("literature_articledrug", ["MAX(modified)", "COUNT(*)"]),
            ("literature_keyword", ["MAX(modified)"]),
            ("literature_journal", ["MAX(modified)"]),
            ("literature_drug", ["MAX(modified)"]),
            # Fingerprint rows have no timestamp: a recomputation writes them anew (a new highest id), hiding
            # one touches its article, deleting an article changes the article count. (No COUNT here: it
            # would scan a table of millions of rows on every request.)
            ("literature_articleconcept", ["MAX(id)"]),
        )
        for aggregate in aggregates
    ]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(selects)}")
        return "|".join(str(value) for value in cursor.fetchone())


def cached_for_corpus(namespace, arguments, compute):
    """compute(), cached under (namespace, arguments, corpus version)."""
    source = f"{namespace}|{arguments!r}|{corpus_version()}"
    key = f"{namespace}:" + hashlib.sha256(source.encode()).hexdigest()
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, CACHE_SECONDS)
    return value
