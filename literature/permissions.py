"""Granting the Curators group (made by migration 0003) the permissions on models added later; used by
data migrations, with the historical `apps` they are given."""

from django.contrib.auth.management import create_permissions


def grant_to_curators(apps, codenames):
    # Permissions are normally created after all migrations run; the group needs them now.
    app_config = apps.get_app_config("literature")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Curators")
    group.permissions.add(*Permission.objects.filter(content_type__app_label="literature", codename__in=codenames))


def revoke_from_curators(apps, codenames):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name="Curators"):
        group.permissions.remove(*Permission.objects.filter(codename__in=codenames))
