"""Lets Curators keep the kill list of drug names the detector must never suggest again."""

from django.db import migrations

from literature.permissions import grant_to_curators, revoke_from_curators

CODENAMES = [f"{verb}_suppresseddrugname" for verb in ("view", "add", "change", "delete")]


def grant(apps, schema_editor):
    grant_to_curators(apps, CODENAMES)


def revoke(apps, schema_editor):
    revoke_from_curators(apps, CODENAMES)


class Migration(migrations.Migration):
    dependencies = [("literature", "0032_governance")]

    operations = [migrations.RunPython(grant, revoke)]
