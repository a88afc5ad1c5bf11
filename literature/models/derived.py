"""The versions of derived data: one counter per kind, bumped by `literature.derived` after each
committed change, so that caches key on one indexed row instead of counting tables."""

from django.db import models


class DataVersion(models.Model):
    name = models.CharField(primary_key=True, max_length=40)
    number = models.PositiveBigIntegerField(default=0)

    def __str__(self):
        return f"{self.name} v{self.number}"


class SourceLoad(models.Model):
    """The last complete run of a heavy step over a source (the drug vocabulary load, the Fingerprint
    pass over the corpus), with a digest of what it ran on: run again only when that changed."""

    name = models.CharField(primary_key=True, max_length=40)
    digest = models.CharField(max_length=64)
    finished = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"{self.name} ({self.digest[:12]}, {self.finished:%Y-%m-%d %H:%M})"

    @classmethod
    def is_current(cls, name, digest):
        return cls.objects.filter(name=name, digest=digest).exists()

    @classmethod
    def record(cls, name, digest):
        cls.objects.update_or_create(name=name, defaults={"digest": digest})
