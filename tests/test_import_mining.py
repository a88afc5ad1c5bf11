"""An import's new articles are mined (drug links suggested, Fingerprints computed) from what the writer
has just written, handed over to the one derived-data path instead of read back: the outcome is the
same as mining them from the database."""

import gc

import pytest

from literature.derived import collecting, refresh_derived
from literature.derived.refresh import mine
from literature.devdata.corpus import DRUG_NAMES
from literature.devdata.synthetic_pubmed import write_pubmed_file
from literature.importers.record import RecordAuthor
from literature.importers.resolve import resolve_people
from literature.importers.run import import_file
from literature.mining.texts import ArticleText, article_texts
from literature.models import Article, ArticleConcept, ArticleDrug, Person
from tests.factories import ArticleFactory, DrugFactory

pytestmark = pytest.mark.django_db


def derived_rows():
    links = ArticleDrug.objects.order_by("article", "drug").values_list(
        "article", "drug", "status", "source", "evidence", "mention_count"
    )
    concepts = ArticleConcept.objects.order_by("article", "concept").values_list(
        "article", "concept__kind", "concept__key", "weight", "hidden"
    )
    return list(links), list(concepts)


def test_new_articles_are_mined_as_if_read_back(tmp_path):
    for name in DRUG_NAMES[:12]:
        DrugFactory(name=name)
    path = tmp_path / "records.xml"
    write_pubmed_file(path, 60, seed=3)
    report = import_file(path)
    assert report.created == 60
    as_imported = derived_rows()
    assert as_imported[0], "the synthetic records name drugs of the vocabulary"
    assert as_imported[1]

    mine(Article.objects.values_list("pk", flat=True))  # from the database, nothing handed over

    assert derived_rows() == as_imported


def test_an_article_changed_again_in_the_block_is_read_back():
    DrugFactory(name="Pomalidomide")
    article = ArticleFactory(title="Pomalidomide in relapsed myeloma", abstract="")
    ArticleDrug.objects.all().delete()
    stale = {article.pk: ArticleText(article.pk, "An older title", "", [])}
    with collecting():
        refresh_derived([article.pk], mine_now=True, texts=stale)
        refresh_derived([article.pk], mine_now=True)  # a later write of the block: the text is not current
    assert ArticleDrug.objects.filter(article=article, drug__name="Pomalidomide").exists()


def test_texts_read_for_mining_hold_keywords_then_mesh_headings():
    article = ArticleFactory(title="T", abstract="A")
    article.keywords.create(name="cereblon")
    article.mesh_headings.create(position=1, descriptor="Multiple Myeloma", descriptor_ui="D009101")
    (text,) = article_texts([article.pk])
    assert (text.title, text.abstract) == ("T", "A")
    assert text.keywords[0][1:] == ("cereblon", "")
    assert text.keywords[1] == (None, "Multiple Myeloma", "D009101")
    assert text.keyword_names() == ["cereblon", "Multiple Myeloma"]


def test_people_are_found_by_their_exact_family_and_given_names():
    jane = Person.objects.create(family_name="Wang", given_names="Jane")
    Person.objects.create(family_name="Wang", given_names="Li")
    later_jane = Person.objects.create(family_name="Wang", given_names="Jane")
    authors = [
        RecordAuthor(family="Wang", given="Jane"),
        RecordAuthor(family="Wang", given="Wei"),
    ]
    (((first, _), (second, _)),) = resolve_people([authors])
    assert first == jane.pk != later_jane.pk  # the oldest of two people of one name
    assert Person.objects.get(pk=second).given_names == "Wei"  # no one of that name yet: a new person
    assert Person.objects.filter(family_name="Wang").count() == 4


def test_an_import_leaves_the_cycle_collector_as_it_was(tmp_path):
    path = tmp_path / "records.xml"
    write_pubmed_file(path, 3, seed=4)
    before = gc.get_threshold()
    import_file(path)
    assert gc.get_threshold() == before
