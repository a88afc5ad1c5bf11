"""How imports scale: records matched and written by the chunk in a bounded number of queries, large
files parsed in a second process, re-imports recognised by the record's digest, and matching without
identifiers on the reduced title, year and first author."""

from pathlib import Path

import pytest
from django.conf import settings as django_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from literature.devdata.synthetic_pubmed import write_pubmed_file
from literature.importers import pipeline
from literature.importers.run import import_file
from literature.models import Article, Authorship, Keyword, Person
from literature.values.markup import matching_title
from tests.factories import ArticleFactory, KeywordFactory

PUBMED = Path(django_settings.SHARED_DATA_DIR) / "pubmed-xml"
needs_shared_data = pytest.mark.skipif(
    not PUBMED.is_dir(), reason=f"the shared sample files are not in this checkout ({PUBMED})"
)


@pytest.fixture(scope="module")
def synthetic_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("synthetic") / "pubmed-1200.xml"
    write_pubmed_file(path, 1200, seed=7)
    return path


def count_authors(path):
    return sum(1 for _ in etree.iterparse(str(path), tag="Author"))


@pytest.mark.django_db
def test_a_file_parsed_in_a_second_process_imports_every_record_and_author(synthetic_file, monkeypatch):
    monkeypatch.setattr(pipeline, "PARALLEL_FROM_BYTES", 0)
    report = import_file(synthetic_file)
    assert report.imported and not report.errors
    assert report.created + report.updated == 1200
    assert Article.objects.count() == report.created
    assert Authorship.objects.filter(article__pmid__gte=40_000_000).count() >= count_authors(synthetic_file) * 0.99


@pytest.mark.django_db
def test_reimporting_recognises_every_record_by_its_digest_whichever_way_it_was_parsed(synthetic_file, monkeypatch):
    monkeypatch.setattr(pipeline, "PARALLEL_FROM_BYTES", 0)
    first = import_file(synthetic_file)
    monkeypatch.setattr(pipeline, "PARALLEL_FROM_BYTES", 10**12)
    again = import_file(synthetic_file)
    assert (again.created, again.updated, again.unchanged) == (0, 0, first.created + first.updated)


@pytest.mark.django_db
def test_a_truncated_file_read_by_the_second_process_gives_one_clear_error(synthetic_file, tmp_path, monkeypatch):
    monkeypatch.setattr(pipeline, "PARALLEL_FROM_BYTES", 0)
    truncated = tmp_path / "truncated.xml"
    data = synthetic_file.read_bytes()
    truncated.write_bytes(data[: len(data) * 2 // 3])
    report = import_file(truncated)
    assert not report.imported
    (error,) = report.errors
    assert "truncated.xml, the file, XML: the file is not well-formed XML" in str(error)
    assert Article.objects.count() == 0


@needs_shared_data
@pytest.mark.django_db
def test_a_file_costs_a_few_queries_per_chunk_not_dozens_per_record(django_assert_max_num_queries):
    # 88 records with 1,200 MeSH headings, authors and journals: one record at a time took ~60 queries each.
    # About ten of these are the batch that would undo the file if it failed (begun, noted, finished).
    with django_assert_max_num_queries(70):
        report = import_file(PUBMED / "netsynergy_pubmedparser__pubmed21n1004.xml")
    assert report.created == 88


@needs_shared_data
@pytest.mark.django_db
def test_reimporting_an_unchanged_file_costs_a_few_queries(django_assert_max_num_queries):
    path = PUBMED / "netsynergy_pubmedparser__pubmed21n1004.xml"
    import_file(path)
    with django_assert_max_num_queries(10):
        report = import_file(path)
    assert report.unchanged == 88


@needs_shared_data
@pytest.mark.django_db
def test_orcid_ids_are_stored_in_their_normal_form():
    import_file(PUBMED / "netsynergy_pubmedparser__pubmed21n1000.xml")
    person = Person.objects.get(orcid="0000-0003-3132-7164")
    assert (person.family_name, person.given_names) == ("Moreira", "Gilson R P")


@pytest.mark.django_db
def test_an_author_with_a_broken_orcid_keeps_the_author_and_drops_the_orcid_with_a_warning(tmp_path):
    path = tmp_path / "orcid.xml"
    path.write_text(
        "<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>5</PMID><Article><ArticleTitle>T.</ArticleTitle>"
        "<AuthorList><Author><LastName>Rossi</LastName><Identifier Source='ORCID'>0000-0003-3132-7165</Identifier>"
        "</Author></AuthorList></Article></MedlineCitation></PubmedArticle></PubmedArticleSet>",
        encoding="utf-8",
    )
    report = import_file(path)
    assert (report.imported, report.created) == (True, 1)
    assert "orcid.xml, record 1 (PMID 5), author 1 ORCID:" in str(report.warnings[0])
    assert "check digit is wrong" in str(report.warnings[0])
    assert list(Person.objects.values_list("family_name", "orcid")) == [("Rossi", "")]


@pytest.mark.django_db
def test_the_same_article_twice_in_one_file_is_created_once(tmp_path):
    record = (
        "<PubmedArticle><MedlineCitation><PMID>123</PMID><Article><ArticleTitle>Twice.</ArticleTitle>"
        "<AuthorList><Author><LastName>Rossi</LastName><ForeName>Anna</ForeName></Author></AuthorList>"
        "</Article></MedlineCitation></PubmedArticle>"
    )
    path = tmp_path / "twice.xml"
    path.write_text(f"<PubmedArticleSet>{record}{record}</PubmedArticleSet>", encoding="utf-8")
    report = import_file(path)
    assert (report.created, report.unchanged) == (1, 1)
    assert Authorship.objects.get().person.family_name == "Rossi"


@pytest.mark.django_db
def test_a_record_without_identifiers_matches_by_reduced_title_year_and_first_author(tmp_path):
    article = ArticleFactory(title="<i>In vitro</i> effects of Lenalidomide", authors=0, published=(2012, 10))
    Authorship.objects.create(article=article, person=_person("Castelli", "Roberto"), position=1)
    path = tmp_path / "other-tool.ris"
    path.write_text(
        "TY  - JOUR\nTI  - In Vitro Effects of lenalidomide.\nAU  - Castelli, R.\nPY  - 2012\nVL  - 34\nER  - \n",
        encoding="utf-8",
    )
    report = import_file(path)
    assert (report.created, report.updated) == (0, 1)
    article.refresh_from_db()
    assert article.volume == "34"


def _person(family, given):
    return Person.objects.create(family_name=family, given_names=given)


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("<i>In vitro</i> study of thalidomide.", "in vitro study of thalidomide"),
        ("Thalidomide &amp; lenalidomide: a review", "thalidomide lenalidomide a review"),
        ("Études sur la thalidomide", "etudes sur la thalidomide"),
        ("Синяя Борода", "синяя борода"),
        ("", ""),
    ],
)
def test_matching_titles_ignore_markup_accents_case_and_punctuation_but_keep_any_script(title, expected):
    assert matching_title(title) == expected


@pytest.mark.django_db
def test_saving_only_the_title_keeps_the_matching_title_in_step():
    article = ArticleFactory(title="Old title")
    article.title = "A <i>new</i> title"
    article.save(update_fields=["title"])
    article.refresh_from_db()
    assert article.match_title == "a new title"


@pytest.mark.django_db
def test_keywords_created_together_get_unique_slugs():
    KeywordFactory(name="Drug therapy", slug="drug-therapy")
    created = Keyword.objects.create_many([("Drug Therapy!", ""), ("Drug-therapy", ""), ("Neoplasms", "D009369")])
    assert sorted(k.slug for k in created) == ["drug-therapy-2", "drug-therapy-3", "neoplasms"]
    assert Keyword.objects.get(slug="neoplasms").mesh_id == "D009369"


@pytest.mark.django_db
def test_keywords_without_a_latin_letter_never_take_a_numbered_slug_another_import_took():
    # Chinese keywords (a real EBSCO export) all slug to "item"; an earlier import left item and item-2,
    # an edit since freed none of them, and this batch must step over both (item-2 was reused once).
    KeywordFactory(name="机构", slug="item")
    KeywordFactory(name="田间试验", slug="item-2")
    KeywordFactory(name="农业机械", slug="item-4")
    created = Keyword.objects.create_many([("可调行距", ""), ("锁紧装置", ""), ("高速插秧机", "")])
    assert [k.slug for k in created] == ["item-3", "item-5", "item-6"]


@given(names=st.lists(st.text(alphabet="ab -!机", min_size=1, max_size=6), min_size=1, max_size=8, unique=True))
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@pytest.mark.django_db
def test_keywords_created_in_any_number_of_batches_all_get_slugs_of_their_own(names):
    Keyword.objects.all().delete()
    unique_names = list({name.lower(): name for name in names}.values())
    half = len(unique_names) // 2
    Keyword.objects.create_many([(name, "") for name in unique_names[:half]])
    Keyword.objects.create_many([(name, "") for name in unique_names[half:]])
    slugs = list(Keyword.objects.values_list("slug", flat=True))
    assert len(slugs) == len(set(slugs)) == len(unique_names)


@pytest.mark.django_db
def test_records_updated_by_a_reimport_are_found_by_their_new_words(tmp_path):
    record = (
        "<PubmedArticle><MedlineCitation><PMID>321</PMID><Article><ArticleTitle>Old words.</ArticleTitle>"
        "<Abstract><AbstractText>{}</AbstractText></Abstract></Article></MedlineCitation></PubmedArticle>"
    )
    path = tmp_path / "search.xml"
    path.write_text(f"<PubmedArticleSet>{record.format('Nothing special.')}</PubmedArticleSet>", encoding="utf-8")
    import_file(path)
    path.write_text(f"<PubmedArticleSet>{record.format('Now about xylocaine.')}</PubmedArticleSet>", encoding="utf-8")
    assert import_file(path).updated == 1
    assert [a.pmid for a in Article.objects.search("xylocaine")] == [321]
