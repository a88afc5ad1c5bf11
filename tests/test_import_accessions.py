"""A record's number in the database it was exported from (Web of Science UT, Scopus EID, Dimensions,
Embase or EBSCO AN) is a key of its own: a record read again is its article even when it has no DOI or
PMID and its text was corrected since, so a changed export updates instead of duplicating."""

from pathlib import Path

import pytest
from django.conf import settings
from hypothesis import given
from hypothesis import strategies as st

from literature.curation.merging import merge_articles
from literature.importers.accessions import accession, identifier_from_database, scopus_eid_in
from literature.importers.run import import_file
from literature.models import Accession, Article
from tests.factories import ArticleFactory

RIS = Path(settings.SHARED_DATA_DIR) / "ris"
BIBTEX = Path(settings.SHARED_DATA_DIR) / "bibtex"
needs_shared_data = pytest.mark.skipif(
    not RIS.is_dir(), reason=f"the shared sample files are not in this checkout ({RIS})"
)


def ris_record(title, accession_number="WOS:000301234500012", database="", year="", extra=""):
    lines = ["TY  - JOUR", f"TI  - {title}", f"AN  - {accession_number}"]
    lines += [f"DB  - {database}"] if database else []
    lines += [f"PY  - {year}"] if year else []
    return "\n".join([*lines, *([extra] if extra else []), "ER  - ", ""])


# The rules ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "database", "expected"),
    [
        ("WOS:000301234500012", "", ("wos", "WOS:000301234500012")),
        ("wos:000301234500012", "Web of Science", ("wos", "WOS:000301234500012")),
        ("ISI:A1997WX12300004", "", ("wos", "WOS:A1997WX12300004")),
        ("2-s2.0-85079532227", "", ("scopus", "2-s2.0-85079532227")),
        ("pub.1143865007", "", ("dimensions", "pub.1143865007")),
        ("624512345", "Embase", ("embase", "624512345")),
        ("624512345", "  Ovid   Embase ", ("embase", "624512345")),
        ("107234567", "Academic Search Premier", ("academic search premier", "107234567")),
        ("107234567", "", None),  # a bare number from no named database identifies nothing for sure
        ("26957754", "PubMed", None),  # a PMID: an identifier of its own
        ("PMC3654245", "PMC", None),
        ("", "Scopus", None),
    ],
)
def test_an_accession_number_is_a_key_only_where_its_database_is_known(number, database, expected):
    assert accession(number, database) == expected


def test_a_pubmed_or_pmc_accession_number_is_the_records_pmid_or_pmcid():
    assert identifier_from_database("26957754", "PubMed") == ("pmid", 26957754)
    assert identifier_from_database("pmc3654245", "PMC") == ("pmcid", "PMC3654245")
    assert identifier_from_database("26957754", "Scopus") is None
    assert identifier_from_database("not a number", "PubMed") is None


def test_scopus_gives_its_eid_in_the_record_link():
    url = "https://www.scopus.com/inward/record.uri?eid=2-s2.0-85079532227&doi=10.1080%2f2096&partnerID=40"
    assert scopus_eid_in(["https://doi.org/10.1/x", url]) == ("scopus", "2-s2.0-85079532227")
    assert scopus_eid_in(["https://example.org/?id=2-s2.0-85079532227"]) is None


@given(st.text(max_size=120), st.text(max_size=60))
def test_any_text_gives_a_key_that_fits_its_columns_or_none(number, database):
    key = accession(number, database)
    assert key is None or (0 < len(key[0]) <= 50 and 0 < len(key[1]) <= 100)


# Real exports ----------------------------------------------------------------------------------------


@needs_shared_data
@pytest.mark.django_db
def test_every_record_of_a_scopus_export_keeps_its_eid():
    report = import_file(RIS / "synthesisr__scopus.ris", skip_invalid=True)
    assert report.created + report.updated == 92
    eids = Accession.objects.filter(database="scopus")
    assert eids.count() == 92
    assert all(number.startswith("2-s2.0-") for number in eids.values_list("identifier", flat=True))


@needs_shared_data
@pytest.mark.django_db
def test_web_of_science_dimensions_pubmed_and_pmc_numbers_are_read_from_an():
    import_file(RIS / "synthesisr__citesource_issue_24.ris", skip_invalid=True)  # records of two databases
    assert Accession.objects.filter(database="dimensions").count() == 5
    assert Accession.objects.filter(database="wos", identifier__startswith="WOS:000").count() == 8
    import_file(RIS / "jabref__RisImporterTestDOI.ris")
    assert Article.objects.filter(pmid=26957754).exists()
    import_file(RIS / "jabref__RisImporterTest6.ris")
    assert Article.objects.filter(pmcid="PMC3654245").exists()


@needs_shared_data
@pytest.mark.django_db
def test_a_scopus_bibtex_export_keeps_the_eid_of_its_url():
    import_file(BIBTEX / "synthesisr__Scopus_bib_example.bib", skip_invalid=True)
    assert Accession.objects.filter(database="scopus", identifier="2-s2.0-85079532227").exists()


@pytest.mark.django_db
def test_web_of_science_bibtex_gives_its_ut_as_unique_id(tmp_path):
    path = tmp_path / "wos.bib"
    path.write_text("@article{a, title = {A title}, unique-id = {WOS:000301234500012}, year = {2012}}\n")
    import_file(path)
    (key,) = Accession.objects.values_list("database", "identifier")
    assert key == ("wos", "WOS:000301234500012")


# Matching by them ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_corrected_record_without_doi_year_or_author_updates_its_article_by_accession(tmp_path):
    path = tmp_path / "wos.ris"
    path.write_text(ris_record("Thalidomide in myelomma"))
    assert import_file(path).created == 1
    path.write_text(ris_record("Thalidomide in myeloma", year="2012"))  # the database corrected it
    again = import_file(path)
    assert (again.created, again.updated) == (0, 1)
    (article,) = Article.objects.all()
    assert (article.title, article.publication_year) == ("Thalidomide in myeloma", 2012)


@pytest.mark.django_db
def test_two_records_of_one_file_with_the_same_accession_are_one_article(tmp_path):
    path = tmp_path / "twice.ris"
    path.write_text(ris_record("First wording") + ris_record("Second wording"))
    report = import_file(path)
    assert Article.objects.count() == 1
    assert (report.created, report.created + report.updated + report.unchanged) == (1, 2)


@pytest.mark.django_db
def test_the_same_number_in_two_databases_is_two_articles(tmp_path):
    path = tmp_path / "two.ris"
    path.write_text(
        ris_record("An Embase record", "624512345", "Embase") + ris_record("An EBSCO record", "624512345", "CINAHL")
    )
    assert import_file(path).created == 2


@pytest.mark.django_db
def test_an_accession_found_for_an_existing_article_is_kept_and_undone_with_its_import(tmp_path):
    article = ArticleFactory(doi="10.1000/known", authors=1)
    path = tmp_path / "known.ris"
    good = ris_record(article.title, extra="DO  - 10.1000/known")
    path.write_text(good)
    import_file(path)
    assert list(article.accessions.values_list("identifier", flat=True)) == ["WOS:000301234500012"]
    Accession.objects.all().delete()
    path.write_text(good + "TY  - JOUR\nAU  - Nobody, A.\nER  - \n")  # a record without a title: nothing stays
    assert not import_file(path).imported
    assert not Accession.objects.exists()


@pytest.mark.django_db
def test_merging_moves_the_accessions_so_a_record_read_again_finds_the_kept_article(tmp_path):
    path = tmp_path / "wos.ris"
    path.write_text(ris_record("Imported twice by mistake"))
    import_file(path)
    other = Article.objects.get()
    kept = ArticleFactory(authors=1)
    merge_articles(kept, other)
    assert list(kept.accessions.values_list("identifier", flat=True)) == ["WOS:000301234500012"]
    path.write_text(ris_record("Imported twice by mistake, corrected"))
    assert import_file(path).created == 0
