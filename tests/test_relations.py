"""Errata, retractions and comments are kept as PubMed links them (CommentsCorrections; EIN, RIN… in
MEDLINE text), each resolved to the portal's article it names when read: a reader sees that an article
was retracted, at the top of its page, and scripts get the relations in the API."""

from pathlib import Path

import pytest
from django.conf import settings

from literature.importers.run import import_file
from literature.models import Article, ArticleRelation, CurationState, RelationKind

PUBMED = Path(settings.SHARED_DATA_DIR) / "pubmed-xml"
needs_shared_data = pytest.mark.skipif(
    not PUBMED.is_dir(), reason=f"the shared sample files are not in this checkout ({PUBMED})"
)
pytestmark = pytest.mark.django_db


def pubmed_record(pmid, title, corrections=""):
    return (
        f"<PubmedArticle><MedlineCitation><PMID>{pmid}</PMID><Article><ArticleTitle>{title}</ArticleTitle>"
        f"</Article><CommentsCorrectionsList>{corrections}</CommentsCorrectionsList></MedlineCitation></PubmedArticle>"
    )


def correction(kind, source, pmid=""):
    pmid_xml = f'<PMID Version="1">{pmid}</PMID>' if pmid else ""
    return f'<CommentsCorrections RefType="{kind}"><RefSource>{source}</RefSource>{pmid_xml}</CommentsCorrections>'


def import_pubmed(tmp_path, *records):
    path = tmp_path / "records.xml"
    path.write_text(f"<PubmedArticleSet>{''.join(records)}</PubmedArticleSet>", encoding="utf-8")
    return import_file(path, curation_state=CurationState.APPROVED)


@needs_shared_data
def test_an_erratum_and_the_article_it_corrects_name_each_other_in_a_real_baseline_file():
    import_file(PUBMED / "netsynergy_pubmedparser__pubmed21n0001.xml", curation_state=CurationState.APPROVED)
    (erratum_in,) = Article.objects.get(pmid=2).relations.with_related_article()
    assert (erratum_in.kind, erratum_in.citation, erratum_in.pmid) == (
        RelationKind.ERRATUM_IN,
        "Biochem Pharmacol. 1975 Aug 15;24(16):1517-21",
        8,
    )
    assert erratum_in.related_article_id == Article.objects.get(pmid=8).pk
    (erratum_for,) = Article.objects.get(pmid=8).relations.all()
    assert (erratum_for.kind, erratum_for.pmid) == (RelationKind.ERRATUM_FOR, 2)


def test_a_retracted_article_says_so_at_the_top_of_its_page_with_a_link_to_the_notice(client, tmp_path):
    import_pubmed(
        tmp_path,
        pubmed_record(100, "A trial that was retracted.", correction("RetractionIn", "J Trials. 2020;5:9", 200)),
        pubmed_record(200, "Retraction notice.", correction("RetractionOf", "J Trials. 2019;4:1-8", 100)),
    )
    retracted, notice = Article.objects.get(pmid=100), Article.objects.get(pmid=200)
    page = client.get(retracted.get_absolute_url()).content.decode()
    banner = page[page.index('class="retraction-banner"') : page.index("<h1>")]
    assert "Retracted." in banner and "Retraction in" in banner
    assert f'href="{notice.get_absolute_url()}"' in banner
    assert "Corrections and comments" in page
    notice_page = client.get(notice.get_absolute_url()).content.decode()
    assert "retraction-banner" not in notice_page  # the notice retracts another article, not itself
    assert "Retraction of:" in notice_page


def test_the_api_gives_each_relation_with_the_portals_article_it_names(api, tmp_path):
    import_pubmed(
        tmp_path,
        pubmed_record(100, "Commented on.", correction("CommentIn", "Lancet. 2010;375:1966", 300)),
    )
    article = Article.objects.get(pmid=100)
    (relation,) = api.get(f"/api/v1/articles/{article.pk}/").json()["relations"]
    assert relation == {
        "kind": "CommentIn",
        "kind_label": "Comment in",
        "citation": "Lancet. 2010;375:1966",
        "pmid": 300,
        "article": None,  # PMID 300 is not in the portal (yet)
    }
    import_pubmed(tmp_path, pubmed_record(300, "The comment."))
    (relation,) = api.get(f"/api/v1/articles/{article.pk}/").json()["relations"]
    assert relation["article"].endswith(f"/api/v1/articles/{Article.objects.get(pmid=300).pk}/")


def test_references_and_unknown_kinds_are_not_relations_and_a_bad_pmid_is_dropped(tmp_path):
    report = import_pubmed(
        tmp_path,
        pubmed_record(
            100,
            "Title.",
            correction("Cites", "A reference", 5)
            + correction("SomethingNew", "Elsewhere", 6)
            + correction("UpdateIn", "Cochrane. 2021", "12a")
            + correction("UpdateIn", "Cochrane. 2021", "12a"),  # the same relation twice: kept once
        ),
    )
    assert list(ArticleRelation.objects.values_list("kind", "citation", "pmid")) == [
        ("UpdateIn", "Cochrane. 2021", None)
    ]
    assert [(w.field_name, w.message) for w in report.warnings] == [
        ("relation 2", "'SomethingNew' is not a kind of relation PubMed names (left out)"),
        ("relation 3", "'12a' is not a PubMed id"),
        ("relation 4", "'12a' is not a PubMed id"),
    ]


def test_medline_text_relations_come_with_their_pmids(tmp_path):
    path = tmp_path / "record.nbib"
    path.write_text(
        "PMID- 100\nTI  - Retracted work.\n"
        "RIN - J Trials. 2020 Jan;5(1):9. PMID: 200\n"
        "EIN - J Trials. 2019 Mar;4(2):20\n"
        "CON - Lancet. 2010 Jun 5;375(9730):1966; author reply 1967. PMID: 20529571\n",
        encoding="utf-8",
    )
    import_file(path)
    assert list(ArticleRelation.objects.values_list("kind", "citation", "pmid")) == [
        ("RetractionIn", "J Trials. 2020 Jan;5(1):9.", 200),
        ("ErratumIn", "J Trials. 2019 Mar;4(2):20", None),
        ("CommentOn", "Lancet. 2010 Jun 5;375(9730):1966; author reply 1967.", 20529571),
    ]
