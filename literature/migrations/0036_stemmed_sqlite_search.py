"""SQLite's full-text table with the Porter stemmer, as PostgreSQL's index stems with `english`: the
same query finds the same articles on both ("patient" finds "patients"). An FTS5 table's tokenizer
cannot be changed, so the table is made again and every article indexed anew (measured: 20,000 articles
in 1.5 s, so about 10 s per 100,000, inside the migration's transaction). PostgreSQL's index is left as
it is."""

from django.db import migrations

from literature.search import index as search


def rebuild_search_table(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    search.drop_index_table(schema_editor)
    search.create_index_table(schema_editor)
    ids = list(apps.get_model("literature", "Article").objects.values_list("pk", flat=True))
    search.index_articles(ids, using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("literature", "0035_dates_as_given"),
    ]

    operations = [migrations.RunPython(rebuild_search_table, migrations.RunPython.noop)]
