"""Full-text search: what a query means, what it finds, and that the index follows every edit."""

import pytest
from django.db import connection
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from literature.curation.articles import set_authors
from literature.models import Article, Keyword
from literature.search.query import fts5_query
from tests.factories import ArticleFactory, PersonFactory


@pytest.mark.parametrize(
    ("query", "fts5"),
    [
        ("lenalidomide myeloma", '"lenalidomide" AND "myeloma"'),
        ('"multiple myeloma"', '"multiple myeloma"'),
        ("thalidomide or lenalidomide", '("thalidomide" OR "lenalidomide")'),
        ("myeloma -pomalidomide", '"myeloma" NOT "pomalidomide"'),
        ("NEAR(a b) title:x * ^y", '"NEAR" AND "a" AND "b" AND "title" AND "x" AND "y"'),
        ("lenalid* -thalid*", '"lenalid"* NOT "thalid"*'),
        ("le* myeloma", '"le" AND "myeloma"'),  # a prefix of fewer than 3 letters is a word
        ("-only-exclusions", ""),
        ("!!! ???", ""),
    ],
)
def test_queries_use_web_search_syntax_and_never_fts5_syntax(query, fts5):
    assert fts5_query(query) == fts5


@pytest.fixture
def articles(db):
    title_hit = ArticleFactory(title="Lenalidomide maintenance in myeloma", abstract="A trial.")
    abstract_hit = ArticleFactory(title="Maintenance therapy", abstract="Patients received lenalidomide daily.")
    other = ArticleFactory(title="Bortezomib in lymphoma", abstract="Nothing about the other drug.")
    return title_hit, abstract_hit, other


def test_search_finds_words_in_titles_and_abstracts_ranking_titles_first(articles):
    title_hit, abstract_hit, _ = articles
    found = list(Article.objects.search("lenalidomide").order_by("-relevance"))
    assert found == [title_hit, abstract_hit]


def test_search_finds_keywords_and_author_names(articles):
    _, abstract_hit, other = articles
    other.keywords.add(Keyword.objects.create(name="Proteasome inhibitors"))
    set_authors(abstract_hit, [PersonFactory(family_name="Cannavò", given_names="Antonino")])
    assert list(Article.objects.search("proteasome")) == [other]
    assert list(Article.objects.search("Cannavò")) == [abstract_hit]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="diacritic folding is SQLite FTS5's unicode61 tokenizer")
def test_search_ignores_diacritics_on_sqlite(articles):
    _, abstract_hit, _ = articles
    set_authors(abstract_hit, [PersonFactory(family_name="Cannavò", given_names="Antonino")])
    assert list(Article.objects.search("cannavo")) == [abstract_hit]


def test_phrases_alternatives_and_exclusions(articles):
    title_hit, abstract_hit, other = articles
    assert list(Article.objects.search('"maintenance in myeloma"')) == [title_hit]
    assert set(Article.objects.search("lenalidomide or bortezomib")) == {title_hit, abstract_hit, other}
    assert list(Article.objects.search("lenalidomide -trial")) == [abstract_hit]


def test_a_word_ending_in_a_star_is_a_prefix_on_either_engine(articles):
    title_hit, abstract_hit, other = articles
    assert set(Article.objects.search("lenalid*")) == {title_hit, abstract_hit}
    assert list(Article.objects.search("lenalid* -mainten*")) == []
    assert list(Article.objects.search('lenalid* "maintenance in myeloma"')) == [title_hit]
    assert set(Article.objects.search("bortez* or lenalid*")) == {title_hit, abstract_hit, other}
    assert Article.objects.search("lenalid* maintenance").order_by("-relevance").first() == title_hit
    assert list(Article.objects.search("it's* o'brien*")) == []  # quotes inside words are no tsquery syntax


def test_the_index_follows_edits_renames_and_deletions(articles):
    title_hit, abstract_hit, other = articles
    other.title = "Carfilzomib in lymphoma"
    other.save()
    assert list(Article.objects.search("carfilzomib")) == [other]
    assert not Article.objects.search("bortezomib").exists()

    keyword = Keyword.objects.create(name="Angiogenesis")
    title_hit.keywords.add(keyword)
    keyword.name = "Neoangiogenesis"
    keyword.save()
    assert list(Article.objects.search("neoangiogenesis")) == [title_hit]

    person = title_hit.authors[0]
    person.family_name = "Zyxwvutsrq"
    person.save()
    assert list(Article.objects.search("zyxwvutsrq")) == [title_hit]

    abstract_hit.delete()
    assert list(Article.objects.search("lenalidomide")) == [title_hit]


def test_a_query_without_searchable_words_matches_nothing(articles):
    assert not Article.objects.search("!!!").exists()


@pytest.mark.django_db
@hypothesis_settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from([*"ab'-\"*() !:^&|\\<>é7", "or", "le", "and"]), max_size=16).map("".join))
def test_any_text_is_a_query_the_engine_accepts(text):
    Article.objects.search(text).count()  # a syntax error of FTS5 or to_tsquery would raise here
    list(Article.objects.search(text).order_by("-relevance")[:1])
