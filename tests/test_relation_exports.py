"""Errata, retractions and comments go out with an article in every export, as a line of PubMed's own
words each ("Retraction in: J Trials. 2020;5:9 PMID: 200"): RIS as N1 notes, BibTeX in `note`, CSL-JSON
in `note`, CSV in a `relations` column. Our importers read those lines back, so an exported retracted
article imported again still says it was retracted."""

import csv
import io
import json
from pathlib import Path

import pytest
from django.conf import settings
from hypothesis import given
from hypothesis import strategies as st

from literature.citations import bibtex, ris
from literature.citations.exports import stream_csl_json
from literature.importers import bibtex as bibtex_import
from literature.importers import csljson as csljson_import
from literature.importers import ris as ris_import
from literature.importers.run import import_file
from literature.models import Article, ArticleRelation, CurationState, RelationKind
from literature.values.notices import notice_line, notices_in

PUBMED = Path(settings.SHARED_DATA_DIR) / "pubmed-xml"
BASELINE = PUBMED / "netsynergy_pubmedparser__pubmed21n0001.xml"
needs_shared_data = pytest.mark.skipif(
    not PUBMED.is_dir(), reason=f"the shared sample files are not in this checkout ({PUBMED})"
)


def export_and_read_back(fmt, articles, path):
    if fmt == "ris":
        path.write_text(ris.render(articles), encoding="utf-8")
        return list(ris_import.parse(path))
    if fmt == "bibtex":
        path.write_text(bibtex.render(articles), encoding="utf-8")
        return list(bibtex_import.parse(path))
    queryset = Article.objects.for_detail().filter(pk__in=[a.pk for a in articles]).order_by("pk")
    path.write_text("".join(stream_csl_json(queryset, lambda article: "")), encoding="utf-8")
    return list(csljson_import.parse(path))


def stored_relations(article):
    return [(r.kind, r.citation, str(r.pmid) if r.pmid else "") for r in article.relations.all()]


@needs_shared_data
@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["ris", "bibtex", "csl-json"])
def test_the_relations_of_a_real_baseline_file_go_out_and_come_back_in_each_export(fmt, tmp_path):
    import_file(BASELINE, curation_state=CurationState.APPROVED)
    articles = list(Article.objects.for_detail().order_by("pk"))
    related = [article for article in articles if article.relations.all()]
    assert len(related) >= 2  # the errata of the 1975 baseline file
    records = export_and_read_back(fmt, articles, tmp_path / "export")
    assert [record.relations for record in records] == [stored_relations(article) for article in articles]


@pytest.mark.django_db
def test_a_retracted_article_exported_and_imported_again_elsewhere_is_still_retracted(tmp_path):
    source = tmp_path / "record.nbib"
    source.write_text(
        "PMID- 100\nTI  - Retracted work.\nRIN - J Trials. 2020 Jan;5(1):9. PMID: 200\n"
        "CON - Lancet. 2010 Jun 5;375(9730):1966; author reply 1967.\n",
        encoding="utf-8",
    )
    import_file(source)
    exported = tmp_path / "export.ris"
    exported.write_text(ris.render(Article.objects.for_detail()), encoding="utf-8")
    assert "N1  - Retraction in: J Trials. 2020 Jan;5(1):9. PMID: 200\n" in exported.read_text(encoding="utf-8")
    Article.objects.all().delete()

    report = import_file(exported)

    assert (report.created, report.warnings) == (1, [])
    assert list(ArticleRelation.objects.values_list("kind", "citation", "pmid")) == [
        ("RetractionIn", "J Trials. 2020 Jan;5(1):9.", 200),
        ("CommentOn", "Lancet. 2010 Jun 5;375(9730):1966; author reply 1967.", None),
    ]


@pytest.mark.django_db
def test_the_csv_export_has_the_relations_in_a_column(client, tmp_path):
    source = tmp_path / "record.nbib"
    source.write_text(
        "PMID- 100\nTI  - Corrected work.\nEIN - J Trials. 2019 Mar;4(2):20\nEIN - J Trials. 2019;4:21. PMID: 7\n"
        "\nPMID- 101\nTI  - Nothing to say.\n",
        encoding="utf-8",
    )
    import_file(source, curation_state=CurationState.APPROVED)
    response = client.get("/articles/export/csv/")
    header, *rows = csv.reader(io.StringIO(b"".join(response.streaming_content).decode()))
    column = header.index("relations")
    assert sorted(row[column] for row in rows) == [
        "",
        "Erratum in: J Trials. 2019 Mar;4(2):20; Erratum in: J Trials. 2019;4:21. PMID: 7",
    ]


@pytest.mark.django_db
def test_the_csl_json_of_the_citation_styles_has_no_note_only_the_file_export_has(tmp_path):
    # citeproc-py prints a note in some styles: the seven "Cite this" formats stay as they were.
    from literature.citations.csl import csl_json

    source = tmp_path / "record.nbib"
    source.write_text("PMID- 100\nTI  - Retracted work.\nRIN - J Trials. 2020;5:9. PMID: 200\n", encoding="utf-8")
    import_file(source)
    article = Article.objects.for_detail().get()
    assert "note" not in csl_json(article)
    assert csl_json(article, rich_text=True)["note"] == "Retraction in: J Trials. 2020;5:9. PMID: 200"
    exported = json.loads("".join(stream_csl_json(Article.objects.for_detail(), lambda a: "")))
    assert exported[0]["note"] == "Retraction in: J Trials. 2020;5:9. PMID: 200"


def test_a_note_that_does_not_begin_with_a_relations_label_is_not_a_relation():
    assert notices_in("Reference Type: Generic") == []
    assert notices_in("Comment: a nice paper. Retraction in: is named only at the start of a line") == []
    assert notices_in("") == []
    assert notices_in("retraction IN: J Trials. 2020;5:9") == [("RetractionIn", "J Trials. 2020;5:9", "")]


citations = st.text(st.characters(blacklist_categories=["Cc", "Cs", "Zl", "Zp"]), min_size=1, max_size=80).filter(
    lambda text: text.strip() and not notices_in("; " + text) and not notices_in(text) and "PMID:" not in text
)
relations = st.tuples(
    st.sampled_from(RelationKind.values),
    citations.map(str.strip),
    st.one_of(st.just(""), st.integers(1, 99_999_999).map(str)),
)


@given(st.lists(relations, min_size=1, max_size=5), st.sampled_from(["\n", "; "]))
def test_notice_lines_read_back_as_the_relations_they_were_written_from(written, separator):
    text = separator.join(notice_line(*relation) for relation in written)
    assert notices_in(text) == [(kind, citation.rstrip(";").strip(), pmid) for kind, citation, pmid in written]
