"""The drugs, their names, and their links to articles (suggested, confirmed or rejected)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Lower
from django.urls import reverse
from simple_history.models import HistoricalRecords

from literature.values import identifiers
from literature.values.fields import CodeListField, IdentifierField

from .base import RemembersLoadedValues, TimestampedModel, unique_slug
from .visibility import public_articles


class DrugQuerySet(models.QuerySet):
    def public(self):
        """Drugs that a public article is confirmed to discuss."""
        return self.filter(Exists(ArticleDrug.objects.public().filter(drug=OuterRef("pk"))))

    def named_like(self, text):
        """Drugs whose name, or one of their other names (synonyms, brands, codes), contains `text`."""
        other_names = DrugName.objects.filter(name__icontains=text).values("drug_id")
        return self.filter(Q(name__icontains=text) | Q(pk__in=other_names))


class Drug(TimestampedModel):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True, blank=True)
    drug_class = models.CharField(max_length=200, blank=True, help_text="e.g. immunomodulatory imide drug")
    atc_codes = CodeListField(
        "ATC codes",
        default=list,
        blank=True,
        validators=[identifiers.validate_atc_codes],
        help_text="Level-5 codes, separated by commas: L04AX02, ...",
    )
    drugbank_id = IdentifierField(
        "DrugBank id",
        max_length=7,
        blank=True,
        normalizer=identifiers.normalize_code,
        validators=[identifiers.validate_drugbank_id],
    )
    mesh_id = IdentifierField(
        "MeSH id",
        max_length=10,
        blank=True,
        normalizer=identifiers.normalize_code,
        validators=[identifiers.validate_mesh_id],
    )
    pubchem_cid = models.PositiveBigIntegerField(
        "PubChem CID", null=True, blank=True, validators=[MinValueValidator(1)]
    )
    chebi_id = models.PositiveIntegerField("ChEBI id", null=True, blank=True, validators=[MinValueValidator(1)])
    inchikey = IdentifierField(
        "InChIKey",
        max_length=27,
        blank=True,
        normalizer=identifiers.normalize_code,
        validators=[identifiers.validate_inchikey],
    )
    cas_number = IdentifierField(
        "CAS Registry Number",
        max_length=12,
        blank=True,
        normalizer=lambda value: (value or "").strip(),
        validators=[identifiers.validate_cas_number],
    )
    unii = IdentifierField(
        "UNII", max_length=10, blank=True, normalizer=identifiers.normalize_code, validators=[identifiers.validate_unii]
    )
    description = models.TextField(blank=True)
    vocabulary_key = models.CharField(
        max_length=300,
        blank=True,
        editable=False,
        help_text="The drug's key in the vocabulary it was loaded from (load_drug_vocabulary), to find it again.",
    )
    vocabulary_values = models.JSONField(
        default=dict,
        blank=True,
        editable=False,
        help_text="The values the vocabulary last gave: a field that differs from them was edited by a curator.",
    )

    history = HistoricalRecords()

    objects = DrugQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        indexes = [
            models.Index(fields=["name"], name="drug_name_idx"),
            models.Index(fields=["vocabulary_key"], name="drug_vocabulary_key_idx"),
            # Importers resolve MeSH chemical ids to drugs (mesh_id = ?).
            models.Index(fields=["mesh_id"], name="drug_mesh_idx"),
        ]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="drug_unique_name_any_case"),
            models.UniqueConstraint(
                fields=["drugbank_id"], condition=~Q(drugbank_id=""), name="drug_unique_drugbank_id"
            ),
            models.UniqueConstraint(fields=["inchikey"], condition=~Q(inchikey=""), name="drug_unique_inchikey"),
            models.UniqueConstraint(fields=["pubchem_cid"], name="drug_unique_pubchem_cid"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Drug, self.name, exclude_pk=self.pk)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("literature:drug-detail", kwargs={"slug": self.slug})

    @property
    def synonyms(self):
        return [n.name for n in self.names.all() if not n.is_brand]

    @property
    def brand_names(self):
        return [n.name for n in self.names.all() if n.is_brand]


class DrugName(models.Model):
    """Another name a drug goes by: a synonym (INN in other languages, chemical name) or a brand."""

    # Looked up through the composite index that begins with this column (a unique one or Meta.indexes):
    # an index of its own would only slow every insert.
    drug = models.ForeignKey(Drug, on_delete=models.CASCADE, related_name="names", db_index=False)
    name = models.CharField(max_length=300)
    is_brand = models.BooleanField("brand name", default=False)

    class Meta:
        ordering = ["drug", "is_brand", "name"]
        indexes = [
            # Importers and the mention detector resolve a name to its drug: lower(name) = ?.
            models.Index(Lower("name"), name="drugname_lower_name_idx"),
        ]
        constraints = [
            models.UniqueConstraint("drug", Lower("name"), name="drugname_unique_per_drug"),
        ]

    def __str__(self):
        return self.name


class SuppressedDrugName(TimestampedModel):
    """The kill list: a name the mention detector must never suggest a link from again, for any article
    (a false positive: a brand that is also an ordinary word, an abbreviation with another meaning).
    Links curators confirmed or wrote stay; the detector's open suggestions from the name go at its next
    run on their articles (curation.drugs.suppress_drug_name runs it at once)."""

    name = models.CharField(max_length=300, help_text="Matched in any case, as the detector matches names.")
    reason = models.TextField(help_text="Why the name must not be suggested: kept with the entry and its history.")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "suppressed drug name"
        verbose_name_plural = "kill list: names never suggested"
        ordering = ["name"]
        constraints = [models.UniqueConstraint(Lower("name"), name="suppresseddrugname_unique_any_case")]

    def __str__(self):
        return self.name

    def clean(self):
        self.name = " ".join(self.name.split())
        if not self.reason.strip():
            raise ValidationError({"reason": "Say why the name must never be suggested."})


# Article-drug links ----------------------------------------------------------------------------------


class LinkStatus(models.TextChoices):
    SUGGESTED = "suggested", "Suggested"
    CONFIRMED = "confirmed", "Confirmed"
    REJECTED = "rejected", "Rejected"


class LinkSource(models.TextChoices):
    CURATOR = "curator", "Curator"
    IMPORT = "import", "Import"
    TEXT_MINING = "text_mining", "Text mining"


class ArticleDrugQuerySet(models.QuerySet):
    def confirmed(self):
        """The links public pages show (on public articles: see public())."""
        return self.filter(status=LinkStatus.CONFIRMED)

    def public(self):
        """Confirmed links of public articles: what readers and anonymous API clients see."""
        return self.confirmed().filter(public_articles("article__"))

    def suggested(self):
        return self.filter(status=LinkStatus.SUGGESTED)


class ArticleDrug(RemembersLoadedValues, TimestampedModel):
    remembered_fields = ("status",)

    # Both looked up through the composite indexes that begin with their columns (unique pairs or
    # Meta.indexes): indexes of their own would only slow every insert.
    article = models.ForeignKey("Article", on_delete=models.CASCADE, related_name="drug_links", db_index=False)
    drug = models.ForeignKey(Drug, on_delete=models.PROTECT, related_name="article_links", db_index=False)
    status = models.CharField(max_length=20, choices=LinkStatus.choices, default=LinkStatus.SUGGESTED)
    source = models.CharField(max_length=20, choices=LinkSource.choices, default=LinkSource.CURATOR)
    evidence = models.TextField(blank=True, help_text="The text that mentions the drug, with the match marked.")
    mention_count = models.PositiveIntegerField(default=0)

    objects = ArticleDrugQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = "article-drug link"
        constraints = [
            models.UniqueConstraint(fields=["article", "drug"], name="articledrug_once_per_pair"),
        ]
        indexes = [
            # A drug's page lists its confirmed articles: drug_id = ? AND status = 'confirmed'.
            models.Index(fields=["drug", "status"], name="articledrug_drug_status_idx"),
            # The curators' review queue: status = 'suggested' ORDER BY created.
            models.Index(fields=["status", "created"], name="articledrug_review_queue_idx"),
            # The facet cache's corpus version: MAX(modified).
            models.Index(fields=["modified"], name="articledrug_modified_idx"),
        ]

    def __str__(self):
        return f"{self.drug} in {self.article_id} ({self.get_status_display()})"


class DrugSuggestion(ArticleDrug):
    """The curators' review queue: the suggested links (from imports and the mention detector)."""

    class Meta:
        proxy = True
        verbose_name = "drug suggestion to review"
        verbose_name_plural = "drug suggestions to review"
