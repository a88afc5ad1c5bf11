"""PubMed-style field tags in the search box (search/tags.py): each tagged term is the filter of the
same meaning, on the search page, the API and the exports alike (the one FilterSet)."""

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from literature.models import Article
from literature.search.filters import ArticleFilterSet
from literature.search.tags import parse_field_tags
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def found(query):
    filterset = ArticleFilterSet({"q": query}, queryset=Article.objects.public())
    assert filterset.is_valid(), filterset.errors
    return list(filterset.qs.values_list("pk", flat=True))


@pytest.mark.parametrize(
    ("query", "text", "tags"),
    [
        ("castelli[au] 2012[dp]", "", [("au", "castelli"), ("dp", "2012")]),
        ("myeloma Castelli R[au]", "myeloma", [("au", "Castelli R")]),
        ('"multiple myeloma"[mh] review[PT]', "", [("mh", "multiple myeloma"), ("pt", "review")]),
        ("2010:2012[dp] thalidomide", "thalidomide", [("dp", "2010:2012")]),
        ("lenalidomide[xx]", "lenalidomide", []),  # an unknown tag: the term is searched, untagged
        ("no tags here", "no tags here", []),
    ],
)
def test_a_query_is_its_free_text_and_its_tagged_terms(query, text, tags):
    tagged = parse_field_tags(query)
    assert (tagged.text, tagged.tags) == (text, tags)


def test_the_seed_is_found_by_author_and_year_tags_and_not_by_a_wrong_year(seed_article):
    ArticleFactory(title="Another article about myeloma")
    assert found("castelli[au] 2012[dp]") == [seed_article.pk]
    assert found("Castelli R[au]") == [seed_article.pk]
    assert found("castelli[au] 2011[dp]") == []
    assert found("castelli[au] 2011:2013[dp]") == [seed_article.pk]


def test_each_tag_filters_by_its_field(seed_article):
    ArticleFactory(title="Immunomodulatory drugs elsewhere", abstract="Nothing about the other.")
    assert found("immunomodulatory[ti] castelli[au]") == [seed_article.pk]
    assert found("10.3109/08923973.2012.658921[doi]") == [seed_article.pk]
    assert found(f"{seed_article.pmid}[pmid]") == ([seed_article.pk] if seed_article.pmid else [])
    assert found(f'"{seed_article.journal.title}"[ta]') == [seed_article.pk]
    keyword = seed_article.keywords.first()
    assert found(f'"{keyword.name.upper()}"[kw] 2012[dp]') == [seed_article.pk]
    assert found("castelli[ti]") == []  # an author's name is not in the title


def test_the_search_page_and_the_api_read_tags_the_same_way(client, api, seed_article):
    page = client.get("/articles/", {"q": "castelli[au] 2012[dp]"})
    assert seed_article.get_absolute_url() in page.content.decode()
    results = api.get("/api/v1/articles/", {"q": "castelli[au] 2012[dp]"}).json()["results"]
    assert [item["id"] for item in results] == [seed_article.pk]


@given(st.text(alphabet='abc 12[]":au*-dpmhti', max_size=40))
@hypothesis_settings(max_examples=150, deadline=None)
def test_any_text_with_brackets_is_a_query_both_engines_run(text):
    found(text)
