"""Importing CSL-JSON: items written from the CSL-JSON schema, and the real list in ../shared/data."""

import json
from pathlib import Path

import pytest
from django.conf import settings

from literature.importers.run import import_file
from literature.models import Article, OutputType

CSL = Path(settings.SHARED_DATA_DIR) / "csl-json" / "commonmeta__csl-list.json"
pytestmark = pytest.mark.django_db

# Written from the CSL-JSON schema (csl-data.json): names as family/given or literal, dates as
# date-parts, page as a range, keywords comma-separated.
SCHEMA_ITEMS = [
    {
        "id": "castelli2012",
        "type": "article-journal",
        "title": "Immunomodulatory drugs in multiple myeloma: From molecular mechanisms of action to clinical practice",
        "author": [{"family": "Castelli", "given": "Roberto"}, {"family": "Cannavò", "given": "Antonino"}],
        "container-title": "Immunopharmacology and Immunotoxicology",
        "ISSN": "0892-3973",
        "volume": "34",
        "issue": "5",
        "page": "740-753",
        "issued": {"date-parts": [[2012, 10]]},
        "DOI": "10.3109/08923973.2012.658921",
        "language": "en",
        "keyword": "Lenalidomide, Thalidomide",
    },
    {
        "id": "group",
        "type": "report",
        "title": "Consensus on maintenance therapy",
        "author": [{"literal": "International Myeloma Working Group"}],
        "issued": {"date-parts": [["2019"]]},
    },
    {"id": "no-title", "type": "book", "issued": {"raw": "2001"}},
]


def write(tmp_path, items):
    path = tmp_path / "items.json"
    path.write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
    return path


def test_items_written_from_the_schema_land_field_by_field(tmp_path):
    report = import_file(write(tmp_path, SCHEMA_ITEMS[:2]))
    assert (report.created, report.rejected) == (2, 0)
    article = Article.objects.for_detail().get(doi="10.3109/08923973.2012.658921")
    assert (article.pages, article.volume, article.issue, article.language) == ("740-753", "34", "5", "eng")
    assert article.publication_status_line == "Published - Oct 2012"
    assert [p.inverted_name for p in article.authors] == ["Castelli, Roberto", "Cannavò, Antonino"]
    assert sorted(k.name for k in article.keywords.all()) == ["Lenalidomide", "Thalidomide"]
    report_item = Article.objects.get(title="Consensus on maintenance therapy")
    assert report_item.output_type == OutputType.REPORT
    assert report_item.authors[0].collective_name == "International Myeloma Working Group"
    assert report_item.publication_year == 2019


def test_an_item_without_a_title_is_named_and_stops_the_file(tmp_path):
    report = import_file(write(tmp_path, SCHEMA_ITEMS))
    assert not report.imported
    assert "record 3, title: the item has no title" in str(report.errors[0])


def test_invalid_json_is_one_clear_error(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('[{"title": "x",', encoding="utf-8")
    report = import_file(path)
    assert "the file is not valid JSON" in str(report.errors[0])


@pytest.mark.skipif(not CSL.exists(), reason=f"the shared sample file is not in this checkout ({CSL})")
def test_the_real_csl_json_list_imports_with_string_years():
    report = import_file(CSL)
    assert (report.created, report.rejected) == (17, 0)
    article = Article.objects.get(doi__iexact="10.1371/journal.pone.0134826")
    assert (article.publication_year, article.publication_month, article.publication_day) == (2015, 8, 26)
    assert article.journal.title == "PLOS ONE"
