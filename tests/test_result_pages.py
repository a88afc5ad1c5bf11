"""A page of results is found once per search and corpus version (its ids cached, as a search engine's
result cache keeps them) and its articles read again by id on every request: asked for again, the search
is not run; after a change elsewhere the page is served from the last version while it is found again
off the request path; an article withdrawn meanwhile is never shown from the cache."""

import pytest
from rest_framework.test import APIClient

from literature.derived import cache as derived_cache
from literature.models import CurationState
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def background(monkeypatch, settings):
    """The refreshes that would run in a thread, kept to be run (or not) by the test."""
    settings.CACHE_STALE_SECONDS, settings.CACHE_REFRESH_SECONDS = 60, 0
    started = []
    monkeypatch.setattr(derived_cache, "start_in_background", lambda function, *args: started.append((function, args)))
    return started


def titles(response):
    return [article.title for article in response.context["articles"]]


def test_a_search_asked_for_again_is_not_run_again(
    client, django_assert_num_queries, django_capture_on_commit_callbacks
):
    for n in range(3):
        ArticleFactory(title=f"Lenalidomide maintenance {n}")
    first = client.get("/articles/", {"q": "lenalidomide", "sort": "newest"})
    with django_assert_num_queries(6) as captured:
        again = client.get("/articles/", {"q": "lenalidomide", "sort": "newest"})
    assert titles(again) == titles(first) == [f"Lenalidomide maintenance {n}" for n in (2, 1, 0)]
    assert not any("MATCH" in query["sql"] for query in captured.captured_queries)  # no full-text search


def test_an_article_withdrawn_after_its_page_was_cached_is_never_shown_from_it(
    client, background, django_capture_on_commit_callbacks
):
    kept, withdrawn = ArticleFactory(title="Kept"), ArticleFactory(title="Withdrawn")
    assert titles(client.get("/articles/")) == ["Withdrawn", "Kept"]
    with django_capture_on_commit_callbacks(execute=True):
        withdrawn.curation_state = CurationState.WITHDRAWN
        withdrawn.save()
    # The page's ids are those of the last version (found again in the background), its rows read now.
    assert titles(client.get("/articles/")) == ["Kept"]
    assert client.get(withdrawn.get_absolute_url()).status_code == 404
    api_ids = [row["id"] for row in APIClient().get("/api/v1/articles/").json()["results"]]
    assert api_ids == [kept.pk]


def test_after_a_change_the_page_is_served_from_the_last_version_and_found_again_off_the_request_path(
    client, background, django_capture_on_commit_callbacks
):
    ArticleFactory(title="Older")
    client.get("/articles/")
    with django_capture_on_commit_callbacks(execute=True):
        ArticleFactory(title="Newer")
    assert titles(client.get("/articles/")) == ["Older"]  # at most CACHE_STALE_SECONDS behind
    for function, args in background:
        function(*args)  # what the threads do
    assert titles(client.get("/articles/")) == ["Newer", "Older"]
