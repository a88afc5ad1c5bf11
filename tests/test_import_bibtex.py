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
        # Both given (Zotero's biblatex, JabRef): the date's month is not dropped for the bare year...
        ("year = {2019}, date = {2019-03}", (2019, 3, None)),
        # ...but a month given in its own field, or a year the date does not agree with, is the entry's.
        ("year = {2019}, month = may, date = {2019-03}", (2019, 5, None)),
        ("year = {2020}, date = {2019-03}", (2020, None, None)),
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


def test_every_entry_with_a_title_in_the_shared_files_imports():
    # Only what cannot be an article is refused: an entry without a title, a biblatex @set.
    for path in sorted(BIB.glob("*.bib")):
        report = import_file(path, skip_invalid=True)
        assert {error.field_name for error in report.errors} <= {"title", "entry type"}, (path.name, report.errors)


def read_one(tmp_path, text):
    from literature.importers.bibtex import parse

    path = tmp_path / "entry.bib"
    path.write_text(text, encoding="utf-8")
    (record,) = list(parse(path))
    return record


def test_a_field_given_twice_keeps_its_first_value_with_a_warning(tmp_path):
    # Scopus writes funding_details once per funder; BibTeX itself keeps the first and warns.
    record = read_one(tmp_path, "@ARTICLE{k,\nauthor={Li, W.},\ntitle={First},\ntitle={Second},\nyear={2020}\n}\n")
    assert record.title == "First"
    assert record.notes == [("title", "title given twice: the first value kept")]


def test_a_name_with_a_stray_comma_and_an_empty_name_still_split(tmp_path):
    record = read_one(tmp_path, '@techreport{k, title = "T", author = "Doerr, Martin and May, Keith, and ,"}\n')
    assert [(a.family, a.given) for a in record.authors] == [("Doerr", "Martin"), ("May", "Keith")]
    assert record.notes == [("author", "an empty name in author left out")]


def test_a_link_is_the_text_it_shows(tmp_path):
    record = read_one(tmp_path, '@misc{k, title = "See \\href{https://example.org}{the \\textit{Example}} page" }\n')
    assert (record.title, record.notes) == ("See the <i>Example</i> page", [])


def test_latex_the_decoder_cannot_read_becomes_the_text_it_shows_with_a_warning(tmp_path):
    # An \href without its text: pylatexenc gives up on the whole field.
    record = read_one(tmp_path, '@misc{k, title = "Data at \\href{https://example.org} and \\textbf{more}" }\n')
    assert record.title == "Data at https://example.org and <b>more</b>"
    assert record.notes == [("title", "LaTeX commands in title read as plain text")]


def test_an_entry_closed_with_the_other_delimiter_is_read(tmp_path):
    record = read_one(tmp_path, '@book{k,\n  title = "Closed wrongly",\n  author = "Last, First",\n  year = 2021\n)\n')
    assert (record.title, record.authors[0].family, record.published.year) == ("Closed wrongly", "Last", 2021)
    assert record.notes == [("entry", "the entry opened with { but closed with )")]


def test_capitalised_author_fields_are_names_and_et_al_is_not_part_of_one(tmp_path):
    record = read_one(tmp_path, "@incollection{k, Author = {Born, L. et al.}, Title = {Sign Clustering}}\n")
    assert [(a.family, a.given) for a in record.authors] == [("Born", "L.")]


def test_inline_markup_in_titles_and_abstracts_is_kept_as_tags(tmp_path):
    record = read_one(
        tmp_path,
        "@article{k, title = {Nerve of \\textit{Xenopus} in CO$_2$ at 5 m$^{-1}$: {\\em a} \\textbf{test} of $\\Phi$},"
        " abstract = {With \\emph{markup} \\& more}}\n",
    )
    assert (
        record.title == "Nerve of <i>Xenopus</i> in CO<sub>2</sub> at 5 m<sup>-1</sup>: <i>a</i> <b>test</b> of $\\Phi$"
    )
    assert record.abstract == "With <i>markup</i> &amp; more"


def test_values_joined_with_hash_are_the_text_their_parts_make(tmp_path):
    path = tmp_path / "joined.bib"
    path.write_text(
        '@string{rossi = "Rossi, Anna"}\n@String{JMM = "J Myeloma"}\n'
        '@article{key, title = {Joined}, author = rossi # " and " # {Bianchi, Carlo},\n'
        '  journal = JMM # " Res", month = sep # "~15", year = 2019, note = unknown # "!"}\n',
        encoding="utf-8",
    )
    from literature.importers.bibtex import parse

    (record,) = list(parse(path))
    assert [(a.family, a.given) for a in record.authors] == [("Rossi", "Anna"), ("Bianchi", "Carlo")]
    assert record.journal_title == "J Myeloma Res"
    assert (record.published.year, record.published.month) == (2019, 9)
    # A title in braces with a # in it is text, not a join.
    path.write_text("@article{key, title = {C\\# in {Practice}}, author = {Rossi, Anna}, year = 2019}\n")
    (record,) = list(parse(path))
    assert record.title == "C# in Practice"
