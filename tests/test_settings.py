"""Deployment settings: production-safe by default, configured from the environment."""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management import call_command


def run_manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env={"PATH": os.environ["PATH"], **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_deploy_check_is_clean_with_debug_off():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env={
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": "a-production-secret-" + "x" * 50,
            "DJANGO_ALLOWED_HOSTS": "literature.example.org",
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_a_bad_boolean_in_the_environment_is_a_clear_error():
    result = run_manage("check", env={"DJANGO_DEBUG": "maybe"})
    assert result.returncode != 0
    assert "DJANGO_DEBUG='maybe' is not a boolean" in result.stderr


PRODUCTION = {"DJANGO_SECRET_KEY": "a-production-secret-" + "x" * 50}


def setting(name, env):
    """The value of settings.`name` in a fresh process started with `env` (as JSON)."""
    code = f"import json; from django.conf import settings; print(json.dumps(settings.{name}, default=str))"
    result = run_manage("shell", "-c", code, env=env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_with_debug_off_a_server_without_a_secret_key_refuses_to_start_and_says_what_to_set():
    result = run_manage("check", env={"DJANGO_DEBUG": "0"})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr
    assert "the same on all servers" in result.stderr


def test_database_url_selects_postgresql():
    database = setting("DATABASES['default']", {**PRODUCTION, "DATABASE_URL": "postgres://u:p@127.0.0.1:5999/portal"})
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert (database["HOST"], database["PORT"], database["NAME"]) == ("127.0.0.1", 5999, "portal")
    assert (database["CONN_MAX_AGE"], database["CONN_HEALTH_CHECKS"]) == (60, False)


def test_database_url_options_set_connection_health_checks_and_the_psycopg_pool():
    url = "postgres://u:p@db.internal/portal?conn_max_age=600&conn_health_checks=true&sslmode=require"
    database = setting("DATABASES['default']", {**PRODUCTION, "DATABASE_URL": url})
    assert (database["CONN_MAX_AGE"], database["CONN_HEALTH_CHECKS"]) == (600, True)
    assert database["OPTIONS"] == {"sslmode": "require"}, "driver options pass through, Django's do not"

    url = "postgres://u:p@db.internal/portal?pool=true&pool_min_size=2&pool_max_size=8&pool_timeout=5"
    database = setting("DATABASES['default']", {**PRODUCTION, "DATABASE_URL": url})
    assert database["OPTIONS"] == {"pool": {"min_size": 2, "max_size": 8, "timeout": 5}}
    assert database["CONN_MAX_AGE"] == 0, "a pooled connection goes back to the pool after each request"


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("postgres://u:p@h/portal?pool_max_size=eight", "pool_max_size='eight' is not a whole number"),
        ("postgres://u:p@h/portal?conn_health_checks=perhaps", "conn_health_checks='perhaps' is not true or false"),
        ("sqlite:////tmp/portal.sqlite3?pool=true", "pool=true is for PostgreSQL only"),
    ],
)
def test_a_bad_database_url_option_stops_the_server_naming_it(url, message):
    result = run_manage("check", env={**PRODUCTION, "DATABASE_URL": url})
    assert result.returncode != 0
    assert message in result.stderr


def test_the_cache_url_selects_djangos_redis_cache_shared_by_all_processes():
    caches = setting("CACHES", {**PRODUCTION, "DJANGO_CACHE_URL": "redis://cache.internal:6379/2"})
    assert caches["default"] == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://cache.internal:6379/2",
        "KEY_PREFIX": "portal",
    }
    assert caches["import-progress"] == {**caches["default"], "KEY_PREFIX": "import-progress"}


def test_without_a_cache_url_each_process_caches_alone_and_import_progress_goes_to_local_files():
    caches = setting("CACHES", PRODUCTION)
    assert caches["default"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    assert caches["import-progress"]["BACKEND"] == "django.core.cache.backends.filebased.FileBasedCache"


def test_an_unknown_cache_url_is_a_clear_error():
    result = run_manage("check", env={**PRODUCTION, "DJANGO_CACHE_URL": "memcached://127.0.0.1:11211"})
    assert result.returncode != 0
    assert "DJANGO_CACHE_URL='memcached://127.0.0.1:11211': use redis://" in result.stderr


def test_no_model_change_lacks_a_migration(db):
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
