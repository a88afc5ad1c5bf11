"""The history of every change (who, when, what), reverting to an earlier version, and the refusal of
a save that would overwrite another curator's change."""

import pytest
from django.urls import reverse

from literature.models import Article, ArticleDrug, CurationState, Drug, Journal, Keyword, LinkStatus, Person
from tests.factories import ArticleFactory, DrugFactory
from tests.test_admin import article_form_data

pytestmark = pytest.mark.django_db


def save_in_admin(client, article, **changes):
    data = article_form_data(article, [])
    data.update(changes)
    return client.post(reverse("admin:literature_article_change", args=[article.pk]), data)


def opened_version(client, article):
    form = client.get(reverse("admin:literature_article_change", args=[article.pk])).context["adminform"].form
    return form.initial["loaded_version"]


def test_an_admin_edit_is_recorded_with_who_and_what_changed(curator_client, curator):
    article = ArticleFactory(title="First title", authors=0)
    response = save_in_admin(curator_client, article, title="Second title")
    assert response.status_code == 302
    latest, previous = article.history.all()[:2]
    assert latest.history_user == curator
    assert "title" in {change.field for change in latest.diff_against(previous).changes}
    page = curator_client.get(reverse("admin:literature_article_history", args=[article.pk])).content.decode()
    assert "curator" in page


def test_changes_to_drugs_keywords_journals_people_and_links_are_recorded():
    drug = Drug.objects.create(name="Bortezomib")
    keyword = Keyword.objects.create(name="Myeloma")
    journal = Journal.objects.create(title="Blood")
    person = Person.objects.create(family_name="Rossi")
    article = ArticleFactory(authors=0)
    link = ArticleDrug.objects.create(article=article, drug=drug)
    for record, field, value in (
        (drug, "description", "A proteasome inhibitor."),
        (keyword, "mesh_id", "D009101"),
        (journal, "publisher", "ASH"),
        (person, "given_names", "Anna"),
        (link, "status", LinkStatus.CONFIRMED),
    ):
        setattr(record, field, value)
        record.save()
        assert [h.history_type for h in record.history.all()] == ["~", "+"], record


def test_bulk_actions_leave_a_version_per_record_with_the_reason(curator_client, curator):
    articles = ArticleFactory.create_batch(2, curation_state=CurationState.IN_REVIEW)
    curator_client.post(
        reverse("admin:literature_article_changelist"),
        {"action": "move_to_approved", "_selected_action": [a.pk for a in articles]},
    )
    for article in articles:
        latest = article.history.first()
        assert (latest.curation_state, latest.history_user) == (CurationState.APPROVED, curator)
        assert latest.history_change_reason == "Curation state set to Approved."


def test_a_curator_reverts_an_article_to_an_earlier_version(curator_client):
    article = ArticleFactory(title="The right title", authors=0)
    save_in_admin(curator_client, article, title="A wrong title")
    old = article.history.order_by("history_date").first()
    url = reverse("admin:literature_article_simple_history", args=[article.pk, old.history_id])
    form = curator_client.get(url).context["adminform"].form
    assert form.initial["title"] == "The right title"
    data = article_form_data(old.instance, [])
    assert curator_client.post(url, data).status_code == 302
    article.refresh_from_db()
    assert article.title == "The right title"
    assert article.history.count() == 3


def test_the_second_of_two_curators_saving_the_same_article_is_refused(curator_client, client, django_user_model):
    from django.contrib.auth.models import Group

    other = django_user_model.objects.create_user("second-curator", password="x" * 20, is_staff=True)
    other.groups.add(Group.objects.get(name="Curators"))
    client.force_login(other)
    article = ArticleFactory(title="Shared title", abstract="Shared abstract", authors=0)
    mine, theirs = opened_version(curator_client, article), opened_version(client, article)

    assert save_in_admin(client, article, title="Their title", loaded_version=theirs).status_code == 302
    refused = save_in_admin(curator_client, article, abstract="My abstract", loaded_version=mine)
    assert refused.status_code == 200
    message = " ".join(refused.context["adminform"].form.non_field_errors())
    assert "was changed by second-curator on" in message and "(title)" in message
    assert "Nothing was saved" in message
    article.refresh_from_db()
    assert (article.title, article.abstract) == ("Their title", "Shared abstract")


def test_a_drug_form_is_protected_too(curator_client):
    drug = DrugFactory()
    url = reverse("admin:literature_drug_change", args=[drug.pk])
    version = curator_client.get(url).context["adminform"].form.initial["loaded_version"]
    Drug.objects.filter(pk=drug.pk).update(description="changed meanwhile")
    drug.description = "changed meanwhile"
    drug.save()
    data = {
        "name": drug.name,
        "slug": drug.slug,
        "atc_codes": "",
        "description": "mine",
        "loaded_version": version,
        "names-TOTAL_FORMS": 0,
        "names-INITIAL_FORMS": 0,
        "names-MIN_NUM_FORMS": 0,
        "names-MAX_NUM_FORMS": 1000,
    }
    response = curator_client.post(url, data)
    assert response.status_code == 200
    assert "was changed by" in " ".join(response.context["adminform"].form.non_field_errors())
    assert Article.objects.count() == 0


def test_a_change_through_the_api_is_recorded_with_the_tokens_user(curator):
    from rest_framework.test import APIClient

    from literature.models import ApiToken

    _, key = ApiToken.issue(curator, "sync script")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    article = ArticleFactory(authors=0)
    url = f"/api/v1/articles/{article.pk}/"
    assert api.patch(url, {"volume": "35"}, format="json", HTTP_IF_MATCH=api.get(url)["ETag"]).status_code == 200
    latest = article.history.first()
    assert (latest.volume, latest.history_user) == ("35", curator)
