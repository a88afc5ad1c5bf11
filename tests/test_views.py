"""The reader pages: only approved articles, every field of the reference record, bounded queries."""

import pytest
from django.urls import reverse

from literature.mining.fingerprint import compute_fingerprints
from literature.models import Article, CurationState, Drug, Keyword, Person, SubjectArea
from tests.factories import ArticleDrugFactory, ArticleFactory

pytestmark = pytest.mark.django_db


def text_of(response):
    assert response.status_code == 200
    return response.content.decode()


def test_the_seed_article_page_shows_each_field_of_the_reference_record(client, seed_article):
    page = text_of(client.get(seed_article.get_absolute_url()))
    for expected in [
        "Immunomodulatory drugs in multiple myeloma: From molecular mechanisms of action to clinical practice",
        "Roberto Castelli",
        "Antonino Cannavò",
        "Agostino Cortelezzi",
        "Research output: Contribution to journal &gt; Article &gt; peer-review",
        "Multiple myeloma (MM) is a clonal disorder of plasma cells",
        '<th scope="row">Original language</th><td>English</td>',
        '<th scope="row">Pages (from-to)</th><td>740-753</td>',
        '<th scope="row">Number of pages</th><td>14</td>',
        "Immunopharmacology and Immunotoxicology</a>",
        '<th scope="row">Volume</th><td>34</td>',
        '<th scope="row">Issue number</th><td>5</td>',
        '<th scope="row">Publication status</th><td>Published - Oct 2012</td>',
        'href="https://doi.org/10.3109/08923973.2012.658921"',
        "Immunomodulatory drugs (IMIDs)",
        "Immunology and Allergy",
        "Toxicology",
        "E-pub ahead of print - 9 Mar 2012",
        ">Lenalidomide</a>",
    ]:
        assert expected in page, expected
    assert page.index("Roberto Castelli") < page.index("Antonino Cannavò") < page.index("Agostino Cortelezzi")


def test_article_pages_need_no_more_queries_for_more_authors(client, django_assert_max_num_queries):
    article = ArticleFactory(authors=30, title="Multiple myeloma and thalidomide")
    ArticleFactory.create_batch(3, authors=2, title="Thalidomide in multiple myeloma")
    compute_fingerprints()
    # article with journal, authorships with people, keywords, subject areas with their area,
    # publication states, confirmed drug links with drugs; its Fingerprint; similar articles (cached:
    # corpus version, its top concepts, the articles strongest on each of up to 8 of them, their weights,
    # their titles).
    with django_assert_max_num_queries(20):
        page = text_of(client.get(article.get_absolute_url()))
    assert "Similar articles" in page and "Fingerprint" in page


@pytest.mark.parametrize("state", [CurationState.DRAFT, CurationState.IN_REVIEW, CurationState.WITHDRAWN])
def test_articles_that_are_not_approved_are_not_public(client, state):
    article = ArticleFactory(curation_state=state)
    assert client.get(article.get_absolute_url()).status_code == 404
    assert article.title not in text_of(client.get(reverse("literature:article-list")))


def test_an_article_url_with_a_stale_slug_redirects_to_the_current_one(client, seed_article):
    response = client.get(f"/articles/{seed_article.pk}/old-title/")
    assert response.status_code == 301
    assert response["Location"] == seed_article.get_absolute_url()


@pytest.mark.parametrize(
    ("url_of", "expected"),
    [
        (lambda: Person.objects.get(family_name="Castelli").get_absolute_url(), "Antonino Cannavò"),
        (lambda: Keyword.objects.get(name="Pomalidomide").get_absolute_url(), "Immunomodulatory drugs in"),
        (lambda: Drug.objects.get(name="Thalidomide").get_absolute_url(), "UEJJHQNACJXSKW-UHFFFAOYSA-N"),
        (lambda: reverse("literature:drug-list"), "Pomalidomide"),
        (lambda: SubjectArea.objects.get(code=3005).get_absolute_url(), "Immunomodulatory drugs in"),
        (lambda: SubjectArea.objects.get(code=30).get_absolute_url(), "Immunomodulatory drugs in"),
        (lambda: reverse("literature:subject-list"), "Immunology and Allergy"),
    ],
)
def test_every_reader_page_shows_the_seed_record(client, seed_article, url_of, expected):
    assert expected in text_of(client.get(url_of()))


def test_the_journal_page_lists_its_articles(client, seed_article):
    page = text_of(client.get(seed_article.journal.get_absolute_url()))
    assert "0892-3973" in page
    assert "Immunomodulatory drugs in multiple myeloma" in page


def test_drug_pages_list_only_confirmed_links(client):
    confirmed = ArticleDrugFactory(status="confirmed")
    suggested = ArticleDrugFactory(drug=confirmed.drug, status="suggested")
    page = text_of(client.get(confirmed.drug.get_absolute_url()))
    assert confirmed.article.title in page
    assert suggested.article.title not in page


def test_the_subject_tree_counts_public_articles_in_a_fixed_number_of_queries(
    client, seed_article, django_assert_max_num_queries
):
    # four-digit codes with their counts, two-digit areas.
    with django_assert_max_num_queries(2):
        page = text_of(client.get(reverse("literature:subject-list")))
    assert page.count('<span class="count">1</span>') >= 4


def test_database_text_is_escaped(client):
    article = ArticleFactory(volume="<script>alert(1)</script>")
    page = text_of(client.get(article.get_absolute_url()))
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/", "/articles/", "/drugs/", "/subjects/", "/feeds/articles/", "/sitemap.xml", "/robots.txt"]
)
def test_read_only_pages_answer_writes_with_405(client, seed_article, path):
    for method in ("post", "put", "delete"):
        assert getattr(client, method)(path).status_code == 405, f"{method.upper()} {path}"
    assert client.get(path).status_code == 200


@pytest.mark.django_db
def test_names_known_only_from_unapproved_articles_have_no_public_page(client, django_capture_on_commit_callbacks):
    from literature.curation.articles import move_to_state

    draft = ArticleFactory(curation_state=CurationState.DRAFT, authors=1)
    keyword = Keyword.objects.create(name="Cereblon degraders")
    draft.keywords.add(keyword)
    drug = ArticleDrugFactory(article=draft, status="confirmed").drug
    pages = [
        draft.journal.get_absolute_url(),
        draft.authors[0].get_absolute_url(),
        keyword.get_absolute_url(),
        drug.get_absolute_url(),
    ]
    assert [client.get(page).status_code for page in pages] == [404, 404, 404, 404]
    assert "Cereblon" not in client.get(pages[2]).content.decode()
    with django_capture_on_commit_callbacks(execute=True):  # the corpus version moves on commit
        move_to_state(Article.objects.filter(pk=draft.pk), CurationState.APPROVED, user=None)
    assert [client.get(page).status_code for page in pages] == [200, 200, 200, 200]
