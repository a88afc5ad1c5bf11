"""The research output: an article, its publication history, its row in the search index and the
redirects of articles merged into it. `ArticleQuerySet` holds the reading verbs of every page."""

from functools import cache

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, F, OuterRef, Prefetch, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import slugify
from simple_history.models import HistoricalRecords

from literature.search.query import Relevance, SearchDocumentField, has_search_terms
from literature.search.sampling import SampleSlot
from literature.values import identifiers
from literature.values.dates import PartialDate, validate_date_parts
from literature.values.fields import IdentifierField
from literature.values.languages import language_choices, language_name
from literature.values.limits import SettingMaxLength
from literature.values.markup import abstract_html, matching_title, plain_text, sanitize_abstract, sanitize_title

from .base import RemembersLoadedValues, TimestampedModel
from .documents import WithAllRelatedRows, WithRelatedRows
from .drugs import ArticleDrug, Drug
from .fingerprint import ArticleConcept
from .indexing import MeshHeading, PublicationType
from .journals import Journal
from .people import Authorship
from .references import Reference
from .relations import ArticleRelation
from .subjects import Keyword, SubjectArea
from .visibility import CurationState, is_public, public_articles

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


@cache
def _labels(choices):
    return dict(choices.choices)


def label_of(choices, value):
    """What get_FOO_display() gives (the value itself when it is not a choice), without flattening the
    field's choices on each call as Django does: a tenth of a millisecond per article and label, a page
    of 100 API documents spent 15 ms on it."""
    return _labels(choices).get(value, value)


def article_slug(title):
    """The slug of an article's page URL (Article.slug), from its title."""
    return slugify(plain_text(title))[:80].strip("-") or "article"


def page_range(first_page, last_page, article_number):
    """Article.pages from the three fields, for rows read without models (exports)."""
    if first_page is not None and last_page is not None and last_page != first_page:
        return f"{first_page}-{last_page}"
    if first_page is not None:
        return str(first_page)
    return article_number


def publication_sort_key(year=None, month=None, day=None):
    """YYYYMMDD, 0 for each part unknown (see Article.publication_sort_key)."""
    return (year or 0) * 10_000 + (month or 0) * 100 + (day or 0)


# What gives an article an abstract, and a link a reader can follow to its full text (a DOI or a PubMed
# Central id): one definition for the filters (ArticleQuerySet below) and the facets that count them.
HAS_ABSTRACT = ~Q(abstract="")
HAS_FULL_TEXT_LINK = ~Q(doi="") | ~Q(pmcid="")


class ArticleQuerySet(models.QuerySet):
    def public(self):
        """What readers and anonymous API clients may see."""
        return self.filter(public_articles())

    def visible_to(self, user):
        """What `user` may open: everything for a curator (who may view articles in the admin: a preview
        of the unapproved), the public articles for everyone else."""
        return self if user.has_perm("literature.view_article") else self.public()

    def for_listing(self):
        """Everything a list row shows (title, authors in order, journal, date) in a fixed number of queries."""
        return self.select_related("journal").prefetch_related(
            Prefetch("authorships", queryset=Authorship.objects.select_related("person").order_by("position"))
        )

    def for_detail(self):
        """Everything the article page shows."""
        return self.for_listing().prefetch_related(
            Prefetch("references", queryset=Reference.objects.with_cited_article().order_by("position")),
            "mesh_headings",
            "publication_types",
            Prefetch("relations", queryset=ArticleRelation.objects.with_related_article().order_by("position")),
            "keywords",
            Prefetch("subject_areas", queryset=SubjectArea.objects.select_related("parent")),
            Prefetch("publication_states", queryset=PublicationState.objects.order_by("year", "month", "day")),
            Prefetch(
                "drug_links",
                queryset=ArticleDrug.objects.confirmed().select_related("drug").order_by("drug__name"),
                to_attr="confirmed_drug_links",
            ),
        )

    def for_api(self, all_links=False):
        """Everything an API article carries, for any number of rows in a fixed number of queries: the
        article with its journal, then its related rows as plain values, ten queries per batch of 500
        (models/documents.py; but `cited_by_count`, counted per page: references.attach_cited_by_counts).
        all_links: the suggested and rejected drug links too (curators), not only the confirmed ones."""
        articles = self.select_related("journal")
        articles._iterable_class = WithAllRelatedRows if all_links else WithRelatedRows
        return articles

    # Many-to-many conditions as subqueries on the link table, so that an article never appears twice.

    def _linked_by(self, links, walk):
        """These articles that `links` (rows with an article_id) name. By default through the links'
        ids, best for a few thousand. walk=True: each article, in this queryset's order, is checked for a
        link instead, best for a large share of the corpus read a page at a time: newest first from its
        index stops after a few hundred rows, where the ids would all be sorted (2.3 s for a drug in a
        quarter of 1M articles, 8 ms walked). The pages choose (web.views.ArticlesOfMixin)."""
        if walk:
            return self.filter(Exists(links.filter(article_id=OuterRef("pk"))))
        return self.filter(pk__in=links.values("article_id"))

    def with_confirmed_drug(self, drug, walk=False):
        """Articles a curator confirmed as discussing `drug` (the links public pages show)."""
        return self._linked_by(ArticleDrug.objects.confirmed().filter(drug=drug), walk)

    def with_keyword(self, keyword, walk=False):
        return self._linked_by(Article.keywords.through.objects.filter(keyword=keyword), walk)

    def in_subject(self, subject, walk=False):
        """Articles classified under an ASJC code, or under any code of a two-digit area."""
        links = Article.subject_areas.through.objects
        links = links.filter(subjectarea__parent=subject) if subject.is_area else links.filter(subjectarea=subject)
        return self._linked_by(links, walk)

    def by_person(self, person, walk=False):
        return self._linked_by(Authorship.objects.filter(person=person), walk)

    def in_journal(self, journal, walk=False):
        if walk:  # "+ 0": not by the journal's index, which would sort all its articles (see _linked_by)
            return self.alias(journal_walked=F("journal_id") + 0).filter(journal_walked=journal.pk)
        return self.filter(journal=journal)

    def with_mesh_heading(self, descriptor):
        """Articles indexed with this MeSH descriptor, named in any case."""
        headings = MeshHeading.objects.annotate(lowered=Lower("descriptor")).filter(lowered=descriptor.strip().lower())
        return self._linked_by(headings, walk=False)

    def with_abstract(self, has=True):
        """Articles with an abstract (has=False: without one)."""
        return self.filter(HAS_ABSTRACT) if has else self.exclude(HAS_ABSTRACT)

    def with_full_text_link(self, has=True):
        """Articles a reader can follow to their full text: a DOI or a PubMed Central id (has=False: neither)."""
        return self.filter(HAS_FULL_TEXT_LINK) if has else self.exclude(HAS_FULL_TEXT_LINK)

    def with_publication_type(self, name):
        kinds = PublicationType.objects.annotate(lowered=Lower("name")).filter(lowered=name.strip().lower())
        return self._linked_by(kinds, walk=False)

    def with_concept(self, concept):
        """Articles whose Fingerprint shows `concept` (not hidden by a curator)."""
        return self.filter(pk__in=ArticleConcept.objects.shown().filter(concept=concept).values("article_id"))

    def citing(self, article):
        """Articles whose references cite `article` (by its PMID or DOI), itself left out."""
        return self.filter(pk__in=Reference.objects.naming([article]).values("article_id")).exclude(pk=article.pk)

    def newest_first(self):
        """Year, month, day, newest first and the unknown last, in the order of an index (see the key)."""
        return self.order_by("-publication_sort_key", "-pk")

    def search(self, text):
        """Articles whose title, abstract, keywords or authors contain every word of `text`, with
        their `relevance` (higher is better). Text with no searchable word matches nothing."""
        if not has_search_terms(text):  # e.g. only an exclusion, or punctuation; still sortable by relevance
            return self.none().annotate(relevance=models.Value(0.0, output_field=models.FloatField()))
        return self.filter(search_entry__document__match=text).annotate(relevance=Relevance(text))

    def with_words(self, text, walk=False):
        """Articles whose indexed text (title, abstract, keywords, MeSH terms, authors) matches `text` (the
        search box's language), unranked. By default through the index's matches; walk=True: each
        article, in this queryset's order, is looked up in the index instead, best for words in a large
        share of the corpus read a page at a time (as _linked_by)."""
        if not has_search_terms(text):
            return self.none()
        if walk:
            return self.filter(Exists(ArticleSearchEntry.objects.filter(pk=OuterRef("pk"), document__match=text)))
        return self.filter(search_entry__document__match=text)

    def in_sample(self, slots):
        """The articles among these whose sample slot (id * 633 % 1024) is below `slots` (see
        search/sampling.py). In a search the condition is put on the full-text entry's rowid too, so
        that the index drops the matches left out of the sample before each is looked up."""
        sample = self.alias(sample_slot=SampleSlot("pk")).filter(sample_slot__lt=slots)
        if any(join.table_name == ArticleSearchEntry._meta.db_table for join in self.query.alias_map.values()):
            sample = sample.alias(entry_slot=SampleSlot("search_entry__pk")).filter(entry_slot__lt=slots)
        return sample

    def with_doi(self, doi):
        return self.annotate(doi_lower=Lower("doi")).filter(doi_lower=identifiers.normalize_doi(doi).lower())


def _validate_pmid(value):
    if value is not None and value < 1:
        raise ValidationError("A PubMed id is a positive whole number.", code="invalid_pmid")


class Article(RemembersLoadedValues, TimestampedModel):
    remembered_fields = ("curation_state",)  # a change of state is governed (curation/governance.py)

    title = models.TextField(
        # In words: the admin shows help texts as markup, and the tags themselves would be rendered.
        help_text="May carry inline markup: italics, superscript and subscript (the i, sup and sub tags); "
        "anything else is removed.",
        validators=[SettingMaxLength("MAX_TITLE_CHARS")],
    )
    subtitle = models.TextField(
        blank=True,
        help_text="The part after the colon, where the source keeps it apart.",
        validators=[SettingMaxLength("MAX_TITLE_CHARS")],
    )
    abstract = models.TextField(
        blank=True,
        help_text="Paragraphs and inline markup only; sanitised on save.",
        validators=[SettingMaxLength("MAX_ABSTRACT_CHARS")],
    )
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
    publication_date_as_given = models.CharField(max_length=40, blank=True, editable=False)
    # The current date as one NOT NULL number, YYYYMMDD with 0 for what is unknown: "newest first, the
    # unknown last" is then its descending order, which one index serves exactly (three nullable columns
    # DESC NULLS LAST are served by none: PostgreSQL sorted every public row for each page).
    publication_sort_key = models.PositiveIntegerField(default=0, editable=False)

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
            # The public lists, newest first: curation_state = 'approved' ORDER BY sort key DESC, id DESC.
            models.Index(
                "curation_state", F("publication_sort_key").desc(), F("id").desc(), name="article_public_newest_idx"
            ),
            # The sample facet counts and result counts are estimated from (search/sampling.py):
            # curation_state = 'approved' AND id * 633 % 1024 < k.
            models.Index(F("curation_state"), SampleSlot("id"), name="article_public_sample_idx"),
            # The admin list's order (most recently changed first, then by id, as Django adds): with the id
            # in the index a page is read from it even where many share a time (a bulk change).
            models.Index(fields=["-modified", "-id"], name="article_modified_id_idx"),
            # The admin changelist filtered to a curation queue: curation_state = ? ORDER BY modified DESC, id DESC.
            models.Index(fields=["curation_state", "-modified", "-id"], name="article_curation_queue_id_idx"),
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
        self.publication_sort_key = publication_sort_key(
            self.publication_year, self.publication_month, self.publication_day
        )
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
        return article_slug(self.title)

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
        parts = [label_of(OutputCategory, self.category), label_of(OutputType, self.output_type)]
        if self.peer_reviewed:
            parts.append("peer-review")
        return " > ".join(parts)

    @property
    def language_name(self):
        return language_name(self.language)

    @property
    def pages(self):
        """'740-753', '740', or the article number."""
        return page_range(self.first_page, self.last_page, self.article_number)

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
    def is_preview_only(self):
        """Shown to curators only (a preview): not public, or no longer."""
        return not is_public(self)

    @property
    def publication_status_line(self):
        """'Published - Oct 2012', as the reference record shows it; a range or a season as the source
        gives it ('Published - 2019 Sep-Oct')."""
        if not self.publication_status:
            return ""
        label = label_of(PublicationStatus, self.publication_status)
        date = self.publication_date_as_given or self.publication_date
        return f"{label} - {date}" if date else label

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
            "publication_date_as_given": current.as_given if current else "",
            "publication_sort_key": publication_sort_key(
                *((current.year, current.month, current.day) if current else ())
            ),
        }


class PublicationState(models.Model):
    """One step of an article's publication history (e-pub ahead of print 9 Mar 2012, published Oct 2012)."""

    # Looked up through the composite index that begins with this column (a unique one or Meta.indexes):
    # an index of its own would only slow every insert.
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="publication_states", db_index=False)
    status = models.CharField(max_length=30, choices=PublicationStatus.choices)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    month = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    day = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(31)]
    )
    as_given = models.CharField(
        "as the source gives it",
        max_length=40,
        blank=True,
        help_text="A range or a season as the source writes it ('2019 Sep-Oct', '1999 Spring'); the year and "
        "month above are its start.",
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
        date = self.as_given or self.date
        return f"{self.get_status_display()} - {date}" if date else self.get_status_display()

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


class ArticleRedirect(models.Model):
    """The id of an article merged into another: its old page leads to the one kept."""

    old_id = models.PositiveBigIntegerField(unique=True)
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="redirects")
    created = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.old_id} → {self.article_id}"
