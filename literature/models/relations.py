"""Notices about an article and the articles it is a notice about: errata, retractions, expressions of
concern, corrected republications, updates and comments, as PubMed links them (CommentsCorrections in
PubMed XML; EIN, RIN, ECI… in MEDLINE text).

Like a reference (references.py), a relation names the other article by PMID and is resolved to an
article of the portal when it is read, never stored as a link: a retraction notice imported before or
after the paper it retracts is found either way, and nothing has to be kept in step."""

from django.db import models
from django.db.models import OuterRef, Q, Subquery

from .visibility import public_article_model


class RelationKind(models.TextChoices):
    # Values are PubMed's RefType names, so a record's relation is stored as the record says it.
    RETRACTION_IN = "RetractionIn", "Retraction in"
    RETRACTION_OF = "RetractionOf", "Retraction of"
    PARTIAL_RETRACTION_IN = "PartialRetractionIn", "Partial retraction in"
    PARTIAL_RETRACTION_OF = "PartialRetractionOf", "Partial retraction of"
    EXPRESSION_OF_CONCERN_IN = "ExpressionOfConcernIn", "Expression of concern in"
    EXPRESSION_OF_CONCERN_FOR = "ExpressionOfConcernFor", "Expression of concern for"
    RETRACTED_AND_REPUBLISHED_IN = "RetractedandRepublishedIn", "Retracted and republished in"
    RETRACTED_AND_REPUBLISHED_FROM = "RetractedandRepublishedFrom", "Retracted and republished from"
    ERRATUM_IN = "ErratumIn", "Erratum in"
    ERRATUM_FOR = "ErratumFor", "Erratum for"
    CORRECTED_AND_REPUBLISHED_IN = "CorrectedandRepublishedIn", "Corrected and republished in"
    CORRECTED_AND_REPUBLISHED_FROM = "CorrectedandRepublishedFrom", "Corrected and republished from"
    UPDATE_IN = "UpdateIn", "Update in"
    UPDATE_OF = "UpdateOf", "Update of"
    REPUBLISHED_IN = "RepublishedIn", "Republished in"
    REPUBLISHED_FROM = "RepublishedFrom", "Republished from"
    COMMENT_IN = "CommentIn", "Comment in"
    COMMENT_ON = "CommentOn", "Comment on"


# The relations that say this article itself has been retracted (shown as a warning on its page).
RETRACTED_BY = {RelationKind.RETRACTION_IN, RelationKind.RETRACTED_AND_REPUBLISHED_IN}
# ...or that a notice raised a concern or took part of it back.
CAUTIONED_BY = {RelationKind.PARTIAL_RETRACTION_IN, RelationKind.EXPRESSION_OF_CONCERN_IN}


class ArticleRelationQuerySet(models.QuerySet):
    def with_related_article(self):
        """Each relation's `related_article_id`: the public article of the portal it names, or None."""
        related = public_article_model().filter(pmid=OuterRef("pmid"))
        return self.annotate(related_article_id=Subquery(related.order_by("pk").values("pk")[:1]))


class ArticleRelation(models.Model):
    # Looked up through the composite index that begins with this column (a unique one or Meta.indexes):
    # an index of its own would only slow every insert.
    article = models.ForeignKey("Article", on_delete=models.CASCADE, related_name="relations", db_index=False)
    position = models.PositiveIntegerField(help_text="1 for the first, in the record's order.")
    kind = models.CharField(max_length=40, choices=RelationKind.choices)
    citation = models.CharField(
        max_length=1000, blank=True, help_text="The other article as the source names it: 'Lancet. 2010;375:1966'."
    )
    pmid = models.PositiveIntegerField("PubMed id", null=True, blank=True, help_text="Of the other article.")

    objects = ArticleRelationQuerySet.as_manager()

    class Meta:
        ordering = ["article", "position"]
        constraints = [
            models.UniqueConstraint(fields=["article", "position"], name="articlerelation_unique_position"),
            models.CheckConstraint(condition=~Q(citation="") | Q(pmid__isnull=False), name="articlerelation_names_one"),
        ]
        indexes = [
            # "Which notices concern this article": the relations naming its PMID.
            models.Index(fields=["pmid"], name="articlerelation_pmid_idx", condition=Q(pmid__isnull=False)),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.citation or f'PMID {self.pmid}'}"

    @property
    def retracts_its_article(self):
        return self.kind in RETRACTED_BY

    @property
    def cautions_about_its_article(self):
        return self.kind in CAUTIONED_BY
