"""The JSON API: what scripts read, how they filter and page, who may write, and no lost updates."""

import pytest
from django.contrib.auth.models import Permission
from django.core.cache import cache
from rest_framework.test import APIClient
from rest_framework.throttling import AnonRateThrottle

from literature.mining.fingerprint import compute_fingerprints
from literature.models import ApiToken, Article, ArticleDrug, CurationState, Keyword, LinkStatus, SubjectArea
from tests.factories import ArticleFactory, DrugFactory, PersonFactory

pytestmark = pytest.mark.django_db


def ok(response, status=200):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    return response.json()


# Reading ---------------------------------------------------------------------------------------------


def test_an_article_carries_its_record_inline_with_links(api, seed_article):
    data = ok(api.get(f"/api/v1/articles/{seed_article.pk}/"))
    assert data["full_title"].startswith("Immunomodulatory drugs in multiple myeloma: From molecular")
    assert [a["person"]["name"] for a in data["authors"]] == [
        "Roberto Castelli",
        "Antonino Cannavò",
        "Fabio Conforti",
        "Giovanni Grava",
        "Agostino Cortelezzi",
    ]
    assert [a["position"] for a in data["authors"]] == [1, 2, 3, 4, 5]
    assert data["output_line"] == "Contribution to journal > Article > peer-review"
    assert data["publication_status_line"] == "Published - Oct 2012"
    assert data["publication_date"] == "2012-10"
    assert [(s["status"], s["date"]) for s in data["publication_history"]] == [
        ("epub_ahead_of_print", "2012-03-09"),
        ("published", "2012-10"),
    ]
    assert (data["first_page"], data["last_page"], data["number_of_pages"]) == (740, 753, 14)
    assert data["journal"]["title"] == "Immunopharmacology and Immunotoxicology"
    assert data["journal"]["url"] == f"http://testserver/api/v1/journals/{seed_article.journal_id}/"
    assert sorted(k["slug"] for k in data["keywords"])[0] == "immunomodulatory-drugs-imids"
    assert sorted(s["code"] for s in data["subject_areas"]) == [2403, 2723, 3004, 3005]
    assert {(link["drug"]["name"], link["status"]) for link in data["drug_links"]} == {
        ("Lenalidomide", "confirmed"),
        ("Pomalidomide", "confirmed"),
        ("Thalidomide", "confirmed"),
    }
    assert data["html_url"] == f"http://testserver{seed_article.get_absolute_url()}"


@pytest.mark.parametrize(
    ("endpoint", "field", "expected"),
    [
        ("drugs", "name", "Lenalidomide"),
        ("keywords", "name", "Multiple myeloma"),
        ("journals", "title", "Immunopharmacology and Immunotoxicology"),
        ("people", "name", "Antonino Cannavò"),
        ("article-drugs", "status", "confirmed"),
    ],
)
def test_every_resource_has_a_list_and_a_detail(api, seed_article, endpoint, field, expected):
    listing = ok(api.get(f"/api/v1/{endpoint}/"))
    assert expected in [item[field] for item in listing["results"]]
    item = next(item for item in listing["results"] if item[field] == expected)
    assert ok(api.get(item["url"]))[field] == expected


def test_subject_areas_are_read_by_code(api):
    data = ok(api.get("/api/v1/subject-areas/3005/"))
    assert (data["name"], data["parent"]["code"]) == ("Toxicology", 30)
    assert ok(api.get("/api/v1/subject-areas/"))["count"] == 361


def test_a_drug_lists_its_identifiers_and_names(api, seed_article):
    data = ok(api.get("/api/v1/drugs/pomalidomide/"))
    assert (data["atc_codes"], data["drugbank_id"], data["pubchem_cid"]) == (["L04AX06"], "DB08910", 134780)
    assert sorted(data["brand_names"]) == ["Imnovid", "Pomalyst"]


# Filtering and pages -------------------------------------------------------------------------------------


@pytest.fixture
def filterable(seed_article):
    review = ArticleFactory(title="Lenalidomide: a review", output_type="review", published=(2019, 1))
    review.keywords.add(Keyword.objects.get(name="Multiple myeloma"))
    ArticleFactory(title="Unrelated proteasome work", published=(2005, 1), peer_reviewed=True)
    return seed_article, review


@pytest.mark.parametrize(
    ("params", "titles"),
    [
        ({"q": "lenalidomide"}, {"Immunomodulatory drugs in multiple myeloma", "Lenalidomide: a review"}),
        ({"q": "lenalidomide", "type": "review"}, {"Lenalidomide: a review"}),
        ({"year_from": 2010, "year_to": 2015}, {"Immunomodulatory drugs in multiple myeloma"}),
        ({"keyword": "multiple-myeloma"}, {"Immunomodulatory drugs in multiple myeloma", "Lenalidomide: a review"}),
        ({"drug": "thalidomide"}, {"Immunomodulatory drugs in multiple myeloma"}),
        ({"subject": 30}, {"Immunomodulatory drugs in multiple myeloma"}),
        ({"peer_reviewed": "true"}, {"Immunomodulatory drugs in multiple myeloma", "Unrelated proteasome work"}),
        ({"language": "eng", "status": "published", "sort": "oldest"}, None),
    ],
)
def test_the_api_filters_with_the_search_page_parameters(api, filterable, params, titles):
    data = ok(api.get("/api/v1/articles/", params))
    found = {item["title"] for item in data["results"]}
    if titles is None:
        assert [item["publication_date"] for item in data["results"]] == ["2005-01", "2012-10", "2019-01"]
    else:
        assert found == titles


@pytest.mark.parametrize(
    ("params", "field"),
    [({"year_from": "abc"}, "year_from"), ({"drug": "no-such-drug"}, "drug"), ({"type": "novel"}, "type")],
)
def test_bad_filter_values_get_a_json_400_naming_the_parameter(api, filterable, params, field):
    response = api.get("/api/v1/articles/", params)
    assert response.status_code == 400
    error = response.json()["error"]
    assert (error["status"], error["code"]) == (400, "invalid")
    assert field in error["fields"]


def test_page_numbers_come_with_a_total_and_the_page_size_asked_for(api, db):
    ArticleFactory.create_batch(105, authors=1)
    data = ok(api.get("/api/v1/articles/", {"page_size": 100}))
    assert data["count"] == 105
    assert len(data["results"]) == 100
    assert data["next"].endswith("page=2&page_size=100")


@pytest.mark.parametrize("size", ["1000", "0", "-5", "ten", "2.5"])
@pytest.mark.parametrize("walk", [{}, {"cursor": ""}])
def test_a_page_size_out_of_range_is_a_400_naming_the_range_and_the_setting(api, db, size, walk):
    response = api.get("/api/v1/articles/", {"page_size": size, **walk})
    assert response.status_code == 400
    (message,) = response.json()["error"]["fields"]["page_size"]
    assert message == f"{size}: give a whole number from 1 to 100 (MAX_PAGE_SIZE)."


def test_a_cursor_walks_the_whole_corpus_once(api, db):
    created = {a.pk for a in ArticleFactory.create_batch(23, authors=1)}
    seen, url = [], "/api/v1/articles/?cursor=&page_size=10"
    while url:
        data = ok(api.get(url))
        assert "count" not in data
        seen += [item["id"] for item in data["results"]]
        url = data["next"]
    assert sorted(seen) == sorted(created)
    assert len(seen) == len(set(seen))


def test_a_forged_cursor_is_a_json_400(api, db):
    error = api.get("/api/v1/articles/", {"cursor": "!!not base64!!"}).json()["error"]
    assert error["status"] == 400
    assert "cursor" in error["fields"]


def test_unknown_api_urls_answer_json_404(api, db):
    response = api.get("/api/v1/no-such-resource/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_list_endpoints_run_the_same_queries_for_any_page_size(api, django_assert_num_queries):
    drug = DrugFactory()
    keyword = Keyword.objects.create(name="Dosing")
    for article in ArticleFactory.create_batch(60, authors=5):
        article.keywords.add(keyword)
        ArticleDrug.objects.create(article=article, drug=drug, status=LinkStatus.CONFIRMED)
    compute_fingerprints()
    # the corpus version, the count (cached under it), the corpus version again, the page's ids (cached
    # under it), the page of articles by id with their
    # journals, then their publication states, authorships with people, keywords, subject areas, drug
    # links with drugs, Fingerprint concepts, references, MeSH headings, publication types, relations (no
    # references citing them are looked for: they have no DOI or PMID).
    for size in (5, 60):
        cache.clear()  # each size asked for first (the count would be cached from the first)
        with django_assert_num_queries(15):
            data = ok(api.get("/api/v1/articles/", {"page_size": size}))
        assert len(data["results"]) == size
        assert data["results"][0]["fingerprint"][0]["weight"] == 100


# Who sees and writes what ------------------------------------------------------------------------------


def test_anonymous_clients_see_approved_articles_and_confirmed_links_only(api, seed_article):
    draft = ArticleFactory(curation_state=CurationState.DRAFT)
    suggestion = ArticleDrug.objects.create(article=seed_article, drug=DrugFactory(), status=LinkStatus.SUGGESTED)
    ids = [item["id"] for item in ok(api.get("/api/v1/articles/"))["results"]]
    assert ids == [seed_article.pk]
    assert api.get(f"/api/v1/articles/{draft.pk}/").status_code == 404
    links = ok(api.get(f"/api/v1/articles/{seed_article.pk}/"))["drug_links"]
    assert suggestion.pk not in [link["id"] for link in links]
    assert api.get(f"/api/v1/article-drugs/{suggestion.pk}/").status_code == 404


def test_curators_see_drafts_and_suggestions(curator_api, seed_article):
    draft = ArticleFactory(curation_state=CurationState.DRAFT)
    ArticleDrug.objects.create(article=seed_article, drug=DrugFactory(name="Suggestamab"), status=LinkStatus.SUGGESTED)
    assert ok(curator_api.get(f"/api/v1/articles/{draft.pk}/"))["curation_state"] == "draft"
    links = ok(curator_api.get(f"/api/v1/articles/{seed_article.pk}/"))["drug_links"]
    assert ("Suggestamab", "suggested") in {(link["drug"]["name"], link["status"]) for link in links}


def test_anonymous_writes_are_refused_with_401(api, seed_article):
    response = api.patch(f"/api/v1/articles/{seed_article.pk}/", {"title": "Changed"}, format="json")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert api.post("/api/v1/keywords/", {"name": "New"}, format="json").status_code == 401


def test_a_token_without_the_model_permission_is_refused_with_403(django_user_model, seed_article):
    user = django_user_model.objects.create_user("reader")
    _, key = ApiToken.issue(user, "read only")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    assert client.post("/api/v1/keywords/", {"name": "New"}, format="json").status_code == 403
    user.user_permissions.add(Permission.objects.get(codename="add_keyword"))
    assert client.post("/api/v1/keywords/", {"name": "New"}, format="json").status_code == 201


def test_tokens_are_stored_as_digests_and_can_be_revoked(curator, seed_article):
    token, key = ApiToken.issue(curator, "sync")
    assert key.startswith("lit_")
    assert key not in (token.key_digest, token.key_prefix)
    assert not ApiToken.objects.filter(key_digest=key).exists()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    assert client.post("/api/v1/keywords/", {"name": "Before revoking"}, format="json").status_code == 201
    token.revoke()
    response = client.post("/api/v1/keywords/", {"name": "After revoking"}, format="json")
    assert response.status_code == 401
    assert "revoked" in response.json()["error"]["message"]


def test_curators_create_an_article_with_its_authors_in_order(curator_api, seed_article):
    people = PersonFactory.create_batch(3)
    payload = {
        "title": "Pomalidomide after lenalidomide failure",
        "abstract": "We report <i>in vitro</i> results.<script>x</script>",
        "output_type": "article",
        "peer_reviewed": True,
        "language": "eng",
        "journal_id": seed_article.journal_id,
        "volume": "35",
        "issue": "1",
        "first_page": 10,
        "last_page": 19,
        "doi": "https://doi.org/10.1234/pom.2013.1",
        "author_ids": [people[2].pk, people[0].pk, people[1].pk],
        "keyword_ids": [Keyword.objects.get(name="Pomalidomide").pk],
        "subject_area_codes": [3004],
        "publication_history": [{"status": "published", "year": 2013, "month": 2}],
        "curation_state": "in_review",
    }
    data = ok(curator_api.post("/api/v1/articles/", payload, format="json"), 201)
    assert [a["person"]["id"] for a in data["authors"]] == [people[2].pk, people[0].pk, people[1].pk]
    assert data["doi"] == "10.1234/pom.2013.1"
    assert data["abstract"] == "We report <i>in vitro</i> results."
    assert data["publication_status_line"] == "Published - Feb 2013"
    assert data["number_of_pages"] == 10
    assert [s["code"] for s in data["subject_areas"]] == [3004]
    assert Article.objects.search("pomalidomide failure").get().pk == data["id"]


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"doi": "10.12/not-a-doi"}, "doi", "is not a DOI"),
        ({"first_page": 753, "last_page": 740}, "last_page", "comes before the first page"),
        ({"output_type": "doctoral_thesis"}, "output_type", "is an output type of 'Thesis'"),
        (
            {"publication_history": [{"status": "published", "month": 10}]},
            "publication_history",
            "A month needs a year",
        ),
    ],
)
def test_writes_are_validated_exactly_as_in_the_admin(curator_api, seed_article, change, field, message):
    response = patch_as_read(curator_api, f"/api/v1/articles/{seed_article.pk}/", change)
    assert response.status_code == 400
    assert message in str(response.json()["error"]["fields"][field])
    assert Article.objects.get(pk=seed_article.pk).doi == "10.3109/08923973.2012.658921"


def test_a_duplicate_doi_in_another_case_is_refused(curator_api, seed_article):
    other = ArticleFactory()
    response = patch_as_read(
        curator_api, f"/api/v1/articles/{other.pk}/", {"doi": "10.3109/08923973.2012.658921".upper()}
    )
    assert response.status_code == 400
    assert "already has this DOI" in str(response.json()["error"]["fields"])


def test_a_person_with_articles_cannot_be_deleted_and_says_why(curator_api, seed_article):
    person = seed_article.authors[0]
    url = f"/api/v1/people/{person.pk}/"
    response = curator_api.delete(url, HTTP_IF_MATCH=curator_api.get(url)["ETag"])
    assert response.status_code == 409
    assert "still refer to this one" in response.json()["error"]["message"]


# No lost updates ---------------------------------------------------------------------------------------


def patch_as_read(client, url, change):
    """A PATCH as a careful script sends it: with the ETag of the record it just read."""
    return client.patch(url, change, format="json", HTTP_IF_MATCH=client.get(url)["ETag"])


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_a_write_without_if_match_gets_428_and_changes_nothing(curator_api, seed_article, method):
    url = f"/api/v1/articles/{seed_article.pk}/"
    before = curator_api.get(url)["ETag"]
    response = getattr(curator_api, method)(url, {"volume": "99"}, format="json")
    assert response.status_code == 428
    assert response.json()["error"]["code"] == "precondition_required"
    assert "Send If-Match with the ETag" in response.json()["error"]["message"]
    assert curator_api.get(url)["ETag"] == before
    assert Article.objects.filter(pk=seed_article.pk).exists()


def test_if_match_star_writes_over_whatever_is_there(curator_api, seed_article):
    url = f"/api/v1/articles/{seed_article.pk}/"
    ok(curator_api.patch(url, {"volume": "36"}, format="json", HTTP_IF_MATCH="*"))
    assert Article.objects.get(pk=seed_article.pk).volume == "36"


def test_a_stale_if_match_gets_412_and_changes_nothing(curator_api, seed_article):
    url = f"/api/v1/articles/{seed_article.pk}/"
    first = curator_api.get(url)
    etag = first["ETag"]
    ok(curator_api.patch(url, {"volume": "35"}, format="json", HTTP_IF_MATCH=etag))
    stale = curator_api.patch(url, {"volume": "36"}, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    assert stale.json()["error"]["code"] == "precondition_failed"
    assert Article.objects.get(pk=seed_article.pk).volume == "35"
    assert curator_api.delete(url, HTTP_IF_MATCH=etag).status_code == 412
    assert Article.objects.filter(pk=seed_article.pk).exists()


def test_a_fresh_if_match_succeeds_and_returns_the_new_etag(curator_api, seed_article):
    url = f"/api/v1/keywords/{Keyword.objects.get(name='Thalidomide').slug}/"
    etag = curator_api.get(url)["ETag"]
    response = curator_api.patch(url, {"mesh_id": "D013792"}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 200
    assert response["ETag"] == curator_api.get(url)["ETag"]
    assert curator_api.delete(url, HTTP_IF_MATCH=response["ETag"]).status_code == 204


def test_anonymous_use_is_throttled(api, seed_article, monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "get_rate", lambda self: "3/minute")
    statuses = [api.get("/api/v1/keywords/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert api.get("/api/v1/keywords/").json()["error"]["code"] == "throttled"


# Documentation -----------------------------------------------------------------------------------------


def test_the_openapi_schema_and_its_documentation_page_are_served_locally(api, db):
    schema = api.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/articles/" in schema["paths"]
    parameters = {p["name"] for p in schema["paths"]["/api/v1/articles/"]["get"]["parameters"]}
    assert {"q", "year_from", "year_to", "type", "journal", "drug", "keyword", "subject"} <= parameters
    assert {"status", "peer_reviewed", "language", "sort", "page", "page_size", "cursor"} <= parameters
    docs = api.get("/api/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in docs
    assert "cdn" not in docs.lower()


def test_subject_area_links_resolve(api):
    area = SubjectArea.objects.get(code=2403)
    data = ok(api.get(f"/api/v1/subject-areas/{area.code}/"))
    assert data["html_url"].endswith("/subjects/2403/")


@pytest.mark.parametrize("raw", ["p=abc", "p=%00", "p=1e999", "p=-1", "o=-3", "r=1&p=x"])
def test_a_crafted_cursor_is_a_400_naming_the_parameter(api, seed_article, raw):
    import base64

    cursor = base64.b64encode(raw.encode()).decode()
    response = api.get("/api/v1/articles/", {"cursor": cursor})
    assert response.status_code == 400
    assert "not one the API gave out" in str(response.json()["error"]["fields"]["cursor"])


@pytest.mark.parametrize("export", ["ris", "csv", "bibtex"])
def test_a_write_asking_for_an_export_format_is_refused_before_anything_is_written(curator_api, seed_article, export):
    url = f"/api/v1/articles/{seed_article.pk}/"
    etag = curator_api.get(url)["ETag"]
    deleted = curator_api.delete(f"{url}?format={export}", HTTP_IF_MATCH=etag)
    assert deleted.status_code == 406
    assert Article.objects.filter(pk=seed_article.pk).exists()
    created = curator_api.post(f"/api/v1/keywords/?format={export}", {"name": "Never made"}, format="json")
    assert created.status_code == 406
    assert f"format={export} is not offered here: use one of json" in created.content.decode()
    assert not Keyword.objects.filter(name="Never made").exists()
    created = curator_api.post(f"/api/v1/articles/?format={export}", {"title": "Never made"}, format="json")
    assert created.status_code == 406
    assert "Writes answer in JSON only" in created.content.decode()
    assert not Article.objects.filter(title="Never made").exists()


# Saying no to what it does not understand ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "unknown"),
    [
        ("/api/v1/articles/?per_page=10", "per_page"),
        ("/api/v1/keywords/?q=thalidomide", "q"),
        ("/api/v1/journals/?doi=10.3109/08923973.2012.658921", "doi"),
        ("/api/v1/subject-areas/?page_sise=5", "page_sise"),
        ("/api/v1/articles/1/?page=2", "page"),
    ],
)
def test_an_unknown_parameter_is_a_400_listing_the_accepted_ones(api, seed_article, url, unknown):
    response = api.get(url)
    assert response.status_code == 400
    (message,) = response.json()["error"]["fields"][unknown]
    assert message.startswith("not a parameter of this operation; the accepted ones are: ")
    assert "format" in message


def test_every_accepted_parameter_of_the_article_list_is_in_the_schema(api, db):
    schema = api.get("/api/schema/?format=json").json()
    documented = {p["name"] for p in schema["paths"]["/api/v1/articles/"]["get"]["parameters"] if p["in"] == "query"}
    from literature.api.views import PAGINATION_PARAMETERS, ArticleViewSet

    accepted = {"format", "style"} | PAGINATION_PARAMETERS | set(ArticleViewSet.filterset_class.base_filters)
    assert accepted - {"format", "style"} <= documented


@pytest.mark.parametrize(
    "doi",
    [
        "10.3109/08923973.2012.658921",
        "10.3109/08923973.2012.658921".upper(),
        "https://doi.org/10.3109/08923973.2012.658921",
    ],
)
def test_an_article_is_found_by_its_doi_written_any_way(api, seed_article, doi):
    ArticleFactory(authors=1)
    data = ok(api.get("/api/v1/articles/", {"doi": doi}))
    assert [item["id"] for item in data["results"]] == [seed_article.pk]
    assert ok(api.get(f"/api/v1/articles/doi:{doi}/"))["id"] == seed_article.pk


def test_an_article_is_found_by_its_pmid_and_pmcid(api, db):
    article = ArticleFactory(authors=1, pmid=22443165, pmcid="PMC3531190")
    ArticleFactory(authors=1)
    for query in ({"pmid": 22443165}, {"pmcid": "PMC3531190"}, {"pmcid": "3531190"}):
        assert [item["id"] for item in ok(api.get("/api/v1/articles/", query))["results"]] == [article.pk]
    for lookup in ("pmid:22443165", "pmcid:PMC3531190", "pmcid:3531190"):
        assert ok(api.get(f"/api/v1/articles/{lookup}/"))["id"] == article.pk
    response = api.get("/api/v1/articles/pmid:1/")
    assert response.status_code == 404
    assert response.json()["error"]["message"] == "No article with pmid 1."


def test_an_unapproved_article_is_not_found_by_its_identifier(api, db):
    ArticleFactory(authors=1, pmid=5, curation_state="in_review")
    assert api.get("/api/v1/articles/pmid:5/").status_code == 404
    assert ok(api.get("/api/v1/articles/", {"pmid": 5}))["count"] == 0


def test_list_pages_link_to_the_next_and_previous_in_a_link_header(api, db):
    ArticleFactory.create_batch(5, authors=1)
    response = api.get("/api/v1/articles/", {"page_size": 2, "page": 2})
    next_url, previous_url = response.json()["next"], response.json()["previous"]
    assert response["Link"] == f'<{next_url}>; rel="next", <{previous_url}>; rel="prev"'


def test_public_reads_may_be_cached_by_anyone_a_curators_only_privately(api, curator_api, seed_article):
    public = api.get(f"/api/v1/articles/{seed_article.pk}/")
    assert public["Cache-Control"] == "public, max-age=60"
    assert "Authorization" in public["Vary"]
    assert curator_api.get(f"/api/v1/articles/{seed_article.pk}/")["Cache-Control"] == "private, no-cache"


def test_a_drug_in_a_large_share_of_the_corpus_is_listed_by_walking_and_counted_by_its_links(monkeypatch):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from literature.search import facets

    drug = DrugFactory(name="Lenalidomide", slug="lenalidomide")
    linked = [ArticleFactory(title=f"Linked {n}") for n in range(6)]
    for article in linked:
        ArticleDrug.objects.create(article=article, drug=drug, status=LinkStatus.CONFIRMED)
    ArticleFactory.create_batch(4, title="Not linked")
    client = APIClient()
    for large_share, walked in ((100, True), (1, False)):  # 6 of 10 public articles: large below 1 in 100
        monkeypatch.setattr(facets, "LARGE_SHARE", large_share)
        with CaptureQueriesContext(connection) as captured:
            page = client.get("/api/v1/articles/", {"drug": "lenalidomide", "page_size": 4}).json()
        assert page["count"] == 6
        assert [row["id"] for row in page["results"]] == [a.pk for a in sorted(linked, key=lambda a: -a.pk)][:4]
        # The page's ids are found by the listing query (its articles then read by id).
        listing = next(q["sql"] for q in captured if q["sql"].startswith('SELECT "literature_article"."id" AS "pk"'))
        assert ("EXISTS" in listing) is walked, listing
        facets.cache.clear()  # the share is decided afresh


# Mentions: the evidence behind the drug links -------------------------------------------------------


def test_mentions_give_each_drug_name_with_offsets_into_the_text_given(api, seed_article):
    data = ok(api.get(f"/api/v1/articles/{seed_article.pk}/mentions/"))
    passages = data["passages"]
    assert passages["title"].startswith("Immunomodulatory drugs in multiple myeloma")
    assert data["mentions"], "the seed's abstract names thalidomide, lenalidomide and pomalidomide"
    for mention in data["mentions"]:
        assert passages[mention["field"]][mention["start"] : mention["end"]] == mention["text"]
    named = {mention["drug"]["name"] for mention in data["mentions"]}
    assert {"Thalidomide", "Lenalidomide", "Pomalidomide"} <= named
    statuses = {mention["drug"]["name"]: mention["link_status"] for mention in data["mentions"]}
    assert statuses["Lenalidomide"] == "confirmed"
    offsets = [(m["field"] == "abstract", m["start"]) for m in data["mentions"]]
    assert offsets == sorted(offsets)  # left to right, title first


def test_readers_see_only_confirmed_links_of_mentions_and_curators_every_status(api, curator_api, seed_article):
    link = seed_article.drug_links.get(drug__name="Pomalidomide")
    link.status = LinkStatus.REJECTED
    link.save()
    url = f"/api/v1/articles/{seed_article.pk}/mentions/"

    def status_of(client):
        mentions = ok(client.get(url))["mentions"]
        return {m["link_status"] for m in mentions if m["drug"]["name"] == "Pomalidomide"}

    assert status_of(api) == {None}
    assert status_of(curator_api) == {"rejected"}


def test_no_mentions_of_an_unapproved_article_for_readers(api, seed_article):
    draft = ArticleFactory(title="Lenalidomide draft", curation_state=CurationState.DRAFT)
    assert api.get(f"/api/v1/articles/{draft.pk}/mentions/").status_code == 404
