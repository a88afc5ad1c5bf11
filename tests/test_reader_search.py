"""What a reader sees of a search beyond the list: stemming alike on both databases, the matching
passage of each abstract with the words marked (and marked again on the article reached from it), the
publication years as a histogram whose bars narrow the search, and the has-abstract / full-text facets."""

import re

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from literature.models import Article, CurationState
from literature.search.highlight import highlighted_html, snippet, terms_of
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db
SEARCH = reverse("literature:article-list")

ABSTRACT = (
    "Background: multiple myeloma remains incurable. Methods: we reviewed the immunomodulatory drugs. "
    "Results: patients treated with lenalidomide and dexamethasone lived longer than those given "
    "thalidomide; pomalidomide helped after both. Conclusions: maintenance matters."
)


@pytest.fixture
def reviewed(db):
    return ArticleFactory(
        title="Immunomodulatory drugs in myeloma", abstract=ABSTRACT, doi="10.5555/imid.1", published=(2012, 3)
    )


@pytest.fixture
def bare(db):
    return ArticleFactory(title="A letter on myeloma care", abstract="", doi="", pmcid="", published=(2019, 1))


def test_a_word_finds_its_other_forms_on_either_database(reviewed):
    # Stemmed alike: PostgreSQL's `english` configuration, SQLite's Porter tokenizer.
    assert list(Article.objects.search("patient")) == [reviewed]
    assert list(Article.objects.search("treating reviews")) == [reviewed]
    assert list(Article.objects.search("lenalidomid")) == [reviewed]


def test_the_snippet_is_the_passage_with_most_query_words_marked():
    shown = snippet(ABSTRACT, terms_of("lenalidomide patient dexamethasone -thalidomide"))
    assert shown.startswith("… ")  # the passage is not the abstract's start
    assert "<mark>patients</mark>" in shown and "<mark>lenalidomide</mark>" in shown
    assert "<mark>dexamethasone</mark>" in shown
    assert "<mark>thalidomide</mark>" not in shown  # excluded words are never marked
    assert "Background" not in shown


def test_a_prefix_marks_every_word_it_begins_and_a_phrase_its_words():
    shown = snippet(ABSTRACT, terms_of('"multiple myeloma" immunomod*'))
    assert "<mark>multiple</mark> <mark>myeloma</mark>" in shown
    assert "<mark>immunomodulatory</mark>" in shown


def test_a_snippet_without_a_match_is_the_abstracts_opening_and_no_abstract_none():
    assert snippet(ABSTRACT, terms_of("bortezomib")).startswith("Background: multiple myeloma")
    assert snippet("", terms_of("bortezomib")) == ""


@given(st.text(max_size=400), st.sampled_from(["myeloma", "lenalid*", '"a b"', "<mark>", "&amp;"]))
def test_a_snippet_is_always_escaped_html_of_the_abstracts_own_words(text, query):
    shown = snippet(text, terms_of(query))
    # Nothing but the marks is markup: the text itself is escaped.
    without_marks = shown.replace("<mark>", "").replace("</mark>", "")
    assert "<" not in without_marks and ">" not in without_marks


def test_highlighting_marks_words_in_text_never_inside_tags_or_entities():
    html = '<p>The <i>myeloma</i> &amp; <a href="/myeloma">amp</a></p>'
    marked = highlighted_html(html, terms_of("myeloma amp"))
    assert marked == '<p>The <i><mark>myeloma</mark></i> &amp; <a href="/myeloma"><mark>amp</mark></a></p>'


def test_each_result_shows_its_matching_passage_and_links_to_the_article_marked(client, reviewed):
    response = client.get(SEARCH, {"q": "dexamethasone"})
    html = response.content.decode()
    row = html[html.index('class="article-row"') :]
    assert '<p class="snippet">' in row and "<mark>dexamethasone</mark>" in row
    link = re.search(r'<h3><a href="([^"]+)">', row).group(1)
    assert link == reviewed.get_absolute_url() + "?hl=dexamethasone"
    article_page = client.get(link).content.decode()
    assert "<mark>dexamethasone</mark>" in article_page
    assert "<mark>" not in client.get(reviewed.get_absolute_url()).content.decode()


def test_a_brand_name_marks_the_drug_it_names_in_the_snippet(client, reviewed):
    from literature.models import Drug, DrugName

    drug = Drug.objects.create(name="Lenalidomide", slug="lenalidomide")
    DrugName.objects.create(drug=drug, name="Revlimid", is_brand=True)
    html = client.get(SEARCH, {"q": "Revlimid"}).content.decode()
    assert "<mark>lenalidomide</mark>" in html


def test_no_search_no_snippet(client, reviewed):
    assert '<p class="snippet">' not in client.get(SEARCH).content.decode()


def test_the_years_are_a_histogram_whose_bars_narrow_the_search(client, reviewed, bare):
    html = client.get(SEARCH, {"q": "myeloma"}).content.decode()
    histogram = html[html.index('class="facet year-histogram"') :]
    histogram = histogram[: histogram.index("</section>")]
    assert "<svg" in histogram
    bars = dict(re.findall(r'<a href="([^"]+)" class="bar-link[^"]*" aria-label="(\d{4}): \d+', histogram))
    assert set(bars.values()) == {"2012", "2019"}
    year_2019 = next(url for url, year in bars.items() if year == "2019")
    narrowed = client.get(SEARCH + year_2019.replace("&amp;", "&"))
    assert [article.pk for article in narrowed.context["articles"]] == [bare.pk]
    # The chosen bar is marked, and choosing it again removes the filter.
    narrowed_html = narrowed.content.decode()
    assert 'class="bar-link selected" aria-label="2019: 1 (remove this filter)"' in narrowed_html


def test_has_abstract_and_full_text_link_are_facets_and_filters(client, reviewed, bare):
    response = client.get(SEARCH)
    facets = {facet.name: facet for facet in response.context["facets"]}
    assert [(v.value, v.label, v.count) for v in facets["has_abstract"].values] == [
        ("true", "With abstract", 1),
        ("false", "Without abstract", 1),
    ]
    assert [(v.value, v.count) for v in facets["has_full_text"].values] == [("true", 1), ("false", 1)]
    with_abstract = client.get(SEARCH, {"has_abstract": "true"}).context["articles"]
    assert [article.pk for article in with_abstract] == [reviewed.pk]
    no_link = client.get(SEARCH, {"has_full_text": "false"}).context["articles"]
    assert [article.pk for article in no_link] == [bare.pk]


def test_a_pmc_id_alone_is_a_full_text_link(client, bare):
    pmc_only = ArticleFactory(doi="", pmcid="PMC3531190")
    linked = client.get(SEARCH, {"has_full_text": "true"}).context["articles"]
    assert [article.pk for article in linked] == [pmc_only.pk]


def test_the_api_filters_and_groups_by_the_same_facets(client, reviewed, bare):
    data = client.get("/api/v1/articles/", {"has_abstract": "false", "group_by": "has_full_text"}).json()
    assert [article["id"] for article in data["results"]] == [bare.pk]
    assert [(group["key"], group["count"]) for group in data["group_by"]] == [("false", 1)]


def did_you_mean(client, query):
    return client.get(SEARCH, {"q": query}).context["did_you_mean"]


def test_a_misspelt_drug_name_offers_the_name(client, seed_article):
    suggested, query_string = did_you_mean(client, "lenalidomid")
    assert suggested == "lenalidomide"
    assert query_string == "q=lenalidomide"


def test_a_query_finding_nothing_offers_the_nearest_words_of_titles_and_keywords(client, seed_article):
    assert client.get(SEARCH, {"q": "myelomma thalidomde"}).context["result_count"] == 0
    assert did_you_mean(client, "myelomma thalidomde")[0] == "myeloma thalidomide"


def test_words_the_corpus_holds_and_field_tags_get_no_suggestion(client, seed_article):
    assert did_you_mean(client, "lenalidomide myeloma") is None
    assert did_you_mean(client, "castelli[au] 2012[dp]") is None
    assert did_you_mean(client, "-lenalidomid") is None  # an excluded word is the reader's own


def test_nothing_from_an_unapproved_article_is_ever_suggested(client, seed_article, django_capture_on_commit_callbacks):
    ArticleFactory(title="Zyxomabine in amyloidosis", curation_state=CurationState.DRAFT)
    assert did_you_mean(client, "zyxomabime") is None
    # Approved, its words join the vocabulary with the next corpus version (bumped on commit).
    with django_capture_on_commit_callbacks(execute=True):
        ArticleFactory(title="Zyxomabine in amyloidosis")
    assert did_you_mean(client, "zyxomabime")[0] == "zyxomabine"


def test_the_suggestion_keeps_the_rest_of_the_query_and_its_filters(client, seed_article):
    response = client.get(SEARCH, {"q": '"multiple myeloma" lenalidomid', "year_from": "2010"})
    suggested, query_string = response.context["did_you_mean"]
    assert suggested == '"multiple myeloma" lenalidomide'
    assert "year_from=2010" in query_string
    assert "Did you mean:" in response.content.decode()
