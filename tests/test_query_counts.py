"""Exact query counts of the pages and API calls that list or show articles: the same for a page of two
articles as for a page of twenty, each query named in the comment beside its budget. A change to a
page's queries is a change to that list."""

import pytest
from rest_framework.test import APIClient

from literature.api.serializers import ArticleSerializer
from literature.curation.articles import set_authors
from literature.models import Article, ArticleDrug, LinkStatus
from tests.factories import ArticleFactory, DrugFactory, JournalFactory, KeywordFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def drug():
    return DrugFactory(name="Lenalidomide", slug="lenalidomide")


def make_articles(count, drug):
    keyword = KeywordFactory(name="Myeloma")
    for n in range(count):
        article = ArticleFactory(title=f"Lenalidomide study {n}", authors=3, doi=f"10.5555/study.{n}")
        article.keywords.add(keyword)
        ArticleDrug.objects.create(article=article, drug=drug, status=LinkStatus.CONFIRMED)


@pytest.mark.parametrize("count", [2, 20])
def test_the_article_list_page(client, drug, count, django_assert_num_queries):
    make_articles(count, drug)
    # 1 corpus version (the facet cache), 8 facet queries (1 for the seven of the article row itself:
    # type, year, status, language, peer review, has abstract, has full text link; 1 each for journal,
    # drug, keyword, MeSH heading, publication type, author, subject area), 3 the names of the top drugs,
    # keywords and authors, 1 count of the results (cached with the facets, so a warm page runs none), 1
    # page of articles with their journals, 1 their authorships; 1 count of the public articles (the size
    # of a sample is chosen from it; kept an hour). A corpus smaller than the sample is counted exactly,
    # so there is no sample query here. The page: 1 corpus version and 1 its ids (cached under it, as
    # a search engine's result cache keeps a page), then 1 its articles by id with their journals, 1
    # their authorships.
    with django_assert_num_queries(18):
        client.get("/articles/")


@pytest.mark.parametrize("count", [2, 20])
def test_the_search_page(client, drug, count, django_assert_num_queries):
    make_articles(count, drug)
    # As the list page, plus 1 for the year facet's column counted apart (the year and drug facets each
    # count under every filter but their own; the drug facet's filters leave out the drug, the year's the
    # years: one more scan of the article row), plus 1 drug looked up by its slug for the filter, plus 2
    # for the query's drug names (search/synonyms.py): 1 the drugs its words name (lenalidomide), 1 that
    # drug's names; plus 2 for whether the page walks the drug's articles (ArticleFilterSet.listed): 1
    # corpus version, 1 its public articles counted (cached under that version); plus 3 for "did you
    # mean" (suggestions.py): 1 corpus version for the query's suggestion, 1 for the vocabulary, 1 the
    # vocabulary (one union over the sample; both cached under that version); plus 2 for the page's
    # ids cached (1 corpus version, 1 the ids): 27.
    with django_assert_num_queries(27):
        client.get("/articles/?q=lenalidomide&drug=lenalidomide&year_from=2000")


@pytest.mark.parametrize("count", [2, 20])
def test_the_article_page(client, seed_article, count, django_assert_num_queries):
    for _ in range(count):
        ArticleFactory(authors=count)
    # 1 the article with its journal, 1 its authorships with people, 1 its references (each with the
    # portal's article it cites), 1 MeSH headings, 1 publication types, 1 relations (errata, retractions,
    # each with the portal's article it names; none here, so no query for those articles), 1 keywords, 1 subject areas
    # with their areas, 1 publication history, 1 confirmed drug links with drugs, 1 shown Fingerprint
    # concepts, 1 corpus version (similar
    # articles are cached under it), 1 its top concepts for similar articles (none here: a Fingerprint
    # needs the vocabulary), 1 the references citing it (none: so no list of them). Citations are
    # rendered without a query.
    with django_assert_num_queries(14):
        client.get(seed_article.get_absolute_url())


@pytest.mark.parametrize("count", [2, 20])
def test_the_drug_page(client, drug, count, django_assert_num_queries):
    make_articles(count, drug)
    # 1 the drug, 1 its names, 1 corpus version (the profile is cached under it), the profile: 1 the
    # drug's Fingerprint concept, 1 articles per year, 1 their number (the paginator is told it), 1
    # co-occurring keywords, 1 their names, 1 summed Fingerprint, 1 co-occurring drugs; then 1 the page
    # of articles with journals, 1 their authorships with people; 1 count of the public articles (the
    # size of a sample, kept an hour). Warm: the profile's 7 are cached.
    with django_assert_num_queries(13):
        client.get(drug.get_absolute_url())


@pytest.mark.parametrize("count", [2, 20])
def test_the_journal_page(client, count, django_assert_num_queries):
    journal = JournalFactory()
    ArticleFactory.create_batch(count, journal=journal, authors=3)
    # 1 the journal, 1 corpus version (its profile is cached under it), the profile: 1 articles per year,
    # 1 their number (the paginator is told it), 1 co-occurring keywords (none here, so no query for their
    # names), 1 summed Fingerprint, 1 co-occurring drugs; then 1 the page of articles with journals, 1
    # their authorships with people; 1 count of the public articles (the size of a sample, kept an hour).
    with django_assert_num_queries(10):
        client.get(journal.get_absolute_url())
    # Warm: the profile is cached (the size of a sample is not needed).
    with django_assert_num_queries(4):
        client.get(journal.get_absolute_url())


@pytest.mark.parametrize("count", [2, 20])
def test_the_person_page(client, count, django_assert_num_queries):
    person = PersonFactory()
    keyword = KeywordFactory(name="Myeloma")
    for _ in range(count):
        article = ArticleFactory(authors=3)
        set_authors(article, [person, *article.authors])
        article.keywords.add(keyword)
    # 1 the person, 1 corpus version (the profile is cached under it), the profile: 1 articles per year,
    # 1 their number, 1 co-occurring keywords, 1 their names, 1 summed Fingerprint, 1 co-occurring drugs,
    # 1 co-authors with the number of articles shared; then 1 the page of articles with journals, 1 their
    # authorships with people; 1 count of the public articles (the size of a sample, kept an hour).
    with django_assert_num_queries(12):
        client.get(person.get_absolute_url())
    # Warm: the person, the corpus version, the page of articles and their authorships.
    with django_assert_num_queries(4):
        client.get(person.get_absolute_url())


@pytest.mark.parametrize("count", [2, 20])
def test_the_api_list(drug, count, django_assert_num_queries):
    make_articles(count, drug)
    # 1 corpus version, 1 count (cached under that version), 1 corpus version, 1 the page's ids (cached
    # under it), 1 the page of articles by id with journals (Article.objects.for_api()), then one each:
    # authorships with people, references with the articles they cite, MeSH headings, publication
    # types, relations with the articles they name, keywords, subject areas, publication history,
    # confirmed drug links with drugs, shown Fingerprint concepts; 1 the references citing any article
    # of the page (cited_by_count).
    client = APIClient()
    with django_assert_num_queries(16):
        client.get("/api/v1/articles/?page_size=100")
    # The same page asked for again (page=1 is the first page): neither the count nor the page's ids are
    # looked for again, only read by id (1 corpus version each).
    with django_assert_num_queries(14):
        client.get("/api/v1/articles/?page_size=100&page=1")


@pytest.mark.parametrize("count", [2, 20])
def test_the_api_list_grouped_by_keyword(drug, count, django_assert_num_queries):
    make_articles(count, drug)
    client = APIClient()
    # The list's 16, then the facets as the search page counts them: 1 corpus version, 8 facet queries, 3
    # the top drugs', keywords' and authors' names, 1 count of the results (all cached together under that
    # version), 1 count of the public articles (the size of a sample).
    with django_assert_num_queries(30):
        client.get("/api/v1/articles/?page_size=100&group_by=keyword")
    # Warm: the list's 14 (its count and page's ids cached) and 1 corpus version for the cached facets.
    with django_assert_num_queries(15):
        client.get("/api/v1/articles/?page_size=100&group_by=keyword")


def test_the_similar_articles_of_an_article(seed_article, django_assert_num_queries):
    client = APIClient()
    # 1 the article (its id only), 1 corpus version (similar articles are cached under it), 1 its top
    # concepts (none here: then no more).
    with django_assert_num_queries(3):
        client.get(f"/api/v1/articles/{seed_article.pk}/similar/")


def test_the_api_serializer_never_queries_per_row(drug, django_assert_num_queries):
    make_articles(3, drug)
    articles = list(Article.objects.public().for_api())
    with django_assert_num_queries(1):  # the references citing any of them: cited_by_count, for all at once
        data = ArticleSerializer(articles, many=True, context={"request": None}).data
    assert len(data) == 3
    assert all(row["drug_links"][0]["drug"]["name"] == "Lenalidomide" and row["keywords"] for row in data)


def test_an_article_read_without_for_api_is_refused_not_queried_per_row(drug):
    make_articles(1, drug)
    with pytest.raises(AssertionError, match="for_api"):
        _ = ArticleSerializer(Article.objects.public().for_listing().first(), context={"request": None}).data


def test_the_flat_api_document_is_the_declared_one_field_for_field(seed_article, rf):
    from rest_framework.request import Request

    from literature.mining.fingerprint import compute_fingerprints

    make_articles(3, DrugFactory(name="Bortezomib", slug="bortezomib"))
    compute_fingerprints()
    request = Request(rf.get("/api/v1/articles/"))
    documents = []
    for all_links in (False, True):
        for article in Article.objects.for_api(all_links=all_links):
            serializer = ArticleSerializer(context={"request": request})
            documents.append(serializer.to_representation(article))
            assert documents[-1] == serializer.declared_representation(article, all_links=all_links)
    # Every part was compared with something in it.
    for part in ["journal", "authors", "keywords", "subject_areas", "drug_links", "fingerprint", "publication_history"]:
        assert any(document[part] for document in documents), part


@pytest.mark.parametrize("count", [2, 20])
def test_the_drug_list(client, count, django_assert_num_queries):
    for n in range(count):
        other = DrugFactory(name=f"Drug {n}")
        ArticleDrug.objects.create(article=ArticleFactory(), drug=other, status=LinkStatus.CONFIRMED)
    # 1 corpus version (the ranking is cached under it), 1 the ranking (confirmed public links grouped
    # by drug), 1 the drugs of the page; a search adds 1 for the drugs named like it.
    with django_assert_num_queries(3):
        client.get("/drugs/")
    with django_assert_num_queries(2):  # warm
        client.get("/drugs/")
    with django_assert_num_queries(3):
        client.get("/drugs/", {"q": "drug 1"})


@pytest.mark.parametrize("count", [2, 20])
def test_the_feed_of_a_search(client, drug, count, django_assert_num_queries):
    make_articles(count, drug)
    # 1 the drug of the filter, 1 the newest articles of the search with journals, 1 their authorships,
    # 2 the query's drug names (the drugs its words name, their names).
    with django_assert_num_queries(5):
        client.get("/articles/feed/", {"q": "lenalidomide", "drug": "lenalidomide"})


def test_the_mentions_of_an_article(seed_article, django_assert_num_queries):
    client = APIClient()
    url = f"/api/v1/articles/{seed_article.pk}/mentions/"
    client.get(url)  # the matcher is built once per vocabulary version (three queries for the names)
    # 1 the article's text, 3 the vocabulary's version (drugs, names, kill list), 1 the drugs its names
    # name, 1 the article's links to them.
    with django_assert_num_queries(6):
        client.get(url)
