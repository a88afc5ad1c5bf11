"""Properties of every importer, on generated cases: any article written in any of the five formats
imports with the same fields; any damage done to a real file (cut short, lines dropped, doubled,
swapped, stray text, another encoding) gives a report, never a traceback, and leaves nothing
half-written: each article in the database is a whole record the report counts."""

import json
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from django.conf import settings as django_settings
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from literature.importers.run import import_file
from literature.models import Article, ArticleSource, Authorship

SHARED = Path(django_settings.SHARED_DATA_DIR)
pytestmark = pytest.mark.django_db
EXAMPLES = settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))

LETTERS = "abcdefghijklmnopqrstuvwxyzéüøçñ"
word = st.text(alphabet=LETTERS, min_size=3, max_size=10)
name = st.builds(lambda first, rest: first.upper() + rest, st.sampled_from("ABCDEFGHJKLMNOPRSTVWZ"), word)
article = st.fixed_dictionaries(
    {
        "title": st.lists(word, min_size=3, max_size=12).map(lambda words: " ".join(words).capitalize()),
        "authors": st.lists(st.tuples(name, name), min_size=1, max_size=6),
        "year": st.integers(1950, 2025),
        "volume": st.integers(1, 400).map(str),
        "first_page": st.integers(1, 5000),
        "length": st.integers(1, 40),
        "doi": st.integers(1, 10**6).map(lambda n: f"10.5555/generated.{n}"),
    }
)


def as_ris(a):
    authors = "".join(f"AU  - {family}, {given}\n" for family, given in a["authors"])
    return (
        f"TY  - JOUR\nTI  - {a['title']}\n{authors}PY  - {a['year']}\nVL  - {a['volume']}\n"
        f"SP  - {a['first_page']}\nEP  - {a['first_page'] + a['length']}\nDO  - {a['doi']}\nER  - \n"
    )


def as_bibtex(a):
    authors = " and ".join(f"{family}, {given}" for family, given in a["authors"])
    return (
        f"@article{{key, title = {{{a['title']}}}, author = {{{authors}}}, year = {{{a['year']}}}, "
        f"volume = {{{a['volume']}}}, pages = {{{a['first_page']}--{a['first_page'] + a['length']}}}, "
        f"doi = {{{a['doi']}}}}}\n"
    )


def as_medline(a):
    authors = "".join(f"FAU - {family}, {given}\n" for family, given in a["authors"])
    return (
        f"PMID- 1\nTI  - {a['title']}.\n{authors}DP  - {a['year']}\nVI  - {a['volume']}\n"
        f"PG  - {a['first_page']}-{a['first_page'] + a['length']}\nAID - {a['doi']} [doi]\n"
    )


def as_pubmed(a):
    authors = "".join(
        f"<Author><LastName>{escape(family)}</LastName><ForeName>{escape(given)}</ForeName></Author>"
        for family, given in a["authors"]
    )
    return (
        "<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>1</PMID><Article><Journal><JournalIssue>"
        f"<Volume>{a['volume']}</Volume><PubDate><Year>{a['year']}</Year></PubDate></JournalIssue></Journal>"
        f"<ArticleTitle>{escape(a['title'])}.</ArticleTitle>"
        f"<Pagination><MedlinePgn>{a['first_page']}-{a['first_page'] + a['length']}</MedlinePgn></Pagination>"
        f'<ELocationID EIdType="doi">{a["doi"]}</ELocationID><AuthorList>{authors}</AuthorList>'
        "</Article></MedlineCitation></PubmedArticle></PubmedArticleSet>"
    )


def as_csl_json(a):
    return json.dumps(
        [
            {
                "type": "article-journal",
                "title": a["title"],
                "author": [{"family": family, "given": given} for family, given in a["authors"]],
                "issued": {"date-parts": [[a["year"]]]},
                "volume": a["volume"],
                "page": f"{a['first_page']}-{a['first_page'] + a['length']}",
                "DOI": a["doi"],
            }
        ]
    )


WRITERS = {"ris": as_ris, "bib": as_bibtex, "nbib": as_medline, "xml": as_pubmed, "json": as_csl_json}


def rolled_back(function):
    """Run `function` in a transaction that is then undone: every generated case starts empty."""
    with transaction.atomic():
        result = function()
        transaction.set_rollback(True)
    return result


@pytest.mark.parametrize("extension", sorted(WRITERS))
@given(a=article)
@EXAMPLES
def test_any_article_written_in_any_format_imports_with_the_same_fields(tmp_path_factory, extension, a):
    path = tmp_path_factory.mktemp("generated") / f"record.{extension}"
    path.write_text(WRITERS[extension](a), encoding="utf-8")

    def imported():
        report = import_file(path)
        assert (report.created, report.rejected, report.errors) == (1, 0, [])
        found = Article.objects.for_detail().get()
        return (
            found.title,
            [(person.family_name, person.given_names) for person in found.authors],
            found.publication_year,
            found.volume,
            (found.first_page, found.last_page),
            found.doi,
        )

    assert rolled_back(imported) == (
        a["title"],
        a["authors"],
        a["year"],
        a["volume"],
        (a["first_page"], a["first_page"] + a["length"]),
        a["doi"],
    )


def sample_files():
    if not SHARED.is_dir():
        return []
    chosen = [
        "pubmed-xml/biopython__pubmed2.xml",
        "medline-nbib/biopython__pubmed_result2.txt",
        "ris/synthesisr__Ovid_ris_example.ris",
        "ris/rispy__example_full.ris",
        "bibtex/jabref__crossref.bib",
        "csl-json/citationjs__bibtex-csl.json",
    ]
    return [SHARED / name for name in chosen if (SHARED / name).is_file()]


def damaged(data, damage, where, other):
    lines = data.split(b"\n")
    at, to = where % max(len(lines), 1), other % max(len(lines), 1)
    if damage == "cut short":
        return data[: where % max(len(data), 1)]
    if damage == "line dropped":
        return b"\n".join(lines[:at] + lines[at + 1 :])
    if damage == "line doubled":
        return b"\n".join(lines[: at + 1] + lines[at:])
    if damage == "lines swapped":
        lines[at], lines[to] = lines[to], lines[at]
        return b"\n".join(lines)
    if damage == "stray text":
        return b"\n".join([*lines[:at], b"Record 3 of 12 -- exported by someone's tool", *lines[at:]])
    if damage == "UTF-16":
        return data.decode("utf-8", errors="replace").encode("utf-16")
    return data.decode("utf-8", errors="replace").encode("latin-1", errors="replace")  # "Latin-1"


DAMAGES = ["cut short", "line dropped", "line doubled", "lines swapped", "stray text", "UTF-16", "Latin-1"]


@pytest.mark.skipif(not SHARED.is_dir(), reason=f"the shared sample files are not in this checkout ({SHARED})")
@pytest.mark.parametrize("source", sample_files(), ids=lambda path: path.name)
@given(damage=st.sampled_from(DAMAGES), where=st.integers(0, 10**6), other=st.integers(0, 10**6))
@EXAMPLES
def test_a_damaged_file_gives_a_report_and_leaves_nothing_half_written(tmp_path_factory, source, damage, where, other):
    path = tmp_path_factory.mktemp("damaged") / source.name
    path.write_bytes(damaged(source.read_bytes(), damage, where, other))

    def imported():
        report = import_file(path, skip_invalid=True)
        articles = Article.objects.count()
        # Each article is a whole record of the report: its provenance written, its authors in order.
        assert articles == report.created == ArticleSource.objects.count()
        for article_id in Article.objects.values_list("pk", flat=True):
            positions = list(Authorship.objects.filter(article_id=article_id).values_list("position", flat=True))
            assert sorted(positions) == list(range(1, len(positions) + 1))
        for problem in report.errors + report.warnings:
            assert problem.field_name and str(problem).startswith(str(path))  # names the file and the field
        return report

    rolled_back(imported)
