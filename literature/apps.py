"""The literature app: the curated record of research articles on a set of drugs."""

from django.apps import AppConfig


class LiteratureConfig(AppConfig):
    name = "literature"
    verbose_name = "Literature"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_migrate

        from literature.derived import signals

        post_migrate.connect(signals.analyze_after_migrate, sender=self)
