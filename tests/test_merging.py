"""Merging duplicates: keywords (their articles move, their old addresses redirect) and articles."""

import pytest
from django.urls import reverse

from literature.merging import merge_keywords
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
    kept, variant, both, only_variant = variants
    url = reverse("admin:literature_keyword_changelist")
    selection = {"action": "merge_keywords", "_selected_action": [kept.pk, variant.pk]}
    page = curator_client.post(url, selection)
    assert page.status_code == 200
    assert [k.name for k in page.context["keywords"]] == ["Myeloma, Multiple", "Multiple myeloma"]  # most used first
    response = curator_client.post(url, {**selection, "kept": kept.pk}, follow=True)
    assert "Merged “Myeloma, Multiple” into “Multiple myeloma”: 1 article(s) gained it" in response.content.decode()
    assert list(Keyword.objects.values_list("name", flat=True)) == ["Multiple myeloma"]
