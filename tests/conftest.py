"""Fixtures shared by the whole suite: fast test settings, the demo record, a curator."""

from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Group
from django.core.cache import cache

from literature.demo import load_demo

SEED_PAGE = Path(django_settings.BASE_DIR).parent / "shared" / "seed" / "000_5bf3b548361b9493.txt"


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()


@pytest.fixture(autouse=True)
def fast_test_settings(settings):
    # The test client speaks plain HTTP and nothing ran collectstatic; passwords need no real hashing.
    settings.SECURE_SSL_REDIRECT = False
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def seed_article(db):
    article, _ = load_demo()
    return article


@pytest.fixture
def curator(db, django_user_model):
    user = django_user_model.objects.create_user("curator", password="a-long-test-password", is_staff=True)
    user.groups.add(Group.objects.get(name="Curators"))
    return user


@pytest.fixture
def curator_client(client, curator):
    client.force_login(curator)
    return client


@pytest.fixture
def seed_page_text():
    if not SEED_PAGE.exists():
        pytest.skip(f"the reference page {SEED_PAGE} is not in this checkout (no ../shared)")
    return SEED_PAGE.read_text(encoding="utf-8")
