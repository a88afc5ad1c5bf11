"""The plain inserts of the import's bulk path store what the ORM would, and the foreign keys that
lost their own index are still served by one."""

import importlib

import pytest
from django.apps import apps
from django.db import connection

from literature.importers.rows import insert_instances
from literature.models import Article, CurationState
from literature.values import identifiers
from tests.factories import JournalFactory

FK_INDEXES = importlib.import_module("literature.migrations.0039_fk_columns_indexed_by_composites")


def fields_of(article):
    return {
        field.attname: getattr(article, field.attname)
        for field in Article._meta.concrete_fields
        if field.attname not in ("id", "created", "modified")
    }


@pytest.mark.django_db
def test_plain_inserts_store_what_bulk_create_stores():
    journal = JournalFactory()
    values = {
        "title": "Lenalidomide in <i>myeloma</i>",
        "abstract": "An abstract.",
        "doi": "https://doi.org/10.1038/NRCLINONC.2012.1",  # normalised on the way in, as in a save
        "pmid": 22_000_001,
        "journal": journal,
        "volume": "9",
        "first_page": 12,
        "curation_state": CurationState.IN_REVIEW,
    }
    by_orm = Article.objects.bulk_create([Article(**values)])[0]
    by_rows = Article(**{**values, "pmid": 22_000_002, "doi": "https://doi.org/10.1038/other"})
    ids = insert_instances(Article, [by_rows])

    assert ids == [by_rows.pk] and by_rows.pk > by_orm.pk and not by_rows._state.adding
    stored_orm = Article.objects.get(pk=by_orm.pk)
    stored_rows = Article.objects.get(pk=by_rows.pk)
    assert stored_orm.doi == identifiers.normalize_doi(values["doi"]) != values["doi"]
    assert stored_rows.doi == "10.1038/other"
    assert {**fields_of(stored_rows), "pmid": 0, "doi": ""} == {**fields_of(stored_orm), "pmid": 0, "doi": ""}
    assert stored_rows.created is not None and stored_rows.modified == stored_rows.created


@pytest.mark.django_db
@pytest.mark.parametrize(("model_name", "field_name"), FK_INDEXES.FIELDS)
def test_a_foreign_key_without_an_index_of_its_own_leads_another_index(model_name, field_name):
    model = apps.get_model("literature", model_name)
    field = model._meta.get_field(field_name)
    assert not field.db_index
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, model._meta.db_table)
    indexes = [details["columns"] for details in constraints.values() if details["index"] or details["unique"]]
    leading = [columns for columns in indexes if columns[:1] == [field.column]]
    assert leading, f"nothing serves lookups by {model._meta.db_table}.{field.column}"
    assert [field.column] not in leading  # and no index of its own is left
