"""The versions of derived data: one counter per kind, bumped by `literature.derived` after each
committed change, so that caches key on one indexed row instead of counting tables."""

from django.db import models


class DataVersion(models.Model):
    name = models.CharField(primary_key=True, max_length=40)
    number = models.PositiveBigIntegerField(default=0)

    def __str__(self):
        return f"{self.name} v{self.number}"
