"""Factories for the tests: valid, minimal records that each test adjusts to what it specifies."""

import factory
from stdnum import issn

from literature.curation.articles import set_authors
from literature.models import (
    Article,
    ArticleDrug,
    Authorship,
    CurationState,
    Drug,
    Journal,
    Keyword,
    Person,
    PublicationState,
    PublicationStatus,
)


def valid_issn(n):
    digits = f"{1000000 + n:07d}"
    return f"{digits[:4]}-{digits[4:]}{issn.calc_check_digit(digits)}"


class JournalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Journal

    title = factory.Sequence(lambda n: f"Journal of Test Studies {n}")
    issn_print = factory.Sequence(valid_issn)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    family_name = factory.Faker("last_name")
    given_names = factory.Faker("first_name")


class KeywordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Keyword

    name = factory.Sequence(lambda n: f"Keyword {n}")


class DrugFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Drug

    name = factory.Sequence(lambda n: f"Testamab {n}")


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"A study of test subjects, part {n}")
    abstract = "We studied things and found results."
    journal = factory.SubFactory(JournalFactory)
    language = "eng"
    curation_state = CurationState.APPROVED

    @factory.post_generation
    def authors(article, create, count, **kwargs):
        if create:
            set_authors(article, PersonFactory.create_batch(count if count is not None else 2))

    @factory.post_generation
    def published(article, create, value, **kwargs):
        if create:
            year, month = value or (2020, 5)
            PublicationState.objects.create(article=article, status=PublicationStatus.PUBLISHED, year=year, month=month)


class AuthorshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Authorship

    article = factory.SubFactory(ArticleFactory, authors=0)
    person = factory.SubFactory(PersonFactory)
    position = factory.Sequence(lambda n: n + 1)


class ArticleDrugFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ArticleDrug

    article = factory.SubFactory(ArticleFactory)
    drug = factory.SubFactory(DrugFactory)
