"""Caching of aggregates over the public corpus (facet counts, a drug's profile, similar articles), keyed
by what they are for and stamped with the corpus version that `refresh_derived` bumps after every
committed change; finding the version is one primary-key lookup (it used to be COUNT(*) over the article
and link tables on every request).

An entry of the current version is served as it is. One of an older version, computed less than
`CACHE_STALE_SECONDS` ago, is served too (stale-while-revalidate: what a reader sees is at most that far
behind the record) while a thread recomputes it off the request path, so a curator's save does not make
every cached page cold at once. Older than that, it is recomputed before the response. With
CACHE_STALE_SECONDS = 0 nothing stale is ever served.

A stale entry computed less than `CACHE_REFRESH_SECONDS` ago is served without starting a recomputation:
while writes come in a stream (an import commits a chunk a second, curators save), each aggregate is
recomputed at most once in that time, not after every commit; the recomputation shares the process's
cores with the requests (a search right after a write: ~3x slower while its facets were recomputed).
"""

import hashlib
import logging
import threading
import time

from django.conf import settings
from django.core.cache import cache
from django.db import connections

from .refresh import current_version

CACHE_SECONDS = 24 * 3600
logger = logging.getLogger(__name__)


def cached_for_corpus(namespace, arguments, compute):
    """compute(), cached for (namespace, arguments) at the current corpus version (see above)."""
    key = f"{namespace}:" + hashlib.sha256(f"{namespace}|{arguments!r}".encode()).hexdigest()
    version = current_version()
    entry = cache.get(key)
    if entry is not None:
        entry_version, computed_at, value = entry
        if entry_version == version:
            return value
        age = time.time() - computed_at
        if age <= settings.CACHE_STALE_SECONDS:
            if age >= settings.CACHE_REFRESH_SECONDS:
                revalidate(key, compute)
            return value
    return _store(key, version, compute)


def _store(key, version, compute):
    started = time.time()
    value = compute()
    cache.set(key, (version, started, value), CACHE_SECONDS)
    return value


def revalidate(key, compute):
    """Recompute the entry in a thread of its own, once however many requests find it stale."""
    if not cache.add(f"{key}:revalidating", 1, max(settings.CACHE_STALE_SECONDS, 1)):
        return
    start_in_background(refresh_entry, key, compute)


def refresh_entry(key, compute):
    try:
        _store(key, current_version(), compute)
    except Exception:  # a failed refresh leaves the stale entry to expire; the request path recomputes
        logger.exception("Could not refresh the cached %s", key.split(":", 1)[0])
    finally:
        cache.delete(f"{key}:revalidating")


def start_in_background(function, *args):
    def run():
        try:
            function(*args)
        finally:
            connections.close_all()  # the thread's own connections, not the request's

    threading.Thread(target=run, daemon=True).start()
