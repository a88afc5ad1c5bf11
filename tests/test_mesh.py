"""MeSH headings and publication types are kept as NLM and PubMed give them (descriptor, qualifiers,
major topics; ordered types), apart from the authors' keywords; they are searched, filtered and
counted on every face (?mesh=, ?publication_type=, facets and group_by), harvested (OAI MODS), read by
the drug detector, written once per article and undone with the import that wrote them."""

from pathlib import Path

import pytest
from django.conf import settings
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from literature.archive import record_digests
from literature.importers import run
from literature.importers.medline import mesh_heading
from literature.importers.prepare import Prepared
from literature.importers.record import Record
from literature.importers.run import import_file
from literature.models import Article, ArticleDrug, CurationState, Keyword, MeshHeading, PublicationType
from literature.oai.repository import oai_identifier
from tests.factories import ArticleFactory, DrugFactory

pytestmark = pytest.mark.django_db

PUBMED = Path(settings.SHARED_DATA_DIR) / "pubmed-xml"
needs_shared_data = pytest.mark.skipif(
    not PUBMED.is_dir(), reason=f"the shared sample files are not in this checkout ({PUBMED})"
)

RECORD = """<PubmedArticle><MedlineCitation><PMID>{pmid}</PMID><Article>
<Journal><Title>Journal of Indexing</Title><JournalIssue><PubDate><Year>2020</Year></PubDate></JournalIssue></Journal>
<ArticleTitle>{title}</ArticleTitle>
<AuthorList><Author><LastName>Indexer</LastName><ForeName>Ann</ForeName></Author></AuthorList>
<PublicationTypeList>{types}</PublicationTypeList></Article>
<MeshHeadingList>{headings}</MeshHeadingList></MedlineCitation></PubmedArticle>"""


def heading(descriptor, ui, major="N", *qualifiers):
    qualifier_xml = "".join(
        f'<QualifierName UI="{q}" MajorTopicYN="{m}">{name}</QualifierName>' for name, q, m in qualifiers
    )
    descriptor_xml = f'<DescriptorName UI="{ui}" MajorTopicYN="{major}">{descriptor}</DescriptorName>'
    return f"<MeshHeading>{descriptor_xml}{qualifier_xml}</MeshHeading>"


def record(pmid, title="Lenalidomide in myeloma", headings=(), types=("Journal Article",)):
    types_xml = "".join(f"<PublicationType>{name}</PublicationType>" for name in types)
    return RECORD.format(pmid=pmid, title=title, headings="".join(headings), types=types_xml)


def write_pubmed(path, *records):
    path.write_text(f"<PubmedArticleSet>{''.join(records)}</PubmedArticleSet>", encoding="utf-8")
    return path


MYELOMA = heading("Multiple Myeloma", "D009101", "N", ("drug therapy", "Q000188", "Y"))
HUMANS = heading("Humans", "D006801")
THALIDOMIDE = heading("Thalidomide", "D013792", "N", ("analogs &amp; derivatives", "Q000031", "N"))


@pytest.fixture
def indexed(tmp_path):
    """Three approved articles: two reviews of myeloma, one trial in humans only."""
    write_pubmed(
        tmp_path / "indexed.xml",
        record(1, "Lenalidomide review", [MYELOMA, HUMANS], ["Journal Article", "Review"]),
        record(2, "Pomalidomide review", [MYELOMA], ["Review"]),
        record(3, "A trial", [HUMANS], ["Randomized Controlled Trial"]),
    )
    import_file(tmp_path / "indexed.xml", curation_state=CurationState.APPROVED)


def titles(response):
    return sorted(article["title"] for article in response.json()["results"])


def test_the_api_gives_headings_and_types_in_order(indexed, api):
    article = api.get("/api/v1/articles/pmid:1/").json()
    assert article["mesh_headings"] == [
        {
            "descriptor": "Multiple Myeloma",
            "descriptor_ui": "D009101",
            "major_topic": True,
            "qualifiers": [{"name": "drug therapy", "ui": "Q000188", "major_topic": True}],
        },
        {"descriptor": "Humans", "descriptor_ui": "D006801", "major_topic": False, "qualifiers": []},
    ]
    assert article["publication_types"] == [{"name": "Journal Article", "ui": ""}, {"name": "Review", "ui": ""}]
    assert article["keywords"] == []


def test_filters_find_articles_by_descriptor_and_type_in_any_case(indexed, api, client):
    assert titles(api.get("/api/v1/articles/", {"mesh": "multiple myeloma"})) == [
        "Lenalidomide review",
        "Pomalidomide review",
    ]
    assert titles(api.get("/api/v1/articles/", {"publication_type": "randomized controlled trial"})) == ["A trial"]
    assert titles(api.get("/api/v1/articles/", {"mesh": "Humans", "publication_type": "Review"})) == [
        "Lenalidomide review"
    ]
    page = client.get("/articles/", {"mesh": "Multiple Myeloma"})
    assert page.context["result_count"] == 2


def test_facets_and_group_by_count_descriptors_types_and_authors(indexed, api):
    mesh = api.get("/api/v1/articles/", {"group_by": "mesh"}).json()["group_by"]
    assert mesh == [
        {"key": "Humans", "key_display_name": "Humans", "count": 2},
        {"key": "Multiple Myeloma", "key_display_name": "Multiple Myeloma", "count": 2},
    ]
    types = api.get("/api/v1/articles/", {"group_by": "publication_type", "mesh": "Humans"}).json()["group_by"]
    assert {group["key"]: group["count"] for group in types} == {
        "Journal Article": 1,
        "Review": 1,
        "Randomized Controlled Trial": 1,
    }
    authors = api.get("/api/v1/articles/", {"group_by": "author"}).json()["group_by"]
    assert [(group["key_display_name"], group["count"]) for group in authors] == [("Indexer, Ann", 3)]
    person = authors[0]["key"]
    assert len(api.get("/api/v1/articles/", {"author": person}).json()["results"]) == 3


def test_a_descriptor_is_searchable_and_shown_on_the_page(indexed, client):
    assert client.get("/articles/", {"q": "myeloma"}).context["result_count"] == 2
    article = Article.objects.get(pmid=1)
    page = client.get(article.get_absolute_url()).content.decode()
    assert "MeSH terms" in page
    assert "?mesh=Multiple%20Myeloma" in page
    assert 'class="qualifier">drug therapy*</span>' in page
    assert "?publication_type=Review" in page


def test_the_mods_record_carries_headings_with_their_mesh_ids(indexed, client):
    article = Article.objects.get(pmid=1)
    identifier = oai_identifier(article.pk)
    xml = etree.fromstring(
        client.get("/oai/", {"verb": "GetRecord", "identifier": identifier, "metadataPrefix": "mods"}).content
    )
    ns = {"mods": "http://www.loc.gov/mods/v3"}
    subject = xml.find(".//mods:subject[@valueURI='https://id.nlm.nih.gov/mesh/D009101']", ns)
    assert subject.get("authority") == "mesh"
    assert [topic.text for topic in subject.findall("mods:topic", ns)] == ["Multiple Myeloma", "drug therapy"]
    assert "Review" in [genre.text for genre in xml.iterfind(".//mods:genre[@authority='mesh']", ns)]


def test_a_drug_named_by_a_heading_is_suggested_with_that_evidence(tmp_path):
    DrugFactory(name="Thalidomide", slug="thalidomide")
    import_file(write_pubmed(tmp_path / "drug.xml", record(5, "A study of outcomes", [THALIDOMIDE])))
    link = ArticleDrug.objects.get(article__pmid=5, drug__slug="thalidomide")
    assert link.evidence == "MeSH heading: <mark>Thalidomide</mark>"


def test_importing_twice_changes_nothing_and_a_later_source_fills_only_what_is_missing(tmp_path):
    path = write_pubmed(tmp_path / "first.xml", record(7, headings=[MYELOMA], types=["Review"]))
    import_file(path)
    before = record_digests()[1]
    assert import_file(path).unchanged == 1
    assert record_digests()[1] == before
    # Another source with other indexing: the article's headings and types stay as first given.
    other = write_pubmed(tmp_path / "other.xml", record(7, headings=[HUMANS], types=["Letter"]))
    import_file(other)
    article = Article.objects.get(pmid=7)
    assert [h.descriptor for h in article.mesh_headings.all()] == ["Multiple Myeloma"]
    assert [t.name for t in article.publication_types.all()] == ["Review"]


def test_an_article_without_headings_gets_them_from_a_later_import(tmp_path):
    ArticleFactory(pmid=8, title="Lenalidomide in myeloma", publication_year=2020)
    import_file(write_pubmed(tmp_path / "later.xml", record(8, headings=[MYELOMA, HUMANS])))
    assert list(MeshHeading.objects.filter(article__pmid=8).values_list("descriptor", flat=True)) == [
        "Multiple Myeloma",
        "Humans",
    ]


def test_a_failed_file_takes_back_the_headings_it_added(tmp_path, monkeypatch):
    monkeypatch.setattr(run, "CHUNK_SIZE", 1)
    ArticleFactory(pmid=9, title="Lenalidomide in myeloma", publication_year=2020)
    ArticleFactory(doi="10.1000/one", authors=1)
    ArticleFactory(pmid=999, authors=1)
    clash = record(999, "Clash").replace(
        "</ArticleTitle>", "</ArticleTitle><ELocationID EIdType='doi'>10.1000/one</ELocationID>"
    )
    report = import_file(write_pubmed(tmp_path / "fails.xml", record(9, headings=[MYELOMA], types=["Review"]), clash))
    assert not report.imported
    assert not MeshHeading.objects.exists()
    assert not PublicationType.objects.exists()


def test_a_bad_mesh_id_is_dropped_with_a_warning_and_the_heading_kept():
    raw = Record(source_file="x.xml", position=3, title="A title", pmid=5)
    raw.mesh_headings = [
        ("Asthma", "X123", False, [("drug therapy", "D000001", True)]),
        ("Asthma", "D001249", False, []),
    ]
    prepared = Prepared(raw)
    assert prepared.mesh_headings == [
        (1, "Asthma", "D001249", True, [{"name": "drug therapy", "ui": "", "major_topic": True}])
    ]
    messages = [str(warning) for warning in prepared.warnings]
    assert "x.xml, record 3 (PMID 5), MeSH heading 1: 'X123' is not a MeSH descriptor id" in messages[0]
    assert "'D000001' is not a MeSH qualifier id" in messages[1]


@needs_shared_data
def test_real_baseline_records_keep_every_heading_and_none_becomes_a_keyword():
    source = PUBMED / "netsynergy_pubmedparser__pubmed21n0001.xml"
    tree = etree.parse(str(source))
    given_headings = len(tree.findall(".//MeshHeadingList/MeshHeading"))
    given_types = len(tree.findall(".//PublicationTypeList/PublicationType"))
    import_file(source)
    assert MeshHeading.objects.count() == given_headings > 0
    assert PublicationType.objects.count() == given_types
    majors = len(tree.xpath(".//MeshHeading[.//*[@MajorTopicYN='Y']]"))
    assert MeshHeading.objects.filter(major_topic=True).count() == majors
    assert not Keyword.objects.filter(name__in=MeshHeading.objects.values("descriptor")).exists()


NAME = (
    st.text(st.characters(categories=["L", "N", "Zs"], exclude_characters="*/"), min_size=1, max_size=30)
    .map(lambda text: " ".join(text.split()))
    .filter(bool)
)


@given(descriptor=NAME, major=st.booleans(), qualifiers=st.lists(st.tuples(NAME, st.booleans()), max_size=4))
def test_a_medline_heading_line_reads_back_what_it_says(descriptor, major, qualifiers):
    line = (
        ("*" if major else "")
        + descriptor
        + "".join(f"/{'*' if q_major else ''}{name}" for name, q_major in qualifiers)
    )
    assert mesh_heading(line) == (descriptor, "", major, [(name, "", q_major) for name, q_major in qualifiers])


def test_curators_see_the_indexing_in_the_admin(indexed, curator_client):
    article = Article.objects.get(pmid=1)
    page = curator_client.get(f"/admin/literature/article/{article.pk}/change/").content.decode()
    assert "MeSH terms (as NLM indexed them; * a major topic)" in page
    assert "Multiple Myeloma/*drug therapy" in page  # MEDLINE's notation
    assert "Publication types (as PubMed gave them)" in page  # the admin capitalises the heading
