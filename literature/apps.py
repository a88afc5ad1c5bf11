"""The literature app: the curated record of research articles on a set of drugs."""

from django.apps import AppConfig


class LiteratureConfig(AppConfig):
    name = "literature"
    verbose_name = "Literature"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Receivers: plain ORM saves into the derived-data path; an import's files go with its record.
        from literature.derived import signals  # noqa: F401
        from literature.importers import jobs  # noqa: F401
