"""`generate_corpus` makes realistic benchmark data that obeys every rule of the model."""

from collections import Counter

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Count

from literature.devdata.corpus import generate_corpus
from literature.models import Article, ArticleDrug, Authorship, Keyword, OutputCategory, PublicationState

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus(db):
    return generate_corpus(600, seed=42, batch_size=250)


def test_it_creates_the_requested_number_of_articles_with_their_links(corpus):
    assert Article.objects.count() == corpus.articles == 600
    assert Authorship.objects.count() == corpus.authorships
    assert ArticleDrug.objects.count() == corpus.drug_links > 600


def test_every_article_has_1_to_30_authors_numbered_from_one(corpus):
    counts = Article.objects.annotate(n=Count("authorships")).values_list("n", flat=True)
    assert min(counts) >= 1
    assert max(counts) <= 30
    for article in Article.objects.for_listing()[:50]:
        assert [a.position for a in article.ordered_authorships] == list(range(1, len(article.authors) + 1))


def test_keyword_frequencies_fall_off_like_zipf(corpus):
    usage = sorted(Keyword.objects.annotate(n=Count("articles")).values_list("n", flat=True), reverse=True)
    median = usage[len(usage) // 2]
    assert usage[0] >= 5 * max(median, 1)


def test_the_current_status_agrees_with_the_history(corpus):
    for article in Article.objects.prefetch_related("publication_states")[:100]:
        published = next(s for s in article.publication_states.all() if s.status == "published")
        assert (article.publication_status, article.publication_year, article.publication_month) == (
            "published",
            published.year,
            published.month,
        )


def test_generated_records_pass_model_validation(corpus):
    for article in Article.objects.all()[:100]:
        article.full_clean()
    for state in PublicationState.objects.all()[:100]:
        state.full_clean()


def test_most_articles_are_public_and_journals_are_skewed(corpus):
    states = Counter(Article.objects.values_list("curation_state", flat=True))
    assert states["approved"] > 0.8 * 600
    per_journal = sorted(Counter(Article.objects.values_list("journal_id", flat=True)).values(), reverse=True)
    assert per_journal[0] > 3 * per_journal[len(per_journal) // 2]


def test_running_twice_adds_to_the_corpus_without_clashes(corpus, capsys):
    call_command("generate_corpus", "100", "--seed", "42")
    assert Article.objects.count() == 700
    assert "Generated 100 articles" in capsys.readouterr().out


def test_articles_written_as_plain_rows_read_back_as_the_model_would_have_saved_them(corpus):
    # The generator inserts column values without model instances: every column it leaves out holds
    # the model's default, and those it writes are the model's own values.
    article = Article.objects.filter(pmid__isnull=False).exclude(doi="").first()
    assert (article.category, article.subtitle, article.pmcid, article.publication_date_as_given) == (
        OutputCategory.CONTRIBUTION_TO_JOURNAL,
        "",
        "",
        "",
    )
    assert article.created == article.modified
    assert Article.objects.values("modified").distinct().count() == 600  # each its own time, as saved one by one
    assert article.match_title and article.journal_id and article.publication_sort_key > 0
    assert article.doi == Article._meta.get_field("doi").normalizer(article.doi)  # stored as saves store it


def test_the_large_page_cache_of_the_generation_is_given_back(db):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's page cache")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        before = cursor.fetchone()[0]
        generate_corpus(20, seed=1)
        cursor.execute("PRAGMA cache_size")
        assert cursor.fetchone()[0] == before
