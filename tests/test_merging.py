"""Merging duplicates: keywords (their articles move, their old addresses redirect) and articles."""

import pytest
from django.urls import reverse

from literature.curation.merging import merge_keywords
from literature.models import Article, Keyword
from tests.factories import ArticleFactory, KeywordFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def variants():
    kept = KeywordFactory(name="Multiple myeloma", slug="multiple-myeloma")
    variant = KeywordFactory(name="Myeloma, Multiple", slug="myeloma-multiple", mesh_id="D009101")
    both, only_variant = ArticleFactory(), ArticleFactory(title="Plasma cell tumours")
    kept.articles.add(both)
    variant.articles.add(both, only_variant)
    return kept, variant, both, only_variant


def test_merging_moves_every_article_once_and_keeps_the_mesh_id(variants):
    kept, variant, both, only_variant = variants
    assert merge_keywords(kept, [kept, variant]) == 1
    assert set(kept.articles.all()) == {both, only_variant}
    assert not Keyword.objects.filter(pk=variant.pk).exists()
    kept.refresh_from_db()
    assert kept.mesh_id == "D009101"
    assert kept.history.first().history_change_reason == "Merged “Myeloma, Multiple” into this keyword."
    assert only_variant in Article.objects.search("multiple myeloma")


def test_the_old_address_redirects_to_the_kept_keyword_even_after_a_second_merge(variants, client):
    kept, variant, *_ = variants
    merge_keywords(kept, [variant])
    later = KeywordFactory(name="Myeloma (plasma cell)")
    merge_keywords(later, [kept])
    for slug in ("myeloma-multiple", "multiple-myeloma"):
        response = client.get(f"/keywords/{slug}/")
        assert (response.status_code, response.url) == (301, later.get_absolute_url())
    assert client.get("/keywords/never-existed/").status_code == 404


def test_curators_merge_from_the_keyword_list_choosing_the_one_to_keep(variants, curator_client):
    kept, variant, *_ = variants
    url = reverse("admin:literature_keyword_changelist")
    selection = {"action": "merge_keywords", "_selected_action": [kept.pk, variant.pk]}
    page = curator_client.post(url, selection)
    assert page.status_code == 200
    assert [k.name for k in page.context["keywords"]] == ["Myeloma, Multiple", "Multiple myeloma"]  # most used first
    response = curator_client.post(url, {**selection, "kept": kept.pk}, follow=True)
    assert "Merged “Myeloma, Multiple” into “Multiple myeloma”: 1 article(s) gained it" in response.content.decode()
    assert list(Keyword.objects.values_list("name", flat=True)) == ["Multiple myeloma"]


# Articles ------------------------------------------------------------------------------------------


def test_near_identical_titles_within_a_year_are_listed_but_not_different_identifiers():
    from literature.curation.duplicates import find_duplicate_articles
    from literature.models import DuplicateCandidate

    a = ArticleFactory(title="Thalidomide in multiple myeloma: a review", published=(2012, 10))
    b = ArticleFactory(title="<i>Thalidomide</i> in Multiple Myeloma - a reveiw.", published=(2013, 1))
    ArticleFactory(title="Thalidomide in multiple myeloma: a review", published=(2019, 1))  # years apart
    ArticleFactory(title="Thalidomide in multiple myeloma: a review", published=(2012, 5), doi="10.1000/one")
    ArticleFactory(title="Thalidomide in multiple myeloma: a review", published=(2012, 6), doi="10.1000/two")
    ArticleFactory(title="Lenalidomide in multiple myeloma: a review", published=(2012, 10), pmid=5)
    found = find_duplicate_articles()
    pairs = {(c.article_id, c.other_id): c for c in DuplicateCandidate.objects.all()}
    assert (a.pk, b.pk) in pairs
    assert pairs[(a.pk, b.pk)].reason == "near-identical title, years a year apart"
    assert all({x.pk for x in Article.objects.filter(doi__in=["10.1000/one", "10.1000/two"])} != set(p) for p in pairs)
    assert find_duplicate_articles() == 0  # known pairs are not listed twice
    assert found == len(pairs)


def test_merging_two_articles_keeps_every_link_and_redirects_the_old_page(client):
    from literature.curation.merging import merge_articles
    from literature.models import ArticleDrug, Drug, LinkStatus, PublicationStatus

    drug, other_drug = Drug.objects.create(name="Thalidomide"), Drug.objects.create(name="Lenalidomide")
    kept = ArticleFactory(title="Thalidomide in myeloma", doi="", abstract="", authors=2)
    merged = ArticleFactory(title="Thalidomide in myeloma", doi="10.1000/xyz", abstract="The abstract.", authors=3)
    KeywordFactory(name="Myeloma").articles.add(kept, merged)
    KeywordFactory(name="Angiogenesis").articles.add(merged)
    ArticleDrug.objects.create(article=kept, drug=drug, status=LinkStatus.SUGGESTED)
    ArticleDrug.objects.create(article=merged, drug=drug, status=LinkStatus.CONFIRMED)
    ArticleDrug.objects.create(article=merged, drug=other_drug, status=LinkStatus.REJECTED)
    merged.publication_states.create(status=PublicationStatus.EPUB_AHEAD_OF_PRINT, year=2012, month=3, day=9)
    old_url, old_pk = merged.get_absolute_url(), merged.pk

    merge_articles(kept, merged)

    kept.refresh_from_db()
    assert not Article.objects.filter(pk=old_pk).exists()
    assert (kept.doi, kept.abstract) == ("10.1000/xyz", "The abstract.")
    assert kept.authorships.count() == 2  # kept had authors: they stay
    assert set(kept.keywords.values_list("name", flat=True)) == {"Myeloma", "Angiogenesis"}
    assert dict(kept.drug_links.values_list("drug__name", "status")) == {
        "Thalidomide": LinkStatus.CONFIRMED,
        "Lenalidomide": LinkStatus.REJECTED,
    }
    assert set(kept.publication_states.values_list("status", flat=True)) == {"published", "epub_ahead_of_print"}
    assert kept.history.first().history_change_reason.startswith(f"Merged article {old_pk} into this one")
    response = client.get(old_url)
    assert (response.status_code, response.url) == (301, kept.get_absolute_url())


def test_curators_merge_or_dismiss_pairs_in_the_admin(curator_client):
    from literature.models import DuplicateCandidate

    a = ArticleFactory(title="Pomalidomide after lenalidomide", published=(2014, 2))
    b = ArticleFactory(title="Pomalidomide after lenalidomide.", published=(2014, 2))
    c = ArticleFactory(title="Daratumumab after lenalidomide", published=(2014, 2))
    d = ArticleFactory(title="Daratumumab after lenalidomide", published=(2014, 3))
    listing = reverse("admin:literature_duplicatecandidate_changelist")
    curator_client.post(reverse("admin:literature_duplicatecandidate_find"))
    page = curator_client.get(listing).content.decode()
    assert "Keep left" in page and "Not duplicates" in page
    first = DuplicateCandidate.objects.get(article=a, other=b)
    second = DuplicateCandidate.objects.get(article=c, other=d)
    decide = "admin:literature_duplicatecandidate_decide"
    curator_client.post(reverse(decide, args=[first.pk]), {"decision": "keep-right"})
    curator_client.post(reverse(decide, args=[second.pk]), {"decision": "dismiss"})
    assert not Article.objects.filter(pk=a.pk).exists() and Article.objects.filter(pk=b.pk).exists()
    second.refresh_from_db()
    assert second.status == "dismissed"
    curator_client.post(reverse("admin:literature_duplicatecandidate_find"))
    assert DuplicateCandidate.objects.get(article=c, other=d).status == "dismissed"  # stays dismissed
