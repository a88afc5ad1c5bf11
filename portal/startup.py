"""What a web process does once, after loading the portal and before its first request."""

import gc

from django.urls import get_resolver

# A page of 100 API documents or 20 search results makes some 100,000-300,000 container objects, many
# alive until the response is written. At Python's default thresholds (700, 10, 10) the collector runs
# hundreds of times per such request and, every few requests, fully over everything alive, the
# request's own objects included: 70-150 ms, a pause in whichever request it falls on. At these it runs
# every 10,000 allocations and fully ten times less often; reference counting frees nearly all of a
# request's objects anyway. Measured beside (50,000, 20, 100), which left gen-1 passes over a million
# objects, and (20,000, 5, 100): this was the steadiest (docs/scale.md, item 23).
WEB_GC_THRESHOLDS = (10_000, 10, 100)


def settle_process():
    """Every view imported (the URL resolver populated), everything loaded so far moved out of the cycle
    collector's sight (gc.freeze: the ~120,000 long-lived objects of code and data, which each full
    collection would walk again), and the collector's thresholds raised to WEB_GC_THRESHOLDS. At a million
    articles the API's page of 100 took 40-50 ms with a p95 of 200-280 (the requests a full collection
    fell on); with this the p95 is about 1.5 times the median."""
    get_resolver().url_patterns  # noqa: B018 (populating the resolver imports every view module)
    gc.freeze()
    gc.set_threshold(*WEB_GC_THRESHOLDS)
