"""The literature app: the curated record of research articles on a set of drugs."""

from django.apps import AppConfig


class LiteratureConfig(AppConfig):
    name = "literature"
    verbose_name = "Literature"
    default_auto_field = "django.db.models.BigAutoField"
