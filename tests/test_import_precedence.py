"""Two sources describing one article: a field an import set changes only when a source that ranks as
high or higher says otherwise (PubMed or MEDLINE over a database export in RIS or CSL-JSON over a
reference manager's BibTeX); an empty field is filled by any source; a curator's value by none."""

import pytest

from literature.importers.run import import_file
from literature.models import Article

pytestmark = pytest.mark.django_db

DOI = "10.1000/precedence.1"


def pubmed(tmp_path, title, abstract=""):
    path = tmp_path / "pubmed.xml"
    abstract_xml = f"<Abstract><AbstractText>{abstract}</AbstractText></Abstract>" if abstract else ""
    path.write_text(
        "<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>77</PMID><Article>"
        f"<ArticleTitle>{title}</ArticleTitle>{abstract_xml}"
        f'<ELocationID EIdType="doi">{DOI}</ELocationID></Article></MedlineCitation></PubmedArticle>'
        "</PubmedArticleSet>",
        encoding="utf-8",
    )
    return import_file(path)


def bibtex(tmp_path, title, abstract="", volume=""):
    path = tmp_path / "library.bib"
    path.write_text(
        f"@article{{k, title = {{{title}}}, doi = {{{DOI}}}, abstract = {{{abstract}}}, volume = {{{volume}}}}}\n",
        encoding="utf-8",
    )
    return import_file(path)


def ris(tmp_path, title):
    path = tmp_path / "export.ris"
    path.write_text(f"TY  - JOUR\nTI  - {title}\nDO  - {DOI}\nER  - \n", encoding="utf-8")
    return import_file(path)


def article():
    return Article.objects.get(doi=DOI)


def test_a_reference_managers_title_never_replaces_pubmeds_but_fills_what_pubmed_left_empty(tmp_path):
    pubmed(tmp_path, "The title as NLM has it.")
    report = bibtex(tmp_path, "the title as someone typed it", abstract="An abstract PubMed lacked.", volume="12")
    assert report.updated == 1
    assert (article().title, article().abstract, article().volume) == (
        "The title as NLM has it",
        "An abstract PubMed lacked.",
        "12",
    )


def test_a_better_source_replaces_what_a_lesser_one_filled_in(tmp_path):
    bibtex(tmp_path, "A typed title", abstract="A typed abstract.")
    ris(tmp_path, "The database's title")  # RIS ranks over BibTeX
    assert article().title == "The database's title"
    pubmed(tmp_path, "NLM's title.", abstract="NLM's abstract.")
    assert (article().title, article().abstract) == ("NLM's title", "<p>NLM's abstract.</p>")


def test_the_lesser_source_imported_again_after_the_better_one_changes_nothing(tmp_path):
    pubmed(tmp_path, "NLM's title.")
    bibtex(tmp_path, "A typed title")
    ris(tmp_path, "The database's title")
    assert article().title == "NLM's title"  # neither the BibTeX nor the RIS ever won the title


def test_no_source_replaces_a_curators_value(tmp_path):
    bibtex(tmp_path, "A typed title")
    curated = article()
    curated.title = "A curator's title"
    curated.save()
    pubmed(tmp_path, "NLM's title.")
    assert article().title == "A curator's title"
