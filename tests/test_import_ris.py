"""Importing RIS: the real exports in ../shared/data/ris, their types and quirks, and clear errors."""

import shutil
from pathlib import Path

import pytest
from django.conf import settings
from hypothesis import given
from hypothesis import strategies as st

from literature.importers.record import GROUP_WORDS, NAME_PARTICLES, name_in_one_field
from literature.importers.run import import_file
from literature.models import Article, OutputType

RIS = Path(settings.SHARED_DATA_DIR) / "ris"
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not RIS.is_dir(), reason=f"the shared sample files are not in this checkout ({RIS})"),
]


def test_a_scopus_export_imports_with_its_document_types():
    report = import_file(RIS / "citesource__20221207_gambling-harms_scopus_255.ris")
    assert (report.created, report.rejected) == (255, 0)
    types = {t: Article.objects.filter(output_type=t).count() for t in (OutputType.REVIEW, OutputType.LETTER)}
    assert types == {OutputType.REVIEW: 30, OutputType.LETTER: 5}
    first = Article.objects.get(doi="10.1016/j.addbeh.2022.107538")
    assert first.title.startswith("How gambling problems relate to health and wellbeing in Australian households")
    assert first.journal.title == "Addictive Behaviors"
    assert (first.volume, first.article_number, first.publication_year) == ("137", "107538", 2023)
    assert [p.inverted_name for p in first.authors] == ["Tulloch, C.", "Hing, N.", "Browne, M.", "Rockloff, M."]
    assert "Wellbeing" in {k.name for k in first.keywords.all()}


def test_a_lens_export_with_bom_and_crlf_imports():
    report = import_file(RIS / "asreview___baseline.ris")
    assert report.rejected == 0
    assert report.created + report.updated == 100
    assert Article.objects.count() == 99  # two records of the file are one article (same DOI)


def test_a_field_that_is_not_what_it_says_is_left_out_with_a_warning_and_the_record_kept(tmp_path):
    source = tmp_path / "RM.ris"
    shutil.copy(RIS / "citesource__RM.ris", source)
    report = import_file(source)
    assert report.imported
    assert (report.rejected, report.created + report.updated + report.unchanged) == (0, 530)
    assert str(report).endswith("0 rejected, 1 warning")
    (warning,) = report.warnings
    assert str(warning).startswith(f"{source}, record 261 (DOI 20")
    assert "), doi: '20" in str(warning) and "Artn 20' is not a DOI" in str(warning)
    # A DOI with HTML pasted after it is cleaned, not dropped.
    assert Article.objects.filter(doi="10.1186/2047-2382-3-19").exists()


def records_with_and_without_titles(tmp_path):
    """The RM export followed by three records without a title (rispy's multi-line example)."""
    source = tmp_path / "mixed.ris"
    source.write_text(
        (RIS / "citesource__RM.ris").read_text(encoding="utf-8-sig")
        + (RIS / "rispy__example_multiline.ris").read_text(encoding="utf-8-sig"),
        encoding="utf-8",
    )
    return source


def test_a_file_with_records_that_cannot_be_articles_names_them_and_imports_nothing_by_default(tmp_path):
    report = import_file(records_with_and_without_titles(tmp_path))
    assert not report.imported
    assert Article.objects.count() == 0
    assert [str(error).split(", TI:")[0][-10:] for error in report.errors] == ["record 531", "record 532", "record 533"]
    assert all("the record has no title" in str(error) for error in report.errors)


def test_skip_invalid_keeps_the_good_records_and_writes_the_bad_ones_back_untouched(tmp_path):
    rejected = tmp_path / "mixed.ris.rejected"
    report = import_file(records_with_and_without_titles(tmp_path), skip_invalid=True, rejected_path=rejected)
    assert report.imported
    assert (report.created, report.rejected) == (465, 3)  # one record is in the file twice, word for word
    written = rejected.read_text(encoding="utf-8")
    assert written.count("TY  - ") == 3
    assert written.strip() == (RIS / "rispy__example_multiline.ris").read_text(encoding="utf-8-sig").strip()


def test_a_record_whose_ty_tag_was_cut_is_read_as_a_journal_article_with_a_warning():
    report = import_file(RIS / "jabref__RisImporterCorrupted.ris")
    assert (report.imported, report.created, report.rejected) == (True, 1, 0)
    assert (
        "record 1 (DOI 10.1023/A:1017379030770), TY: the record has no TY tag: read as a journal article (JOUR)"
        in str(report.warnings[0])
    )
    assert Article.objects.get().title == "Editorial: Open Source and Empirical Software Engineering"


RECORD = "TY  - JOUR\nTI  - {title}\nAU  - Rossi, Anna\nPY  - 2019\nER  - \n"


@pytest.mark.parametrize(
    "layout",
    [
        # Ovid: a numbered line before each record, free text after ER.
        "1.\n{a}\nLink to the Ovid Full Text or citation:\nhttp://ovidsp.example/1\n\n2.\n{b}\nLink: x\n",
        # Header text before the first record.
        "Record #1 of 2\nProvider: Example Database\nContent: text/plain\n\n{a}\nRecord #2 of 2\n{b}",
        # Tags spaced as some writers space them ('TY -  JOUR', 'ER -').
        "respaced",
    ],
)
def test_text_between_records_is_left_out_and_tag_spacing_is_forgiven(tmp_path, layout):
    a, b = RECORD.format(title="First record"), RECORD.format(title="Second record")
    if layout == "respaced":
        text = a + b.replace("TY  - JOUR", "TY -  JOUR").replace("ER  - ", "ER -")
    else:
        text = layout.format(a=a, b=b)
    path = tmp_path / "dialect.ris"
    path.write_text(text)
    report = import_file(path)
    assert (report.created, report.rejected, report.warnings) == (2, 0, [])
    assert sorted(Article.objects.values_list("title", flat=True)) == ["First record", "Second record"]


def test_records_without_any_title_are_rejected_by_name():
    report = import_file(RIS / "rispy__example_multiline.ris")
    assert [e.field_name for e in report.errors] == ["TI", "TI", "TI"]


def test_a_short_title_stands_in_and_non_ascii_survives():
    import_file(RIS / "rispy__example_utf_chars.ris")
    article = Article.objects.get()
    assert article.title.startswith("Состояние рецепторного аппарата")
    assert article.authors[0].inverted_name == "Dobrokhotova, Yu E."


def test_reimporting_a_ris_file_changes_nothing():
    path = RIS / "citesource__20221207_gambling-harms_scopus_255.ris"
    import_file(path)
    report = import_file(path)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 255)


def test_a_dry_run_reports_what_an_import_would_do_and_writes_nothing(tmp_path, capsys):
    from django.core.management import call_command

    from literature.models import ImportedRecord

    source = records_with_and_without_titles(tmp_path)
    call_command("import_records", str(source), "--skip-invalid", "--dry-run")
    out = capsys.readouterr().out
    assert "465 created, 26 updated, 39 unchanged, 3 rejected, 1 warning (dry run: nothing written)" in out
    assert "record 531, TI: the record has no title" in out
    assert (Article.objects.count(), ImportedRecord.objects.count()) == (0, 0)
    assert not (tmp_path / "mixed.ris.rejected").exists()


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("Catarina Barata", ("Barata", "Catarina", "")),
        ("C. Barata", ("Barata", "C.", "")),
        ("Barata CA", ("Barata", "CA", "")),  # Vancouver style: family name, then initials
        ("Maria de Souza", ("de Souza", "Maria", "")),
        ("Ludwig van der Berg", ("van der Berg", "Ludwig", "")),
        ("Barata", ("Barata", "", "")),
        ("朱 宏", ("朱", "宏", "")),  # Chinese, Japanese, Korean: the family name first
        ("محمد علي", ("محمد علي", "", "")),  # no capitals to tell the parts by: kept whole
        ("WHO Study Group", ("", "", "WHO Study Group")),
        ("The Cochrane Collaboration", ("", "", "The Cochrane Collaboration")),
        ("European Myeloma Network", ("", "", "European Myeloma Network")),
        ("GBD 2019 Diseases and Injuries Collaborators", ("", "", "GBD 2019 Diseases and Injuries Collaborators")),
        ("Rossi, Anna", ("Rossi", "Anna", "")),
        ("Takada, Mitsuo eds", ("Takada", "Mitsuo", "")),  # a role after the name is not part of it
        ("Smith, J. (Ed.)", ("Smith", "J.", "")),
        ("Moore, Ed", ("Moore", "Ed", "")),  # ...but a given name Ed is a name
    ],
)
def test_a_name_is_read_as_written_whole_or_family_comma_given(tmp_path, written, expected):
    path = tmp_path / "names.ris"
    path.write_text(f"TY  - JOUR\nTI  - Named\nAU  - {written}\nPY  - 2019\nER  - \n", encoding="utf-8")
    report = import_file(path)
    assert report.created == 1
    (authorship,) = Article.objects.get().authorships.select_related("person")
    person = authorship.person
    assert (person.family_name, person.given_names, person.collective_name) == expected
    # A role left out is said; nothing else here is.
    assert [warning.field_name for warning in report.warnings] == (
        ["author"] if written.endswith(("eds", ".)")) else []
    )


@pytest.mark.parametrize(
    ("tags", "expected"),
    [
        ("PY  - 2019\nDA  - SEP", (2019, 9, "")),  # EBSCO, ProQuest: the month alone, the year in PY
        ("PY  - 2019\nDA  - Sep-Oct", (2019, 9, "2019 Sep-Oct")),
        ("PY  - 2019\nDA  - Spring", (2019, None, "2019 Spring")),
        ("PY  - 2019\nDA  - 2019/03/15", (2019, 3, "")),
        ("PY  - 2019///", (2019, None, "")),
    ],
)
def test_a_month_or_season_in_da_is_of_the_year_in_py(tmp_path, tags, expected):
    path = tmp_path / "dated.ris"
    path.write_text(f"TY  - JOUR\nTI  - Dated\nAU  - Rossi, Anna\n{tags}\nER  - \n", encoding="utf-8")
    assert import_file(path).created == 1
    article = Article.objects.get()
    assert (article.publication_year, article.publication_month, article.publication_date_as_given) == expected


# Words of a name; a word that is a particle ("Da", "Van") is the family name's, so not a given name here.
NAME = st.from_regex(r"[A-Z][a-zà-öø-ÿ]{1,10}", fullmatch=True).filter(
    lambda word: not GROUP_WORDS.search(word) and word.lower() not in NAME_PARTICLES
)


@given(given_names=st.lists(NAME, min_size=1, max_size=2), family=NAME)
def test_any_name_written_given_first_is_read_back_into_its_parts(given_names, family):
    author = name_in_one_field(" ".join([*given_names, family]))
    assert (author.family, author.given, author.collective) == (family, " ".join(given_names), "")


def test_names_exported_as_ris_are_read_back_with_the_same_parts(tmp_path):
    from literature.citations import ris
    from literature.curation.articles import set_authors
    from literature.importers.ris import parse
    from tests.factories import ArticleFactory, PersonFactory

    article = ArticleFactory(authors=0)
    people = [
        PersonFactory(family_name="Rossi", given_names="Anna"),
        PersonFactory(family_name="Garcia Lopez", given_names=""),  # a family name of two words, alone
        PersonFactory(family_name="", given_names="", collective_name="European Myeloma Network"),
    ]
    set_authors(article, people)
    path = tmp_path / "export.ris"
    path.write_text(ris.render(Article.objects.for_detail()), encoding="utf-8")
    (record,) = list(parse(path))
    assert [(a.family, a.given, a.collective) for a in record.authors] == [
        ("Rossi", "Anna", ""),
        ("Garcia Lopez", "", ""),
        ("", "", "European Myeloma Network"),
    ]
