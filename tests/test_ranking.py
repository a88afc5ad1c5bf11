"""A search by relevance with no other filter ranks only its newest RANK_WINDOW matches (a common word
matches most of a million articles, and scoring them all costs most of a second), and says so; the
result count, a filtered search and every other order are never bounded."""

import pytest

from literature.models import Article
from literature.search import ranking
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ten_matches(monkeypatch):
    monkeypatch.setattr(ranking, "RANK_WINDOW", 4)
    articles = [ArticleFactory(title=f"Myeloma study {n}", abstract="myeloma " * (n + 1)) for n in range(10)]
    ArticleFactory(title="Unrelated")
    return articles


def test_relevance_is_ranked_among_the_newest_matches_and_the_page_says_so(client, ten_matches):
    page = client.get("/articles/", {"q": "myeloma"})
    assert page.context["result_count"] == 10  # the count is every match
    shown = list(page.context["articles"])
    assert {article.pk for article in shown} == {article.pk for article in ten_matches[-4:]}
    # Within the window the order is relevance: the abstract that says "myeloma" most comes first.
    assert shown[0].pk == ten_matches[-1].pk
    assert "Ranked by relevance among the 4 most recently added matches" in page.content.decode()


def test_a_filtered_search_and_other_orders_rank_or_reach_every_match(client, ten_matches):
    filtered = client.get("/articles/", {"q": "myeloma", "year_from": 2000})
    assert len(filtered.context["articles"]) == 10
    assert "most recently added matches" not in filtered.content.decode()
    newest = client.get("/articles/", {"q": "myeloma", "sort": "newest"})
    assert len(newest.context["articles"]) == 10


def test_fewer_matches_than_the_window_are_all_ranked(client, ten_matches, monkeypatch):
    monkeypatch.setattr(ranking, "RANK_WINDOW", 50)
    assert ranking.newest_match_floor("myeloma") is None
    assert len(client.get("/articles/", {"q": "myeloma"}).context["articles"]) == 10


def test_the_floor_is_the_window_th_newest_match_on_either_engine(ten_matches):
    matches = sorted(Article.objects.search("myeloma").values_list("pk", flat=True), reverse=True)
    assert ranking.newest_match_floor("myeloma") == matches[3]
    assert ranking.newest_match_floor('"myeloma study 9"') is None


def test_the_api_ranks_its_numbered_pages_in_the_same_window_and_says_so(ten_matches):
    from rest_framework.test import APIClient

    client = APIClient()
    page = client.get("/api/v1/articles/", {"q": "myeloma"}).json()
    assert page["count"] == 10  # the count is every match, as on the search page
    assert page["ranked_within"] == 4
    assert page["results"][0]["id"] == ten_matches[-1].pk  # the most "myeloma" first
    assert {row["id"] for row in page["results"]} == {article.pk for article in ten_matches[-4:]}
    # A filter, another order or a cursor reaches every match, and says nothing of a window.
    for params in ({"year_from": 2000}, {"sort": "newest"}, {"cursor": ""}):
        unbounded = client.get("/api/v1/articles/", {"q": "myeloma", **params}).json()
        assert len(unbounded["results"]) == 10 and "ranked_within" not in unbounded, params
