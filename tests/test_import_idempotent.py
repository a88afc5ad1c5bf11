"""Importing the same files again changes nothing: every record read before is known by the digest of
what it says (ImportedRecord), so also records without identifiers, year or authors, and two exports
describing one article in their own words no longer overwrite each other on every pass."""

from pathlib import Path

import pytest
from django.conf import settings

from literature.archive import record_digest
from literature.importers.run import import_file
from literature.models import Article, ImportedRecord
from literature.search.index import refresh_planner_statistics


def import_as_separate_runs(path):
    """One file's import, then what the database does between two imports: in production each import
    commits and autovacuum analyses the grown tables; inside a test's transaction it cannot, and
    PostgreSQL would plan every later lookup for empty tables (minutes instead of seconds)."""
    report = import_file(path, skip_invalid=True)
    refresh_planner_statistics()
    return report


SHARED = Path(settings.SHARED_DATA_DIR)
BIBLIOGRAPHIC = {"pubmed-xml", "medline-nbib", "ris", "bibtex", "csl-json"}


def shared_files():
    if not SHARED.is_dir():
        pytest.skip(f"the shared sample files are not in this checkout ({SHARED})")
    folders = [folder for folder in SHARED.iterdir() if folder.is_dir() and folder.name in BIBLIOGRAPHIC]
    return sorted(path for folder in folders for path in folder.rglob("*") if path.is_file())


@pytest.mark.django_db
def test_importing_every_shared_file_twice_changes_nothing_the_second_time():
    files = shared_files()
    assert len(files) > 60
    first = [import_as_separate_runs(path) for path in files]
    assert sum(report.created for report in first) > 1500
    before = record_digest()  # the whole record, every row and timestamp of it
    second = [import_as_separate_runs(path) for path in files]
    assert sum(report.created for report in second) == 0
    assert sum(report.updated for report in second) == 0
    assert record_digest() == before
    assert ImportedRecord.objects.count() >= Article.objects.count()


@pytest.mark.django_db
def test_a_record_without_identifiers_year_or_authors_is_known_again(tmp_path):
    path = tmp_path / "bare.ris"
    path.write_text("TY  - JOUR\nTI  - A record with nothing else\nER  - \n")
    assert import_file(path).created == 1
    again = import_file(path)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
    assert Article.objects.count() == 1
