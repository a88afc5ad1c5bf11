"""A search for any name of a drug (a brand, a synonym, a code) also searches its other names, says so
on the page, and offers the word alone (search/synonyms.py)."""

import pytest

from literature.models import Article, Drug, DrugName, SuppressedDrugName
from literature.search.filters import ArticleFilterSet
from literature.search.synonyms import expand_drug_names
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def lenalidomide(seed_article):
    # The demo's drug: brand Revlimid, synonyms Lenalidomida and a chemical name; and a code.
    drug = Drug.objects.get(name="Lenalidomide")
    DrugName.objects.create(drug=drug, name="CC-5013")
    return drug


def found(query):
    filterset = ArticleFilterSet({"q": query}, queryset=Article.objects.public())
    assert filterset.is_valid(), filterset.errors
    return set(filterset.qs.values_list("pk", flat=True))


def test_a_brand_name_is_searched_with_the_drugs_other_names_in_the_words_place(lenalidomide):
    expanded = expand_drug_names("revlimid myeloma")
    assert expanded.text == 'revlimid or "Lenalidomide" or "CC-5013" or "Lenalidomida" myeloma'
    # The drug's own name first, then the shortest; the chemical name is not one a query can hold.
    assert expanded.also == [("revlimid", ["Lenalidomide", "CC-5013", "Lenalidomida"])]


def test_quoted_prefixed_and_excluded_words_are_searched_as_written(lenalidomide):
    for query in ('"Revlimid"', "revlim*", "myeloma -revlimid"):
        assert expand_drug_names(query).text == query


def test_a_name_on_the_kill_list_is_never_expanded(lenalidomide):
    SuppressedDrugName.objects.create(name="revlimid", reason="tests")
    assert expand_drug_names("Revlimid").also == []


def test_revlimid_finds_lenalidomide_articles_and_the_page_names_the_synonyms(client, lenalidomide, seed_article):
    ArticleFactory(title="Unrelated cardiology")
    assert found("Revlimid") == {seed_article.pk}
    assert found('"Revlimid"') == set()  # the word only: the seed never says Revlimid
    page = client.get("/articles/", {"q": "Revlimid"}).content.decode()
    assert "For “Revlimid” also searched: Lenalidomide, CC-5013, Lenalidomida." in page
    assert "?q=%22Revlimid%22" in page  # the word alone
