"""/articles/: search, every filter, facets that reflect the other filters, sorting, pagination, and
bad input that never becomes a server error."""

import re

import pytest
from django.urls import reverse

from literature.models import Article, ArticleDrug, CurationState, Keyword, OutputType, SubjectArea
from literature.search.facets import FACET_NAMES
from tests.factories import ArticleFactory, DrugFactory, JournalFactory

pytestmark = pytest.mark.django_db
SEARCH = reverse("literature:article-list")


def search(client, **params):
    response = client.get(SEARCH, params)
    assert response.status_code == 200
    return response


def titles(response):
    return [str(article) for article in response.context["articles"]]


@pytest.fixture
def corpus(db):
    myeloma = Keyword.objects.create(name="Multiple myeloma")
    lenalidomide = DrugFactory(name="Lenalidomide", slug="lenalidomide")
    journal = JournalFactory(title="Blood Research")
    a = ArticleFactory(
        title="Lenalidomide maintenance after transplant",
        output_type=OutputType.ARTICLE,
        peer_reviewed=True,
        journal=journal,
        published=(2019, 3),
    )
    b = ArticleFactory(
        title="Lenalidomide in older patients: a review",
        output_type=OutputType.REVIEW,
        peer_reviewed=True,
        language="deu",
        published=(2012, 10),
    )
    c = ArticleFactory(title="Bortezomib and the proteasome", output_type=OutputType.ARTICLE, published=(2005, 1))
    hidden = ArticleFactory(title="Lenalidomide draft", curation_state=CurationState.DRAFT)
    for article in (a, b, hidden):
        article.keywords.add(myeloma)
        ArticleDrug.objects.create(article=article, drug=lenalidomide, status="confirmed")
    a.subject_areas.add(SubjectArea.objects.get(code=2720))
    b.subject_areas.add(SubjectArea.objects.get(code=3004))
    return {"a": a, "b": b, "c": c, "journal": journal}


def test_no_query_lists_every_public_article_newest_first(client, corpus):
    assert titles(search(client)) == [
        "Lenalidomide maintenance after transplant",
        "Lenalidomide in older patients: a review",
        "Bortezomib and the proteasome",
    ]


def test_a_text_query_finds_public_articles_only(client, corpus):
    response = search(client, q="lenalidomide")
    assert set(titles(response)) == {
        "Lenalidomide maintenance after transplant",
        "Lenalidomide in older patients: a review",
    }
    assert "2 results" in response.content.decode()


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"year_from": "2010"}, {"a", "b"}),
        ({"year_to": "2012"}, {"b", "c"}),
        ({"year_from": "2012", "year_to": "2012"}, {"b"}),
        ({"type": "review"}, {"b"}),
        ({"drug": "lenalidomide"}, {"a", "b"}),
        ({"keyword": "multiple-myeloma"}, {"a", "b"}),
        ({"subject": "2720"}, {"a"}),
        ({"subject": "30"}, {"b"}),
        ({"status": "published"}, {"a", "b", "c"}),
        ({"peer_reviewed": "true"}, {"a", "b"}),
        ({"peer_reviewed": "false"}, {"c"}),
        ({"language": "deu"}, {"b"}),
        ({"q": "lenalidomide", "type": "article"}, {"a"}),
    ],
)
def test_each_filter_narrows_the_results(client, corpus, params, expected):
    response = search(client, **params)
    assert set(titles(response)) == {str(corpus[key]) for key in expected}


def test_the_journal_filter_takes_the_journal_id(client, corpus):
    assert titles(search(client, journal=corpus["journal"].pk)) == [str(corpus["a"])]


def test_facets_count_over_the_other_filters(client, corpus):
    response = search(client, type="review")
    facets = {facet.name: facet for facet in response.context["facets"]}
    # The type facet ignores the type filter itself, so the alternatives stay visible...
    assert {(v.value, v.count) for v in facets["type"].values} == {("article", 2), ("review", 1)}
    assert [v.value for v in facets["type"].selected] == ["review"]
    # ...while every other facet counts within the reviews only.
    assert [(v.label, v.count) for v in facets["keyword"].values] == [("Multiple myeloma", 1)]
    assert [(v.value, v.count) for v in facets["year"].values] == [("2012", 1)]


def test_facet_links_keep_the_search_and_toggle_their_value(client, corpus):
    response = search(client, q="lenalidomide", page="2")
    keyword = next(f for f in response.context["facets"] if f.name == "keyword").values[0]
    assert keyword.url == "?q=lenalidomide&keyword=multiple-myeloma"
    narrowed = search(client, q="lenalidomide", keyword="multiple-myeloma")
    selected = next(f for f in narrowed.context["facets"] if f.name == "keyword").selected[0]
    assert selected.url == "?q=lenalidomide"


@pytest.mark.parametrize(
    ("sort", "first"),
    [
        ("oldest", "Bortezomib and the proteasome"),
        ("title", "Bortezomib and the proteasome"),
        ("newest", "Lenalidomide maintenance after transplant"),
    ],
)
def test_results_sort_as_asked(client, corpus, sort, first):
    assert titles(search(client, sort=sort))[0] == first


def test_relevance_is_the_default_order_of_a_text_search(client, corpus):
    response = search(client, q="lenalidomide review")
    assert response.context["active_sort"] == "relevance"
    assert titles(response) == ["Lenalidomide in older patients: a review"]


def test_pagination_follows_the_chosen_page_size_and_keeps_the_state_in_the_url(client, corpus):
    ArticleFactory.create_batch(12, title="Lenalidomide dosing study")
    response = search(client, q="lenalidomide", page_size="10", page="2")
    assert len(response.context["articles"]) == 4
    content = response.content.decode()
    assert 'href="?q=lenalidomide&amp;page_size=10&amp;page=1"' in content
    assert "Page 2 of 2" in content


@pytest.mark.parametrize(
    ("params", "notice"),
    [
        ({"year_from": "abc"}, "Ignored year_from=“abc”"),
        ({"page": "999"}, "There is no page 999; showing the last page (1)."),
        ({"page": "two"}, "“two” is not a page number"),
        ({"drug": "no-such-drug"}, "Ignored drug=“no-such-drug”"),
        ({"type": "novel"}, "Ignored type=“novel”"),
        ({"q": "x" * 10_000}, "more than the limit of 500 (MAX_QUERY_CHARS)"),
        ({"page_size": "1000000"}, "The page size must be 10, 25, 50 or 100"),
    ],
)
def test_bad_parameters_give_a_normal_page_with_a_clear_message(client, corpus, params, notice):
    response = search(client, **params)
    assert notice in response.content.decode()
    assert len(response.context["articles"]) >= 1


def test_the_search_page_runs_a_fixed_number_of_queries(client, corpus, django_assert_num_queries):
    ArticleFactory.create_batch(20, authors=6)
    # 1 corpus version for the facet cache, 9 facet queries (the article row's seven facets in one scan,
    # the years apart under their own filters, the seven of linked records), 3 the top drugs', keywords'
    # and authors' names, 1 count, 1 page of articles with journals, 1 authorships with people, 1 drug
    # looked up by slug, 1 count of the public articles (what size of sample facets would be counted
    # over), 2 the query's drug names (the drugs its words name, their names: worked out once for the
    # page and every facet), 2 for whether the page walks the drug's articles (1 corpus version, 1 its
    # public articles counted), 3 for "did you mean" (1 corpus version for the query's suggestion, 1 for
    # the vocabulary, 1 the vocabulary), 2 for the page's ids (1 corpus version, 1 the ids, cached under
    # it; the page's articles are then read by id).
    with django_assert_num_queries(26):
        search(client, q="lenalidomide", drug="lenalidomide", page_size="100")
    # A second identical request finds its facets, its page's ids and its suggestion in the cache (1
    # corpus version each).
    with django_assert_num_queries(9):
        search(client, q="lenalidomide", drug="lenalidomide", page_size="100")


def test_facet_counts_change_when_the_record_changes(client, corpus, django_capture_on_commit_callbacks):
    search(client, type="review")
    # The cached facets' version moves when the change is committed (the test's transaction never is).
    with django_capture_on_commit_callbacks(execute=True):
        corpus["c"].output_type = OutputType.REVIEW
        corpus["c"].save()
    facets = {facet.name: facet for facet in search(client, type="review").context["facets"]}
    assert {(v.value, v.count) for v in facets["type"].values} == {("article", 1), ("review", 2)}


def test_query_text_is_escaped_on_the_page(client, corpus):
    content = search(client, q='<script>alert("x")</script>').content.decode()
    assert '<script>alert("x")</script>' not in content
    assert re.search(r"value=\"&lt;script&gt;", content)


@pytest.mark.parametrize("q", ["-thalidomide", '"', "*", "(", "AND", "OR OR", "🧪"])
def test_a_query_without_a_searchable_word_finds_nothing_on_every_face(client, corpus, q):
    page = client.get("/articles/", {"q": q})
    assert page.status_code == 200 and page.context["result_count"] == 0
    api = client.get("/api/v1/articles/", {"q": q})
    assert api.status_code == 200 and api.json()["count"] == 0
    export = client.get("/articles/export/ris/", {"q": q})
    assert export.status_code == 200 and b"TY  -" not in b"".join(export.streaming_content)


def test_pages_are_numbered_only_so_deep_and_the_page_says_so(client, corpus, monkeypatch):
    from literature.web import views

    monkeypatch.setattr(views, "MAX_BROWSABLE_RESULTS", 10)
    ArticleFactory.create_batch(12)
    response = search(client, page_size="10", page="3")
    assert response.context["page_obj"].paginator.num_pages >= 2
    assert response.context["page_obj"].number == 1  # 10 results browsable at 10 a page: page 1 only
    assert any("Pages are numbered up to 1" in notice for notice in response.context["notices"])


# The same counts through the API: group_by -------------------------------------------------------------


@pytest.mark.parametrize(
    "filters",
    [
        {},
        {"q": "lenalidomide"},
        {"type": "review"},
        {"drug": "lenalidomide", "year_from": "2010"},
        {"type": ["review", "article"], "has_abstract": "true"},
    ],
)
@pytest.mark.parametrize("field", FACET_NAMES)
def test_group_by_gives_the_search_pages_facet_counts(client, api, corpus, filters, field):
    page = {facet.name: facet for facet in search(client, **filters).context["facets"]}
    data = api.get("/api/v1/articles/", {**filters, "group_by": field}).json()
    expected = [{"key": v.value, "key_display_name": v.label, "count": v.count} for v in page[field].values]
    assert data["group_by"] == expected


def test_group_by_counts_what_the_client_may_see(api, curator_api, corpus):
    public = api.get("/api/v1/articles/", {"group_by": "keyword"}).json()["group_by"]
    assert public == [{"key": "multiple-myeloma", "key_display_name": "Multiple myeloma", "count": 2}]
    everything = curator_api.get("/api/v1/articles/", {"group_by": "keyword"}).json()["group_by"]
    assert everything[0]["count"] == 3  # the draft too, and never from the readers' cache


def test_group_by_a_field_it_cannot_group_is_a_400_naming_the_fields(api, corpus):
    response = api.get("/api/v1/articles/", {"group_by": "colour"})
    assert response.status_code == 400
    (message,) = response.json()["error"]["fields"]["group_by"]
    assert message.startswith("'colour' cannot be grouped by: use one of type, year, drug")


@pytest.fixture
def two_keywords(corpus):
    proteasome = Keyword.objects.create(name="Proteasome")
    corpus["c"].keywords.add(proteasome)
    return corpus


def test_two_values_of_one_facet_find_articles_with_either(client, two_keywords):
    both = search(client, keyword=["multiple-myeloma", "proteasome"])
    assert set(titles(both)) == {
        "Lenalidomide maintenance after transplant",
        "Lenalidomide in older patients: a review",
        "Bortezomib and the proteasome",
    }
    assert both.context["result_count"] == 3
    # The facet still counts its every value over the other filters: both chosen, each with its own count.
    keyword = next(f for f in both.context["facets"] if f.name == "keyword")
    assert {(v.label, v.count, v.selected) for v in keyword.values} == {
        ("Multiple myeloma", 2, True),
        ("Proteasome", 1, True),
    }


def test_choosing_a_second_value_adds_it_and_unchoosing_one_keeps_the_other(client, two_keywords):
    one = search(client, q="lenalidomide or bortezomib", keyword="multiple-myeloma")
    proteasome = next(
        v for v in next(f for f in one.context["facets"] if f.name == "keyword").values if v.label == "Proteasome"
    )
    assert proteasome.url == "?q=lenalidomide+or+bortezomib&keyword=multiple-myeloma&keyword=proteasome"
    both = search(client, q="lenalidomide or bortezomib", keyword=["multiple-myeloma", "proteasome"])
    myeloma = next(f for f in both.context["facets"] if f.name == "keyword").selected[0]
    assert myeloma.label == "Multiple myeloma"
    assert myeloma.url == "?q=lenalidomide+or+bortezomib&keyword=proteasome"


def test_types_journals_and_languages_take_several_values_too(client, corpus):
    assert len(titles(search(client, type=["review", "article"]))) == 3
    assert titles(search(client, language=["deu", "fra"])) == ["Lenalidomide in older patients: a review"]
    assert titles(search(client, journal=[corpus["journal"].pk])) == ["Lenalidomide maintenance after transplant"]


def test_an_unknown_value_among_several_is_named_and_ignored(client, corpus):
    response = search(client, keyword=["multiple-myeloma", "no-such-keyword"])
    assert any("keyword" in notice for notice in response.context["notices"])
    assert response.context["result_count"] == 3  # the filter is ignored, as any invalid filter


def test_the_api_takes_several_values_of_a_filter_as_either(client, two_keywords):
    data = client.get("/api/v1/articles/", {"keyword": ["multiple-myeloma", "proteasome"]}).json()
    assert data["count"] == 3
    refused = client.get("/api/v1/articles/", {"author": ["1", "99999999999999999999"]})
    assert refused.status_code == 400
    assert "author" in refused.json()["error"]["fields"]


def test_the_article_rows_facets_counted_in_one_scan_are_each_columns_own_counts(client, corpus):
    from django.db.models import Count

    ArticleFactory(abstract="", doi="", pmcid="", language="fra", published=(2012, 5), peer_reviewed=False)
    facets = {facet.name: facet for facet in search(client).context["facets"]}
    public = Article.objects.public().order_by()

    def grouped(column):
        return dict(public.values_list(column).annotate(n=Count("*")))

    assert {int(v.value): v.count for v in facets["year"].values} == grouped("publication_year")
    assert {v.value: v.count for v in facets["type"].values} == grouped("output_type")
    assert {v.value: v.count for v in facets["language"].values} == {k: n for k, n in grouped("language").items() if k}
    assert {v.value == "true": v.count for v in facets["peer_reviewed"].values} == grouped("peer_reviewed")
    with_abstract = public.exclude(abstract="").count()
    assert [(v.value, v.count) for v in facets["has_abstract"].values] == [
        ("true", with_abstract),
        ("false", public.count() - with_abstract),
    ]
