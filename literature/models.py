"""The curated record: articles with their authors, journals, keywords, ASJC subject areas and drugs.

Each model carries the rules that must never be broken as database constraints, and the reading logic
its pages need as QuerySet verbs beside it (`Article.objects.public().for_listing()`).
"""

import hashlib
import secrets
import uuid
from itertools import count

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import F, Prefetch, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import slugify
from simple_history.models import HistoricalRecords

from . import identifiers
from .dates import PartialDate, validate_date_parts
from .fields import CodeListField, IdentifierField
from .languages import language_choices, language_name
from .markup import abstract_html, matching_title, plain_text, sanitize_abstract, sanitize_title
from .search import Relevance, SearchDocumentField, has_search_terms, index_articles


def unique_slug(model, text, exclude_pk=None, max_length=80):
    """A slug for `text` not yet taken in `model` (adds -2, -3 ... on a clash)."""
    base = slugify(text)[:max_length].strip("-") or "item"
    slug, counter = base, 1
    taken = model.objects.exclude(pk=exclude_pk) if exclude_pk else model.objects.all()
    while taken.filter(slug=slug).exists():
        counter += 1
        slug = f"{base[: max_length - len(str(counter)) - 1]}-{counter}"
    return slug


def unique_slugs(model, texts, max_length=80):
    """A slug for each of `texts` (for rows about to be inserted together), unique among the rows of
    `model` and among each other, in one query for the usual case of no clash."""
    bases = [slugify(text)[:max_length].strip("-") or "item" for text in texts]
    taken = set(model.objects.filter(slug__in=set(bases)).values_list("slug", flat=True))
    slugs = []
    for text, base in zip(texts, bases, strict=True):
        slug = base if base not in taken else unique_slug(model, text, max_length=max_length)
        if slug in taken:  # another text of this batch took it
            stem = base[: max_length - 8]
            slug = next(f"{stem}-{n}" for n in count(2) if f"{stem}-{n}" not in taken)
        taken.add(slug)
        slugs.append(slug)
    return slugs


class TimestampedModel(models.Model):
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


# Journals ------------------------------------------------------------------------------------------


class JournalQuerySet(models.QuerySet):
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


# People and authorship -----------------------------------------------------------------------------


class Person(TimestampedModel):
    """An author: a person (family and given names) or a collective such as a study group."""

    family_name = models.CharField(max_length=200, blank=True)
    given_names = models.CharField(max_length=200, blank=True)
    collective_name = models.CharField(
        max_length=500,
        blank=True,
        help_text="For a group author (e.g. a trial's investigators); leave the names empty.",
    )
    orcid = IdentifierField(
        "ORCID iD",
        max_length=19,
        blank=True,
        normalizer=identifiers.normalize_orcid,
        validators=[identifiers.validate_orcid],
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "people"
        ordering = ["family_name", "given_names", "collective_name"]
        indexes = [
            # Admin and site search by name, and the ordering above.
            models.Index(fields=["family_name", "given_names", "collective_name"], name="person_name_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(~Q(family_name="") & Q(collective_name=""))
                | (Q(family_name="") & Q(given_names="") & ~Q(collective_name="")),
                name="person_is_a_person_or_a_collective",
                violation_error_message=(
                    "An author is either a person (family name, optionally given names) "
                    "or a collective (collective name only)."
                ),
            ),
            models.UniqueConstraint(fields=["orcid"], condition=~Q(orcid=""), name="person_unique_orcid"),
        ]

    def __str__(self):
        return self.display_name

    def get_absolute_url(self):
        return reverse("literature:person-detail", kwargs={"pk": self.pk})

    @property
    def is_collective(self):
        return bool(self.collective_name)

    @property
    def display_name(self):
        """'Roberto Castelli', or the collective's name."""
        if self.is_collective:
            return self.collective_name
        return f"{self.given_names} {self.family_name}".strip()

    @property
    def inverted_name(self):
        """'Castelli, Roberto', as research portals list authors."""
        if self.is_collective:
            return self.collective_name
        return f"{self.family_name}, {self.given_names}" if self.given_names else self.family_name

    @property
    def initials(self):
        """'Roberto' -> 'R'; 'Jean-Pierre' -> 'JP'; 'J. R. R.' -> 'JRR'."""
        parts = self.given_names.replace("-", " ").replace(".", " ").split()
        return "".join(part[0].upper() for part in parts)


class Authorship(models.Model):
    article = models.ForeignKey("Article", on_delete=models.CASCADE, related_name="authorships")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="authorships")
    position = models.PositiveIntegerField(help_text="1 for the first author.")
    affiliation = models.TextField(blank=True)
    is_corresponding = models.BooleanField("corresponding author", default=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["article", "position"]
        constraints = [
            # Also the index for "the authors of these articles, in order".
            models.UniqueConstraint(fields=["article", "position"], name="authorship_unique_position"),
            models.UniqueConstraint(fields=["article", "person"], name="authorship_unique_person"),
            models.CheckConstraint(condition=Q(position__gte=1), name="authorship_position_from_one"),
        ]
        indexes = [
            # A person's page: their articles (person_id = ?).
            models.Index(fields=["person", "article"], name="authorship_person_idx"),
        ]

    def __str__(self):
        return f"{self.position}. {self.person}"


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

    drug = models.ForeignKey(Drug, on_delete=models.CASCADE, related_name="names")
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


# Articles --------------------------------------------------------------------------------------------


class OutputCategory(models.TextChoices):
    """The first level of a research portal's output type ('Contribution to journal > Article')."""

    CONTRIBUTION_TO_JOURNAL = "journal", "Contribution to journal"
    CONTRIBUTION_TO_BOOK = "book_part", "Chapter in Book/Report/Conference proceeding"
    BOOK = "book", "Book/Report"
    CONTRIBUTION_TO_CONFERENCE = "conference", "Contribution to conference"
    THESIS = "thesis", "Thesis"
    WORKING_PAPER = "working_paper", "Working paper"
    OTHER = "other", "Other contribution"


class OutputType(models.TextChoices):
    ARTICLE = "article", "Article"
    REVIEW = "review", "Review article"
    LETTER = "letter", "Letter"
    EDITORIAL = "editorial", "Editorial"
    COMMENT = "comment", "Comment/debate"
    CONFERENCE_ARTICLE = "conference_article", "Conference article"
    ERRATUM = "erratum", "Erratum"
    SHORT_SURVEY = "short_survey", "Short survey"
    CHAPTER = "chapter", "Chapter"
    CONFERENCE_CONTRIBUTION = "conference_contribution", "Conference contribution"
    ENTRY_FOR_ENCYCLOPEDIA = "encyclopedia_entry", "Entry for encyclopedia/dictionary"
    BOOK = "book", "Book"
    REPORT = "report", "Commissioned report"
    ANTHOLOGY = "anthology", "Anthology"
    PAPER = "paper", "Paper"
    POSTER = "poster", "Poster"
    ABSTRACT = "abstract", "Abstract"
    DOCTORAL_THESIS = "doctoral_thesis", "Doctoral Thesis"
    MASTERS_THESIS = "masters_thesis", "Master's Thesis"
    PREPRINT = "preprint", "Preprint"
    WORKING_PAPER = "working_paper", "Working paper"
    OTHER = "other", "Other contribution"


OUTPUT_TYPES_BY_CATEGORY = {
    OutputCategory.CONTRIBUTION_TO_JOURNAL: [
        OutputType.ARTICLE,
        OutputType.REVIEW,
        OutputType.LETTER,
        OutputType.EDITORIAL,
        OutputType.COMMENT,
        OutputType.CONFERENCE_ARTICLE,
        OutputType.ERRATUM,
        OutputType.SHORT_SURVEY,
    ],
    OutputCategory.CONTRIBUTION_TO_BOOK: [
        OutputType.CHAPTER,
        OutputType.CONFERENCE_CONTRIBUTION,
        OutputType.ENTRY_FOR_ENCYCLOPEDIA,
    ],
    OutputCategory.BOOK: [OutputType.BOOK, OutputType.REPORT, OutputType.ANTHOLOGY],
    OutputCategory.CONTRIBUTION_TO_CONFERENCE: [OutputType.PAPER, OutputType.POSTER, OutputType.ABSTRACT],
    OutputCategory.THESIS: [OutputType.DOCTORAL_THESIS, OutputType.MASTERS_THESIS],
    OutputCategory.WORKING_PAPER: [OutputType.PREPRINT, OutputType.WORKING_PAPER],
    OutputCategory.OTHER: [OutputType.OTHER],
}
CATEGORY_OF_OUTPUT_TYPE = {t: c for c, types in OUTPUT_TYPES_BY_CATEGORY.items() for t in types}


class PublicationStatus(models.TextChoices):
    """In lifecycle order: a later status supersedes an earlier one as the article's current status."""

    IN_PREPARATION = "in_preparation", "In preparation"
    SUBMITTED = "submitted", "Submitted"
    ACCEPTED = "accepted", "Accepted/In press"
    EPUB_AHEAD_OF_PRINT = "epub_ahead_of_print", "E-pub ahead of print"
    PUBLISHED = "published", "Published"

    @property
    def rank(self):
        return list(PublicationStatus).index(self)

    @classmethod
    def most_advanced(cls, states):
        """The state (anything with a `status`) the article is in now: the furthest along its lifecycle."""
        return max(states, key=lambda state: cls(state.status).rank, default=None)


class CurationState(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    APPROVED = "approved", "Approved"
    WITHDRAWN = "withdrawn", "Withdrawn"


class ArticleQuerySet(models.QuerySet):
    def public(self):
        """What readers and anonymous API clients may see."""
        return self.filter(curation_state=CurationState.APPROVED)

    def for_listing(self):
        """Everything a list row shows (title, authors in order, journal, date) in a fixed number of queries."""
        return self.select_related("journal").prefetch_related(
            Prefetch("authorships", queryset=Authorship.objects.select_related("person").order_by("position"))
        )

    def for_detail(self):
        """Everything the article page shows."""
        return self.for_listing().prefetch_related(
            "keywords",
            Prefetch("subject_areas", queryset=SubjectArea.objects.select_related("parent")),
            Prefetch("publication_states", queryset=PublicationState.objects.order_by("year", "month", "day")),
            Prefetch(
                "drug_links",
                queryset=ArticleDrug.objects.confirmed().select_related("drug").order_by("drug__name"),
                to_attr="confirmed_drug_links",
            ),
        )

    # Many-to-many conditions as subqueries on the link table, so that an article never appears twice.

    def with_confirmed_drug(self, drug):
        """Articles a curator confirmed as discussing `drug` (the links public pages show)."""
        return self.filter(pk__in=ArticleDrug.objects.confirmed().filter(drug=drug).values("article_id"))

    def with_keyword(self, keyword):
        return self.filter(pk__in=Article.keywords.through.objects.filter(keyword=keyword).values("article_id"))

    def with_concept(self, concept):
        """Articles whose Fingerprint shows `concept` (not hidden by a curator)."""
        return self.filter(pk__in=ArticleConcept.objects.shown().filter(concept=concept).values("article_id"))

    def newest_first(self):
        return self.order_by(
            F("publication_year").desc(nulls_last=True),
            F("publication_month").desc(nulls_last=True),
            F("publication_day").desc(nulls_last=True),
            "-pk",
        )

    def search(self, text):
        """Articles whose title, abstract, keywords or authors contain every word of `text`, with
        their `relevance` (higher is better). Text with no searchable word matches nothing."""
        if not has_search_terms(text):
            return self.none()
        return self.filter(search_entry__document__match=text).annotate(relevance=Relevance(text))

    def with_doi(self, doi):
        return self.annotate(doi_lower=Lower("doi")).filter(doi_lower=identifiers.normalize_doi(doi).lower())


def _validate_pmid(value):
    if value is not None and value < 1:
        raise ValidationError("A PubMed id is a positive whole number.", code="invalid_pmid")


class Article(TimestampedModel):
    title = models.TextField(help_text="May carry inline markup (<i>, <sup>, <sub>); anything else is removed.")
    subtitle = models.TextField(blank=True, help_text="The part after the colon, where the source keeps it apart.")
    abstract = models.TextField(blank=True, help_text="Paragraphs and inline markup only; sanitised on save.")
    match_title = models.CharField(
        max_length=255,
        blank=True,
        editable=False,
        help_text="The full title reduced for matching records without identifiers (markup.matching_title).",
    )

    category = models.CharField(
        "research output category",
        max_length=20,
        choices=OutputCategory.choices,
        default=OutputCategory.CONTRIBUTION_TO_JOURNAL,
    )
    output_type = models.CharField(max_length=30, choices=OutputType.choices, default=OutputType.ARTICLE)
    peer_reviewed = models.BooleanField(default=False)
    language = models.CharField(
        "original language",
        max_length=3,
        choices=language_choices,
        blank=True,
        help_text="ISO 639-3 code, e.g. eng.",
    )

    journal = models.ForeignKey(Journal, on_delete=models.PROTECT, null=True, blank=True, related_name="articles")
    volume = models.CharField(max_length=30, blank=True)
    issue = models.CharField("issue number", max_length=30, blank=True)
    first_page = models.PositiveIntegerField(null=True, blank=True)
    last_page = models.PositiveIntegerField(null=True, blank=True)
    article_number = models.CharField(
        max_length=40, blank=True, help_text="An e-locator such as e0131544, for articles without pages."
    )
    page_count = models.PositiveIntegerField(
        "number of pages",
        null=True,
        blank=True,
        help_text="Leave empty to count the page range; fill in to override it.",
    )

    # The current publication status, kept equal to the most advanced row of publication_states by
    # refresh_publication_status(): the search page filters and sorts on it over the whole corpus,
    # which a join to the history could not do from an index.
    publication_status = models.CharField(max_length=30, choices=PublicationStatus.choices, blank=True, editable=False)
    publication_year = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    publication_month = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    publication_day = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)

    doi = IdentifierField(
        "DOI",
        max_length=255,
        blank=True,
        normalizer=identifiers.normalize_doi,
        validators=[identifiers.validate_doi],
    )
    pmid = models.PositiveIntegerField("PubMed id", null=True, blank=True, unique=True, validators=[_validate_pmid])
    pmcid = IdentifierField(
        "PubMed Central id",
        max_length=12,
        blank=True,
        normalizer=identifiers.normalize_pmcid,
        validators=[identifiers.validate_pmcid],
    )

    keywords = models.ManyToManyField(Keyword, blank=True, related_name="articles")
    subject_areas = models.ManyToManyField(
        SubjectArea,
        blank=True,
        related_name="articles",
        limit_choices_to={"parent__isnull": False},
        verbose_name="ASJC subject areas",
    )
    drugs = models.ManyToManyField(Drug, through="ArticleDrug", blank=True, related_name="articles")

    curation_state = models.CharField(max_length=20, choices=CurationState.choices, default=CurationState.DRAFT)

    objects = ArticleQuerySet.as_manager()

    history = HistoricalRecords(m2m_fields=["keywords", "subject_areas"])

    class Meta:
        indexes = [
            # The public search page, newest first: curation_state = 'approved' ORDER BY year, month, day.
            models.Index(
                "curation_state",
                F("publication_year").desc(),
                F("publication_month").desc(),
                F("publication_day").desc(),
                name="article_public_newest_idx",
            ),
            # The admin changelist's default order: ORDER BY modified DESC.
            models.Index(fields=["-modified"], name="article_modified_idx"),
            # The admin changelist filtered to a curation queue: curation_state = ? ORDER BY modified DESC.
            models.Index(fields=["curation_state", "-modified"], name="article_curation_queue_idx"),
            # Year-range filters without a curation condition (admin, API for curators).
            models.Index(fields=["publication_year"], name="article_year_idx"),
            # Imports and duplicate detection: the same title (as matching_title reduces it) and year.
            models.Index(fields=["match_title", "publication_year"], name="article_match_title_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                Lower("doi"),
                condition=~Q(doi=""),
                name="article_unique_doi_any_case",
                violation_error_message="Another article already has this DOI (DOIs ignore case).",
            ),
            models.UniqueConstraint(fields=["pmcid"], condition=~Q(pmcid=""), name="article_unique_pmcid"),
            models.CheckConstraint(
                condition=Q(last_page__isnull=True) | Q(first_page__isnull=False),
                name="article_last_page_needs_first",
                violation_error_message="A last page needs a first page.",
            ),
            models.CheckConstraint(
                condition=Q(last_page__isnull=True) | Q(last_page__gte=F("first_page")),
                name="article_pages_in_order",
                violation_error_message="The last page comes before the first page.",
            ),
            models.CheckConstraint(
                condition=Q(page_count__isnull=True) | Q(page_count__gte=1),
                name="article_page_count_positive",
                violation_error_message="The number of pages must be at least 1.",
            ),
            models.CheckConstraint(
                condition=Q(
                    *[
                        Q(category=category, output_type__in=[t.value for t in types])
                        for category, types in OUTPUT_TYPES_BY_CATEGORY.items()
                    ],
                    _connector=Q.OR,
                ),
                name="article_output_type_in_category",
                violation_error_message="This output type does not belong to this research output category.",
            ),
            models.CheckConstraint(
                condition=Q(publication_month__isnull=True) | Q(publication_year__isnull=False),
                name="article_month_needs_year",
            ),
            models.CheckConstraint(
                condition=Q(publication_day__isnull=True) | Q(publication_month__isnull=False),
                name="article_day_needs_month",
            ),
        ]

    def __str__(self):
        return plain_text(self.full_title)

    def clean(self):
        errors = {}
        expected_category = CATEGORY_OF_OUTPUT_TYPE.get(self.output_type)
        if expected_category and expected_category != self.category:
            errors["output_type"] = (
                f"'{self.get_output_type_display()}' is an output type of "
                f"'{OutputCategory(expected_category).label}', not of '{self.get_category_display()}'."
            )
        if self.last_page is not None and self.first_page is None:
            errors["first_page"] = "A last page needs a first page."
        elif self.last_page is not None and self.last_page < self.first_page:
            errors["last_page"] = f"The last page ({self.last_page}) comes before the first page ({self.first_page})."
        if errors:
            raise ValidationError(errors)

    def save(self, *args, update_fields=None, **kwargs):
        self.normalise()
        if update_fields is not None and {"title", "subtitle"} & set(update_fields):
            update_fields = {*update_fields, "match_title"}
        super().save(*args, update_fields=update_fields, **kwargs)

    def normalise(self):
        """Keep only the inline markup the site renders and derive the matching title; bulk inserts
        call this themselves."""
        self.title = sanitize_title(self.title)
        self.subtitle = sanitize_title(self.subtitle)
        self.abstract = sanitize_abstract(self.abstract)
        self.match_title = matching_title(self.full_title)

    def get_absolute_url(self):
        return reverse("literature:article-detail", kwargs={"pk": self.pk, "slug": self.slug})

    @property
    def slug(self):
        return slugify(plain_text(self.title))[:80].strip("-") or "article"

    @property
    def full_title(self):
        """Title and subtitle as the reference portal shows them: 'Title: Subtitle'."""
        return f"{self.title}: {self.subtitle}" if self.subtitle else self.title

    @property
    def abstract_html(self):
        return abstract_html(self.abstract)

    @property
    def output_line(self):
        """'Contribution to journal > Article > peer-review', the research-output line of a portal."""
        parts = [self.get_category_display(), self.get_output_type_display()]
        if self.peer_reviewed:
            parts.append("peer-review")
        return " > ".join(parts)

    @property
    def language_name(self):
        return language_name(self.language)

    @property
    def pages(self):
        """'740-753', '740', or the article number."""
        if self.first_page is not None and self.last_page is not None and self.last_page != self.first_page:
            return f"{self.first_page}-{self.last_page}"
        if self.first_page is not None:
            return str(self.first_page)
        return self.article_number

    @property
    def number_of_pages(self):
        if self.page_count is not None:
            return self.page_count
        if self.first_page is not None and self.last_page is not None:
            return self.last_page - self.first_page + 1
        return None

    @property
    def publication_date(self):
        if self.publication_year is None:
            return None
        return PartialDate(self.publication_year, self.publication_month, self.publication_day)

    @property
    def publication_status_line(self):
        """'Published - Oct 2012', as the reference record shows it."""
        if not self.publication_status:
            return ""
        label = self.get_publication_status_display()
        return f"{label} - {self.publication_date}" if self.publication_date else label

    @cached_property
    def ordered_authorships(self):
        return sorted(self.authorships.all(), key=lambda authorship: authorship.position)

    @property
    def authors(self):
        return [authorship.person for authorship in self.ordered_authorships]

    def refresh_publication_status(self):
        """Make the current status the most advanced of the recorded ones (see the field comment)."""
        values = self.current_publication_values(self.publication_states.all())
        stored = Article.objects.filter(pk=self.pk).values(*values).first()
        for name, value in values.items():
            setattr(self, name, value)
        if stored != values:
            self.modified = timezone.now()
            Article.objects.filter(pk=self.pk).update(**values, modified=self.modified)

    @staticmethod
    def current_publication_values(states):
        """The denormalised status fields for a publication history (PublicationState rows, saved or not)."""
        current = PublicationStatus.most_advanced(states)
        return {
            "publication_status": current.status if current else "",
            "publication_year": current.year if current else None,
            "publication_month": current.month if current else None,
            "publication_day": current.day if current else None,
        }

    @transaction.atomic
    def set_authors(self, people):
        """Replace the author list with `people` (Person objects or (person, affiliation) pairs), in order."""
        self.authorships.all().delete()
        rows = []
        for position, entry in enumerate(people, start=1):
            person, affiliation = entry if isinstance(entry, tuple) else (entry, "")
            rows.append(Authorship(article=self, person=person, position=position, affiliation=affiliation))
        Authorship.objects.bulk_create(rows)
        self.__dict__.pop("ordered_authorships", None)
        index_articles([self.pk])  # bulk_create sends no signals


class PublicationState(models.Model):
    """One step of an article's publication history (e-pub ahead of print 9 Mar 2012, published Oct 2012)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="publication_states")
    status = models.CharField(max_length=30, choices=PublicationStatus.choices)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    month = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    day = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(31)]
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["article", "status"],
                name="publicationstate_once_per_status",
                violation_error_message="This article already has a date for this status.",
            ),
            models.CheckConstraint(
                condition=Q(month__isnull=True) | Q(year__isnull=False),
                name="publicationstate_month_needs_year",
                violation_error_message="A month needs a year.",
            ),
            models.CheckConstraint(
                condition=Q(day__isnull=True) | Q(month__isnull=False),
                name="publicationstate_day_needs_month",
                violation_error_message="A day needs a month.",
            ),
            models.CheckConstraint(
                condition=Q(month__isnull=True) | Q(month__gte=1, month__lte=12),
                name="publicationstate_month_range",
                violation_error_message="A month is 1 to 12.",
            ),
            models.CheckConstraint(
                condition=Q(day__isnull=True) | Q(day__gte=1, day__lte=31),
                name="publicationstate_day_range",
                violation_error_message="A day is 1 to 31.",
            ),
        ]

    def __str__(self):
        return f"{self.get_status_display()} - {self.date}" if self.date else self.get_status_display()

    def clean(self):
        validate_date_parts(self.year, self.month, self.day)

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        self.article.refresh_publication_status()

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        self.article.refresh_publication_status()
        return result

    @property
    def date(self):
        return PartialDate(self.year, self.month, self.day) if self.year is not None else None


class ArticleSearchEntry(models.Model):
    """An article's row in the full-text index (see search.py); written by the app, never edited."""

    article = models.OneToOneField(
        Article, primary_key=True, db_column="rowid", on_delete=models.DO_NOTHING, related_name="search_entry"
    )
    document = SearchDocumentField(db_column="literature_article_fts")
    rank = models.FloatField(db_column="rank")

    class Meta:
        # Managed, so that test flushes empty it with the other tables; its DDL differs per database
        # and is written by the migration (search.create_index_table), not generated by Django.
        db_table = "literature_article_fts"

    def __str__(self):
        return f"search entry of article {self.article_id}"


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
        """The links public pages show."""
        return self.filter(status=LinkStatus.CONFIRMED)

    def suggested(self):
        return self.filter(status=LinkStatus.SUGGESTED)


class ArticleDrug(TimestampedModel):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="drug_links")
    drug = models.ForeignKey(Drug, on_delete=models.PROTECT, related_name="article_links")
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


# Duplicates ---------------------------------------------------------------------------------------


class ArticleRedirect(models.Model):
    """The id of an article merged into another: its old page leads to the one kept."""

    old_id = models.PositiveBigIntegerField(unique=True)
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="redirects")
    created = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.old_id} → {self.article_id}"


class DuplicateStatus(models.TextChoices):
    OPEN = "open", "To review"
    DISMISSED = "dismissed", "Not duplicates"


class DuplicateCandidateQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=DuplicateStatus.OPEN)


class DuplicateCandidate(models.Model):
    """Two articles that are likely the same (see duplicates.py), for a curator to merge or dismiss."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    other = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
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
    def shown(self):
        return self.filter(hidden=False)


class ArticleConcept(models.Model):
    """One concept of an article's Fingerprint with its weight (the top concept is 100)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="concepts")
    concept = models.ForeignKey(Concept, on_delete=models.CASCADE, related_name="article_concepts")
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


# API tokens ----------------------------------------------------------------------------------------


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked__isnull=True)


class ApiToken(models.Model):
    """A curator's key for writing through the API. Only a SHA-256 digest of the key is stored (the
    key is 256 random bits, so no slow hash is needed), so a leaked database holds no usable key."""

    PREFIX = "lit_"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, help_text="What the token is for, e.g. 'nightly PubMed sync'.")
    key_prefix = models.CharField(max_length=12, editable=False, help_text="The first characters, to recognise it.")
    key_digest = models.CharField(max_length=64, unique=True, editable=False)
    created = models.DateTimeField(auto_now_add=True)
    last_used = models.DateTimeField(null=True, blank=True, editable=False)
    revoked = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = "API token"
        ordering = ["-created"]

    def __str__(self):
        return f"{self.name} ({self.key_prefix}…)"

    @staticmethod
    def digest(key):
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def issue(cls, user, name):
        """A new token and its key, which is shown this once and never stored."""
        key = cls.PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(user=user, name=name, key_prefix=key[:12], key_digest=cls.digest(key))
        return token, key

    @classmethod
    def authenticate(cls, key):
        token = cls.objects.active().select_related("user").filter(key_digest=cls.digest(key)).first()
        if token and token.user.is_active:
            now = timezone.now()
            # Written at most once a minute, so that busy scripts do not write on every request.
            if token.last_used is None or (now - token.last_used).total_seconds() > 60:
                cls.objects.filter(pk=token.pk).update(last_used=now)
            return token
        return None

    def revoke(self):
        self.revoked = timezone.now()
        self.save(update_fields=["revoked"])


# Import provenance ---------------------------------------------------------------------------------


class ArticleSource(models.Model):
    """Where an article was imported from and the values that import wrote, so that a later import
    can tell a field a curator edited (kept) from one still as imported (updated)."""

    article = models.OneToOneField(Article, on_delete=models.CASCADE, related_name="import_source")
    source = models.CharField(max_length=500, help_text="The file (and format) the values came from.")
    imported_values = models.JSONField(default=dict)
    record_digest = models.CharField(
        max_length=64,
        blank=True,
        help_text="SHA-256 of the record as last imported: the same record again is known unchanged at once.",
    )
    imported = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "import source"

    def __str__(self):
        return f"{self.source} ({self.imported:%Y-%m-%d})"


# Imports uploaded in the admin --------------------------------------------------------------------


class ImportStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    IMPORTED = "imported", "Imported"
    NOT_IMPORTED = "not_imported", "Nothing imported"  # a bad file, or bad records without skip_invalid
    FAILED = "failed", "Failed"  # an unexpected error: the file is kept for another try


def _upload_path(job, filename):
    return f"imports/{uuid.uuid4().hex}/{filename}"


class ImportJob(models.Model):
    """A file a curator uploaded, and what importing it did. Small files import during the upload;
    large ones in the background (literature/tasks.py), reporting progress as they go."""

    upload = models.FileField(
        "file",
        upload_to=_upload_path,
        max_length=300,
        help_text="PubMed/MEDLINE XML (gzipped or not), MEDLINE text (.nbib), RIS, BibTeX or CSL-JSON.",
    )
    original_name = models.CharField(max_length=255, editable=False)
    size = models.PositiveBigIntegerField(default=0, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, editable=False, related_name="+"
    )
    curation_state = models.CharField(
        "curation state of new articles",
        max_length=20,
        choices=[(s.value, s.label) for s in (CurationState.DRAFT, CurationState.IN_REVIEW, CurationState.APPROVED)],
        default=CurationState.IN_REVIEW,
    )
    skip_invalid = models.BooleanField(
        "import the valid records if some are invalid",
        default=False,
        help_text="Otherwise one invalid record means nothing is imported. Rejected records are kept in a file.",
    )
    status = models.CharField(max_length=20, choices=ImportStatus.choices, default=ImportStatus.QUEUED, editable=False)
    in_background = models.BooleanField(default=False, editable=False)
    task_id = models.CharField(max_length=64, blank=True, editable=False)
    record_estimate = models.PositiveIntegerField(null=True, blank=True, editable=False)
    created_count = models.PositiveIntegerField("created", default=0, editable=False)
    updated_count = models.PositiveIntegerField("updated", default=0, editable=False)
    unchanged_count = models.PositiveIntegerField("unchanged", default=0, editable=False)
    rejected_count = models.PositiveIntegerField("rejected", default=0, editable=False)
    errors = models.JSONField(default=list, blank=True, editable=False)
    rejected_file = models.FileField(max_length=300, blank=True, editable=False)
    queued = models.DateTimeField(auto_now_add=True)
    started = models.DateTimeField(null=True, blank=True, editable=False)
    finished = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-queued"]
        verbose_name = "import"

    def __str__(self):
        return f"{self.original_name} ({self.get_status_display()})"

    @property
    def is_pending(self):
        return self.status in {ImportStatus.QUEUED, ImportStatus.RUNNING}
