"""The Fingerprint: concepts and their weight in each article."""

from django.db import models
from django.urls import reverse

from .visibility import public_articles

# The Fingerprint ------------------------------------------------------------------------------------


class ConceptKind(models.TextChoices):
    """Where a concept comes from, which is also the category the Fingerprint groups it under."""

    DRUG = "drug", "Drugs"
    MESH = "mesh", "Medicine & life sciences (MeSH)"
    KEYWORD = "keyword", "Keywords"


class Concept(models.Model):
    """A research concept articles can be about: a drug of the vocabulary, a MeSH descriptor, or an
    author keyword that is in neither (see fingerprint.py)."""

    kind = models.CharField(max_length=10, choices=ConceptKind.choices)
    key = models.CharField(max_length=40, help_text="The drug's or keyword's id, or the MeSH descriptor id.")
    name = models.CharField(max_length=300)
    article_count = models.PositiveIntegerField(
        default=0, help_text="Articles whose fingerprint has it (for the rarity weight), as of the last computation."
    )

    class Meta:
        ordering = ["kind", "name"]
        constraints = [models.UniqueConstraint(fields=["kind", "key"], name="concept_unique_kind_key")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("literature:article-list") + f"?concept={self.pk}"


class ArticleConceptQuerySet(models.QuerySet):
    def public(self):
        """Shown concepts of public articles."""
        return self.shown().filter(public_articles("article__"))

    def shown(self):
        return self.filter(hidden=False)


class ArticleConcept(models.Model):
    """One concept of an article's Fingerprint with its weight (the top concept is 100)."""

    # Both looked up through the composite indexes that begin with their columns (unique pairs or
    # Meta.indexes): indexes of their own would only slow every insert.
    article = models.ForeignKey("Article", on_delete=models.CASCADE, related_name="concepts", db_index=False)
    concept = models.ForeignKey(Concept, on_delete=models.CASCADE, related_name="article_concepts", db_index=False)
    weight = models.FloatField(help_text="0-100: the article's top concept is 100.")
    hidden = models.BooleanField(
        default=False,
        help_text="Hidden by a curator as wrong for this article: never shown, kept through recomputations.",
    )

    objects = ArticleConceptQuerySet.as_manager()

    class Meta:
        verbose_name = "fingerprint concept"
        constraints = [
            models.UniqueConstraint(fields=["article", "concept"], name="articleconcept_once_per_pair"),
        ]
        indexes = [
            # Articles sharing a concept (its link, drug/keyword aggregates, similar articles): concept_id = ?.
            models.Index(fields=["concept", "-weight"], name="articleconcept_concept_idx"),
        ]

    def __str__(self):
        return f"{self.concept} ({self.weight:.0f}%)"
