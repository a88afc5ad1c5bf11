"""Lets Curators hide Fingerprint concepts, browse the concepts, and see the history of records."""

from django.db import migrations

from literature.permissions import grant_to_curators, revoke_from_curators

CODENAMES = [
    "view_concept",
    "view_articleconcept",
    "change_articleconcept",
    "view_duplicatecandidate",
    "change_duplicatecandidate",
]


def grant(apps, schema_editor):
    grant_to_curators(apps, CODENAMES)


def revoke(apps, schema_editor):
    revoke_from_curators(apps, CODENAMES)


class Migration(migrations.Migration):
    dependencies = [("literature", "0019_duplicates")]

    operations = [migrations.RunPython(grant, revoke)]
