"""Limits on what one record or upload may hold: each refused with a message naming the limit and the
setting that raises it, on every face (API, admin, imports), and nothing is written."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from literature.importers.run import import_file
from literature.models import Article, ImportJob
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def ris(title="Lenalidomide maintenance", authors=2):
    lines = ["TY  - JOUR", f"TI  - {title}", *[f"AU  - Author{n}, A." for n in range(authors)], "PY  - 2020", "ER  - "]
    return "\n".join(lines) + "\n"


def test_a_title_over_the_limit_is_refused_by_the_api_naming_the_setting(curator_api, settings):
    settings.MAX_TITLE_CHARS = 100
    response = curator_api.post("/api/v1/articles/", {"title": "x" * 101, "output_type": "article"}, format="json")
    assert response.status_code == 400
    assert "101 characters: more than the limit of 100 (MAX_TITLE_CHARS)" in str(response.json()["error"]["fields"])
    assert not Article.objects.exists()


def test_an_abstract_over_the_limit_is_a_rejected_record_in_an_import(tmp_path, settings):
    settings.MAX_ABSTRACT_CHARS = 50
    path = tmp_path / "long.ris"
    path.write_text(ris().replace("PY  - 2020", "PY  - 2020\nAB  - " + "word " * 20))
    report = import_file(path)
    assert not report.imported
    assert str(report.errors[0]).startswith(f"{path}, record 1")
    assert "abstract: 99 characters: more than the limit of 50 (MAX_ABSTRACT_CHARS)" in str(report.errors[0])
    assert not Article.objects.exists()


def test_too_many_authors_are_refused_by_the_api_and_by_imports(curator_api, tmp_path, settings):
    settings.MAX_AUTHORS = 3
    people = PersonFactory.create_batch(4)
    payload = {"title": "Pomalidomide", "output_type": "article", "author_ids": [p.pk for p in people]}
    response = curator_api.post("/api/v1/articles/", payload, format="json")
    assert response.status_code == 400
    assert "4 authors: more than the limit of 3 (MAX_AUTHORS)" in str(response.json()["error"]["fields"]["author_ids"])

    path = tmp_path / "crowd.ris"
    path.write_text(ris(authors=4) + ris(title="Thalidomide in ENL", authors=3))
    report = import_file(path, skip_invalid=True)
    assert (report.created, report.rejected) == (1, 1)
    assert "record 1" in str(report.errors[0]) and "authors: 4 authors: more than the limit of 3" in str(
        report.errors[0]
    )


def test_an_upload_over_the_limit_is_refused_before_anything_is_imported(curator_client, settings, tmp_path):
    settings.IMPORT_MAX_UPLOAD_BYTES = 100
    settings.MEDIA_ROOT = tmp_path
    data = {"upload": SimpleUploadedFile("big.ris", ris().encode() * 3), "curation_state": "in_review"}
    response = curator_client.post(reverse("admin:literature_importjob_add"), data)
    assert response.status_code == 200
    assert "more than the limit of 100\xa0bytes (IMPORT_MAX_UPLOAD_BYTES)" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_a_query_over_the_limit_is_refused_naming_the_setting(api, client):
    response = api.get("/api/v1/articles/", {"q": "thalidomide " * 50})
    assert response.status_code == 400
    message = "599 characters: more than the limit of 500 (MAX_QUERY_CHARS)."  # the last space trimmed
    assert response.json()["error"]["fields"]["q"] == [message]
    assert message in client.get("/articles/", {"q": "thalidomide " * 50}).content.decode()


def test_a_record_over_the_size_limit_is_refused_before_anything_is_made_of_it(tmp_path, settings):
    settings.MAX_RECORD_BYTES = 2**20
    path = tmp_path / "huge.ris"
    keywords = "".join(f"KW  - keyword number {n} of a long list\n" for n in range(40_000))
    path.write_text(ris().replace("PY  - 2020", "PY  - 2020\n" + keywords.rstrip()) + ris(title="A normal record"))
    report = import_file(path, skip_invalid=True)
    assert (report.created, report.rejected) == (1, 1)
    assert "record 1" in str(report.errors[0])
    assert "record: the record is 1.6 MB: more than the limit of 1.0 MB (MAX_RECORD_BYTES)" in str(report.errors[0])


@pytest.mark.parametrize(
    ("year", "kept", "warning"),
    [
        ("1200", 1200, "1200 is an unlikely publication year (before 1500 or after"),
        ("2999", 2999, "2999 is an unlikely publication year (before 1500 or after"),
        ("0", None, "0 is not a plausible publication year: use four digits. (the date was left out)"),
        ("99999", None, "99999 is not a plausible publication year: use four digits. (the date was left out)"),
        ("2012", 2012, None),
    ],
)
def test_an_unlikely_year_is_kept_with_a_warning_and_an_impossible_one_left_out_with_one(tmp_path, year, kept, warning):
    path = tmp_path / "years.ris"
    path.write_text(ris().replace("PY  - 2020", f"PY  - {year}"))
    report = import_file(path)
    assert report.created == 1
    assert Article.objects.get().publication_year == kept
    assert len(report.warnings) == (0 if warning is None else 1)
    if warning:
        assert warning in str(report.warnings[0])
