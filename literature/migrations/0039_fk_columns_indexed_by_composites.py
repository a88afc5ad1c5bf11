"""Foreign keys whose column already leads a composite index (a unique (article, position) or
(article, concept) pair, or a Meta index) lose their own single-column index: it served no lookup the
composite does not, and every import wrote it for each row (a fifth of the time of an import's inserts).

Only the index goes: the state changes with AlterField, and the database by DROP INDEX, found by its
columns (on SQLite AlterField would copy each table, twice, which on a large corpus takes minutes).
"""

import django.db.models.deletion
from django.db import migrations, models

FIELDS = [
    ("articleconcept", "article"),
    ("articleconcept", "concept"),
    ("articledrug", "article"),
    ("articledrug", "drug"),
    ("articlerelation", "article"),
    ("authorship", "article"),
    ("authorship", "person"),
    ("drugname", "drug"),
    ("duplicatecandidate", "article"),
    ("importbatcharticle", "batch"),
    ("meshheading", "article"),
    ("publicationstate", "article"),
    ("publicationtype", "article"),
    ("reference", "article"),
]


def _own_indexes(schema_editor, table, column):
    with schema_editor.connection.cursor() as cursor:
        constraints = schema_editor.connection.introspection.get_constraints(cursor, table)
    return [
        name
        for name, details in constraints.items()
        if details["index"] and not details["unique"] and not details["primary_key"] and details["columns"] == [column]
    ]


def drop_own_indexes(apps, schema_editor):
    for model_name, field_name in FIELDS:
        model = apps.get_model("literature", model_name)
        column = model._meta.get_field(field_name).column
        for name in _own_indexes(schema_editor, model._meta.db_table, column):
            schema_editor.execute(
                schema_editor.sql_delete_index
                % {"table": schema_editor.quote_name(model._meta.db_table), "name": schema_editor.quote_name(name)}
            )


def create_own_indexes(apps, schema_editor):
    for model_name, field_name in FIELDS:
        model = apps.get_model("literature", model_name)
        field = model._meta.get_field(field_name)
        if not _own_indexes(schema_editor, model._meta.db_table, field.column):
            schema_editor.execute(schema_editor._create_index_sql(model, fields=[field]))


class Migration(migrations.Migration):
    dependencies = [
        ("literature", "0038_article_modified_id_indexes"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="articleconcept",
                    name="article",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="concepts",
                        to="literature.article",
                    ),
                ),
                migrations.AlterField(
                    model_name="articleconcept",
                    name="concept",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="article_concepts",
                        to="literature.concept",
                    ),
                ),
                migrations.AlterField(
                    model_name="articledrug",
                    name="article",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="drug_links",
                        to="literature.article",
                    ),
                ),
                migrations.AlterField(
                    model_name="articledrug",
                    name="drug",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="article_links",
                        to="literature.drug",
                    ),
                ),
                migrations.AlterField(
                    model_name="articlerelation",
                    name="article",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="relations",
                        to="literature.article",
                    ),
                ),
                migrations.AlterField(
                    model_name="authorship",
                    name="article",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="authorships",
                        to="literature.article",
                    ),
                ),
                migrations.AlterField(
                    model_name="authorship",
                    name="person",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="authorships",
                        to="literature.person",
                    ),
                ),
                migrations.AlterField(
                    model_name="drugname",
                    name="drug",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="names",
                        to="literature.drug",
                    ),
                ),
                migrations.AlterField(
                    model_name="duplicatecandidate",
                    name="article",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="literature.article",
                    ),
                ),
                migrations.AlterField(
                    model_name="importbatcharticle",
                    name="batch",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="articles",
                        to="literature.importbatch",
                    ),
                ),
                migrations.AlterField(
                    model_name="meshheading",
                    name="article",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="mesh_headings",
                        to="literature.article",
                    ),
                ),
                migrations.AlterField(
                    model_name="publicationstate",
                    name="article",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="publication_states",
                        to="literature.article",
                    ),
                ),
                migrations.AlterField(
                    model_name="publicationtype",
                    name="article",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="publication_types",
                        to="literature.article",
                    ),
                ),
                migrations.AlterField(
                    model_name="reference",
                    name="article",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="references",
                        to="literature.article",
                    ),
                ),
            ],
            database_operations=[migrations.RunPython(drop_own_indexes, create_own_indexes)],
        ),
    ]
