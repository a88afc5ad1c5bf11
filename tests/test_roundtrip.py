"""Round trips over real records: import the shared sample files, export them as BibTeX and RIS,
parse the exports back with bibtexparser and rispy, and find the same fields."""

from pathlib import Path

import bibtexparser
import pytest
import rispy
from bibtexparser import middlewares
from django.conf import settings

from literature.citations import bibtex, ris
from literature.importers.run import import_file
from literature.models import Article
from literature.values.markup import plain_text

DATA = Path(settings.SHARED_DATA_DIR)
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not DATA.is_dir(), reason=f"the shared sample files are not in this checkout ({DATA})"),
]
SOURCES = [
    "bibtex/jabref__jabref-authors.bib",
    "ris/citesource__20221207_gambling-harms_scopus_255.ris",
    "pubmed-xml/netsynergy_pubmedparser__pubmed21n1001.xml",
]


@pytest.fixture(params=SOURCES, ids=lambda name: name.split("/")[0])
def articles(request):
    report = import_file(DATA / request.param)
    assert report.imported and report.created > 30
    return list(Article.objects.for_detail().order_by("pk"))


def test_bibtex_exports_parse_back_to_the_same_fields(articles):
    library = bibtexparser.parse_string(
        bibtex.render(articles),
        append_middleware=[middlewares.LatexDecodingMiddleware(keep_math_mode=True), middlewares.SeparateCoAuthors()],
    )
    assert not library.failed_blocks
    assert len(library.entries) == len(articles)
    for article, entry in zip(articles, library.entries, strict=True):
        fields = {field.key: field.value for field in entry.fields}
        assert fields["title"].replace("{", "").replace("}", "") == plain_text(article.full_title)
        assert len(fields.get("author", [])) == len(article.authors)
        assert fields.get("doi", "") == article.doi
        assert fields.get("year", "") == str(article.publication_year or "")
        assert fields.get("volume", "") == article.volume


def test_ris_exports_parse_back_to_the_same_fields(articles):
    records = rispy.loads(ris.render(articles))
    assert len(records) == len(articles)
    for article, record in zip(articles, records, strict=True):
        assert record["primary_title"] == plain_text(article.title)
        assert record.get("authors", []) == [p.inverted_name for p in article.authors]
        assert record.get("doi", "") == article.doi
        assert record.get("volume", "") == article.volume
        if article.first_page is not None:
            assert record["start_page"] == str(article.first_page)


def test_bibtex_exports_keep_inline_markup_that_the_importer_reads_back(tmp_path):
    # Optics Express titles carry <sub>/<sup>, PubMed 2021 abstracts and titles <i>: written as
    # \textsubscript{}, \textit{}… and read back by our BibTeX importer as the same tags.
    from literature.importers.bibtex import parse

    import_file(DATA / "pubmed-xml/netsynergy_pubmedparser__pubmed21n1004.xml")
    articles = list(Article.objects.for_detail().order_by("pk"))
    marked = [article for article in articles if "<" in article.full_title]
    assert len(marked) >= 3
    path = tmp_path / "export.bib"
    path.write_text(bibtex.render(articles), encoding="utf-8")
    records = list(parse(path))
    assert [record.title for record in records] == [article.full_title for article in articles]


def test_csl_json_exports_keep_inline_markup_that_the_importer_reads_back(tmp_path):
    # CSL-JSON writes a title's markup as its rich text (<i>, <b>, <sup>, <sub>), as Zotero does; our
    # CSL-JSON importer reads the same tags back.
    import json

    from literature.citations.exports import stream_csl_json
    from literature.importers.csljson import parse

    import_file(DATA / "pubmed-xml/netsynergy_pubmedparser__pubmed21n1004.xml")
    articles = list(Article.objects.for_detail().order_by("pk"))
    marked = [article for article in articles if "<" in article.full_title]
    assert len(marked) >= 3
    path = tmp_path / "export.json"
    path.write_text("".join(stream_csl_json(Article.objects.for_detail().order_by("pk"), lambda a: "")), "utf-8")
    items = json.loads(path.read_text("utf-8"))
    assert sum("<" in item["title"] for item in items) == len(marked)
    records = list(parse(path))
    assert [record.title for record in records] == [article.full_title for article in articles]


@pytest.mark.parametrize(
    ("sanitized", "rich"),
    [
        ("Nerve of <i>Xenopus</i> in CO<sub>2</sub>", "Nerve of <i>Xenopus</i> in CO<sub>2</sub>"),
        ("<em>In vitro</em> and <strong>bold</strong>", "<i>In vitro</i> and <b>bold</b>"),
        ("<u>Underlined</u> &amp; 5 &lt; 6", "Underlined & 5 &lt; 6"),
        ("Plain title", "Plain title"),
    ],
)
def test_a_titles_markup_as_csl_json_rich_text(sanitized, rich):
    from literature.values.markup import csl_rich_text

    assert csl_rich_text(sanitized) == rich
