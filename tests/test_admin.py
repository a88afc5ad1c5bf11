"""The curators' admin: fast lists, search, ordered authors, bulk curation, history and permissions."""

import re

import pytest
from django.contrib.admin.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from literature.models import ApiToken, Article, ArticleDrug, CurationState, Drug
from tests.factories import ArticleFactory, PersonFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:literature_article_changelist")


def changelist_queries(client, **params):
    client.get(CHANGELIST, params)  # the list of languages present is computed once, then cached
    with CaptureQueriesContext(connection) as queries:
        response = client.get(CHANGELIST, params)
    assert response.status_code == 200
    return len(queries), response


def test_the_article_changelist_runs_the_same_queries_for_5_or_50_rows(curator_client):
    ArticleFactory.create_batch(5, authors=3)
    few, response = changelist_queries(curator_client)
    assert len(response.context["cl"].result_list) == 5
    ArticleFactory.create_batch(45, authors=3)
    many, response = changelist_queries(curator_client)
    assert len(response.context["cl"].result_list) == 50
    assert few == many


def test_the_article_changelist_query_budget(curator_client, django_assert_num_queries):
    ArticleFactory.create_batch(30, authors=4)
    # 1 session, 2 user, 3 user permissions, 4 group permissions, 5 the corpus version (the language
    # filter's list of languages present is cached at it), 6 count of the filtered articles (for the
    # paginator; the full-table count is switched off), 7 the page of articles with the journal joined
    # and the first author as a subquery.
    curator_client.get(CHANGELIST)
    with django_assert_num_queries(7):
        response = curator_client.get(CHANGELIST)
    assert response.status_code == 200


def test_the_changelist_shows_first_author_journal_and_year(curator_client, seed_article):
    response = curator_client.get(CHANGELIST)
    content = response.content.decode()
    assert "Castelli" in content
    assert "Immunopharmacology and Immunotoxicology" in content
    assert "2012" in content


def test_curators_find_an_article_by_its_exact_doi_or_by_title_words(curator_client, seed_article):
    ArticleFactory.create_batch(3)
    _, by_doi = changelist_queries(curator_client, q="10.3109/08923973.2012.658921")
    assert list(by_doi.context["cl"].result_list) == [seed_article]
    _, by_title = changelist_queries(curator_client, q="multiple myeloma")
    assert list(by_title.context["cl"].result_list) == [seed_article]


def test_curators_search_words_as_the_site_does_whether_the_words_are_rare_or_frequent(curator_client, monkeypatch):
    from literature.search import facets

    drafts = [ArticleFactory(title=f"Thalidomide trial {n}", curation_state=CurationState.DRAFT) for n in range(4)]
    ArticleFactory(title="Bortezomib", abstract="Compared with a thalidomide regimen.")
    ArticleFactory.create_batch(3, title="Unrelated")
    for large_share in (1, 10_000):  # rare (walked by the matches), then frequent (each row looked up)
        monkeypatch.setattr(facets, "LARGE_SHARE", large_share)
        _, found = changelist_queries(curator_client, q="thalidomide -bortezomib")
        assert found.context["cl"].result_count == 4  # drafts too: curators see everything
        assert {a.pk for a in found.context["cl"].result_list} == {a.pk for a in drafts}
        _, prefix = changelist_queries(curator_client, q="thalid*")
        assert prefix.context["cl"].result_count == 5  # the abstract's mention too
        facets.cache.clear()


def test_bulk_actions_move_articles_through_curation_and_leave_history(curator_client, curator):
    drafts = ArticleFactory.create_batch(3, curation_state=CurationState.DRAFT)
    response = curator_client.post(
        CHANGELIST,
        {"action": "move_to_approved", "_selected_action": [a.pk for a in drafts]},
        follow=True,
    )
    assert "3 article(s) approved." in response.content.decode()
    assert set(Article.objects.values_list("curation_state", flat=True)) == {CurationState.APPROVED}
    entries = LogEntry.objects.filter(user=curator, object_id__in=[str(a.pk) for a in drafts])
    assert entries.count() == 3
    assert "Approved" in entries.first().get_change_message()


def article_form_data(article, authorship_rows):
    """The POST body of the article change form, with the given author rows."""
    data = {
        "title": article.title,
        "subtitle": article.subtitle,
        "abstract": article.abstract,
        "curation_state": article.curation_state,
        "category": article.category,
        "output_type": article.output_type,
        "language": article.language,
        "journal": article.journal_id or "",
        "volume": article.volume,
        "issue": article.issue,
        "first_page": article.first_page or "",
        "last_page": article.last_page or "",
        "article_number": article.article_number,
        "page_count": article.page_count or "",
        "doi": article.doi,
        "pmid": article.pmid or "",
        "pmcid": article.pmcid,
        "keywords": [k.pk for k in article.keywords.all()],
        "subject_areas": [s.pk for s in article.subject_areas.all()],
        "authorships-TOTAL_FORMS": len(authorship_rows),
        "authorships-INITIAL_FORMS": sum(1 for row in authorship_rows if row.get("id")),
        "authorships-MIN_NUM_FORMS": 0,
        "authorships-MAX_NUM_FORMS": 1000,
        "publication_states-TOTAL_FORMS": article.publication_states.count(),
        "publication_states-INITIAL_FORMS": article.publication_states.count(),
        "publication_states-MIN_NUM_FORMS": 0,
        "publication_states-MAX_NUM_FORMS": 1000,
        "drug_links-TOTAL_FORMS": 0,
        "drug_links-INITIAL_FORMS": 0,
        "drug_links-MIN_NUM_FORMS": 0,
        "drug_links-MAX_NUM_FORMS": 1000,
        "concepts-TOTAL_FORMS": article.concepts.count(),
        "concepts-INITIAL_FORMS": article.concepts.count(),
        "concepts-MIN_NUM_FORMS": 0,
        "concepts-MAX_NUM_FORMS": 1000,
    }
    # The read-only indexing inlines: their rows as the page lists them (none deleted).
    for prefix, rows in (
        ("mesh_headings", article.mesh_headings.all()),
        ("publication_types", article.publication_types.all()),
    ):
        data.update({f"{prefix}-TOTAL_FORMS": len(rows), f"{prefix}-INITIAL_FORMS": len(rows)})
        data.update({f"{prefix}-MIN_NUM_FORMS": 0, f"{prefix}-MAX_NUM_FORMS": 1000})
        for index, row in enumerate(rows):
            data.update({f"{prefix}-{index}-id": row.pk, f"{prefix}-{index}-article": article.pk})
    for index, item in enumerate(article.concepts.order_by("-weight")):
        data.update({f"concepts-{index}-id": item.pk, f"concepts-{index}-article": article.pk})
        if item.hidden:
            data[f"concepts-{index}-hidden"] = "on"
    if article.peer_reviewed:
        data["peer_reviewed"] = "on"
    for index, state in enumerate(article.publication_states.all()):
        prefix = f"publication_states-{index}-"
        data.update(
            {
                f"{prefix}id": state.pk,
                f"{prefix}article": article.pk,
                f"{prefix}status": state.status,
                f"{prefix}year": state.year or "",
                f"{prefix}month": state.month or "",
                f"{prefix}day": state.day or "",
            }
        )
    for index, row in enumerate(authorship_rows):
        prefix = f"authorships-{index}-"
        data.update({f"{prefix}{key}": value for key, value in row.items()})
        data[f"{prefix}article"] = article.pk
    return data


def test_curators_reorder_authors_by_typing_positions(curator_client):
    article = ArticleFactory(authors=3)
    first, second, third = article.ordered_authorships
    rows = [
        {"id": first.pk, "person": first.person_id, "order": 2},
        {"id": second.pk, "person": second.person_id, "order": 1},
        {"id": third.pk, "person": third.person_id, "order": 3},
    ]
    url = reverse("admin:literature_article_change", args=[article.pk])
    response = curator_client.post(url, article_form_data(article, rows))
    assert response.status_code == 302, response.context["errors"] if response.context else response
    assert Article.objects.get(pk=article.pk).authors == [second.person, first.person, third.person]


def test_a_new_author_without_a_position_goes_last_and_positions_stay_dense(curator_client):
    article = ArticleFactory(authors=2)
    first, second = article.ordered_authorships
    newcomer = PersonFactory()
    rows = [
        {"id": first.pk, "person": first.person_id, "order": 1, "DELETE": "on"},
        {"id": second.pk, "person": second.person_id, "order": 2},
        {"person": newcomer.pk, "order": ""},
    ]
    url = reverse("admin:literature_article_change", args=[article.pk])
    response = curator_client.post(url, article_form_data(article, rows))
    assert response.status_code == 302
    refreshed = Article.objects.get(pk=article.pk)
    assert refreshed.authors == [second.person, newcomer]
    assert [a.position for a in refreshed.ordered_authorships] == [1, 2]


def test_the_change_form_links_to_the_public_page(curator_client, seed_article):
    response = curator_client.get(reverse("admin:literature_article_change", args=[seed_article.pk]))
    assert response.status_code == 200
    assert "View on site" in response.content.decode()
    assert seed_article.get_absolute_url().startswith(f"/articles/{seed_article.pk}/")


def test_curators_edit_the_record_but_not_user_accounts(curator_client):
    assert curator_client.get(reverse("admin:literature_drug_add")).status_code == 200
    assert curator_client.get(reverse("admin:auth_user_changelist")).status_code == 403


def test_subject_area_autocomplete_offers_only_four_digit_codes(curator_client):
    response = curator_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "literature", "model_name": "article", "field_name": "subject_areas", "term": "Immunology"},
    )
    texts = [result["text"] for result in response.json()["results"]]
    assert "Immunology (2403)" in texts
    assert "Immunology and Microbiology (24)" not in texts


@pytest.mark.parametrize(
    "name",
    ["journal", "person", "keyword", "drug", "articledrug", "subjectarea"],
)
def test_every_list_opens_for_curators(curator_client, seed_article, name):
    response = curator_client.get(reverse(f"admin:literature_{name}_changelist"))
    assert response.status_code == 200
    assert response.context["cl"].result_count >= 1


def test_curators_add_a_drug_with_atc_codes_as_text_and_its_other_names(curator_client):
    response = curator_client.post(
        reverse("admin:literature_drug_add"),
        {
            "name": "Iberdomide",
            "slug": "iberdomide",
            "atc_codes": "l04ax10, L04AX11",
            "names-TOTAL_FORMS": 1,
            "names-INITIAL_FORMS": 0,
            "names-MIN_NUM_FORMS": 0,
            "names-MAX_NUM_FORMS": 1000,
            "names-0-name": "CC-220",
            "names-0-is_brand": "",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    drug = Drug.objects.get(name="Iberdomide")
    assert drug.atc_codes == ["L04AX10", "L04AX11"]
    assert drug.synonyms == ["CC-220"]


def test_a_malformed_atc_code_is_refused_in_the_admin_naming_the_code(curator_client):
    response = curator_client.post(
        reverse("admin:literature_drug_add"),
        {
            "name": "Iberdomide",
            "slug": "iberdomide",
            "atc_codes": "L04AX10, L04",
            "names-TOTAL_FORMS": 0,
            "names-INITIAL_FORMS": 0,
            "names-MIN_NUM_FORMS": 0,
            "names-MAX_NUM_FORMS": 1000,
        },
    )
    assert response.status_code == 200
    assert "'L04' is not a level-5 ATC code" in response.context["adminform"].form.errors["atc_codes"][0]


def test_curators_make_an_api_token_in_the_admin_and_see_its_key_once(curator_client, curator):
    response = curator_client.post(reverse("admin:literature_apitoken_add"), {"name": "nightly sync"}, follow=True)
    page = response.content.decode()
    key = re.search(r"Your new API token is (lit_[\w-]+)", page).group(1)
    token = ApiToken.objects.get(user=curator)
    assert token.key_digest == ApiToken.digest(key)
    assert ApiToken.authenticate(key) == token
    assert key not in curator_client.get(reverse("admin:literature_apitoken_changelist")).content.decode()


def test_curators_revoke_tokens_and_see_only_their_own(curator_client, curator, django_user_model):
    own, own_key = ApiToken.issue(curator, "mine")
    other_user = django_user_model.objects.create_user("someone-else")
    ApiToken.issue(other_user, "theirs")
    changelist = curator_client.get(reverse("admin:literature_apitoken_changelist"))
    assert [str(t) for t in changelist.context["cl"].result_list] == [str(own)]
    curator_client.post(
        reverse("admin:literature_apitoken_changelist"), {"action": "revoke_tokens", "_selected_action": [own.pk]}
    )
    assert ApiToken.authenticate(own_key) is None


def test_reviewing_drug_links_in_bulk_leaves_history_with_the_one_reason_given(curator_client, curator, seed_article):
    links = list(ArticleDrug.objects.filter(article=seed_article))
    ArticleDrug.objects.filter(pk__in=[link.pk for link in links]).update(status="suggested")
    selected = {"action": "mark_rejected", "_selected_action": [link.pk for link in links]}
    changelist = reverse("admin:literature_articledrug_changelist")

    refused = curator_client.post(changelist, selected, follow=True)
    assert "A reason is required to reject a drug link" in refused.content.decode()
    assert set(ArticleDrug.objects.values_list("status", flat=True)) == {"suggested"}

    reason = "Named only as a comparator in earlier trials."
    response = curator_client.post(changelist, {**selected, "reason": reason}, follow=True)
    assert "3 link(s) rejected." in response.content.decode()
    assert set(ArticleDrug.objects.values_list("status", flat=True)) == {"rejected"}
    assert LogEntry.objects.filter(user=curator, object_id__in=[str(link.pk) for link in links]).count() == 3
    assert {link.history.latest().history_change_reason for link in links} == {reason}


@pytest.mark.django_db
def test_every_change_and_history_page_of_every_model_in_the_admin_opens(admin_client, admin_user, seed_article, rf):
    from django.contrib import admin as django_admin

    from literature.mining.fingerprint import compute_fingerprints
    from literature.models import ArticleDrug, Drug

    compute_fingerprints()
    ArticleDrug.objects.create(article=seed_article, drug=Drug.objects.create(name="Dexamethasone"))  # a suggestion
    request = rf.get("/admin/")
    request.user = admin_user
    opened = []
    for model, model_admin in django_admin.site._registry.items():
        obj = model_admin.get_queryset(request).order_by("pk").first()
        if obj is None:
            continue
        info = (model._meta.app_label, model._meta.model_name)
        for page in ("change", "history"):
            url = reverse(f"admin:{info[0]}_{info[1]}_{page}", args=[obj.pk])
            response = admin_client.get(url, follow=True)
            assert response.status_code == 200, f"{url}: {response.status_code}"
            assert response.request["PATH_INFO"] != "/admin/", f"{url}: sent back to the index"
            opened.append(f"{model.__name__} {page}")
    assert {"Journal change", "Keyword change", "Person change", "Drug change", "Article history"} <= set(opened)
    assert "DrugSuggestion history" in opened


@pytest.mark.parametrize("params", [{}, {"curation_state__exact": "draft"}])
def test_the_article_changelist_reads_its_page_from_an_index_even_when_many_share_a_time(curator_client, params):
    # A bulk change (an approval of thousands, a generated corpus) gives many articles one `modified`;
    # the list's order is (modified, id) and an index with the id serves it whole: without the id the
    # database sorted every article of that time for each page (11 s for a million).
    ArticleFactory.create_batch(30, curation_state=CurationState.DRAFT)
    Article.objects.update(modified=Article.objects.first().modified)
    with CaptureQueriesContext(connection) as queries:
        assert curator_client.get(CHANGELIST, params).status_code == 200
    (page,) = [
        q["sql"] for q in queries.captured_queries if 'ORDER BY "literature_article"."modified" DESC' in q["sql"]
    ]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")  # a table this small is otherwise read whole
            cursor.execute("EXPLAIN " + page)
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + page)
        plan = " ".join(str(row) for row in cursor.fetchall())
    assert "article_modified_id_idx" in plan or "article_curation_queue_id_idx" in plan
    assert "TEMP B-TREE" not in plan and "Sort" not in plan
