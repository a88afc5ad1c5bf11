"""Bulk export of a search (every result, streamed) from the site and the API, and citation formats
by content negotiation."""

import csv
import io
import json

import bibtexparser
import pytest
import rispy
from rest_framework.test import APIClient

from literature.citations import exports
from literature.models import CurationState
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def body(response):
    assert response.status_code == 200, response.content
    return b"".join(response.streaming_content).decode() if response.streaming else response.content.decode()


@pytest.fixture
def many(seed_article, monkeypatch):
    monkeypatch.setattr(exports, "BATCH", 7)  # several batches even in a small test
    articles = ArticleFactory.create_batch(20, title="Lenalidomide dosing study", authors=3)
    ArticleFactory(title="Lenalidomide draft", curation_state=CurationState.DRAFT)
    ArticleFactory(title="Unrelated bortezomib work")
    return articles


def test_the_search_page_exports_every_result_not_one_page(client, many):
    text = body(client.get("/articles/export/csv/", {"q": "lenalidomide", "page_size": 10, "page": 2}))
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 21
    assert sum(row["title"] == "Lenalidomide dosing study" for row in rows) == 20
    seed = next(row for row in rows if row["doi"] == "10.3109/08923973.2012.658921")
    assert seed["authors"].startswith("Castelli, Roberto; Cannavò, Antonino")
    assert (seed["year"], seed["month"], seed["pages"], seed["journal"]) == (
        "2012",
        "10",
        "740-753",
        "Immunopharmacology and Immunotoxicology",
    )
    assert "Lenalidomide draft" not in text


def test_search_page_exports_parse_back(client, many):
    bib = bibtexparser.parse_string(body(client.get("/articles/export/bibtex/", {"q": "lenalidomide"})))
    assert len(bib.entries) == 21
    assert not bib.failed_blocks
    assert len({entry.key for entry in bib.entries}) == 21
    records = rispy.loads(body(client.get("/articles/export/ris/", {"q": "lenalidomide"})))
    assert len(records) == 21
    assert all(record["urls"][0].startswith("http://testserver/articles/") for record in records)
    items = json.loads(body(client.get("/articles/export/csl-json/", {"q": "lenalidomide"})))
    assert len(items) == 21
    assert {item["type"] for item in items} == {"article-journal"}


def test_the_search_page_links_its_exports_with_the_current_filters(client, many):
    page = client.get(
        "/articles/", {"q": "lenalidomide", "type": "article", "page": 2, "page_size": 10}
    ).content.decode()
    assert 'href="/articles/export/bibtex/?q=lenalidomide&amp;type=article"' in page


def test_an_export_with_bad_filters_says_why(client, many):
    response = client.get("/articles/export/csv/", {"year_from": "abc"})
    assert response.status_code == 400
    assert "year_from" in response.content.decode()
    assert client.get("/articles/export/docx/").status_code == 404


@pytest.mark.parametrize(
    ("accept", "content_type", "marker"),
    [
        ("application/x-bibtex", "application/x-bibtex", "@article{"),
        ("application/x-research-info-systems", "application/x-research-info-systems", "TY  - JOUR"),
        ("application/vnd.citationstyles.csl+json", "application/vnd.citationstyles.csl+json", '"container-title"'),
        ("text/csv", "text/csv", "id,title,authors"),
        ("text/x-bibliography; style=apa", "text/x-bibliography", "Castelli, R., Cannavò, A."),
    ],
)
def test_the_api_negotiates_citation_formats(many, accept, content_type, marker):
    api = APIClient()
    listing = api.get("/api/v1/articles/", {"q": "lenalidomide"}, HTTP_ACCEPT=accept)
    assert listing["Content-Type"].startswith(content_type)
    assert marker in body(listing)
    seed = many[0].__class__.objects.get(doi="10.3109/08923973.2012.658921")
    detail = api.get(f"/api/v1/articles/{seed.pk}/", HTTP_ACCEPT=accept)
    assert marker in body(detail)


def test_the_api_list_export_covers_every_filtered_result(many):
    text = body(APIClient().get("/api/v1/articles/", {"q": "lenalidomide", "format": "ris", "page_size": 5}))
    assert len(rispy.loads(text)) == 21


def test_bibliography_in_any_style_and_a_clear_error_for_unknown_ones(seed_article):
    api = APIClient()
    nature = body(api.get(f"/api/v1/articles/{seed_article.pk}/", {"format": "bibliography", "style": "nature"}))
    assert nature.startswith("Castelli, R., Cannavò, A., Conforti, F., Grava, G. & Cortelezzi, A.")
    missing = api.get(f"/api/v1/articles/{seed_article.pk}/", {"format": "bibliography", "style": "no-such-style"})
    assert missing.status_code == 404
    assert missing["Content-Type"] == "application/json"
    assert "No CSL style named 'no-such-style'" in missing.json()["error"]["message"]


def test_errors_stay_json_when_a_citation_format_was_asked_for(db):
    response = APIClient().get("/api/v1/articles/", {"year_from": "abc"}, HTTP_ACCEPT="application/x-bibtex")
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["year_from"]


def test_exports_load_articles_in_batches_with_a_fixed_number_of_queries_per_batch(
    client, many, django_assert_num_queries
):
    # count of the search is not needed; the ids in one query read as it streams; per batch of 7: the
    # articles with journals, authorships with people, references, MeSH headings, publication types,
    # relations, keywords, subject areas with areas, publication states, drug links; 21 results = 3 batches;
    # 2 for the query's drug names (the drugs its words name, their names); and the export's one
    # transaction (here inside the test's: a savepoint and its release).
    with django_assert_num_queries(2 + 1 + 3 * 10 + 2):
        body(client.get("/articles/export/ris/", {"q": "lenalidomide"}))
    # CSV reads plain values: the articles with their journals in one query read as it streams, and
    # per batch the authors, the keywords and the relations.
    with django_assert_num_queries(2 + 1 + 3 * 3 + 2):
        rows = list(csv.reader(io.StringIO(body(client.get("/articles/export/csv/", {"q": "lenalidomide"})))))
    assert len(rows) == 1 + 21


@pytest.mark.django_db(transaction=True)
def test_an_export_outside_any_transaction_reads_one_snapshot_and_ends_it(client, many):
    # As in production (no test transaction around the request): the export opens its own read-only
    # transaction (on PostgreSQL, REPEATABLE READ) and closes it when the stream ends.
    from django.db import connection

    response = client.get("/articles/export/csv/", {"q": "lenalidomide"})
    rows = list(csv.reader(io.StringIO(body(response))))
    assert len(rows) == 1 + 21
    assert not connection.in_atomic_block
