"""`load_demo` loads the reference record exactly as the page shows it, plus the checked facts."""

import re

import pytest
from django.core.management import call_command

from literature.devdata.demo import load_demo
from literature.models import Article, ArticleDrug, Drug, Journal, Keyword, Person, PublicationState

pytestmark = pytest.mark.django_db


def test_the_seed_article_carries_every_field_of_the_reference_page(seed_article):
    article = Article.objects.for_detail().get(pk=seed_article.pk)
    assert article.full_title == (
        "Immunomodulatory drugs in multiple myeloma: From molecular mechanisms of action to clinical practice"
    )
    assert [p.display_name for p in article.authors] == [
        "Roberto Castelli",
        "Antonino Cannavò",
        "Fabio Conforti",
        "Giovanni Grava",
        "Agostino Cortelezzi",
    ]
    assert article.output_line == "Contribution to journal > Article > peer-review"
    assert article.language_name == "English"
    assert (article.pages, article.number_of_pages) == ("740-753", 14)
    assert article.journal.title == "Immunopharmacology and Immunotoxicology"
    assert (article.volume, article.issue) == ("34", "5")
    assert article.publication_status_line == "Published - Oct 2012"
    assert sorted(k.name for k in article.keywords.all()) == [
        "Immunomodulatory drugs (IMIDs)",
        "Immunomodulatory effects",
        "Lenalidomide",
        "Multiple myeloma",
        "Pomalidomide",
        "Thalidomide",
    ]
    assert sorted((s.code, s.name) for s in article.subject_areas.all()) == [
        (2403, "Immunology"),
        (2723, "Immunology and Allergy"),
        (3004, "Pharmacology"),
        (3005, "Toxicology"),
    ]


def test_the_abstract_is_the_reference_page_abstract_word_for_word(seed_article, seed_page_text):
    paragraph = next(line for line in seed_page_text.splitlines() if line.startswith("Multiple myeloma (MM)"))
    assert seed_article.abstract == paragraph.strip()


def test_the_facts_a_curator_adds_are_there(seed_article):
    assert seed_article.doi == "10.3109/08923973.2012.658921"
    assert [str(s) for s in seed_article.publication_states.order_by("year", "month")] == [
        "E-pub ahead of print - 9 Mar 2012",
        "Published - Oct 2012",
    ]
    journal = seed_article.journal
    assert (journal.issn_print, journal.issn_electronic) == ("0892-3973", "1532-2513")


@pytest.mark.parametrize(
    ("name", "atc", "drugbank", "cid", "inchikey", "chebi", "brands"),
    [
        ("Thalidomide", "L04AX02", "DB01041", 5426, "UEJJHQNACJXSKW-UHFFFAOYSA-N", 9513, ["Thalomid"]),
        ("Lenalidomide", "L04AX04", "DB00480", 216326, "GOTYRUGSSMKFNF-UHFFFAOYSA-N", 63791, ["Revlimid"]),
        ("Pomalidomide", "L04AX06", "DB08910", 134780, "UVSMNLNDYGZFPF-UHFFFAOYSA-N", 72690, ["Imnovid", "Pomalyst"]),
    ],
)
def test_the_three_imids_have_their_real_identifiers_and_confirmed_links(
    seed_article, name, atc, drugbank, cid, inchikey, chebi, brands
):
    drug = Drug.objects.get(name=name)
    drug.full_clean()
    assert (drug.atc_codes, drug.drugbank_id, drug.pubchem_cid, drug.inchikey, drug.chebi_id) == (
        [atc],
        drugbank,
        cid,
        inchikey,
        chebi,
    )
    assert sorted(drug.brand_names) == brands
    link = ArticleDrug.objects.get(article=seed_article, drug=drug)
    assert link.status == "confirmed"
    assert re.search(rf"<mark>{name}</mark>", link.evidence, re.IGNORECASE)


def test_loading_the_demo_twice_changes_nothing(seed_article):
    counts = [model.objects.count() for model in (Article, Person, Keyword, Drug, Journal, PublicationState)]
    modified = Article.objects.get().modified
    _, report = load_demo()
    assert (report.created, report.updated) == (0, 0)
    assert [model.objects.count() for model in (Article, Person, Keyword, Drug, Journal, PublicationState)] == counts
    assert Article.objects.get().modified == modified


def test_load_demo_command_reports_what_it_did(db, capsys):
    call_command("load_demo")
    assert "Demo record loaded:" in capsys.readouterr().out
    call_command("load_demo")
    assert "0 created, 0 updated" in capsys.readouterr().out


def test_loading_the_demo_again_keeps_a_curators_edits(seed_article):
    Article.objects.filter(pk=seed_article.pk).update(title="Immunomodulatory drugs (curated title)")
    seed_article.keywords.clear()
    _, report = load_demo()
    assert (report.created, report.updated) == (0, 0)
    article = Article.objects.get()
    assert article.title == "Immunomodulatory drugs (curated title)"
    assert article.keywords.count() == 0


def test_load_demo_reset_puts_the_record_back_as_shipped(seed_article):
    keywords = seed_article.keywords.count()
    Article.objects.filter(pk=seed_article.pk).update(title="Immunomodulatory drugs (curated title)")
    seed_article.keywords.clear()
    _, report = load_demo(reset=True)
    assert report.updated == 2  # the article's title, its keywords
    article = Article.objects.get()
    assert article.title == "Immunomodulatory drugs in multiple myeloma"
    assert article.keywords.count() == keywords > 0
