"""The curator's workbench: previews, governance (reasons, the kill list, four eyes), the dashboard,
the review queue and duplicates side by side (the browser measures layouts in test_admin_browser.py)."""

import re

import pytest
from django import forms
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from literature.curation.articles import move_to_state
from literature.curation.duplicates import Substance, candidate_pairs, find_duplicate_articles
from literature.curation.governance import DecisionRefused
from literature.models import (
    Article,
    ArticleDrug,
    CurationState,
    Drug,
    DuplicateCandidate,
    Keyword,
    LinkSource,
    LinkStatus,
    SuppressedDrugName,
)
from literature.values.markup import matching_title
from tests.factories import ArticleDrugFactory, ArticleFactory

pytestmark = pytest.mark.django_db

QUEUE = reverse("admin:literature_drugsuggestion_changelist")


@pytest.fixture
def second_curator(django_user_model):
    user = django_user_model.objects.create_user("second", password="another-long-password", is_staff=True)
    user.groups.add(Group.objects.get(name="Curators"))
    return user


# Preview ---------------------------------------------------------------------------------------------


def test_a_curator_previews_an_article_in_review_at_its_public_address_and_a_reader_gets_404(curator_client):
    waiting = ArticleFactory(title="Pomalidomide after two lines", curation_state=CurationState.IN_REVIEW)
    assert Client().get(waiting.get_absolute_url()).status_code == 404

    response = curator_client.get(waiting.get_absolute_url())
    assert response.status_code == 200
    text = response.content.decode()
    assert "Preview: not public." in text and "“In review”" in text
    assert '<meta name="robots" content="noindex, nofollow">' in text
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_a_public_article_shows_no_preview_banner_to_a_curator(curator_client):
    article = ArticleFactory(curation_state=CurationState.APPROVED)
    response = curator_client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert "Preview: not public." not in response.content.decode()


# Reasons ---------------------------------------------------------------------------------------------


def test_a_rejection_without_a_reason_is_refused_with_a_clear_message_and_nothing_changes(curator_client):
    link = ArticleDrugFactory(status=LinkStatus.SUGGESTED, source=LinkSource.TEXT_MINING)
    url = reverse("admin:literature_drugsuggestion_review", args=[link.pk])
    response = curator_client.post(url, {"decision": "rejected", "reason": "  "}, follow=True)
    assert "A reason is required to reject a drug link" in response.content.decode()
    link.refresh_from_db()
    assert link.status == LinkStatus.SUGGESTED
    assert link.history.count() == 1

    curator_client.post(url, {"decision": "rejected", "reason": "A different drug of the same class."})
    link.refresh_from_db()
    assert link.status == LinkStatus.REJECTED
    assert link.history.latest().history_change_reason == "A different drug of the same class."


def test_confirming_needs_no_reason(curator_client):
    link = ArticleDrugFactory(status=LinkStatus.SUGGESTED)
    curator_client.post(reverse("admin:literature_drugsuggestion_review", args=[link.pk]), {"decision": "confirmed"})
    link.refresh_from_db()
    assert link.status == LinkStatus.CONFIRMED


def test_withdrawing_an_article_in_its_form_needs_a_change_comment_kept_in_the_history(curator_client):
    article = ArticleFactory(curation_state=CurationState.APPROVED, title="Thalidomide and neuropathy")
    url = reverse("admin:literature_article_change", args=[article.pk])
    opened = curator_client.get(url).context
    form = opened["adminform"].form
    prefixes = [formset.formset.prefix for formset in opened["inline_admin_formsets"]]
    data = {
        **{name: value for name, value in form.initial.items() if value is not None and name != "keywords"},
        "title": article.title,
        "curation_state": CurationState.WITHDRAWN,
        "category": article.category,
        "output_type": article.output_type,
        **{f"{prefix}-{count}": "0" for prefix in prefixes for count in ("TOTAL_FORMS", "INITIAL_FORMS")},
    }
    refused = curator_client.post(url, data)
    assert refused.status_code == 200
    assert "A reason is required to withdraw an article" in refused.content.decode()
    assert Article.objects.get(pk=article.pk).curation_state == CurationState.APPROVED

    saved = curator_client.post(url, {**data, "change_comment": "The journal retracted it."})
    assert saved.status_code == 302, saved.context["adminform"].form.errors
    article.refresh_from_db()
    assert article.curation_state == CurationState.WITHDRAWN
    assert article.history.latest().history_change_reason == "The journal retracted it."
    history = curator_client.get(reverse("admin:literature_article_history", args=[article.pk])).content.decode()
    assert "The journal retracted it." in history
    assert ">\n          None\n        </td>" not in history  # rows without a reason show a dash


def test_the_bulk_withdrawal_takes_its_reason_from_the_action_bar(curator_client):
    articles = ArticleFactory.create_batch(2, curation_state=CurationState.APPROVED)
    selected = {"action": "move_to_withdrawn", "_selected_action": [a.pk for a in articles]}
    changelist = reverse("admin:literature_article_changelist")
    assert "A reason is required to withdraw" in curator_client.post(changelist, selected, follow=True).content.decode()
    assert not Article.objects.filter(curation_state=CurationState.WITHDRAWN).exists()
    curator_client.post(changelist, {**selected, "reason": "Duplicate publication."})
    assert Article.objects.filter(curation_state=CurationState.WITHDRAWN).count() == 2


def test_the_api_refuses_a_withdrawal_without_a_change_reason_naming_the_field(curator_api):
    article = ArticleFactory(curation_state=CurationState.APPROVED)
    url = reverse("api:article-detail", args=[article.pk])
    refused = curator_api.patch(url, {"curation_state": "withdrawn"}, format="json", HTTP_IF_MATCH="*")
    assert refused.status_code == 400
    assert "change_reason" in refused.json()["error"]["fields"]
    assert Article.objects.get(pk=article.pk).curation_state == CurationState.APPROVED
    accepted = curator_api.patch(
        url, {"curation_state": "withdrawn", "change_reason": "Retracted."}, format="json", HTTP_IF_MATCH="*"
    )
    assert accepted.status_code == 200
    assert Article.objects.get(pk=article.pk).history.latest().history_change_reason == "Retracted."


def test_the_api_refuses_rejecting_a_link_without_a_reason(curator_api):
    link = ArticleDrugFactory(status=LinkStatus.SUGGESTED)
    url = reverse("api:articledrug-detail", args=[link.pk])
    assert curator_api.patch(url, {"status": "rejected"}, format="json", HTTP_IF_MATCH="*").status_code == 400
    assert (
        curator_api.patch(
            url, {"status": "rejected", "reason": "Not discussed."}, format="json", HTTP_IF_MATCH="*"
        ).status_code
        == 200
    )
    assert ArticleDrug.objects.get(pk=link.pk).history.latest().history_change_reason == "Not discussed."


def test_a_long_reason_is_kept_whole(curator):
    reason = "Withdrawn: " + "the cohort overlaps an earlier report of the same trial; " * 6
    article = ArticleFactory(curation_state=CurationState.APPROVED)
    move_to_state(Article.objects.filter(pk=article.pk), CurationState.WITHDRAWN, curator, reason)
    assert article.history.latest().history_change_reason == reason.strip()


# Four eyes -------------------------------------------------------------------------------------------


def test_with_four_eyes_on_a_curator_cannot_approve_what_they_edited_last(settings, curator, second_curator):
    settings.PORTAL_APPROVAL_BY_ANOTHER_CURATOR = True
    article = ArticleFactory(curation_state=CurationState.IN_REVIEW)
    move_to_state(Article.objects.filter(pk=article.pk), CurationState.DRAFT, curator)  # curator edits last
    move_to_state(Article.objects.filter(pk=article.pk), CurationState.IN_REVIEW, curator)
    with pytest.raises(DecisionRefused, match="Another curator must approve"):
        move_to_state(Article.objects.filter(pk=article.pk), CurationState.APPROVED, curator)
    assert Article.objects.get(pk=article.pk).curation_state == CurationState.IN_REVIEW
    move_to_state(Article.objects.filter(pk=article.pk), CurationState.APPROVED, second_curator)
    assert Article.objects.get(pk=article.pk).curation_state == CurationState.APPROVED


def test_with_four_eyes_on_an_approval_cannot_come_in_the_same_save_as_an_edit(settings, curator, second_curator):
    # The previous version is another curator's; an edit and an approval in one save would still be
    # the approver's own edit approved by themselves.
    settings.PORTAL_APPROVAL_BY_ANOTHER_CURATOR = True
    from rest_framework.test import APIClient

    from literature.models import ApiToken

    article = ArticleFactory(curation_state=CurationState.IN_REVIEW, volume="34")
    move_to_state(Article.objects.filter(pk=article.pk), CurationState.DRAFT, second_curator)
    move_to_state(Article.objects.filter(pk=article.pk), CurationState.IN_REVIEW, second_curator)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {ApiToken.issue(curator, 'tests')[1]}")
    url = f"/api/v1/articles/{article.pk}/"
    refused = client.patch(url, {"volume": "35", "curation_state": "approved"}, format="json", HTTP_IF_MATCH="*")
    assert refused.status_code == 400
    assert "Another curator must approve what you edit" in refused.content.decode()
    assert Article.objects.values_list("volume", "curation_state").get(pk=article.pk) == ("34", "in_review")
    approved = client.patch(url, {"curation_state": "approved"}, format="json", HTTP_IF_MATCH="*")
    assert approved.status_code == 200  # approving alone what another curator edited last


def test_with_four_eyes_on_the_admin_form_refuses_an_edit_and_an_approval_in_one_save(
    settings, client, curator, second_curator
):
    settings.PORTAL_APPROVAL_BY_ANOTHER_CURATOR = True
    from literature.admin.articles import ArticleAdminForm

    article = ArticleFactory(curation_state=CurationState.IN_REVIEW, volume="34")
    move_to_state(Article.objects.filter(pk=article.pk), CurationState.DRAFT, second_curator)
    move_to_state(Article.objects.filter(pk=article.pk), CurationState.IN_REVIEW, second_curator)
    article.refresh_from_db()
    form_class = forms.modelform_factory(Article, form=ArticleAdminForm, fields=["volume", "curation_state"])
    form_class.curator = curator
    data = {"volume": "35", "curation_state": CurationState.APPROVED}
    form = form_class(data, instance=article)
    assert not form.is_valid()
    assert "Another curator must approve what you edit" in str(form.errors["curation_state"])
    article.refresh_from_db()  # the refused form wrote its values onto the instance
    form = form_class({"volume": "34", "curation_state": CurationState.APPROVED}, instance=article)
    assert form.is_valid(), form.errors


def test_without_four_eyes_a_curator_approves_their_own_edit(curator):
    article = ArticleFactory(curation_state=CurationState.DRAFT)
    move_to_state(Article.objects.filter(pk=article.pk), CurationState.IN_REVIEW, curator)
    move_to_state(Article.objects.filter(pk=article.pk), CurationState.APPROVED, curator)
    assert Article.objects.get(pk=article.pk).curation_state == CurationState.APPROVED


# The kill list ---------------------------------------------------------------------------------------


@pytest.fixture
def dexamethasone(db):
    drug = Drug.objects.create(name="Dexamethasone")
    drug.names.create(name="Decadron", is_brand=True)
    return drug


def test_a_kill_listed_name_is_never_suggested_again(curator_client, dexamethasone, committed):
    with committed():
        suggested = ArticleFactory(title="Decadron in the elderly", abstract="")
        confirmed = ArticleFactory(title="Decadron pulses", abstract="")
    ArticleDrug.objects.filter(article=confirmed).update(status=LinkStatus.CONFIRMED)
    assert ArticleDrug.objects.filter(article=suggested, status=LinkStatus.SUGGESTED).exists()

    add = reverse("admin:literature_suppresseddrugname_add")
    refused = curator_client.post(add, {"name": "decadron", "reason": ""})
    assert refused.status_code == 200 and not SuppressedDrugName.objects.exists()
    response = curator_client.post(add, {"name": "decadron", "reason": "Matches a trial acronym."}, follow=True)
    assert "1 open suggestion(s) from “decadron” removed." in response.content.decode()
    assert not ArticleDrug.objects.filter(article=suggested).exists()
    assert ArticleDrug.objects.get(article=confirmed).status == LinkStatus.CONFIRMED  # a decision stays

    with committed():
        later = ArticleFactory(title="DECADRON again", abstract="Decadron was given.")
    assert not ArticleDrug.objects.filter(article=later).exists()
    with committed():
        by_name = ArticleFactory(title="Dexamethasone alone", abstract="")
    assert ArticleDrug.objects.filter(article=by_name, drug=dexamethasone).exists()  # the drug's other names match


# The review queue ------------------------------------------------------------------------------------


def test_the_review_queue_is_titled_shows_evidence_once_escaped_and_keeps_its_filters(curator_client):
    link = ArticleDrugFactory(
        status=LinkStatus.SUGGESTED,
        source=LinkSource.TEXT_MINING,
        evidence="in Crohn&#x27;s disease <mark>thalidomide</mark> &lt;50 mg",
    )
    ArticleDrugFactory(status=LinkStatus.SUGGESTED, source=LinkSource.IMPORT)
    response = curator_client.get(QUEUE, {"source__exact": "text_mining"})
    text = response.content.decode()
    assert "<h1>Drug suggestions to review</h1>" in text
    assert "Select drug suggestion" not in text
    assert "in Crohn&#x27;s disease <mark>thalidomide</mark> &lt;50 mg" in text  # escaped once: shows Crohn's
    assert "&amp;#x27;" not in text
    assert response.context["cl"].result_count == 1
    review = reverse("admin:literature_drugsuggestion_review", args=[link.pk])
    assert f'formaction="{review}?source__exact=text_mining"' in text
    decided = curator_client.post(f"{review}?source__exact=text_mining", {"decision": "confirmed"})
    assert decided["Location"] == f"{QUEUE}?source__exact=text_mining"


def test_the_review_queue_confirms_many_with_one_action(curator_client):
    links = ArticleDrugFactory.create_batch(3, status=LinkStatus.SUGGESTED)
    curator_client.post(QUEUE, {"action": "mark_confirmed", "_selected_action": [link.pk for link in links[:2]]})
    assert sorted(ArticleDrug.objects.values_list("status", flat=True)) == ["confirmed", "confirmed", "suggested"]


def test_the_review_queue_runs_the_same_queries_for_one_or_fifty_suggestions(curator_client, django_assert_num_queries):
    ArticleDrugFactory(status=LinkStatus.SUGGESTED)
    curator_client.get(QUEUE)
    # session, user, user and group permissions (2), count of the queue (paginator), the page of
    # suggestions with article and drug joined, the source filter's choices are fixed: 6.
    with django_assert_num_queries(6):
        curator_client.get(QUEUE)
    ArticleDrugFactory.create_batch(49, status=LinkStatus.SUGGESTED)
    with django_assert_num_queries(6):
        response = curator_client.get(QUEUE)
    assert len(response.context["cl"].result_list) == 50


# The dashboard ---------------------------------------------------------------------------------------


@pytest.fixture
def work_waiting(db):
    ArticleFactory.create_batch(3, curation_state=CurationState.IN_REVIEW)
    ArticleFactory.create_batch(2, curation_state=CurationState.DRAFT)
    ArticleFactory(curation_state=CurationState.WITHDRAWN)
    ArticleDrugFactory.create_batch(4, status=LinkStatus.SUGGESTED)
    ArticleDrugFactory(status=LinkStatus.REJECTED)
    first = ArticleFactory(title="Lenalidomide maintenance after transplant", publication_year=2012)
    ArticleFactory(title="Lenalidomide maintenance after transplantation", publication_year=2012)
    assert find_duplicate_articles() == 1
    return first


def _figures(response):
    html = response.content.decode()
    section = html[html.index('class="module curation-dashboard"') : html.index("Last changes")]
    return [
        (int(count.replace(",", "")), label.strip(), url.replace("&amp;", "&"))
        for url, count, label in re.findall(
            r'<a href="([^"]+)"><span class="figure">([\d,]+)</span>([^<]+)</a>', section
        )
    ]


def test_the_dashboards_numbers_equal_the_filtered_lists_they_link_to(curator_client, work_waiting):
    figures = _figures(curator_client.get(reverse("admin:index")))
    labels = {label: count for count, label, _ in figures}
    assert labels["in review"] == 3 and labels["draft"] == 2 and labels["withdrawn"] == 1
    assert labels["drug suggestions to review"] == 4
    assert labels["likely duplicates to decide"] == 1
    assert labels["imports failed"] == 0
    for count, label, url in figures:
        listed = curator_client.get(url)
        assert listed.status_code == 200, url
        assert listed.context["cl"].result_count == count, (label, url)


def test_the_dashboard_lists_the_last_changes(curator_client, curator, work_waiting):
    curator_client.post(
        QUEUE,
        {
            "action": "mark_confirmed",
            "_selected_action": list(ArticleDrug.objects.suggested().values_list("pk", flat=True)[:1]),
        },
    )
    text = curator_client.get(reverse("admin:index")).content.decode()
    assert "curator:" in text and "Link status set to Confirmed." in text


def test_the_dashboard_query_count_does_not_grow_with_the_corpus(
    curator_client, work_waiting, django_assert_num_queries
):
    # session, user, permissions (2, read once and cached on the user), the corpus version (articles by
    # state and suggestions to review are cached under it: dashboard.large_counts), open duplicates,
    # imports by status, the last changes with user and content type; then Django's own app list and
    # recent actions (the user's LogEntry list): 9.
    curator_client.get(reverse("admin:index"))
    with django_assert_num_queries(9):
        curator_client.get(reverse("admin:index"))
    ArticleFactory.create_batch(20, curation_state=CurationState.IN_REVIEW)
    with django_assert_num_queries(9):
        curator_client.get(reverse("admin:index"))


def test_the_dashboards_counts_follow_each_committed_change(
    curator_client, work_waiting, django_capture_on_commit_callbacks
):
    def in_review():
        return {label: count for count, label, _ in _figures(curator_client.get(reverse("admin:index")))}["in review"]

    assert in_review() == 3
    with django_capture_on_commit_callbacks(execute=True):  # the corpus version moves on commit
        ArticleFactory(curation_state=CurationState.IN_REVIEW)
    assert in_review() == 4


def test_staff_without_curation_permissions_see_no_dashboard(client, django_user_model):
    staff = django_user_model.objects.create_user("visitor", password="a-long-test-password", is_staff=True)
    client.force_login(staff)
    assert "Curation at a glance" not in client.get(reverse("admin:index")).content.decode()


# Forms -----------------------------------------------------------------------------------------------


def test_the_empty_import_form_shows_no_result_block(curator_client):
    text = curator_client.get(reverse("admin:literature_importjob_add")).content.decode()
    assert "import-report" not in text
    assert "unexpected error" not in text
    assert ": created" not in text.replace(" ", "")


def test_the_title_help_text_reads_as_text_not_as_markup(curator_client):
    article = ArticleFactory()
    text = curator_client.get(reverse("admin:literature_article_change", args=[article.pk])).content.decode()
    assert "italics, superscript and subscript" in text
    assert "(<i>, <sup>, <sub>)" not in text


def test_the_language_filter_offers_only_languages_present(curator_client):
    ArticleFactory(language="eng")
    ArticleFactory(language="fre")
    filters = curator_client.get(reverse("admin:literature_article_changelist")).context["cl"].filter_specs
    languages = next(spec for spec in filters if spec.title == "original language")
    assert sorted(code for code, _ in languages.lookup_choices) == ["eng", "fre"]


# Duplicates ------------------------------------------------------------------------------------------


def _pairs(*titles, substance=None):
    from literature.curation.duplicates import Entry

    entries = [Entry(pk, matching_title(title), 2012, "", None) for pk, title in enumerate(titles, start=1)]
    return candidate_pairs(entries, substance)


def test_the_finder_never_pairs_titles_that_differ_in_a_drug(db):
    Drug.objects.create(name="Lenalidomide")
    Drug.objects.create(name="Pomalidomide")
    assert (
        _pairs(
            "Lenalidomide maintenance in multiple myeloma: a phase III trial",
            "Pomalidomide maintenance in multiple myeloma: a phase III trial",
        )
        == {}
    )
    assert list(
        _pairs(
            "Lenalidomide maintenance in multiple myeloma: a phase III trial",
            "Lenalidomide maintenance in multiple myeloma. A phase III trial",
        )
    ) == [(1, 2)]


@pytest.mark.parametrize(
    "title, other",
    [
        (
            "Lenalidomide 10 mg versus 25 mg in multiple myeloma relapse",
            "Lenalidomide 10 mg versus 15 mg in multiple myeloma relapse",
        ),
        (
            "A phase II study of thalidomide in refractory myeloma patients",
            "A phase III study of thalidomide in refractory myeloma patients",
        ),
        (
            "Thalidomide in myeloma: results of the 2011 update of the registry",
            "Thalidomide in myeloma: results of the 2012 update of the registry",
        ),
    ],
)
def test_the_finder_never_pairs_titles_that_differ_in_a_number(db, title, other):
    assert _pairs(title, other) == {}


@settings(max_examples=60, deadline=None)
@given(
    words=st.lists(
        st.sampled_from(["myeloma", "relapsed", "outcomes", "cohort", "maintenance", "response"]),
        min_size=6,
        max_size=12,
    ),
    number=st.integers(min_value=1, max_value=500),
    delta=st.integers(min_value=1, max_value=9),
)
def test_titles_that_differ_only_in_a_number_are_never_paired(words, number, delta):
    title = " ".join(words) + f" after {number} days of treatment in a long study"
    other = " ".join(words) + f" after {number + delta} days of treatment in a long study"
    substance = Substance(matcher=_NoDrugs())
    assert _pairs(title, other, substance=substance) == {}
    assert list(_pairs(title, title + ".", substance=substance)) == [(1, 2)]  # punctuation alone: still a pair


class _NoDrugs:
    def matches(self, text):
        return []


def test_compare_shows_the_pair_field_by_field_and_merges_the_values_chosen(curator_client, work_waiting):
    candidate = DuplicateCandidate.objects.get()
    left, right = candidate.article, candidate.other
    Article.objects.filter(pk=left.pk).update(volume="36", issue="")
    Article.objects.filter(pk=right.pk).update(volume="37", issue="2")
    url = reverse("admin:literature_duplicatecandidate_compare", args=[candidate.pk])
    page = curator_client.get(url)
    assert page.status_code == 200
    rows = {row.name: row for row in page.context["rows"]}
    assert rows["volume"].differs and (rows["volume"].left, rows["volume"].right) == ("36", "37")
    assert rows["issue"].default == "right"  # the side that has a value
    assert 'class="differs" data-field="volume"' in page.content.decode()

    response = curator_client.post(
        url, {"keep": "left", "take_volume": "right", "take_issue": "right", "take_title": "left"}
    )
    assert response.status_code == 302
    kept = Article.objects.get(pk=left.pk)
    assert (kept.volume, kept.issue) == ("37", "2")
    assert kept.title == "Lenalidomide maintenance after transplant"
    assert not Article.objects.filter(pk=right.pk).exists()
    # issue filled (the kept record had none), then volume taken over the kept one's: in that order
    assert "(taken from it: issue, volume)." in kept.history.first().history_change_reason


@pytest.mark.parametrize(
    ("choice", "kept_keywords"),
    [
        ("both", {"Maintenance", "Transplant"}),
        ("left", {"Maintenance"}),
        ("right", {"Transplant"}),
    ],
)
def test_a_merge_joins_the_keywords_or_keeps_the_side_chosen(curator_client, work_waiting, choice, kept_keywords):
    candidate = DuplicateCandidate.objects.get()
    left, right = candidate.article, candidate.other
    left.keywords.set([Keyword.objects.create(name="Maintenance")])
    right.keywords.set([Keyword.objects.create(name="Transplant")])
    url = reverse("admin:literature_duplicatecandidate_compare", args=[candidate.pk])
    rows = {row.name: row for row in curator_client.get(url).context["rows"]}
    assert rows["keywords"].joinable and rows["keywords"].default == "both"
    assert (rows["keywords"].left, rows["keywords"].right) == ("Maintenance", "Transplant")
    response = curator_client.post(url, {"keep": "left", "take_keywords": choice})
    assert response.status_code == 302
    assert set(Article.objects.get(pk=left.pk).keywords.values_list("name", flat=True)) == kept_keywords


def test_a_merge_refuses_a_list_choice_it_does_not_know(work_waiting):
    from literature.curation.merging import merge_articles

    candidate = DuplicateCandidate.objects.get()
    with pytest.raises(ValueError, match="'both', 'kept' or 'other'"):
        merge_articles(candidate.article, candidate.other, lists={"keywords": "mine"})
    assert Article.objects.filter(pk=candidate.other_id).exists()  # nothing was written
