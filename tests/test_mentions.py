"""Drug-mention detection: word boundaries, case rules for short names, synonyms and brands, the
longest match winning, and the review rules (rejected stays rejected, confirmed stays)."""

import pytest

from literature.devdata import demo
from literature.mining.mentions import NameMatcher, detect_drugs
from literature.mining.vocabulary import VocabularyReport, read_dictionary, vocabulary_drugs
from literature.models import ArticleDrug, Drug, DrugName, LinkSource, LinkStatus
from tests.factories import ArticleFactory, KeywordFactory


def names(matcher, text):
    return [(text[start:end], ids) for start, end, ids in matcher.matches(text)]


def test_whole_words_only():
    matcher = NameMatcher([("Lenalidomide", 1)])
    assert names(matcher, "Lenalidomide-based regimens") == [("Lenalidomide", (1,))]
    assert names(matcher, "(lenalidomide)") == [("lenalidomide", (1,))]
    assert names(matcher, "antilenalidomide and lenalidomides") == []


def test_short_names_match_only_as_the_text_writes_abbreviations_and_brands():
    matcher = NameMatcher([("AS", 1), ("all", 2), ("ATRA", 3), ("caps", 4), ("Advil", 5), ("5-FU", 6)])
    text = "ALL and AS patients took all caps; ATRA and atra, advil and Advil, 5-FU."
    assert names(matcher, text) == [("ATRA", (3,)), ("Advil", (5,)), ("5-FU", (6,))]


def test_synonyms_and_brands_find_their_drug_and_a_name_of_two_drugs_finds_both():
    matcher = NameMatcher(
        [("Lenalidomide", 1), ("Revlimid", 1), ("CC-5013", 1), ("shared name", 2), ("shared name", 3)]
    )
    assert names(matcher, "REVLIMID (CC-5013) and a shared name") == [
        ("REVLIMID", (1,)),
        ("CC-5013", (1,)),
        ("shared name", (2, 3)),
    ]


def test_the_longest_of_overlapping_matches_wins():
    matcher = NameMatcher([("retinoic acid", 1), ("all-trans retinoic acid", 2)])
    assert names(matcher, "with all-trans retinoic acid, not retinoic acid alone") == [
        ("all-trans retinoic acid", (2,)),
        ("retinoic acid", (1,)),
    ]


def test_findings_count_every_mention_and_mark_the_first():
    matcher = NameMatcher([("thalidomide", 7)])
    (finding,) = matcher.find(
        "<i>Thalidomide</i> today", "Thalidomide &amp; more thalidomide.", ["Thalidomide"]
    ).values()
    assert finding.count == 4
    assert finding.evidence == "<mark>Thalidomide</mark> today"


def test_on_the_seed_record_the_full_vocabulary_finds_the_three_drugs_and_nothing_else():
    entries = vocabulary_drugs(read_dictionary(), VocabularyReport())
    matcher = NameMatcher(
        [(entry.name, entry.key) for entry in entries] + [(n, entry.key) for entry in entries for n in entry.names]
    )
    findings = matcher.find(demo.ARTICLE["title"], demo.ABSTRACT, [name for name, _ in demo.KEYWORDS])
    assert set(findings) == {"thalidomide", "lenalidomide", "pomalidomide"}
    assert findings["thalidomide"].count > findings["pomalidomide"].count >= 2


@pytest.fixture
def bortezomib(db):
    drug = Drug.objects.create(name="Bortezomib")
    DrugName.objects.create(drug=drug, name="Velcade", is_brand=True)
    return drug


@pytest.mark.django_db
def test_saving_an_article_suggests_the_drugs_it_mentions(bortezomib, committed):
    with committed():
        article = ArticleFactory(title="Velcade in myeloma", abstract="Bortezomib, then bortezomib again.")
    link = ArticleDrug.objects.get(article=article, drug=bortezomib)
    assert (link.status, link.source, link.mention_count) == (LinkStatus.SUGGESTED, LinkSource.TEXT_MINING, 3)
    assert link.evidence == "<mark>Velcade</mark> in myeloma"


@pytest.mark.django_db
def test_keywords_count_as_mentions(bortezomib, committed):
    with committed():
        article = ArticleFactory(title="A trial", abstract="No drug named here.")
    assert not ArticleDrug.objects.filter(article=article).exists()
    with committed():
        article.keywords.add(KeywordFactory(name="Bortezomib"))
    assert ArticleDrug.objects.get(article=article).mention_count == 1


@pytest.mark.django_db
def test_a_rejected_link_is_never_suggested_again(bortezomib, committed):
    with committed():
        article = ArticleFactory(title="Bortezomib", abstract="")
    ArticleDrug.objects.filter(article=article).update(status=LinkStatus.REJECTED)
    article.abstract = "Bortezomib and Velcade."
    with committed():
        article.save()
    detect_drugs([article])
    link = ArticleDrug.objects.get(article=article)
    assert link.status == LinkStatus.REJECTED


@pytest.mark.django_db
def test_a_confirmed_link_stays_when_the_text_no_longer_mentions_the_drug_but_a_suggestion_goes(bortezomib, committed):
    other = Drug.objects.create(name="Carfilzomib")
    with committed():
        article = ArticleFactory(title="Bortezomib or carfilzomib", abstract="")
    assert ArticleDrug.objects.filter(drug=other).exists()
    ArticleDrug.objects.filter(article=article, drug=bortezomib).update(status=LinkStatus.CONFIRMED)
    article.title = "A trial of something else"
    with committed():
        article.save()
    assert list(ArticleDrug.objects.filter(article=article).values_list("drug", "status")) == [
        (bortezomib.pk, LinkStatus.CONFIRMED)
    ]
    assert not ArticleDrug.objects.filter(drug=other).exists()


@pytest.mark.django_db
def test_a_curator_confirming_a_drug_in_the_same_save_that_first_mentions_it_is_no_clash(
    curator_client, bortezomib, committed
):
    from django.urls import reverse

    from tests.test_admin import article_form_data

    article = ArticleFactory(title="A trial", abstract="", authors=0)
    article.abstract = "Bortezomib was given."
    data = article_form_data(article, [])
    data.update(
        {
            "drug_links-TOTAL_FORMS": 1,
            "drug_links-0-drug": bortezomib.pk,
            "drug_links-0-status": LinkStatus.CONFIRMED,
            "drug_links-0-source": LinkSource.CURATOR,
            "drug_links-0-mention_count": 0,
            "drug_links-0-article": article.pk,
        }
    )
    with committed():
        response = curator_client.post(reverse("admin:literature_article_change", args=[article.pk]), data)
    assert response.status_code == 302
    link = ArticleDrug.objects.get(article=article)
    assert (link.status, link.source, link.mention_count) == (LinkStatus.CONFIRMED, LinkSource.CURATOR, 1)


@pytest.mark.django_db
def test_imported_records_get_suggestions_for_the_drugs_their_text_mentions(bortezomib, tmp_path):
    from literature.importers.run import import_file

    path = tmp_path / "velcade.xml"
    path.write_text(
        "<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>77</PMID><Article><ArticleTitle>Velcade.</ArticleTitle>"
        "<Abstract><AbstractText>We gave bortezomib.</AbstractText></Abstract></Article></MedlineCitation>"
        "</PubmedArticle></PubmedArticleSet>",
        encoding="utf-8",
    )
    assert import_file(path).created == 1
    link = ArticleDrug.objects.get(drug=bortezomib)
    assert (link.status, link.source, link.mention_count) == (LinkStatus.SUGGESTED, LinkSource.TEXT_MINING, 2)


@pytest.mark.django_db
def test_curators_confirm_or_reject_suggestions_one_by_one_in_the_review_queue(curator_client, bortezomib, committed):
    from django.urls import reverse

    with committed():
        first = ArticleFactory(title="Bortezomib first", abstract="")
        second = ArticleFactory(title="Velcade second", abstract="")
    queue = curator_client.get(reverse("admin:literature_drugsuggestion_changelist"))
    text = queue.content.decode()
    assert text.index("Bortezomib first") < text.index("Velcade second")  # oldest first
    assert 'name="decision" value="confirmed"' in text

    for article, decision in ((first, "confirmed"), (second, "rejected")):
        link = ArticleDrug.objects.get(article=article)
        url = reverse("admin:literature_drugsuggestion_review", args=[link.pk])
        assert curator_client.post(url, {"decision": decision, "reason": "Checked."}).status_code == 302
        link.refresh_from_db()
        assert link.status == decision
    assert (
        "Bortezomib first"
        not in curator_client.get(reverse("admin:literature_drugsuggestion_changelist")).content.decode()
    )
    assert curator_client.get(reverse("admin:literature_drugsuggestion_review", args=[1])).status_code == 403


@pytest.mark.django_db
def test_many_saves_in_one_transaction_are_detected_together_once_committed(
    bortezomib, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    with django_capture_on_commit_callbacks() as callbacks:
        articles = [ArticleFactory(title=f"Bortezomib study {n}", abstract="") for n in range(30)]
    assert not ArticleDrug.objects.exists()
    # One batch for the thirty (vocabulary and kill-list versions, texts, keywords, links, writes,
    # Fingerprint and its concepts): under forty queries, however many articles and hooks.
    with django_assert_max_num_queries(40):
        for callback in callbacks:
            callback()
    assert ArticleDrug.objects.filter(drug=bortezomib).count() == len(articles)
