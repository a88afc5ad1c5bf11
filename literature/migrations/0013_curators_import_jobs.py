"""Lets Curators upload files to import, follow their progress and delete the record of an import."""

from django.db import migrations

from literature.permissions import grant_to_curators, revoke_from_curators

CODENAMES = ["add_importjob", "view_importjob", "delete_importjob"]


def grant(apps, schema_editor):
    grant_to_curators(apps, CODENAMES)


def revoke(apps, schema_editor):
    revoke_from_curators(apps, CODENAMES)


class Migration(migrations.Migration):
    dependencies = [("literature", "0012_import_jobs")]

    operations = [migrations.RunPython(grant, revoke)]
