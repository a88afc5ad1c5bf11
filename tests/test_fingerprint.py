"""The Fingerprint: weights by place and rarity, normalised to a top of 100, grouped by category,
deterministic; curators' hidden concepts stay hidden; concept links, aggregates and similar articles."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from literature.mining.fingerprint import (
    KEEP,
    ConceptExtractor,
    aggregate,
    compute_fingerprints,
    grouped,
    similar_articles,
    weigh,
)
from literature.models import Article, ArticleConcept, ArticleDrug, Concept, ConceptKind, Drug, LinkStatus
from tests.factories import ArticleFactory, KeywordFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def thalidomide():
    return Drug.objects.create(name="Thalidomide", mesh_id="D013792")


def test_weights_put_the_top_concept_at_100_and_keep_at_most_fifteen():
    scores = {("mesh", f"D{n:06d}"): float(n) for n in range(1, 40)}
    weights = weigh(scores, {}, 100)
    assert weights[0] == (("mesh", "D000039"), 100.0)
    assert len(weights) == KEEP
    assert all(5 <= weight <= 100 for _, weight in weights)
    assert [w for _, w in weights] == sorted((w for _, w in weights), reverse=True)


def test_rarer_concepts_weigh_more_for_the_same_score_and_ties_break_on_the_key():
    scores = {("mesh", "D1"): 2.0, ("mesh", "D2"): 2.0, ("mesh", "D3"): 2.0}
    weights = dict(weigh(scores, {("mesh", "D1"): 90, ("mesh", "D2"): 1, ("mesh", "D3"): 1}, 100))
    assert weights[("mesh", "D2")] == weights[("mesh", "D3")] == 100
    assert weights[("mesh", "D1")] < 50
    assert weigh(scores, {}, 100) == weigh(dict(reversed(list(scores.items()))), {}, 100)


def test_a_title_mention_weighs_three_abstract_mentions_and_a_drugs_mesh_heading_is_that_drug(thalidomide):
    keyword = KeywordFactory(name="Thalidomide", mesh_id="D013792")
    scores = ConceptExtractor().scores(
        "Thalidomide in multiple myeloma",
        "<p>Multiple myeloma. Multiple myeloma again, and multiple myeloma.</p>",
        keywords=[(keyword.pk, keyword.name, keyword.mesh_id)],
    )
    assert scores[(ConceptKind.DRUG, str(thalidomide.pk))] == 3 + 2  # title + MeSH heading, one concept
    assert scores[(ConceptKind.MESH, "D009101")] == 3 + 3  # "Multiple Myeloma": title once, abstract thrice
    assert (ConceptKind.MESH, "D013792") not in scores


def test_an_article_fingerprint_is_grouped_by_category_with_links_to_articles_sharing_a_concept(thalidomide, client):
    article = ArticleFactory(title="Thalidomide in multiple myeloma", abstract="Angiogenesis.")
    KeywordFactory(name="Bespoke keyword").articles.add(article)
    other = ArticleFactory(title="Multiple myeloma today", abstract="")
    compute_fingerprints()
    groups = grouped(article.concepts.shown().select_related("concept"))
    assert [label for label, _ in groups] == ["Drugs", "Medicine & life sciences (MeSH)", "Keywords"]
    assert max(item.weight for _, items in groups for item in items) == 100
    myeloma = Concept.objects.get(kind=ConceptKind.MESH, key="D009101")
    listing = client.get(reverse("literature:article-list"), {"concept": myeloma.pk}).context["articles"]
    assert {a.pk for a in listing} == {article.pk, other.pk}
    page = client.get(article.get_absolute_url()).content.decode()
    assert f'href="/articles/?concept={myeloma.pk}"' in page


def test_computing_twice_gives_the_same_fingerprints(thalidomide):
    ArticleFactory.create_batch(3, title="Thalidomide and angiogenesis in multiple myeloma")
    compute_fingerprints()
    first = sorted(ArticleConcept.objects.values_list("article_id", "concept__key", "weight"))
    compute_fingerprints()
    assert sorted(ArticleConcept.objects.values_list("article_id", "concept__key", "weight")) == first


def test_a_concept_a_curator_hid_stays_hidden_and_is_not_shown(thalidomide, client):
    article = ArticleFactory(title="Thalidomide in multiple myeloma", abstract="")
    compute_fingerprints()
    wrong = article.concepts.get(concept__key="D009101")
    wrong.hidden = True
    wrong.save()
    compute_fingerprints()
    assert article.concepts.get(concept__key="D009101").hidden
    assert "D009101" not in article.concepts.shown().values_list("concept__key", flat=True)
    assert "Multiple Myeloma" not in client.get(article.get_absolute_url()).content.decode()


def test_rejected_drug_links_do_not_count_but_confirmed_ones_do(thalidomide):
    lenalidomide = Drug.objects.create(name="Lenalidomide")
    article = ArticleFactory(title="A review", abstract="")
    ArticleDrug.objects.create(article=article, drug=thalidomide, status=LinkStatus.CONFIRMED)
    ArticleDrug.objects.create(article=article, drug=lenalidomide, status=LinkStatus.REJECTED)
    compute_fingerprints()
    assert set(article.concepts.values_list("concept__name", flat=True)) >= {"Thalidomide"}
    assert "Lenalidomide" not in article.concepts.values_list("concept__name", flat=True)


def test_similar_articles_rank_by_shared_concepts(thalidomide):
    article = ArticleFactory(title="Thalidomide, angiogenesis and apoptosis in multiple myeloma")
    close = ArticleFactory(title="Thalidomide, angiogenesis and apoptosis in myeloma")
    far = ArticleFactory(title="Apoptosis in yeast")
    ArticleFactory(title="Unrelated words only")
    compute_fingerprints()
    assert similar_articles(article)[:2] == [close, far]


def test_the_api_gives_the_same_similar_articles_as_the_page(thalidomide, client):
    from rest_framework.test import APIClient

    article = ArticleFactory(title="Thalidomide, angiogenesis and apoptosis in multiple myeloma")
    close = ArticleFactory(title="Thalidomide, angiogenesis and apoptosis in myeloma")
    far = ArticleFactory(title="Apoptosis in yeast")
    ArticleFactory(title="Unrelated words only", curation_state="draft")
    ArticleFactory(title="Thalidomide, angiogenesis and apoptosis: a draft", curation_state="draft")
    compute_fingerprints()
    data = APIClient().get(f"/api/v1/articles/{article.pk}/similar/").json()
    assert [item["id"] for item in data][:2] == [close.pk, far.pk]
    assert data[0]["html_url"] == f"http://testserver{close.get_absolute_url()}"
    page = client.get(article.get_absolute_url()).context["similar"]
    assert [item["id"] for item in data] == [other.pk for other in page]  # never a draft
    hidden = Article.objects.get(title__endswith="a draft")
    assert APIClient().get(f"/api/v1/articles/{hidden.pk}/similar/").status_code == 404


def test_a_drugs_page_sums_its_articles_fingerprints_without_the_drug_itself(thalidomide, client):
    for title in ("Thalidomide in multiple myeloma", "Thalidomide and angiogenesis in multiple myeloma"):
        article = ArticleFactory(title=title)
        ArticleDrug.objects.create(article=article, drug=thalidomide, status=LinkStatus.CONFIRMED)
    compute_fingerprints()
    own = Concept.objects.get(kind=ConceptKind.DRUG, key=str(thalidomide.pk))
    summed = aggregate(Article.objects.all(), exclude=own)
    assert summed[0] == (Concept.objects.get(key="D009101"), 100)
    assert own not in [concept for concept, _ in summed]
    page = client.get(thalidomide.get_absolute_url()).content.decode()
    assert "Fingerprint of these articles" in page


def test_saving_an_article_computes_its_fingerprint(thalidomide, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        article = ArticleFactory(title="Thalidomide in multiple myeloma", abstract="")
    assert article.concepts.get(weight=100)


def test_a_curator_hides_a_wrong_concept_on_the_articles_admin_page(thalidomide, curator_client):
    from tests.test_admin import article_form_data

    article = ArticleFactory(title="Thalidomide in multiple myeloma", abstract="", authors=0)
    compute_fingerprints()
    wrong = article.concepts.get(concept__key="D009101")
    data = article_form_data(article, [])
    index = next(i for i in range(article.concepts.count()) if data[f"concepts-{i}-id"] == wrong.pk)
    data[f"concepts-{index}-hidden"] = "on"
    response = curator_client.post(reverse("admin:literature_article_change", args=[article.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    wrong.refresh_from_db()
    assert wrong.hidden


def test_the_full_pass_is_skipped_until_the_corpus_or_the_vocabulary_changes(seed_article, capsys):
    from literature.mining.vocabulary import LOAD_NAME
    from literature.models import SourceLoad

    call_command("compute_fingerprints", if_stale=True)
    assert "1 Fingerprints computed" in capsys.readouterr().out
    call_command("compute_fingerprints", if_stale=True)
    assert "up to date" in capsys.readouterr().out
    SourceLoad.record(LOAD_NAME, "1" * 64)  # the drug vocabulary was reloaded from a new source
    call_command("compute_fingerprints", if_stale=True)
    assert "1 Fingerprints computed" in capsys.readouterr().out
    ArticleFactory()
    call_command("compute_fingerprints", if_stale=True)
    assert "2 Fingerprints computed" in capsys.readouterr().out
