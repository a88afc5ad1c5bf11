"""Lets Curators make, see and revoke their own API tokens."""

from django.db import migrations

from literature.permissions import grant_to_curators, revoke_from_curators

CODENAMES = ["add_apitoken", "view_apitoken", "delete_apitoken"]


def grant(apps, schema_editor):
    grant_to_curators(apps, CODENAMES)


def revoke(apps, schema_editor):
    revoke_from_curators(apps, CODENAMES)


class Migration(migrations.Migration):
    dependencies = [("literature", "0007_api_tokens")]

    operations = [migrations.RunPython(grant, revoke)]
