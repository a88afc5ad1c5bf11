"""Author keywords (with the redirects of merged ones) and the ASJC subject areas."""

from django.db import models
from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import Lower
from django.urls import reverse
from simple_history.models import HistoricalRecords

from literature.values import identifiers
from literature.values.fields import IdentifierField

from .base import TimestampedModel, unique_slug, unique_slugs
from .visibility import public_article_model, public_articles

# Vocabularies: keywords, ASJC subject areas, drugs -------------------------------------------------


class KeywordQuerySet(models.QuerySet):
    def create_many(self, pairs):
        """Insert new keywords from (name, MeSH id) pairs in one statement, each with a unique slug
        (the names are new: the caller looked them up)."""
        pairs = list(pairs)
        slugs = unique_slugs(Keyword, [name for name, _ in pairs])
        return self.bulk_create(
            Keyword(name=name, mesh_id=mesh, slug=slug) for (name, mesh), slug in zip(pairs, slugs, strict=True)
        )

    def public(self):
        """Keywords of a public article."""
        through = Keyword.articles.through.objects.filter(keyword=OuterRef("pk"), article__in=public_article_model())
        return self.filter(Exists(through))


class Keyword(TimestampedModel):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True, blank=True)
    mesh_id = IdentifierField(
        "MeSH descriptor id",
        max_length=10,
        blank=True,
        normalizer=identifiers.normalize_code,
        validators=[identifiers.validate_mesh_id],
    )

    objects = KeywordQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["name"], name="keyword_name_idx")]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="keyword_unique_name_any_case",
                violation_error_message="A keyword with this name (in any case) already exists.",
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Keyword, self.name, exclude_pk=self.pk)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("literature:keyword-detail", kwargs={"slug": self.slug})


class KeywordRedirect(models.Model):
    """The slug of a keyword merged into another: its old URL leads to the one kept."""

    old_slug = models.SlugField(max_length=100, unique=True)
    keyword = models.ForeignKey(Keyword, on_delete=models.CASCADE, related_name="redirects")
    created = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.old_slug} → {self.keyword.slug}"


class SubjectBranch(models.TextChoices):
    HEALTH = "Health Sciences"
    LIFE = "Life Sciences"
    PHYSICAL = "Physical Sciences"
    SOCIAL = "Social Sciences & Humanities"
    MULTIDISCIPLINARY = "Multidisciplinary"


class SubjectAreaQuerySet(models.QuerySet):
    def areas(self):
        """The 27 two-digit subject areas (Medicine, Pharmacology, Toxicology and Pharmaceutics, ...)."""
        return self.filter(parent__isnull=True)

    def fields(self):
        """The four-digit codes articles are classified under."""
        return self.filter(parent__isnull=False)

    def public(self):
        """Codes a public article is classified under."""
        through = SubjectArea.articles.through.objects.filter(
            subjectarea=OuterRef("pk"), article__in=public_article_model()
        )
        return self.filter(Exists(through))

    def with_public_article_counts(self):
        """Each code's `article_count`: the public articles classified under it."""
        return self.annotate(article_count=Count("articles", filter=public_articles("articles__")))


class SubjectArea(models.Model):
    """An entry of Elsevier's All Science Journal Classification (ASJC), loaded by a data migration:
    two-digit subject areas and the four-digit codes under them."""

    code = models.PositiveSmallIntegerField(unique=True)
    name = models.CharField(max_length=200)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", editable=False
    )
    branch = models.CharField(max_length=40, choices=SubjectBranch.choices)

    objects = SubjectAreaQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(code__gte=10, code__lte=99, parent__isnull=True))
                | (Q(code__gte=1000, code__lte=9999, parent__isnull=False)),
                name="subjectarea_code_matches_level",
                violation_error_message="Two-digit codes are subject areas; four-digit codes sit under one.",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.code})"

    def get_absolute_url(self):
        return reverse("literature:subject-detail", kwargs={"code": self.code})

    @property
    def is_area(self):
        return self.parent_id is None
