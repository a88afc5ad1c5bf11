"""Importing BibTeX from the real files in ../shared/data/bibtex: LaTeX, macros, crossref, @set."""

from pathlib import Path

import pytest
from django.conf import settings

from literature.importers.run import import_file
from literature.models import Article, OutputType, Person

BIB = Path(settings.SHARED_DATA_DIR) / "bibtex"
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not BIB.is_dir(), reason=f"the shared sample files are not in this checkout ({BIB})"),
]


def test_a_dblp_file_imports_with_latex_decoded_and_pages_expanded():
    report = import_file(BIB / "jabref__jabref-authors.bib")
    assert (report.created, report.rejected) == (212, 0)
    article = Article.objects.for_detail().get(doi="10.1109/TCSII.2015.2483422")
    assert article.title == "CORDIC II: A New Improved CORDIC Algorithm"
    assert [p.inverted_name for p in article.authors][:2] == ["Garrido, Mario", "Kallstrom, Petter"]
    assert (article.volume, article.issue, article.pages, article.publication_year) == ("63-II", "2", "186-190", 2016)
    assert article.journal.title == "IEEE Trans. on Circuits and Systems"
    assert Person.objects.filter(family_name="Johansson", given_names="Håkan").exists()


def test_web_of_science_exports_with_capitalised_field_names():
    report = import_file(BIB / "jabref__testjabref.bib")
    assert (report.created, report.rejected) == (156, 0)
    assert Article.objects.filter(output_type=OutputType.DOCTORAL_THESIS).count() == 40


def test_an_entry_inherits_what_it_lacks_from_its_crossref():
    import_file(BIB / "jabref__crossref.bib")
    paper = Article.objects.get(title__startswith="Architectural Decision Guidance")
    assert paper.output_type == OutputType.CONFERENCE_CONTRIBUTION
    assert paper.journal.title.startswith("12th Working IEEE/IFIP Conference on Software Architecture")
    assert paper.pages == "85-94"


def test_biblatex_set_entries_are_reported_and_stop_the_file_by_default():
    report = import_file(BIB / "jabref__BibtexImporter.examples.bib")
    assert not report.imported
    assert [e.field_name for e in report.errors] == ["entry type", "entry type"]
    assert "@set entries" in str(report.errors[0])


def test_biblatex_fields_journaltitle_eprint_and_iso_dates_land():
    import_file(BIB / "citationjs__biblatex-input.bib", skip_invalid=True)
    article = Article.objects.for_detail().get(pmid=5500723)  # eprinttype = pubmed, eprint = 5500723
    assert article.journal.title == "Journal of Physiology"  # journaltitle
    assert article.journal.issn_print == "0022-3751"
    assert Article.objects.get(title__startswith="Review and identification of the cuckoo").journal.title == "Zootaxa"


@pytest.mark.parametrize(
    ("date_fields", "expected"),
    [
        ("date = {2019}", (2019, None, None)),
        ("date = {2019-03}", (2019, 3, None)),
        ("date = {2019-03-15}", (2019, 3, 15)),
        ("date = {2019-03/2019-04}", (2019, 3, None)),  # a range: its start, never a made-up day
        ("year = {2019}, month = {September}", (2019, 9, None)),
        ("year = {2019}, month = sep", (2019, 9, None)),
        ("year = {2019}, month = {13}", (2019, None, None)),
    ],
)
def test_a_date_keeps_the_precision_the_entry_gives(tmp_path, date_fields, expected):
    from literature.importers.bibtex import parse

    path = tmp_path / "dates.bib"
    path.write_text(f"@article{{key, title = {{Dated}}, journaltitle = {{J}}, {date_fields}}}\n", encoding="utf-8")
    (record,) = list(parse(path))
    assert (record.published.year, record.published.month, record.published.day) == expected


def test_the_first_of_several_issns_is_kept(tmp_path):
    from literature.importers.bibtex import parse

    path = tmp_path / "issn.bib"
    path.write_text("@article{key, title = {T}, journal = {J}, issn = {0892-3973, 1532-2513}, year = 2012}\n")
    (record,) = list(parse(path))
    assert record.issn_print == "0892-3973"
