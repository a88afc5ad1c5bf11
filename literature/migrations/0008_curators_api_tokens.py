"""Lets Curators make, see and revoke their own API tokens."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CODENAMES = ["add_apitoken", "view_apitoken", "delete_apitoken"]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("literature")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Curators")
    group.permissions.add(*Permission.objects.filter(content_type__app_label="literature", codename__in=CODENAMES))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name="Curators"):
        group.permissions.remove(*Permission.objects.filter(codename__in=CODENAMES))


class Migration(migrations.Migration):
    dependencies = [("literature", "0007_api_tokens")]

    operations = [migrations.RunPython(grant, revoke)]
