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
