"""How indexers described an article, as its source record gives it: NLM's MeSH headings (a descriptor
with its qualifiers, each possibly a major topic) and PubMed's publication types. Kept apart from the
author keywords, which are the authors' own words: "Humans" and "Female" are indexing, not keywords.

Rows belong to their article and are written whole by the importer (write.py); the reading verbs count
them over public articles for the facets and the API's group_by."""

from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower

from literature.values import identifiers


class MeshHeading(models.Model):
    # Looked up through the composite index that begins with this column (a unique one or Meta.indexes):
    # an index of its own would only slow every insert.
    article = models.ForeignKey("Article", on_delete=models.CASCADE, related_name="mesh_headings", db_index=False)
    position = models.PositiveIntegerField(help_text="1 for the first heading, in the record's order.")
    descriptor = models.CharField(max_length=200, help_text="The descriptor's name, e.g. Multiple Myeloma.")
    descriptor_ui = models.CharField(
        "descriptor id", max_length=10, blank=True, validators=[identifiers.validate_mesh_id], help_text="D009101"
    )
    major_topic = models.BooleanField(
        default=False, help_text="The descriptor, or one of its qualifiers, is a main point of the article."
    )
    qualifiers = models.JSONField(
        default=list,
        blank=True,
        help_text='[{"name": "drug therapy", "ui": "Q000188", "major_topic": true}], in the record\'s order.',
    )

    class Meta:
        ordering = ["article", "position"]
        constraints = [
            models.UniqueConstraint(fields=["article", "position"], name="meshheading_unique_position"),
        ]
        # ?mesh= names a descriptor in any case (ArticleQuerySet.with_mesh_heading).
        indexes = [models.Index(Lower("descriptor"), name="meshheading_descriptor_idx")]

    def __str__(self):
        """MEDLINE's notation: 'Multiple Myeloma/*drug therapy', a star before each major topic."""
        major_qualifier = any(qualifier["major_topic"] for qualifier in self.qualifiers)
        descriptor = f"*{self.descriptor}" if self.major_topic and not major_qualifier else self.descriptor
        return "/".join([descriptor, *(f"{'*' if q['major_topic'] else ''}{q['name']}" for q in self.qualifiers)])


class PublicationType(models.Model):
    # Looked up through the composite index that begins with this column (a unique one or Meta.indexes):
    # an index of its own would only slow every insert.
    article = models.ForeignKey("Article", on_delete=models.CASCADE, related_name="publication_types", db_index=False)
    position = models.PositiveIntegerField()
    name = models.CharField(max_length=120, help_text="As PubMed names it: Review, Randomized Controlled Trial…")
    ui = models.CharField("MeSH id", max_length=10, blank=True, help_text="D016454")

    class Meta:
        ordering = ["article", "position"]
        constraints = [
            models.UniqueConstraint(fields=["article", "position"], name="publicationtype_unique_position"),
            models.CheckConstraint(condition=~Q(name=""), name="publicationtype_has_name"),
        ]
        indexes = [models.Index(Lower("name"), name="publicationtype_name_idx")]

    def __str__(self):
        return self.name
