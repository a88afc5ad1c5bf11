"""Importing MEDLINE text (PubMed's .nbib export) from the real samples in ../shared/data."""

from pathlib import Path

import pytest
from django.conf import settings

from literature.importers.run import import_file
from literature.models import Article, OutputCategory, OutputType

NBIB = Path(settings.SHARED_DATA_DIR) / "medline-nbib"
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not NBIB.is_dir(), reason=f"the shared sample files are not in this checkout ({NBIB})"),
]


def test_a_complete_entry_lands_field_by_field():
    report = import_file(NBIB / "jabref__MedlinePlainImporterTestCompleteEntry.txt")
    assert (report.created, report.rejected) == (1, 0)
    article = Article.objects.for_detail().get(pmid=20481061)
    assert article.title == (
        "From danger and motherhood to health and beauty: health advice for the factory girl in early "
        "twentieth-century Britain"
    )
    assert (article.volume, article.issue, article.pages, article.publication_year) == ("20", "4", "454-481", 2009)
    assert article.journal.title == "20 century British history"
    assert article.journal.issn_print == "0955-2359"
    assert article.pmcid == "PMC4513071"
    assert [p.inverted_name for p in article.authors] == ["Long, Vicky", "Marland, Hilary"]
    assert article.authorships.get(position=1).affiliation.startswith("Centre for the History of Science")
    # MH lines are MeSH headings (a star: major topic, on the descriptor or a qualifier), not keywords.
    assert not article.keywords.filter(name__in=["Attitude to Health", "Humans"]).exists()
    headings = {heading.descriptor: heading for heading in article.mesh_headings.all()}
    assert headings["Attitude to Health"].major_topic is False
    assert headings["Women, Working"].major_topic is True
    assert headings["Women, Working"].qualifiers == [
        {"name": "history", "ui": "", "major_topic": True},
        {"name": "psychology", "ui": "", "major_topic": False},
    ]
    assert [kind.name for kind in article.publication_types.all()] == [
        "Historical Article",
        "Journal Article",
        "Research Support, Non-U.S. Gov't",
    ]


def test_several_records_with_continuation_lines():
    report = import_file(NBIB / "biopython__pubmed_result2.txt")
    assert (report.created, report.rejected) == (4, 0)
    assert Article.objects.filter(pmid__isnull=False).count() == 4


def test_a_record_without_a_title_is_named(tmp_path):
    report = import_file(NBIB / "jabref__MedlinePlainImporterTestDOI.txt")
    (error,) = report.errors
    assert "record 1 (PMID 22664220), TI: the record has no title" in str(error)


def test_a_stray_paragraph_between_records_is_left_out_and_records_without_a_title_are_refused(tmp_path):
    path = NBIB / "jabref__MedlinePlainImporterTestMultipleEntries.txt"
    rejected = tmp_path / "rejected.nbib"
    report = import_file(path, skip_invalid=True, rejected_path=rejected)
    assert report.imported
    assert all("the record has no title" in str(error) for error in report.errors)
    assert "This line should be omitted by the importer." not in rejected.read_text(encoding="utf-8")


def test_a_stray_line_inside_a_record_is_left_out_with_a_warning(tmp_path):
    path = tmp_path / "stray.nbib"
    path.write_text("PMID- 101\nTI  - Lenalidomide in MDS.\nExported by a tool, 2024\nDP  - 2019 Mar\n")
    report = import_file(path)
    assert (report.created, report.rejected) == (1, 0)
    assert "record 1 (PMID 101), line: not a MEDLINE tag line, left out: 'Exported by a tool, 2024'" in str(
        report.warnings[0]
    )


def test_a_medline_file_without_pmid_lines_is_read_as_medline(tmp_path):
    path = tmp_path / "no-pmid.nbib"
    path.write_text(
        "TI  - Pomalidomide and dexamethasone.\nFAU - Rossi, Anna\nAU  - Rossi A\nDP  - 2020\nPT  - Journal Article\n"
    )
    report = import_file(path)
    assert (report.created, report.rejected) == (1, 0), [str(e) for e in report.errors]
    article = Article.objects.get()
    assert (article.title, article.authors[0].family_name) == ("Pomalidomide and dexamethasone", "Rossi")


def test_a_bookshelf_chapter_is_a_chapter_of_its_book_with_authors_not_editors():
    # GeneReviews: TI the chapter, BTI the book, FED/ED the book's editors, FAU/AU the chapter's authors.
    import_file(NBIB / "pybtexnbib__marcelis-20301770.nbib")
    chapter = Article.objects.for_detail().get(pmid=20301770)
    assert (chapter.title, chapter.category, chapter.output_type) == (
        "Feingold Syndrome 1",
        OutputCategory.CONTRIBUTION_TO_BOOK,
        OutputType.CHAPTER,
    )
    assert chapter.journal.title == "GeneReviews(®)"
    assert [p.inverted_name for p in chapter.authors] == ["Marcelis, Carlo LM", "de Brouwer, Arjan PM"]


def test_a_book_without_a_chapter_title_is_the_book(tmp_path):
    path = tmp_path / "book.nbib"
    path.write_text("PMID- 123\nBTI - A whole book\nPB  - A press\nDP  - 2001\nFAU - Writer, Ann\n", encoding="utf-8")
    import_file(path)
    book = Article.objects.get(pmid=123)
    assert (book.title, book.category, book.output_type, book.journal) == (
        "A whole book",
        OutputCategory.BOOK,
        OutputType.BOOK,
        None,
    )
