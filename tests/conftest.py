"""Fixtures shared by the whole suite: fast test settings, the demo record, a curator."""

import os
import subprocess
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Group
from django.core.cache import cache

from literature.devdata.demo import load_demo

SEED_PAGE = Path(django_settings.BASE_DIR).parent / "shared" / "seed" / "000_5bf3b548361b9493.txt"


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()


def pytest_configure(config):
    # Set once for the whole run, before any middleware or live server reads them: the test client
    # and the browser speak plain HTTP, nothing ran collectstatic, passwords need no real hashing.
    django_settings.SECURE_SSL_REDIRECT = False
    django_settings.SECURE_HSTS_SECONDS = 0
    django_settings.SESSION_COOKIE_SECURE = False
    django_settings.CSRF_COOKIE_SECURE = False
    django_settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Tests read what they just wrote: nothing stale (tests/test_derived.py turns it on to specify it).
    django_settings.CACHE_STALE_SECONDS = 0
    django_settings.CACHE_REFRESH_SECONDS = 0
    # A live server's thread must not keep its connection open past the test database's teardown.
    django_settings.DATABASES["default"]["CONN_MAX_AGE"] = 0
    django_settings.STORAGES = {
        **django_settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def seed_article(db):
    article, _ = load_demo()
    return article


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Detection runs once a save is committed: `with committed():` commits, as far as callbacks go."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def curator(db, django_user_model):
    user = django_user_model.objects.create_user("curator", password="a-long-test-password", is_staff=True)
    user.groups.add(Group.objects.get(name="Curators"))
    return user


@pytest.fixture
def api():
    """A script without a token: what anyone may read."""
    from rest_framework.test import APIClient

    return APIClient()


@pytest.fixture
def curator_api(curator):
    """A script with a curator's token."""
    from rest_framework.test import APIClient

    from literature.models import ApiToken

    _, key = ApiToken.issue(curator, "tests")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


@pytest.fixture
def curator_client(client, curator):
    client.force_login(curator)
    return client


@pytest.fixture
def seed_page_text():
    if not SEED_PAGE.exists():
        pytest.skip(f"the reference page {SEED_PAGE} is not in this checkout (no ../shared)")
    return SEED_PAGE.read_text(encoding="utf-8")


_artifacts = []


@pytest.fixture
def record_artifact():
    """Files a test leaves for people to look at; their paths are printed at the end of the run."""

    def record(description, path):
        _artifacts.append((description, path))

    return record


def pytest_terminal_summary(terminalreporter):
    for description, path in _artifacts:
        terminalreporter.write_line(f"Saved {description}: {path}")


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory):
    """A real Redis server: TEST_REDIS_URL (scripts/test.sh starts one), else one started here with
    scripts/redis.sh (which installs Debian's redis-server as root), else the test is skipped."""
    if os.environ.get("TEST_REDIS_URL"):
        yield os.environ["TEST_REDIS_URL"]
        return
    directory = tmp_path_factory.mktemp("redis")
    script = Path(django_settings.BASE_DIR) / "scripts" / "redis.sh"
    started = subprocess.run([script, "start", directory], capture_output=True, text=True, timeout=300)
    if started.returncode == 3:
        pytest.skip("no Redis server here (not root and redis-server not installed); set TEST_REDIS_URL")
    assert started.returncode == 0, started.stderr
    try:
        yield started.stdout.strip()
    finally:
        subprocess.run([script, "stop", directory], timeout=60)
