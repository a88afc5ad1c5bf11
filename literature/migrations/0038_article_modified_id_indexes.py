from django.db import migrations, models


class Migration(migrations.Migration):
    """The admin list's order (modified, id) served whole by an index; the new indexes are made before the
    old ones go, so the list is never without one."""

    dependencies = [
        ("literature", "0037_article_accessions"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="article",
            index=models.Index(fields=["-modified", "-id"], name="article_modified_id_idx"),
        ),
        migrations.AddIndex(
            model_name="article",
            index=models.Index(fields=["curation_state", "-modified", "-id"], name="article_curation_queue_id_idx"),
        ),
        migrations.RemoveIndex(model_name="article", name="article_curation_queue_idx"),
        migrations.RemoveIndex(model_name="article", name="article_modified_idx"),
    ]
