"""Past 20,000 results, facet counts, the result count and the drug and keyword pages' profiles are
estimated from a systematic sample of the matches (id * 633 % 1024 below a bound, read through an index),
labelled as estimates on every face; below that they are exact. The thresholds are scaled down here so
that a corpus of a few thousand articles exercises both."""

import re
from collections import Counter

import pytest
from django.db import connection

from literature.devdata.corpus import generate_corpus
from literature.models import Article, ArticleDrug, Drug
from literature.search import sampling
from literature.search.facets import APPROXIMATE, RESULTS, facet_counts
from literature.search.filters import ArticleFilterSet

pytestmark = pytest.mark.django_db

CORPUS = 2_400


@pytest.fixture
def corpus(db):
    generate_corpus(CORPUS, seed=7, batch_size=1_000)


@pytest.fixture
def small_thresholds(monkeypatch):
    """About 600 of the ~2,200 public articles sampled; more than 300 results are estimated."""
    monkeypatch.setattr(sampling, "SAMPLE_SIZE", 600)
    monkeypatch.setattr(sampling, "EXACT_UP_TO", 300)


def counts_for(data):
    base = Article.objects.public()
    filterset = ArticleFilterSet(data, queryset=base)
    assert filterset.is_valid(), filterset.errors
    return facet_counts(filterset, base), filterset


def test_a_large_result_set_is_estimated_from_the_sample_within_a_few_percent(corpus, small_thresholds):
    counts, filterset = counts_for({})
    exact_total = filterset.qs.count()
    assert RESULTS in counts[APPROXIMATE]
    assert {"type", "year", "journal", "keyword", "language"} <= counts[APPROXIMATE]
    assert abs(counts[RESULTS] - exact_total) <= 0.05 * exact_total
    exact_types = Counter(filterset.qs.values_list("output_type", flat=True))
    for value, _, estimate in counts["type"]:
        # about 600 sampled: three standard errors of a share are at most 6% of the result count
        assert abs(estimate - exact_types[value]) <= 0.06 * exact_total, value


def test_a_result_set_under_the_threshold_is_counted_exactly(corpus, small_thresholds):
    drug = Drug.objects.filter(article_links__status="confirmed").order_by("pk").first()
    counts, filterset = counts_for({"drug": drug.slug, "type": "review"})
    assert RESULTS not in counts[APPROXIMATE]
    assert counts[RESULTS] == filterset.qs.count()
    # The type facet counts under the drug filter alone, which may be large: estimated or not, it is
    # labelled as what it is, and the output type under both filters is exact.
    exact_years = Counter(filterset.qs.exclude(publication_year=None).values_list("publication_year", flat=True))
    if "year" not in counts[APPROXIMATE]:
        assert {value: n for value, _, n in counts["year"]} == dict(exact_years)


def test_a_corpus_no_larger_than_the_sample_is_never_estimated(corpus):
    counts, filterset = counts_for({})
    assert counts[APPROXIMATE] == set()
    assert counts[RESULTS] == filterset.qs.count()


def test_the_search_page_and_the_api_say_when_counts_are_estimates(client, corpus, small_thresholds):
    page = client.get("/articles/").content.decode()
    assert re.search(r"About [\d,]+ results", page)
    assert "Estimated from a sample of the results" in page
    api = client.get("/api/v1/articles/?group_by=type").json()
    assert api["group_by_approximate"] is True
    exact = client.get("/api/v1/articles/?group_by=type&type=editorial").json()
    assert exact["count"] < 300
    # the type facet ignores its own filter: still the whole corpus, still an estimate
    assert exact["group_by_approximate"] is True
    year = client.get("/api/v1/articles/?group_by=year&type=editorial").json()
    assert year["group_by_approximate"] is False
    assert sum(group["count"] for group in year["group_by"]) <= exact["count"]


def test_a_drug_page_with_many_articles_shows_estimates_as_such(client, corpus, monkeypatch):
    monkeypatch.setattr(sampling, "SAMPLE_SIZE", 600)
    monkeypatch.setattr(sampling, "EXACT_UP_TO", 50)
    drug_id, _ = Counter(ArticleDrug.objects.confirmed().values_list("drug_id", flat=True)).most_common(1)[0]
    drug = Drug.objects.get(pk=drug_id)
    assert Article.objects.public().with_confirmed_drug(drug).count() > 100
    page = client.get(drug.get_absolute_url()).content.decode()
    assert "(estimated from a sample of the articles)" in page


def test_the_sample_is_read_through_its_index(corpus):
    sample = Article.objects.public().in_sample(3).values("pk")
    sql, params = sample.query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")  # a table this small is otherwise read whole
            cursor.execute("EXPLAIN " + sql, params)
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        plan = " ".join(str(row) for row in cursor.fetchall())
    assert "article_public_sample_idx" in plan
    ids = list(sample.values_list("pk", flat=True))
    assert ids and all(pk * 633 % 1024 < 3 for pk in ids)


def test_a_search_samples_on_the_index_entry_too(corpus):
    """So that the full-text index drops the matches outside the sample before each is looked up."""
    sql = str(Article.objects.public().search("patients").in_sample(3).query)
    assert '(("literature_article_fts"."rowid" * 633) % 1024) < 3' in sql
    matches = set(Article.objects.public().search("patients").values_list("pk", flat=True))
    sampled = set(Article.objects.public().search("patients").in_sample(3).values_list("pk", flat=True))
    assert sampled == {pk for pk in matches if pk * 633 % 1024 < 3}
