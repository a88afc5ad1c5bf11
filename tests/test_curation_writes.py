"""The write functions every face calls: what each changes, and what it keeps."""

import pytest
from rest_framework.test import APIClient

from literature.curation.articles import AuthorEntry, move_to_state, save_article, set_authors
from literature.curation.drugs import decide_drug_links
from literature.models import ApiToken, Article, ArticleDrug, Authorship, CurationState, LinkStatus
from tests.factories import ArticleDrugFactory, ArticleFactory, KeywordFactory, PersonFactory

pytestmark = pytest.mark.django_db


def test_reordering_authors_keeps_each_authors_row_and_affiliation():
    article = ArticleFactory(authors=0)
    ana, ben, cai = PersonFactory.create_batch(3)
    set_authors(article, [(ana, "Leeds"), (ben, "Turin"), (cai, "Kyoto")])
    rows = {row.person_id: row.pk for row in article.authorships.all()}
    assert set_authors(article, [cai, ana]) is True
    after = list(article.authorships.order_by("position").values_list("pk", "person_id", "position", "affiliation"))
    assert after == [(rows[cai.pk], cai.pk, 1, "Kyoto"), (rows[ana.pk], ana.pk, 2, "Leeds")]


def test_writing_the_same_author_list_again_changes_nothing(django_assert_num_queries):
    article = ArticleFactory(authors=0)
    people = PersonFactory.create_batch(3)
    set_authors(article, people)
    with django_assert_num_queries(3):  # a savepoint, the current rows, its release: nothing written
        assert set_authors(article, people) is False


def test_an_entry_can_carry_the_affiliation_and_corresponding_flag():
    article = ArticleFactory(authors=0)
    person = PersonFactory()
    set_authors(article, [AuthorEntry(person, affiliation="Catania", is_corresponding=True)])
    row = Authorship.objects.get(article=article)
    assert (row.position, row.affiliation, row.is_corresponding) == (1, "Catania", True)


def test_the_api_writes_the_author_order_through_the_same_function(curator):
    article = ArticleFactory(authors=0)
    ana, ben = PersonFactory.create_batch(2)
    set_authors(article, [(ana, "Leeds"), (ben, "Turin")])
    _, key = ApiToken.issue(curator, "tests")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    url = f"/api/v1/articles/{article.pk}/"
    response = client.patch(url, {"author_ids": [ben.pk, ana.pk]}, format="json", HTTP_IF_MATCH=client.get(url)["ETag"])
    assert response.status_code == 200, response.content
    assert [(a["person"]["id"], a["affiliation"]) for a in response.json()["authors"]] == [
        (ben.pk, "Turin"),
        (ana.pk, "Leeds"),
    ]


def test_save_article_replaces_only_the_parts_it_is_given():
    article = ArticleFactory(authors=2)
    kept_authors = list(article.authorships.values_list("person_id", flat=True))
    keyword = KeywordFactory(name="Cereblon")
    article.volume = "36"
    saved = save_article(article, keywords=[keyword])
    assert saved.changed == ["record", "keywords"]
    article = Article.objects.get(pk=article.pk)
    assert article.volume == "36"
    assert list(article.keywords.all()) == [keyword]
    assert list(article.authorships.order_by("position").values_list("person_id", flat=True)) == kept_authors
    assert Article.objects.search("cereblon").get() == article


def test_moving_articles_to_a_state_returns_those_it_changed_with_history(curator):
    approved = ArticleFactory(curation_state=CurationState.APPROVED)
    waiting = ArticleFactory(curation_state=CurationState.IN_REVIEW)
    rows = move_to_state(Article.objects.all(), CurationState.APPROVED, curator)
    assert [row.pk for row in rows] == [waiting.pk]
    latest = waiting.history.latest()
    assert (latest.curation_state, latest.history_user, latest.history_change_reason) == (
        CurationState.APPROVED,
        curator,
        "Curation state set to Approved.",
    )
    assert approved.history.count() == 1  # untouched


def test_deciding_drug_links_leaves_the_ones_already_decided(curator):
    suggested = ArticleDrugFactory(status=LinkStatus.SUGGESTED)
    rejected = ArticleDrugFactory(status=LinkStatus.REJECTED)
    rows = decide_drug_links(ArticleDrug.objects.all(), LinkStatus.REJECTED, curator, "Not this drug.")
    assert [row.pk for row in rows] == [suggested.pk]
    assert ArticleDrug.objects.get(pk=rejected.pk).history.count() == 1
    assert suggested.history.latest().history_change_reason == "Not this drug."
