"""Snapshots: the public record in one download, each article the very document the API gives, the
confirmed drug links as a dataset of their own, a manifest that checks the files, and the newest
complete snapshot served by the site."""

import csv
import gzip
import hashlib
import io
import json

import pytest
from rest_framework.test import APIClient

from literature.models import ArticleDrug, CurationState, LinkStatus
from literature.snapshots import latest_snapshot, write_snapshot
from tests.factories import ArticleFactory, DrugFactory

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
