"""Creates the Curators group: staff who edit the curated record in the admin, but not user accounts."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CURATED_MODELS = [
    "article",
    "authorship",
    "publicationstate",
    "articledrug",
    "journal",
    "person",
    "keyword",
    "drug",
    "drugname",
]


def create_curators_group(apps, schema_editor):
    # Permissions are normally created after all migrations run; the group needs them now.
    app_config = apps.get_app_config("literature")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Curators")
    codenames = [f"{action}_{model}" for model in CURATED_MODELS for action in ("add", "change", "delete", "view")]
    codenames.append("view_subjectarea")
    group.permissions.add(*Permission.objects.filter(content_type__app_label="literature", codename__in=codenames))


def delete_curators_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Curators").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("literature", "0002_asjc_classification"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_curators_group, delete_curators_group)]
