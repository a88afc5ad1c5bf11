"""Lets Curators upload files to import, follow their progress and delete the record of an import."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CODENAMES = ["add_importjob", "view_importjob", "delete_importjob"]


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
    dependencies = [("literature", "0012_import_jobs")]

    operations = [migrations.RunPython(grant, revoke)]
