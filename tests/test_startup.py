"""A web server's process settles once before its first request (portal/startup.py): the loaded code and
data frozen out of the cycle collector's full passes, and the collector run less often."""

import gc
import importlib

from portal.startup import WEB_GC_THRESHOLDS


def test_the_wsgi_entry_point_freezes_what_it_loaded_and_raises_the_collector_thresholds():
    before = gc.get_threshold()
    gc.unfreeze()
    try:
        import portal.wsgi

        importlib.reload(portal.wsgi)  # as a server process imports it
        assert callable(portal.wsgi.application)
        # Every module of the portal and its libraries is loaded by then: tens of thousands of objects.
        assert gc.get_freeze_count() > 20_000
        assert gc.get_threshold() == WEB_GC_THRESHOLDS
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)
