"""Pages worth landing on, as a reader reaches them: an identifier in the search box goes to its article,
a search can be followed as an Atom feed, /drugs/ is searchable and ranked by articles, /subjects/ folds
away the empty codes, and the site has an icon."""

import xml.etree.ElementTree as ET

import pytest

from literature.models import ArticleDrug, CurationState, DrugName, LinkStatus, SubjectArea
from tests.factories import ArticleFactory, DrugFactory

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.mark.parametrize(
    "typed",
    [
        "10.3109/08923973.2012.658921",
        "https://doi.org/10.3109/08923973.2012.658921",
        "doi:10.3109/08923973.2012.658921",
        "22443165",
        "PMID:22443165",
        "PMC3531190",
    ],
)
def test_an_identifier_alone_in_the_box_goes_to_its_article(client, seed_article, typed):
    if not typed.startswith(("10.", "https", "doi")):  # the reference record has no PubMed ids
        seed_article.pmid, seed_article.pmcid = 22443165, "PMC3531190"
        seed_article.save()
    response = client.get("/articles/", {"q": typed})
    assert response.status_code == 302
    assert response["Location"] == seed_article.get_absolute_url()


def test_an_identifier_of_no_public_article_is_searched_as_words(client, seed_article):
    ArticleFactory(pmid=123, curation_state=CurationState.IN_REVIEW)
    assert client.get("/articles/", {"q": "123"}).status_code == 200
    # With a filter beside it, the reader asked for a search, not the article.
    assert client.get("/articles/", {"q": "22443165", "type": "review"}).status_code == 200


def test_a_search_can_be_followed_as_an_atom_feed_of_its_articles(client, seed_article):
    ArticleFactory(title="Lenalidomide in the elderly")
    ArticleFactory(title="Thalidomide history")
    page = client.get("/articles/", {"q": "lenalidomide"}).content.decode()
    assert 'href="/articles/feed/?q=lenalidomide"' in page
    feed = client.get("/articles/feed/", {"q": "lenalidomide"})
    assert feed["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(feed.content)
    titles = [entry.find(f"{ATOM}title").text for entry in root.iter(f"{ATOM}entry")]
    assert titles[0] == "Lenalidomide in the elderly"  # the newest added first
    assert seed_article.title in titles[1]
    assert "Thalidomide history" not in titles
    assert root.find(f"{ATOM}title").text == "Articles matching “lenalidomide”"


def test_a_feed_of_a_search_that_cannot_run_is_a_400(client):
    assert client.get("/articles/feed/", {"year_from": "soon"}).status_code == 400


def test_the_drug_list_ranks_by_articles_and_finds_a_drug_by_any_of_its_names(client):
    common, rare = DrugFactory(name="Lenalidomide", drug_class="immunomodulatory imide"), DrugFactory(name="Aspirin")
    DrugFactory(name="Unlinked")
    DrugName.objects.create(drug=common, name="Revlimid", is_brand=True)
    for _ in range(3):
        ArticleDrug.objects.create(article=ArticleFactory(), drug=common, status=LinkStatus.CONFIRMED)
    ArticleDrug.objects.create(article=ArticleFactory(), drug=rare, status=LinkStatus.CONFIRMED)
    ArticleDrug.objects.create(article=ArticleFactory(), drug=rare, status=LinkStatus.SUGGESTED)
    everything = client.get("/drugs/")
    assert [(drug.name, count) for drug, count in everything.context["drugs"]] == [("Lenalidomide", 3), ("Aspirin", 1)]
    assert "immunomodulatory imide" in everything.content.decode()
    for typed in ("lenal", "REVLIMID"):
        found = client.get("/drugs/", {"q": typed}).context["drugs"]
        assert [drug.name for drug, _ in found] == ["Lenalidomide"]
    assert client.get("/drugs/", {"q": "unlinked"}).context["drugs"] == []


def test_the_drug_list_is_paginated(client):
    for n in range(51):
        drug = DrugFactory(name=f"Drug {n:02d}")
        ArticleDrug.objects.create(article=ArticleFactory(), drug=drug, status=LinkStatus.CONFIRMED)
    first = client.get("/drugs/")
    assert len(first.context["drugs"]) == 50
    assert [drug.name for drug, _ in client.get("/drugs/", {"page": 2}).context["drugs"]] == ["Drug 50"]


def test_the_subject_list_folds_away_codes_without_articles(client):
    used = SubjectArea.objects.get(code=2720)
    ArticleFactory().subject_areas.add(used)
    page = client.get("/subjects/")
    html = page.content.decode()
    shown = [area for area in page.context["areas"] if area.article_count]
    assert [area.code for area in shown] == [27]
    assert "codes with no articles</summary>" in html
    assert html.index(used.name) < html.index("codes with no articles")


def test_the_favicon_is_served(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith(".svg")


def test_a_page_of_a_large_set_walked_from_the_index_is_the_same_page(client, monkeypatch):
    """Journal, drug, keyword, subject and person pages read a large set's page by walking the
    newest-first index (ArticleQuerySet._linked_by): the same articles in the same order as by ids."""
    from literature.models import Article
    from literature.search import facets
    from tests.factories import JournalFactory, KeywordFactory, PersonFactory

    journal, drug, keyword, person = JournalFactory(), DrugFactory(), KeywordFactory(), PersonFactory()
    subject = SubjectArea.objects.get(code=2720)
    for year in range(1990, 2020):
        article = ArticleFactory(journal=journal, published=(year, 1), authors=0)
        ArticleDrug.objects.create(article=article, drug=drug, status=LinkStatus.CONFIRMED)
        article.keywords.add(keyword)
        article.subject_areas.add(subject)
        article.authorships.create(person=person, position=1)
    ArticleFactory.create_batch(5)
    public = Article.objects.public()
    for by_ids, walked in [
        (public.in_journal(journal), public.in_journal(journal, walk=True)),
        (public.with_confirmed_drug(drug), public.with_confirmed_drug(drug, walk=True)),
        (public.with_keyword(keyword), public.with_keyword(keyword, walk=True)),
        (public.in_subject(subject), public.in_subject(subject, walk=True)),
        (public.in_subject(subject.parent, walk=True), public.in_subject(subject.parent)),
        (public.by_person(person), public.by_person(person, walk=True)),
    ]:
        assert list(by_ids.newest_first()) == list(walked.newest_first())
        assert by_ids.count() == 30
    second_page = list(public.in_journal(journal).newest_first()[25:30])
    drug_page = list(public.with_confirmed_drug(drug).newest_first()[:25])
    for share in (1, 10_000):  # never large, always large
        monkeypatch.setattr(facets, "LARGE_SHARE", share)
        page = client.get(journal.get_absolute_url(), {"page": 2})
        assert list(page.context["articles"]) == second_page
        page = client.get(drug.get_absolute_url())
        assert list(page.context["articles"]) == drug_page
