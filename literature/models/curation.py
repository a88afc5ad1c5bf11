"""Pairs of articles that are likely duplicates, for curators to merge or dismiss."""

from django.db import models
from django.db.models import F, Q


class DuplicateStatus(models.TextChoices):
    OPEN = "open", "To review"
    DISMISSED = "dismissed", "Not duplicates"


class DuplicateCandidateQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=DuplicateStatus.OPEN)


class DuplicateCandidate(models.Model):
    """Two articles that are likely the same (see duplicates.py), for a curator to merge or dismiss."""

    # Looked up through the composite index that begins with this column (a unique one or Meta.indexes):
    # an index of its own would only slow every insert.
    article = models.ForeignKey("Article", on_delete=models.CASCADE, related_name="+", db_index=False)
    other = models.ForeignKey("Article", on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=200)
    score = models.FloatField(help_text="Title similarity, 0-100.")
    status = models.CharField(max_length=20, choices=DuplicateStatus.choices, default=DuplicateStatus.OPEN)
    found = models.DateTimeField(auto_now_add=True)

    objects = DuplicateCandidateQuerySet.as_manager()

    class Meta:
        verbose_name = "likely duplicate"
        ordering = ["-score", "article_id"]
        constraints = [
            models.UniqueConstraint(fields=["article", "other"], name="duplicatecandidate_once_per_pair"),
            models.CheckConstraint(condition=Q(article__lt=F("other")), name="duplicatecandidate_ordered_pair"),
        ]

    def __str__(self):
        return f"{self.article_id} ~ {self.other_id} ({self.reason})"
