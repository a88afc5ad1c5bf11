"""Journals, found by ISSN."""

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from literature.values import identifiers
from literature.values.fields import IdentifierField

from .base import TimestampedModel
from .visibility import public_article_model

# Journals ------------------------------------------------------------------------------------------


class JournalQuerySet(models.QuerySet):
    def public(self):
        """Journals with a public article."""
        return self.filter(Exists(public_article_model().filter(journal=OuterRef("pk"))))

    def by_issn(self, value):
        value = identifiers.normalize_issn(value)
        return self.filter(Q(issn_print=value) | Q(issn_electronic=value))


class Journal(TimestampedModel):
    title = models.CharField(max_length=300)
    iso_abbreviation = models.CharField("ISO abbreviation", max_length=200, blank=True)
    issn_print = IdentifierField(
        "print ISSN",
        max_length=9,
        blank=True,
        normalizer=identifiers.normalize_issn,
        validators=[identifiers.validate_issn],
    )
    issn_electronic = IdentifierField(
        "electronic ISSN",
        max_length=9,
        blank=True,
        normalizer=identifiers.normalize_issn,
        validators=[identifiers.validate_issn],
    )
    publisher = models.CharField(max_length=300, blank=True)

    objects = JournalQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["title"]
        indexes = [
            # Ordering of the journal lists and the admin autocomplete (title__icontains).
            models.Index(fields=["title"], name="journal_title_idx"),
            # Importers match journals by ISSN first: Journal.objects.by_issn().
            models.Index(fields=["issn_electronic"], name="journal_eissn_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["issn_print"], condition=~Q(issn_print=""), name="journal_unique_print_issn"
            ),
            models.UniqueConstraint(
                fields=["issn_electronic"],
                condition=~Q(issn_electronic=""),
                name="journal_unique_electronic_issn",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("literature:journal-detail", kwargs={"pk": self.pk})
