"""/healthz and /readyz for load balancers and process supervisors.

Answered before any other middleware: a probe comes over plain HTTP to the server's own address, so
host validation, the HTTPS redirect, sessions and throttling must not stand in its way, and it must
not cost a session or a throttle counter per probe.
- /healthz: the process is up and serving (no dependency checked: a database outage must not make
  the supervisor restart every web server).
- /readyz: this server can serve readers: the database answers, the cache answers, and every
  migration of the code is applied (a new release started on an old schema is not ready).
"""

import logging
import uuid

from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse

logger = logging.getLogger(__name__)
_migrations_applied = False  # once true, stays true for the life of the process


def check_database():
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_cache():
    cache, key, token = caches["default"], "readyz:probe", uuid.uuid4().hex
    cache.set(key, token, 30)
    if cache.get(key) != token:
        raise RuntimeError("a value written to the cache did not come back")


def check_migrations():
    global _migrations_applied
    if _migrations_applied:
        return
    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    waiting = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if waiting:
        names = ", ".join(f"{migration.app_label}.{migration.name}" for migration, _ in waiting[:5])
        raise RuntimeError(f"{len(waiting)} migration(s) not applied: {names}")
    _migrations_applied = True


CHECKS = {"database": check_database, "cache": check_cache, "migrations": check_migrations}


def readiness():
    results = {}
    for name, check in CHECKS.items():
        try:
            check()
            results[name] = "ok"
        except Exception as error:
            logger.warning("Readiness check %s failed: %r", name, error)
            # Our own messages say what is wrong; a driver's may name internal hosts: only its kind.
            detail = str(error) if type(error) is RuntimeError else type(error).__name__
            results[name] = f"failed: {detail}"[:300]
    return results


class HealthCheckMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == "/healthz":
            return _no_store(JsonResponse({"status": "ok"}))
        if request.path == "/readyz":
            results = readiness()
            ready = all(value == "ok" for value in results.values())
            body = {"status": "ready" if ready else "not ready", "checks": results}
            return _no_store(JsonResponse(body, status=200 if ready else 503))
        return self.get_response(request)


def _no_store(response):
    response["Cache-Control"] = "no-store"
    return response
