"""Reading deployment choices from the environment: typed values, the database URL and the cache URL.

Every value is checked where it is read, so a typo in a service file stops the server at start with the
variable's name in the message instead of surfacing later as a strange fault.
"""

import os
from urllib.parse import parse_qsl, urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off"}


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in TRUE_WORDS:
        return True
    if value.lower() in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(f"{name}={value!r} is not a boolean: use 1/0, true/false, yes/no or on/off.")


def env_list(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_int(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not a whole number.") from None


# Options of DATABASE_URL's query string that are Django's, not the database driver's.
DATABASE_URL_OPTIONS = {
    "conn_max_age": "seconds a connection is kept between requests (0: one per request)",
    "conn_health_checks": "true: check a kept connection before reusing it",
    "pool": "true: a psycopg connection pool per process (PostgreSQL; replaces conn_max_age)",
    "pool_min_size": "connections the pool keeps open",
    "pool_max_size": "most connections the pool opens",
    "pool_timeout": "seconds a request waits for a free connection",
}


def database_from_url(url, conn_max_age):
    """Django's DATABASES entry for `url`, e.g.
    postgres://user:pass@host:5432/portal?pool=true&pool_max_size=8 or
    postgres://.../portal?conn_max_age=600&conn_health_checks=true&sslmode=require.
    Driver options (sslmode, ...) pass through; the options of DATABASE_URL_OPTIONS are Django's."""
    query = dict(parse_qsl(urlsplit(url).query))
    ours = {key: query.pop(key) for key in list(query) if key in DATABASE_URL_OPTIONS}
    config = dj_database_url.parse(url, conn_max_age=conn_max_age)
    options = config.setdefault("OPTIONS", {})
    for key in ours:
        options.pop(key, None)

    def number(key):
        try:
            return int(ours[key])
        except ValueError:
            raise ImproperlyConfigured(f"DATABASE_URL option {key}={ours[key]!r} is not a whole number.") from None

    def flag(key):
        value = ours[key].lower()
        if value not in TRUE_WORDS | FALSE_WORDS:
            raise ImproperlyConfigured(f"DATABASE_URL option {key}={ours[key]!r} is not true or false.")
        return value in TRUE_WORDS

    if "conn_max_age" in ours:
        config["CONN_MAX_AGE"] = number("conn_max_age")
    if "conn_health_checks" in ours:
        config["CONN_HEALTH_CHECKS"] = flag("conn_health_checks")
    pool = {key.removeprefix("pool_"): number(key) for key in ours if key.startswith("pool_")}
    if "pool" in ours and flag("pool"):
        if config["ENGINE"] != "django.db.backends.postgresql":
            raise ImproperlyConfigured("DATABASE_URL option pool=true is for PostgreSQL only.")
        options["pool"] = pool or True
        # A pooled connection goes back to the pool after each request: Django refuses both at once.
        config["CONN_MAX_AGE"] = 0
    return config


def cache_from_url(url, max_entries):
    """Django's CACHES entry for DJANGO_CACHE_URL: redis://host:6379/0 (or rediss://, unix://) is
    Django's own RedisCache, shared by every process and server; locmem:// is one process's memory;
    file:///path a file cache on a shared disk (one server, several processes)."""
    scheme = urlsplit(url).scheme
    if scheme in {"redis", "rediss", "unix"}:
        return {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": os.environ.get("DJANGO_CACHE_KEY_PREFIX", "portal"),
        }
    if scheme == "locmem":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": max_entries}}
    if scheme == "file":
        return {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": urlsplit(url).path,
            "OPTIONS": {"MAX_ENTRIES": max_entries},
        }
    raise ImproperlyConfigured(
        f"DJANGO_CACHE_URL={url!r}: use redis://host:port/db (shared by all servers), locmem:// or file:///path."
    )
