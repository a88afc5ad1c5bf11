"""The domain model: what a record says about itself, and the rules the database never lets break."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from literature.curation.articles import set_authors
from literature.models import (
    Article,
    Authorship,
    CurationState,
    Drug,
    Journal,
    Keyword,
    OutputCategory,
    OutputType,
    Person,
    PublicationState,
    PublicationStatus,
)
from tests.factories import ArticleFactory, JournalFactory, PersonFactory

pytestmark = pytest.mark.django_db


def refused_by_database(create):
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


# Validation errors name the field and say what is wrong ---------------------------------------------


def test_a_bad_doi_is_refused_on_the_doi_field():
    article = ArticleFactory.build(doi="10.12/not-a-doi", journal=JournalFactory())
    with pytest.raises(ValidationError) as error:
        article.full_clean()
    assert "is not a DOI" in error.value.message_dict["doi"][0]


def test_a_bad_issn_checksum_is_refused_on_its_field():
    journal = Journal(title="Bad checksum journal", issn_print="0892-3974")
    with pytest.raises(ValidationError) as error:
        journal.full_clean()
    assert "not a valid ISSN" in error.value.message_dict["issn_print"][0]


def test_last_page_before_first_is_refused_on_the_last_page_field():
    article = ArticleFactory.build(first_page=753, last_page=740, journal=JournalFactory())
    with pytest.raises(ValidationError) as error:
        article.full_clean()
    assert "The last page (740) comes before the first page (753)" in error.value.message_dict["last_page"][0]


def test_the_database_refuses_a_last_page_before_the_first():
    journal = JournalFactory()
    refused_by_database(lambda: Article.objects.create(title="x", journal=journal, first_page=753, last_page=740))
    refused_by_database(lambda: Article.objects.create(title="x", journal=journal, last_page=740))


def test_a_month_without_a_year_is_refused():
    article = ArticleFactory(authors=0, published=(2012, 10))
    state = PublicationState(article=article, status=PublicationStatus.ACCEPTED, month=10)
    with pytest.raises(ValidationError) as error:
        state.full_clean()
    assert "A month needs a year" in error.value.message_dict["month"][0]
    refused_by_database(lambda: PublicationState.objects.create(article=article, status="submitted", month=3))


def test_a_day_that_does_not_exist_is_refused():
    article = ArticleFactory(authors=0)
    state = PublicationState(article=article, status=PublicationStatus.ACCEPTED, year=2011, month=2, day=29)
    with pytest.raises(ValidationError) as error:
        state.full_clean()
    assert "Feb 2011 has no day 29" in error.value.message_dict["day"][0]


def test_dois_differing_only_in_case_are_the_same_doi():
    ArticleFactory(doi="10.3109/08923973.2012.658921", authors=0)
    duplicate = ArticleFactory.build(doi="10.3109/08923973.2012.658921".upper(), journal=JournalFactory())
    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert "already has this DOI" in str(error.value)
    refused_by_database(lambda: Article.objects.create(title="x", doi="10.3109/08923973.2012.658921".upper()))


def test_a_doi_url_is_stored_as_the_bare_doi():
    article = ArticleFactory(doi="https://doi.org/10.3109/08923973.2012.658921", authors=0)
    article.refresh_from_db()
    assert article.doi == "10.3109/08923973.2012.658921"
    assert Article.objects.with_doi("DOI:10.3109/08923973.2012.658921".upper()).get() == article


def test_pmid_and_pmcid_are_unique_when_present_and_optional_otherwise():
    ArticleFactory(pmid=22400000, pmcid="pmc123", authors=0)
    ArticleFactory(authors=0)
    ArticleFactory(authors=0)
    refused_by_database(lambda: Article.objects.create(title="x", pmid=22400000))
    refused_by_database(lambda: Article.objects.create(title="x", pmcid="PMC123"))


def test_an_output_type_must_belong_to_its_category():
    article = ArticleFactory.build(
        category=OutputCategory.THESIS, output_type=OutputType.REVIEW, journal=JournalFactory()
    )
    with pytest.raises(ValidationError) as error:
        article.full_clean()
    assert "is an output type of 'Contribution to journal'" in error.value.message_dict["output_type"][0]
    refused_by_database(
        lambda: Article.objects.create(title="x", category=OutputCategory.THESIS, output_type=OutputType.REVIEW)
    )


def test_keywords_are_unique_whatever_their_case():
    Keyword.objects.create(name="Multiple myeloma")
    with pytest.raises(ValidationError, match="in any case"):
        Keyword(name="MULTIPLE MYELOMA").full_clean()
    refused_by_database(lambda: Keyword.objects.create(name="multiple Myeloma"))


def test_a_keyword_gets_a_unique_slug():
    first = Keyword.objects.create(name="Drug resistance")
    second = Keyword.objects.create(name="Drug-resistance")
    assert (first.slug, second.slug) == ("drug-resistance", "drug-resistance-2")


def test_a_journal_issn_belongs_to_one_journal():
    Journal.objects.create(title="A", issn_print="0892-3973")
    refused_by_database(lambda: Journal.objects.create(title="B", issn_print="08923973"))


def test_an_author_is_a_person_or_a_collective_never_both_or_neither():
    Person.objects.create(collective_name="The IMiD Study Group")
    Person.objects.create(family_name="Castelli", given_names="Roberto")
    with pytest.raises(ValidationError, match="either a person"):
        Person(family_name="Castelli", collective_name="Group").full_clean()
    refused_by_database(lambda: Person.objects.create(given_names="Roberto"))
    refused_by_database(lambda: Person.objects.create(family_name="X", collective_name="Y"))


def test_orcid_checksum_is_checked_on_people():
    with pytest.raises(ValidationError) as error:
        Person(family_name="Carberry", orcid="0000-0002-1825-0098").full_clean()
    assert "check digit" in error.value.message_dict["orcid"][0]


def test_two_authors_cannot_share_a_position_and_positions_start_at_one():
    article = ArticleFactory(authors=1)
    refused_by_database(lambda: Authorship.objects.create(article=article, person=PersonFactory(), position=1))
    refused_by_database(lambda: Authorship.objects.create(article=article, person=PersonFactory(), position=0))


def test_drug_identifiers_are_validated_and_unique():
    with pytest.raises(ValidationError) as error:
        Drug(name="Thalidomide", drugbank_id="DB1041", atc_codes=["L04AX02", "bad"]).full_clean()
    assert set(error.value.message_dict) == {"drugbank_id", "atc_codes"}
    Drug.objects.create(name="Thalidomide", drugbank_id="db01041")
    refused_by_database(lambda: Drug.objects.create(name="Thalidomid", drugbank_id="DB01041"))
    refused_by_database(lambda: Drug.objects.create(name="THALIDOMIDE"))


# What an article says about itself -------------------------------------------------------------------


def test_the_number_of_pages_is_counted_from_the_range_unless_overridden():
    article = Article(first_page=740, last_page=753)
    assert (article.pages, article.number_of_pages) == ("740-753", 14)
    article.page_count = 16
    assert article.number_of_pages == 16
    assert Article(article_number="e0131544").pages == "e0131544"
    assert Article(article_number="e0131544").number_of_pages is None


def test_the_current_status_is_the_most_advanced_one_whatever_the_order_of_entry():
    article = ArticleFactory(authors=0, published=(2012, 10))
    PublicationState.objects.create(
        article=article, status=PublicationStatus.EPUB_AHEAD_OF_PRINT, year=2012, month=3, day=9
    )
    article.refresh_from_db()
    assert article.publication_status_line == "Published - Oct 2012"
    article.publication_states.get(status=PublicationStatus.PUBLISHED).delete()
    article.refresh_from_db()
    assert article.publication_status_line == "E-pub ahead of print - 9 Mar 2012"


def test_the_output_line_reads_like_a_research_portal():
    article = Article(category=OutputCategory.CONTRIBUTION_TO_JOURNAL, output_type=OutputType.ARTICLE)
    assert article.output_line == "Contribution to journal > Article"
    article.peer_reviewed = True
    assert article.output_line == "Contribution to journal > Article > peer-review"


def test_abstract_markup_is_sanitised_but_inline_formatting_survives():
    article = ArticleFactory(
        abstract='<p onclick="x()">CD4<sup>+</sup> cells in <i>Mus musculus</i><script>alert(1)</script>'
        '<a href="http://evil">link</a></p>',
        title="IL-2 <b>and</b> <img src=x onerror=alert(1)>T<sub>reg</sub>",
        authors=0,
    )
    article.refresh_from_db()
    assert article.abstract == "<p>CD4<sup>+</sup> cells in <i>Mus musculus</i>link</p>"
    assert article.title == "IL-2 <b>and</b> T<sub>reg</sub>"
    assert str(article) == "IL-2 and Treg"


def test_only_approved_articles_are_public():
    states = [CurationState.DRAFT, CurationState.IN_REVIEW, CurationState.APPROVED, CurationState.WITHDRAWN]
    articles = {state: ArticleFactory(curation_state=state, authors=0) for state in states}
    assert list(Article.objects.public()) == [articles[CurationState.APPROVED]]


def test_set_authors_keeps_the_given_order():
    article = ArticleFactory(authors=0)
    people = PersonFactory.create_batch(3)
    set_authors(article, reversed(people))
    assert Article.objects.get(pk=article.pk).authors == list(reversed(people))


def test_initials_and_names_of_people():
    person = Person(family_name="Cannavò", given_names="Jean-Pierre Antonino")
    assert person.initials == "JPA"
    assert person.inverted_name == "Cannavò, Jean-Pierre Antonino"
    assert Person(collective_name="IFM Group").display_name == "IFM Group"


def test_newest_first_puts_each_unknown_part_of_the_date_last_within_what_is_known(db):
    from literature.models import PublicationState

    dates = {"2021": (2021, None, None), "2020-05-03": (2020, 5, 3), "2020-05": (2020, 5, None),
             "2020": (2020, None, None), "2020-04-30": (2020, 4, 30), "undated": None}  # fmt: skip
    made = {}
    for label, date in dates.items():
        article = ArticleFactory(title=label, published=None)
        PublicationState.objects.filter(article=article).delete()
        if date:
            year, month, day = date
            PublicationState.objects.create(article=article, status="published", year=year, month=month, day=day)
        article.refresh_publication_status()
        made[label] = article
    order = [a.title for a in Article.objects.filter(pk__in=[a.pk for a in made.values()]).newest_first()]
    assert order == ["2021", "2020-05-03", "2020-05", "2020-04-30", "2020", "undated"]
