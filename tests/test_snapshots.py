"""Snapshots: the public record in one download, each article the very document the API gives, the
confirmed drug links as a dataset of their own, a manifest that checks the files, and the newest
complete snapshot served by the site."""

import csv
import gzip
import hashlib
import io
import json
import shutil

import pytest
from rest_framework.test import APIClient

from literature.derived.refresh import mine
from literature.models import (
    Article,
    ArticleDrug,
    CurationState,
    Drug,
    Journal,
    Keyword,
    LinkStatus,
    MeshHeading,
    Person,
    PublicationType,
    Reference,
)
from literature.snapshot_loader import SnapshotError, load_snapshot
from literature.snapshots import latest_snapshot, write_snapshot
from tests.factories import ArticleFactory, DrugFactory
from tests.processes import manage, production_env, server_database

pytestmark = pytest.mark.django_db


@pytest.fixture
def snapshot_root(tmp_path, settings):
    settings.SNAPSHOT_ROOT = tmp_path / "snapshots"
    return settings.SNAPSHOT_ROOT


@pytest.fixture
def record(seed_article):
    lenalidomide = DrugFactory(name="Testamide", slug="testamide")
    draft = ArticleFactory(title="Not public yet", curation_state=CurationState.DRAFT, authors=1)
    others = ArticleFactory.create_batch(3, authors=2)
    link = ArticleDrug.objects.create(
        article=others[0], drug=lenalidomide, status=LinkStatus.CONFIRMED, evidence="[lenalidomide] maintenance"
    )
    ArticleDrug.objects.create(article=others[1], drug=lenalidomide, status=LinkStatus.SUGGESTED)
    ArticleDrug.objects.create(article=draft, drug=lenalidomide, status=LinkStatus.CONFIRMED)
    return {"public": [seed_article, *others], "draft": draft, "link": link}


def read_lines(path):
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def test_every_public_article_is_in_the_snapshot_as_the_api_gives_it(snapshot_root, record):
    manifest = write_snapshot("http://testserver")
    folder = latest_snapshot()
    lines = read_lines(folder / "articles.jsonl.gz")
    assert [line["id"] for line in lines] == sorted(article.pk for article in record["public"])
    api = APIClient()
    for line in lines:
        assert line == api.get(f"/api/v1/articles/{line['id']}/").json()
    assert manifest["counts"] == {"articles": 4, "drug_links": 4}  # the seed's three and one more


def test_the_confirmed_drug_links_are_a_dataset_with_evidence_and_history(snapshot_root, record):
    write_snapshot("http://testserver")
    folder = latest_snapshot()
    links = read_lines(folder / "drug-links.jsonl.gz")
    (link,) = [link for link in links if link["drug_slug"] == "testamide"]  # not the suggestion, not the draft's
    assert (link["article_id"], link["drug_slug"], link["status"]) == (
        record["link"].article_id,
        "testamide",
        "confirmed",
    )
    assert link["evidence"] == "[lenalidomide] maintenance"
    assert [entry["change"] for entry in link["history"]] == ["created"]
    with gzip.open(folder / "drug-links.csv.gz", "rt", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [
        (row["article_id"], row["drug_name"], row["evidence"]) for row in rows if row["drug_name"] == "Testamide"
    ] == [(str(record["link"].article_id), "Testamide", "[lenalidomide] maintenance")]


def test_the_manifest_checks_each_file_and_the_site_serves_the_newest(snapshot_root, record, client):
    write_snapshot("http://testserver")
    (snapshot_root / ".snapshot-99990101T000000000000Z.partial").mkdir()  # one being written: never served
    manifest = client.get("/snapshots/latest/").json()
    assert manifest["format"] == "literature-portal-snapshot/1"
    for described in manifest["files"].values():
        response = client.get(described["url"].removeprefix("http://testserver"))
        assert response.status_code == 200
        content = b"".join(response.streaming_content)
        assert (len(content), hashlib.sha256(content).hexdigest()) == (described["bytes"], described["sha256"])
    assert client.get("/snapshots/latest/..%2Fsecret").status_code == 404
    assert client.post("/snapshots/latest/").status_code == 405


def test_no_snapshot_yet_is_a_404_and_only_the_newest_few_are_kept(snapshot_root, record, client):
    assert client.get("/snapshots/latest/").status_code == 404
    names = [write_snapshot("http://testserver", keep=2)["name"] for _ in range(3)]
    assert sorted(path.name for path in snapshot_root.iterdir()) == names[1:]
    assert latest_snapshot().name == names[-1]


def test_the_snapshot_command_reports_what_it_wrote(snapshot_root, record):
    from django.core.management import call_command

    out = io.StringIO()
    call_command("export_snapshot", "--base-url", "https://portal.example.org", stdout=out)
    assert "4 articles, 4 confirmed drug links" in out.getvalue()
    (first, *_) = read_lines(latest_snapshot() / "articles.jsonl.gz")
    assert first["url"] == f"https://portal.example.org/api/v1/articles/{first['id']}/"


def test_a_snapshot_loads_back_into_an_empty_portal_as_the_same_records(snapshot_root, record, tmp_path):
    # The record with references too (one resolved to a portal article, one not) and a curator's link.
    seed = record["public"][0]
    Reference.objects.create(article=record["public"][1], position=1, citation="Seed", doi=seed.doi.lower())
    Reference.objects.create(article=record["public"][1], position=2, citation="Elsewhere", pmid=1)
    # And NLM's indexing: a major heading with a qualifier, and publication types in their order.
    qualifier = {"name": "drug therapy", "ui": "Q000188", "major_topic": True}
    MeshHeading.objects.create(
        article=seed, position=1, descriptor="Multiple Myeloma", descriptor_ui="D009101", major_topic=True,
        qualifiers=[qualifier],
    )  # fmt: skip
    PublicationType.objects.create(article=seed, position=1, name="Review", ui="D016454")
    PublicationType.objects.create(article=seed, position=2, name="Journal Article")
    write_snapshot("http://testserver")
    before = read_lines(latest_snapshot() / "articles.jsonl.gz")
    folder = tmp_path / "copy"
    shutil.copytree(latest_snapshot(), folder)
    # An empty portal: nothing of the record left but what migrations make.
    Article.objects.all().delete()
    for model in (Person, Journal, Keyword, Drug):
        model.objects.all().delete()

    assert load_snapshot(folder) == len(before)
    write_snapshot("http://testserver")
    after = read_lines(latest_snapshot() / "articles.jsonl.gz")
    assert after == before
    assert before[1]["references"][0]["article"] == f"http://testserver/api/v1/articles/{seed.pk}/"
    assert before[0]["mesh_headings"][0]["qualifiers"] == [qualifier]
    assert [kind["name"] for kind in before[0]["publication_types"]] == ["Review", "Journal Article"]
    assert not Article.objects.exclude(curation_state=CurationState.APPROVED).exists()  # no draft made up


def test_a_damaged_snapshot_or_a_portal_with_articles_is_refused_before_anything_is_written(
    snapshot_root, record, tmp_path
):
    write_snapshot("http://testserver")
    with pytest.raises(SnapshotError, match="already has articles"):
        load_snapshot(latest_snapshot())
    folder = tmp_path / "damaged"
    shutil.copytree(latest_snapshot(), folder)
    with gzip.open(folder / "articles.jsonl.gz", "at") as handle:
        handle.write("{}\n")
    Article.objects.all().delete()
    with pytest.raises(SnapshotError, match="SHA-256"):
        load_snapshot(folder)
    assert not Article.objects.exists()


def without_concept_ids(document):
    """A document with its Fingerprint as weights and names: the concepts' ids are each portal's own
    (the Fingerprint is recomputed from the text on load)."""
    fingerprint = sorted((-item["weight"], item["name"], item["category"]) for item in document["fingerprint"])
    return {**document, "fingerprint": fingerprint}  # equal weights come in id order: sorted by name


def test_the_round_trip_through_a_fresh_database_with_the_commands(snapshot_root, record, tmp_path):
    # As a running portal has it: a test's transaction never commits, so the mention detector that runs
    # after each commit (and will run in the fresh database) is run here; and only suggestions it makes.
    ArticleDrug.objects.filter(status=LinkStatus.SUGGESTED).delete()
    mine(Article.objects.values_list("pk", flat=True))
    write_snapshot("http://testserver")
    original = read_lines(latest_snapshot() / "articles.jsonl.gz")
    database_url, drop = server_database(tmp_path)
    env = production_env(database_url, tmp_path, PORTAL_SNAPSHOT_ROOT=str(tmp_path / "mirror"))
    try:
        manage("migrate", "-v0", env=env)
        loaded = manage("load_snapshot", str(latest_snapshot()), env=env)
        assert "4 articles loaded" in loaded.stdout
        manage("export_snapshot", "--base-url", "http://testserver", env=env)
        (mirror,) = (tmp_path / "mirror").iterdir()
        mirrored = read_lines(mirror / "articles.jsonl.gz")
        assert [without_concept_ids(line) for line in mirrored] == [without_concept_ids(line) for line in original]
    finally:
        drop()
