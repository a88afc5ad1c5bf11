"""The one definition of article search and filtering, shared by the search page, the JSON API and
the exports. Parameter names are a public contract: q, year_from, year_to, type, journal, drug,
keyword, concept, subject, mesh, publication_type, author, status, peer_reviewed, language,
has_abstract, has_full_text, doi, pmid, pmcid, cites, sort.
"""

import django_filters
from django import forms
from django.conf import settings
from django.db.models import F, FloatField, Q, QuerySet
from django.db.models.functions import Cast
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from literature.models import (
    Article,
    ArticleQuerySet,
    Concept,
    Drug,
    Journal,
    Keyword,
    OutputType,
    Person,
    PublicationStatus,
    SubjectArea,
)
from literature.search.facets import article_count_of, is_large_share
from literature.search.query import has_search_terms
from literature.search.synonyms import expand_drug_names
from literature.search.tags import apply_field_tags, parse_field_tags, searched_words
from literature.values import identifiers
from literature.values.identifiers import normalize_pmcid
from literature.values.languages import language_choices

MAX_QUERY_LENGTH = settings.MAX_QUERY_CHARS  # PORTAL_MAX_QUERY_CHARS


class SortChoices:
    RELEVANCE = "relevance"
    NEWEST = "newest"
    OLDEST = "oldest"
    TITLE = "title"
    choices = [(RELEVANCE, "Relevance"), (NEWEST, "Newest first"), (OLDEST, "Oldest first"), (TITLE, "Title")]


class YearFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


# Filters a facet selects from take several values, any of which an article may have, as the facets of
# PubMed and Europe PMC do (?keyword=a&keyword=b: articles with either keyword); each value must be known.
ANY_OF = " Repeat it for any of several (?{name}=a&{name}=b)."


class AnyOfModelsFilter(django_filters.ModelMultipleChoiceFilter):
    """Any of several records (each must exist), handed to the filter's method as a list."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", ManyValues)
        super().__init__(*args, **kwargs)


class AnyOfChoicesFilter(django_filters.MultipleChoiceFilter):
    """Any of several choices (output types, languages): one condition on the column, no DISTINCT."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", ManyValues)
        kwargs.setdefault("distinct", False)
        super().__init__(*args, **kwargs)


@extend_schema_field(OpenApiTypes.STR)
class SlugChoiceFilter(AnyOfModelsFilter):
    """Records chosen by their slugs (drug, keyword)."""


class ManyValues(forms.SelectMultiple):
    """Every value of the parameter (?drug=a&drug=b); from a plain dict (code calling the FilterSet
    itself: {"drug": "lenalidomide"}), its one value or list."""

    def value_from_datadict(self, data, files, name):
        if hasattr(data, "getlist"):
            return data.getlist(name)
        value = data.get(name)
        return [value] if isinstance(value, str | int) else value


class NumbersChoiceField(django_filters.fields.ModelMultipleChoiceField):
    """Records chosen by a number (an id, a code): a value that is no number a database column holds
    ("-1", "99999999999999999999") is refused here, before any query (SQLite cannot even bind it)."""

    def _check_values(self, value):
        for number in value:
            text = str(number).strip()
            if not (text.isascii() and text.isdecimal() and 0 < int(text) < 2**63):
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": text[:20]}
                )
        return super()._check_values(value)


@extend_schema_field(OpenApiTypes.INT)
class CodeChoiceFilter(AnyOfModelsFilter):
    """ASJC subject areas chosen by their codes (two or four digits)."""

    field_class = NumbersChoiceField


@extend_schema_field(OpenApiTypes.INT)
class IdChoicesFilter(AnyOfModelsFilter):
    """Records chosen by their ids (authors, journals)."""

    field_class = NumbersChoiceField


@extend_schema_field(OpenApiTypes.INT)
class IdChoiceFilter(django_filters.ModelChoiceFilter):
    """A record chosen by its id (a Fingerprint concept, an article)."""


class TextsField(forms.Field):
    """Several texts of one parameter (?mesh=a&mesh=b), each stripped and at most `max_length` long."""

    widget = ManyValues

    def __init__(self, *, max_length=None, **kwargs):
        self.max_length = max_length
        super().__init__(**kwargs)

    def to_python(self, value):
        return [text.strip() for text in (value or []) if text and text.strip()]

    def validate(self, value):
        super().validate(value)
        for text in value:
            if self.max_length and len(text) > self.max_length:
                raise forms.ValidationError(f"“{text[:40]}…” is longer than {self.max_length} characters.")


@extend_schema_field(OpenApiTypes.STR)
class TextsFilter(AnyOfChoicesFilter):
    """Free texts (a MeSH descriptor, a publication type), any of which an article may have."""

    field_class = TextsField
    matches_any_case = True  # its ArticleQuerySet verbs compare lower-cased names (the facets read this)


class ArticleFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="filter_search",
        label="Search",
        max_length=MAX_QUERY_LENGTH,
        error_messages={
            "max_length": "%(show_value)d characters: more than the limit of %(limit_value)d (MAX_QUERY_CHARS)."
        },
        help_text='Words in the title, abstract, keywords, MeSH terms or author names; "phrases", or, -exclude, '
        "prefix* (lenalid*); PubMed field tags: castelli[au], Castelli R[au], 2012[dp], 2010:2012[dp], "
        '"multiple myeloma"[mh], review[pt], dosing[kw], "Journal title"[ta], word[ti], word[ab], word[tiab], '
        "10.1000/x[doi], 123[pmid]. A word naming a drug (Revlimid) also searches the drug's other names; "
        'in quotes ("Revlimid") the word only.',
    )
    year_from = YearFilter(
        field_name="publication_year", lookup_expr="gte", label="From year", min_value=1000, max_value=9999
    )
    year_to = YearFilter(
        field_name="publication_year", lookup_expr="lte", label="To year", min_value=1000, max_value=9999
    )
    type = AnyOfChoicesFilter(
        field_name="output_type",
        choices=OutputType.choices,
        label="Output type",
        help_text="An output type." + ANY_OF.format(name="type"),
    )
    journal = IdChoicesFilter(
        queryset=Journal.objects.all(),
        method="filter_journal",
        label="Journal",
        help_text="A journal, by id." + ANY_OF.format(name="journal"),
    )
    drug = SlugChoiceFilter(
        queryset=Drug.objects.all(),
        to_field_name="slug",
        method="filter_drug",
        label="Drug",
        help_text="A drug, by slug (lenalidomide)." + ANY_OF.format(name="drug"),
    )
    keyword = SlugChoiceFilter(
        queryset=Keyword.objects.all(),
        to_field_name="slug",
        method="filter_keyword",
        label="Keyword",
        help_text="A keyword, by slug." + ANY_OF.format(name="keyword"),
    )
    concept = IdChoiceFilter(
        queryset=Concept.objects.all(),
        method="filter_concept",
        label="Fingerprint concept",
        help_text="Articles whose Fingerprint shows this concept (its id).",
    )
    subject = CodeChoiceFilter(
        queryset=SubjectArea.objects.all(),
        to_field_name="code",
        method="filter_subject",
        label="Subject area",
        help_text="An ASJC code (four digits), or an area (two digits) for any of its codes."
        + ANY_OF.format(name="subject"),
    )
    mesh = TextsFilter(
        method="filter_mesh",
        label="MeSH heading",
        max_length=200,
        help_text="Articles indexed with this MeSH descriptor (its name, any case: Multiple Myeloma)."
        + ANY_OF.format(name="mesh"),
    )
    publication_type = TextsFilter(
        method="filter_publication_type",
        label="Publication type",
        max_length=120,
        help_text="Articles PubMed lists under this publication type (any case: Randomized Controlled Trial)."
        + ANY_OF.format(name="publication_type"),
    )
    author = IdChoicesFilter(
        queryset=Person.objects.all(),
        method="filter_author",
        label="Author",
        help_text="A person, by id." + ANY_OF.format(name="author"),
    )
    status = django_filters.ChoiceFilter(
        field_name="publication_status", choices=PublicationStatus.choices, label="Publication status"
    )
    peer_reviewed = django_filters.BooleanFilter(widget=django_filters.widgets.BooleanWidget(), label="Peer-reviewed")
    language = AnyOfChoicesFilter(
        choices=language_choices,
        label="Language",
        help_text="An ISO 639-3 code (eng)." + ANY_OF.format(name="language"),
    )
    has_abstract = django_filters.BooleanFilter(
        widget=django_filters.widgets.BooleanWidget(),
        method="filter_has_abstract",
        label="Has abstract",
        help_text="true: articles with an abstract; false: those without.",
    )
    has_full_text = django_filters.BooleanFilter(
        widget=django_filters.widgets.BooleanWidget(),
        method="filter_has_full_text",
        label="Has full text link",
        help_text="true: articles with a DOI or a PubMed Central id to follow to the full text; false: neither.",
    )
    doi = django_filters.CharFilter(
        method="filter_doi",
        label="DOI",
        help_text="The article with this DOI, written any way (10.…, doi:…, https://doi.org/…; any case).",
    )
    pmid = django_filters.NumberFilter(field_name="pmid", label="PMID", min_value=1)
    pmcid = django_filters.CharFilter(method="filter_pmcid", label="PMCID", help_text="PMC3531190 or 3531190.")
    cites = IdChoiceFilter(
        queryset=Article.objects.public(),
        method="filter_cites",
        label="Cites",
        help_text='Articles whose references cite this article (its id): its "Cited by" list.',
    )
    sort = django_filters.ChoiceFilter(
        method="sort_results", choices=SortChoices.choices, label="Sort by", empty_label=None
    )

    class Meta:
        model = Article
        fields = []

    # Every many-to-many filter is a subquery on the link table, so an article never appears twice.

    def filter_search(self, queryset, name, value):
        """The full-text query, its field-tagged terms (`castelli[au] 2012[dp]`: search/tags.py) as the
        filters they stand for, its drug names with their synonyms (search/synonyms.py). Only tagged
        terms: every article they filter, the newest ranked first (nothing to weigh words by)."""
        tagged, text = self.prepared_search(value[:MAX_QUERY_LENGTH])
        queryset = apply_field_tags(queryset, tagged)
        if tagged.tags and not has_search_terms(text):
            return queryset.annotate(relevance=Cast("publication_sort_key", FloatField()))
        return queryset.search(text)

    def prepared_search(self, value):
        """(tagged query, full-text query) of a search, worked out once per filterset: the facets and the
        rank window apply the same search again, and the synonyms cost queries."""
        if getattr(self, "_prepared", (None,))[0] != value:
            tagged = parse_field_tags(value)
            expanded = expand_drug_names(tagged.text)  # Revlimid or "Lenalidomide" or "CC-5013"
            self.also_searched = expanded.also  # for the page to say so
            self._prepared = (value, tagged, " ".join([expanded.text, *searched_words(tagged)]))
        return self._prepared[1:]

    def filter_has_abstract(self, queryset, name, value):
        return queryset.with_abstract(value)

    def filter_has_full_text(self, queryset, name, value):
        return queryset.with_full_text_link(value)

    def filter_doi(self, queryset, name, value):
        return queryset.with_doi(value)

    def filter_pmcid(self, queryset, name, value):
        return queryset.filter(pmcid=normalize_pmcid(value))

    def filter_cites(self, queryset, name, article):
        return queryset.citing(article)

    # Link filters (drug, keyword, subject, author) select by the links' ids in `.qs`, which is counted:
    # a count of the walked form visits every public article (2 s at 1M). The page of results is read
    # from `listed()`, where an object with a large share of the corpus is walked instead
    # (ArticleQuerySet._linked_by): newest first, its 25 are found after ~25 / share rows of the date
    # index, where by ids all of its articles were sorted first (a drug in a quarter of 1M: 0.4 s).
    walk_large_links = False

    def listed(self):
        """The results (`.qs`, validated) as a page is read from them; counted, they are `.qs`."""
        self.walk_large_links = True
        try:
            return self.filter_queryset(self.queryset.all())
        finally:
            self.walk_large_links = False

    def _linked(self, queryset, verb, objects):
        """`verb(queryset, obj, walk)` (an ArticleQuerySet link verb) for the one object chosen, walked in
        listed() when it has a large share of the public articles; for several, any of them."""

        def public_articles_of(obj):
            return verb(Article.objects.public(), obj)

        def one(queryset, obj):
            walk = self.walk_large_links and is_large_share(article_count_of(obj, public_articles_of))
            return verb(queryset, obj, walk=walk)

        return any_of(queryset, objects, one, verb)

    def filter_drug(self, queryset, name, drugs):
        return self._linked(queryset, ArticleQuerySet.with_confirmed_drug, drugs)

    def filter_keyword(self, queryset, name, keywords):
        return self._linked(queryset, ArticleQuerySet.with_keyword, keywords)

    def filter_concept(self, queryset, name, concept):
        return queryset.with_concept(concept)

    def filter_mesh(self, queryset, name, descriptors):
        return any_of(queryset, descriptors, ArticleQuerySet.with_mesh_heading)

    def filter_publication_type(self, queryset, name, kinds):
        return any_of(queryset, kinds, ArticleQuerySet.with_publication_type)

    def filter_author(self, queryset, name, people):
        return self._linked(queryset, ArticleQuerySet.by_person, people)

    def filter_subject(self, queryset, name, subjects):
        return self._linked(queryset, ArticleQuerySet.in_subject, subjects)

    def filter_journal(self, queryset, name, journals):
        return any_of(queryset, journals, ArticleQuerySet.in_journal)

    def in_force(self):
        """{filter name: value} of every filter the (validated) request sets, sort included."""
        return {name: value for name, value in self.form.cleaned_data.items() if is_set(value)}

    def sort_results(self, queryset, name, value):
        return queryset  # applied last, in filter_queryset, once every filter has run

    def filter_queryset(self, queryset):
        return self.order(super().filter_queryset(queryset))

    @property
    def active_sort(self):
        """The requested order, or relevance when searching and newest first otherwise."""
        cleaned = getattr(self.form, "cleaned_data", {})
        searching = bool(cleaned.get("q"))
        sort = cleaned.get("sort")
        if sort == SortChoices.RELEVANCE and not searching:
            sort = None
        return sort or (SortChoices.RELEVANCE if searching else SortChoices.NEWEST)

    def order(self, queryset):
        sort = self.active_sort
        if sort == SortChoices.RELEVANCE:
            return queryset.order_by(F("relevance").desc(), "-pk")
        if sort == SortChoices.OLDEST:
            return queryset.order_by(
                F("publication_year").asc(nulls_last=True),
                F("publication_month").asc(nulls_last=True),
                F("publication_day").asc(nulls_last=True),
                "pk",
            )
        if sort == SortChoices.TITLE:
            return queryset.order_by("title", "pk")
        return queryset.newest_first()


def is_set(value):
    """Whether a cleaned filter value filters: not empty, nor an empty list of values."""
    if isinstance(value, QuerySet | list | tuple):
        return len(value) > 0  # a cleaned QuerySet is evaluated already: no query
    return value not in (None, "")


def any_of(queryset, values, one, alone=None):
    """The articles of `queryset` that `one(articles, value)` finds for any of `values`: for one value
    `one` itself; for several, by the ids each finds among all articles (`alone`, if given, is how
    those are found: a walked form is for one value's page only)."""
    values = list(values)
    if len(values) == 1:
        return one(queryset, values[0])
    if not values:
        return queryset
    alone = alone or one
    either = Q()
    for value in values:
        either |= Q(pk__in=alone(Article.objects.all(), value).values("pk"))
    return queryset.filter(either)


class PageSizeForm(forms.Form):
    page_size = forms.TypedChoiceField(choices=[(n, n) for n in (10, 25, 50, 100)], coerce=int, required=False)


def identifier_in(text):
    """(scheme, value) when `text` is nothing but a DOI (any form), a PMID or a PMCID, else None."""
    text = text.strip()
    if not text or " " in text:
        return None
    pmcid = normalize_pmcid(text.removeprefix("pmcid:").removeprefix("PMCID:"))
    pmid = text.upper().removeprefix("PMID:").strip()
    if identifiers.DOI_PATTERN.match(identifiers.normalize_doi(text)):
        return "doi", text
    if text.upper().startswith(("PMC", "PMCID:")) and identifiers.PMCID_PATTERN.match(pmcid):
        return "pmcid", pmcid
    if pmid.isascii() and pmid.isdecimal() and len(pmid) <= 8:
        return "pmid", pmid
    return None


def with_identifier(queryset, scheme, value):
    """The articles of `queryset` with this identifier (scheme "doi", "pmid" or "pmcid"), found as the
    doi, pmid and pmcid filters find them: one definition of each identifier's match for the API's
    /articles/doi:…/ lookups and the search box."""
    found = ArticleFilterSet({scheme: value}, queryset=queryset)
    return found.qs if found.is_valid() else queryset.none()
