"""Citation links: the references of PubMed records are kept, resolved to the portal's articles by PMID
or DOI whichever arrives first, shown as "References" and "Cited by (in this portal)" on the page and
in the API (`references`, `cited_by_count`, `?cites=`); drafts neither cite nor are cited publicly."""

from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from lxml import etree
from rest_framework.test import APIClient

from literature.curation.merging import merge_articles
from literature.importers.prepare import Prepared
from literature.importers.record import Record
from literature.importers.run import import_file
from literature.models import Article, CurationState, Reference
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

PUBMED = Path(settings.SHARED_DATA_DIR) / "pubmed-xml"
needs_shared_data = pytest.mark.skipif(
    not PUBMED.is_dir(), reason=f"the shared sample files are not in this checkout ({PUBMED})"
)

CITING = """<PubmedArticle><MedlineCitation><PMID>{pmid}</PMID><Article><ArticleTitle>{title}</ArticleTitle>
<Journal><Title>Test Journal</Title><JournalIssue><PubDate><Year>2024</Year></PubDate></JournalIssue></Journal>
</Article></MedlineCitation><PubmedData><ReferenceList>{references}</ReferenceList></PubmedData></PubmedArticle>"""
REFERENCE = (
    "<Reference><Citation>{citation}</Citation><ArticleIdList>{ids}</ArticleIdList></Reference>"
)  # fmt: skip


def write_pubmed(path, *records):
    path.write_text(f"<PubmedArticleSet>{''.join(records)}</PubmedArticleSet>", encoding="utf-8")
    return path


def citing_record(pmid, title, *cited):
    """A record citing each of `cited`: (citation, {IdType: value})."""
    references = "".join(
        REFERENCE.format(
            citation=citation,
            ids="".join(f'<ArticleId IdType="{kind}">{value}</ArticleId>' for kind, value in ids.items()),
        )
        for citation, ids in cited
    )
    return CITING.format(pmid=pmid, title=title, references=references)


@needs_shared_data
def test_the_reference_lists_of_real_pubmed_records_are_kept_in_order(tmp_path):
    path = PUBMED / "netsynergy_pubmedparser__pubmed21n1000.xml"
    tree = etree.parse(str(path))
    expected = {}
    for article in tree.iterfind("PubmedArticle"):
        references = article.findall("PubmedData//ReferenceList/Reference")
        if references:
            expected[int(article.findtext("MedlineCitation/PMID"))] = references
    assert expected, "the sample has records with references"
    import_file(path, curation_state=CurationState.APPROVED, skip_invalid=True)
    for pmid, references in expected.items():
        article = Article.objects.filter(pmid=pmid).first()
        if article is None:  # a record the sample has that is refused for another reason
            continue
        kept = list(article.references.order_by("position"))
        assert len(kept) == len(references)
        first = references[0]
        assert kept[0].citation == " ".join("".join(first.find("Citation").itertext()).split())
        first_pmid = first.findtext("ArticleIdList/ArticleId[@IdType='pubmed']")
        assert kept[0].pmid == (int(first_pmid) if first_pmid else None)


def test_a_reference_finds_the_article_it_cites_whichever_is_imported_first(tmp_path):
    write_pubmed(
        tmp_path / "citing.xml",
        citing_record(
            101,
            "A citing study.",
            ("Blood. 2020;1:1-2", {"pubmed": "202"}),
            ("Lancet. 2021;2:3-4", {"doi": "10.1016/S0140-6736(21)00001-X"}),
            ("A book nobody has", {}),
        ),
    )
    import_file(tmp_path / "citing.xml", curation_state=CurationState.APPROVED)
    citing = Article.objects.get(pmid=101)
    api = APIClient()
    references = api.get(f"/api/v1/articles/{citing.pk}/").json()["references"]
    assert [ref["article"] for ref in references] == [None, None, None]
    assert [ref["doi"] for ref in references] == ["", "10.1016/s0140-6736(21)00001-x", ""]

    by_pmid = ArticleFactory(pmid=202, title="Cited by PMID")
    by_doi = ArticleFactory(doi="10.1016/S0140-6736(21)00001-X", title="Cited by DOI")
    document = api.get(f"/api/v1/articles/{citing.pk}/").json()
    assert [ref["article"] for ref in document["references"]] == [
        f"http://testserver/api/v1/articles/{by_pmid.pk}/",
        f"http://testserver/api/v1/articles/{by_doi.pk}/",
        None,
    ]
    cited = api.get(f"/api/v1/articles/{by_doi.pk}/").json()
    assert cited["cited_by_count"] == 1
    assert cited["cited_by_url"] == f"http://testserver/api/v1/articles/?cites={by_doi.pk}"
    listed = api.get("/api/v1/articles/", {"cites": by_pmid.pk}).json()
    assert [row["id"] for row in listed["results"]] == [citing.pk]
    counts = {row["id"]: row["cited_by_count"] for row in api.get("/api/v1/articles/").json()["results"]}
    assert counts == {citing.pk: 0, by_pmid.pk: 1, by_doi.pk: 1}


def test_the_article_page_lists_references_and_the_articles_citing_it(client, tmp_path):
    cited = ArticleFactory(pmid=303, title="The cited trial")
    write_pubmed(tmp_path / "citing.xml", citing_record(304, "The citing review.", ("Trial. 2019", {"pubmed": "303"})))
    import_file(tmp_path / "citing.xml", curation_state=CurationState.APPROVED)
    citing = Article.objects.get(pmid=304)
    page = client.get(citing.get_absolute_url()).content.decode()
    assert "References (1)" in page
    assert f'<a href="{cited.get_absolute_url()}">Trial. 2019</a>' in page
    page = client.get(cited.get_absolute_url()).content.decode()
    assert "Cited by 1 article in this portal" in page
    assert citing.get_absolute_url() in page
    search = client.get("/articles/", {"cites": cited.pk}).content.decode()
    assert "The citing review" in search
    assert "Citing: The cited trial ✕" in search


def test_drafts_neither_cite_nor_are_cited_in_public(tmp_path):
    draft_cited = ArticleFactory(pmid=404, curation_state=CurationState.DRAFT)
    public_cited = ArticleFactory(pmid=405)
    write_pubmed(tmp_path / "draft.xml", citing_record(406, "A draft citing.", ("x", {"pubmed": "405"})))
    import_file(tmp_path / "draft.xml", curation_state=CurationState.DRAFT)
    write_pubmed(tmp_path / "public.xml", citing_record(407, "Public, citing a draft.", ("y", {"pubmed": "404"})))
    import_file(tmp_path / "public.xml", curation_state=CurationState.APPROVED)
    api = APIClient()
    assert api.get(f"/api/v1/articles/{public_cited.pk}/").json()["cited_by_count"] == 0
    public = Article.objects.get(pmid=407)
    assert api.get(f"/api/v1/articles/{public.pk}/").json()["references"][0]["article"] is None
    response = api.get("/api/v1/articles/", {"cites": draft_cited.pk})
    assert response.status_code == 400  # not an article a reader may name


def test_importing_the_same_references_twice_changes_nothing(tmp_path):
    path = write_pubmed(tmp_path / "refs.xml", citing_record(501, "Twice.", ("a", {"pubmed": "1"}), ("b", {})))
    first = import_file(path, curation_state=CurationState.APPROVED)
    second = import_file(path, curation_state=CurationState.APPROVED)
    assert (first.created, second.created, second.unchanged) == (1, 0, 1)
    assert Reference.objects.count() == 2


def test_a_later_source_with_references_adds_them_to_an_article_that_had_none(tmp_path):
    existing = ArticleFactory(pmid=601, title="Known without references.")
    path = write_pubmed(tmp_path / "refs.xml", citing_record(601, "Known without references.", ("c", {"pubmed": "2"})))
    report = import_file(path, curation_state=CurationState.APPROVED)
    assert report.updated == 1
    assert list(existing.references.values_list("pmid", flat=True)) == [2]


def test_a_bad_identifier_in_a_reference_is_dropped_with_a_warning_naming_it():
    record = Record(source_file="refs.xml", position=3, title="T")
    record.references = [("Good", "12", "10.1000/ok", ""), ("Bad ids", "12a", "not a doi", "PMCxyz"), ("", "", "", "")]
    prepared = Prepared(record)
    assert prepared.references == [(1, "Good", 12, "10.1000/ok", ""), (2, "Bad ids", None, "", "")]
    warned = {(warning.field_name, warning.source_file, warning.position) for warning in prepared.warnings}
    assert warned == {("reference 2", "refs.xml", 3)}


IDENTIFIER_TEXT = st.one_of(st.text(max_size=30), st.from_regex(r"10\.\d{4,6}/[a-z0-9.()-]{1,20}", fullmatch=True))


@hypothesis_settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(st.tuples(st.text(max_size=40), st.text(max_size=12), IDENTIFIER_TEXT, st.text(max_size=12)), max_size=8)
)
def test_any_reference_list_prepares_without_refusing_the_record(references):
    record = Record(source_file="generated.xml", position=1, title="Generated")
    record.references = references
    prepared = Prepared(record)
    field = Reference._meta.get_field
    for position, (_, citation, pmid, doi, pmcid) in enumerate(prepared.references, start=1):
        assert prepared.references[position - 1][0] == position
        assert pmid is None or 0 < pmid <= 99_999_999
        assert doi == doi.lower() and len(doi) <= field("doi").max_length
        assert len(pmcid) <= field("pmcid").max_length
        assert citation or pmid or doi or pmcid


def test_merging_a_duplicate_keeps_its_references_when_the_kept_article_has_none(tmp_path):
    kept = ArticleFactory(title="Kept")
    write_pubmed(tmp_path / "dup.xml", citing_record(701, "Duplicate.", ("d", {"pubmed": "3"}), ("e", {"pubmed": "4"})))
    import_file(tmp_path / "dup.xml", curation_state=CurationState.APPROVED)
    merge_articles(kept, Article.objects.get(pmid=701))
    assert list(kept.references.order_by("position").values_list("pmid", flat=True)) == [3, 4]


def test_counting_citations_of_a_page_searches_the_reference_indexes_not_every_public_article():
    if connection.vendor != "sqlite":
        pytest.skip("the plan of SQLite's query planner (PostgreSQL chooses by its statistics)")
    # With a join, SQLite drove from the public articles and probed each one's references (180 ms at
    # 1M articles for every API page); the PMID and DOI indexes must drive.
    articles = [ArticleFactory(pmid=1000 + n, doi=f"10.1000/{n}") for n in range(3)]
    plan = Reference.objects.from_public_articles().naming(articles).order_by().values("article_id").explain()
    assert "MULTI-INDEX OR" in plan and "reference_doi_idx" in plan and "reference_pmid_idx" in plan, plan
