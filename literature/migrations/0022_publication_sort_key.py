"""The newest-first sort key, filled from the current publication date, and the index that serves it."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("literature", "0021_data_versions"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="article",
            name="article_public_newest_idx",
        ),
        migrations.AddField(
            model_name="article",
            name="publication_sort_key",
            field=models.PositiveIntegerField(default=0, editable=False),
        ),
        migrations.RunSQL(
            "UPDATE literature_article SET publication_sort_key = COALESCE(publication_year, 0) * 10000"
            " + COALESCE(publication_month, 0) * 100 + COALESCE(publication_day, 0)",
            migrations.RunSQL.noop,
        ),
        migrations.AddField(
            model_name="historicalarticle",
            name="publication_sort_key",
            field=models.PositiveIntegerField(default=0, editable=False),
        ),
        migrations.AddIndex(
            model_name="article",
            index=models.Index(
                models.F("curation_state"),
                models.OrderBy(models.F("publication_sort_key"), descending=True),
                models.OrderBy(models.F("id"), descending=True),
                name="article_public_newest_idx",
            ),
        ),
    ]
