"""Lets Curators see an article's MeSH headings and publication types in the admin, and delete a wrong one."""

from django.db import migrations

from literature.permissions import grant_to_curators, revoke_from_curators

CODENAMES = ["view_meshheading", "delete_meshheading", "view_publicationtype", "delete_publicationtype"]


def grant(apps, schema_editor):
    grant_to_curators(apps, CODENAMES)


def revoke(apps, schema_editor):
    revoke_from_curators(apps, CODENAMES)


class Migration(migrations.Migration):
    dependencies = [("literature", "0030_mesh_headings_and_publication_types")]

    operations = [migrations.RunPython(grant, revoke)]
