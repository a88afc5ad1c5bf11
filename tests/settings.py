"""The settings the suite runs with: the production settings (portal/settings.py), given the one value
production must be given and a test run has no business asking for, a secret key."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "tests-only-key-" + "x" * 40)

from portal.settings import *  # noqa: F403

# Parallel test processes (pytest -n) each get a Redis database of their own: a test empties the cache.
_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
if CACHES["default"]["BACKEND"].endswith("RedisCache") and _worker.startswith("gw"):  # noqa: F405
    _location = CACHES["default"]["LOCATION"].rsplit("/", 1)[0] + f"/{1 + int(_worker[2:])}"  # noqa: F405
    for _alias in CACHES.values():  # noqa: F405
        _alias["LOCATION"] = _location
