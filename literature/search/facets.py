"""Facet counts beside the search results, as PubMed's and Europe PMC's sidebars show them: each
facet counts over the results of every *other* filter in force, so choosing a value in one facet
never hides the alternatives within it. One grouped query per facet, over the matches or, past
EXACT_UP_TO of them, over a sample of the matches (sampling.py), then labelled as estimates.
"""

from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlencode

import django_filters
from django.core.cache import cache
from django.db.models import BooleanField, Count, ExpressionWrapper, F, OuterRef, QuerySet, Subquery

from literature.derived.cache import cached_for_corpus
from literature.models import (
    HAS_ABSTRACT,
    HAS_FULL_TEXT_LINK,
    Article,
    ArticleDrug,
    ArticleSearchEntry,
    Authorship,
    Drug,
    Journal,
    Keyword,
    MeshHeading,
    OutputType,
    Person,
    PublicationStatus,
    PublicationType,
)
from literature.values.languages import language_name

from .query import has_search_terms
from .sampling import Counting, slots_to_sample

TOP = 10
LARGE_SHARE = 100
SIZE_HINT_SECONDS = 3600


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool = False
    url: str = ""


@dataclass
class Facet:
    name: str
    label: str
    params: tuple
    values: list = field(default_factory=list)
    approximate: bool = False  # counted over a sample of the matches: "about"
    multiple: bool = False  # several values may be chosen at once (any of them)

    @property
    def selected(self):
        return [value for value in self.values if value.selected]


def _url(data, params, changes):
    """The query string of the search with `params` replaced by `changes` (and back on page one)."""
    items = [(k, v) for k in data for v in data.getlist(k) if k not in params and k != "page" and v != ""]
    for name, value in changes.items():
        items += [(name, one) for one in (value if isinstance(value, list) else [value]) if one not in (None, "")]
    return "?" + urlencode(items)


def _grouped(queryset, value_field, label_field=None, limit=None):
    fields = [value_field] + ([label_field] if label_field and label_field != value_field else [])
    rows = queryset.order_by().values(*fields).annotate(n=Count("*")).order_by("-n", value_field)
    rows = rows[:limit] if limit else rows
    return [(row[value_field], row[label_field or value_field], row["n"]) for row in rows]


# Facets of the article row itself, counted together: one grouped scan of the matches (or of their
# sample) gives every combination of these values, added up per facet here, instead of one scan each
# (seven times 35-50 ms over 18,000 matches, the cold page's largest part).
COLUMN_FACETS = {
    "type": F("output_type"),
    "year": F("publication_year"),
    "status": F("publication_status"),
    "language": F("language"),
    "peer_reviewed": F("peer_reviewed"),
    "has_abstract": ExpressionWrapper(HAS_ABSTRACT, output_field=BooleanField()),
    "has_full_text": ExpressionWrapper(HAS_FULL_TEXT_LINK, output_field=BooleanField()),
}
YES_NO = {
    "peer_reviewed": ("Peer-reviewed", "Not peer-reviewed"),
    "has_abstract": ("With abstract", "Without abstract"),
    "has_full_text": ("With full text link (DOI or PMC)", "No full text link"),
}


def _column_counts(names, articles):
    """{facet name: (value, label, count) rows} of these COLUMN_FACETS over `articles`, in one query."""
    columns = {f"facet_{name}": COLUMN_FACETS[name] for name in names}
    tallies = {name: Counter() for name in names}
    for row in articles.order_by().annotate(**columns).values(*columns).annotate(n=Count("*")):
        for name in names:
            tallies[name][row[f"facet_{name}"]] += row["n"]
    return {name: _column_rows(name, tallies[name]) for name in names}


def _column_rows(name, tally):
    """One column facet's rows, in the order of the grouped queries: most first, then by value (years
    newest first; yes before no)."""
    if name == "year":
        return sorted(((year, year, n) for year, n in tally.items() if year is not None), reverse=True)
    if name in YES_NO:
        yes, no = YES_NO[name]
        return [(("true", yes) if flag else ("false", no)) + (tally[flag],) for flag in (True, False) if tally[flag]]
    ordered = sorted(((value, n) for value, n in tally.items() if value), key=lambda row: (-row[1], row[0]))
    label = {"type": lambda v: OutputType(v).label, "status": lambda v: PublicationStatus(v).label}.get(
        name, language_name
    )
    return [(value, label(value), n) for value, n in ordered]


def _counts(name, articles):
    """(value, label, count) rows of one facet of linked records (or the journal) over the articles."""
    ids = articles.order_by().values("pk")
    if name == "journal":
        # The title read per group, not joined: a join lets SQLite walk every journal and probe the
        # articles of each (0.4 s for a sample of 5,000 among 5,000 journals).
        titles = Journal.objects.filter(pk=OuterRef("journal_id")).values("title")
        rows = (
            articles.exclude(journal__isnull=True)
            .order_by()
            .values("journal_id")
            .annotate(n=Count("*"), title=Subquery(titles))
            .order_by("-n", "journal_id")[:TOP]
        )
        return [(row["journal_id"], row["title"], row["n"]) for row in rows]
    if name == "drug":
        return _top_linked(ArticleDrug.objects.confirmed().filter(article_id__in=ids), "drug_id", Drug)
    if name == "keyword":
        return _top_linked(Article.keywords.through.objects.filter(article_id__in=ids), "keyword_id", Keyword)
    if name == "subject":
        links = Article.subject_areas.through.objects.filter(article_id__in=ids)
        return _grouped(links, "subjectarea__code", "subjectarea__name", TOP)
    if name == "mesh":
        return _grouped(MeshHeading.objects.filter(article_id__in=ids), "descriptor", limit=TOP)
    if name == "publication_type":
        return _grouped(PublicationType.objects.filter(article_id__in=ids), "name", limit=TOP)
    if name == "author":
        rows = _grouped(Authorship.objects.filter(article_id__in=ids), "person_id", limit=TOP)
        names = {person.pk: person.inverted_name for person in Person.objects.filter(pk__in=[r[0] for r in rows])}
        return [(person_id, names[person_id], n) for person_id, _, n in rows]
    raise ValueError(name)


def _top_linked(links, column, model):
    """The TOP records (drugs, keywords) most linked among `links`, as (slug, name, count): grouped by
    the id alone and named after, in a second query, since joining every link row to its record to
    group by slug and name costs twice the grouping (95 against 40 ms over 18,000 articles' keywords)."""
    rows = _grouped(links, column, limit=TOP)
    found = model.objects.in_bulk([pk for pk, _, _ in rows]) if rows else {}
    return [(found[pk].slug, found[pk].name, n) for pk, _, n in rows]


FACETS = [
    ("type", "Output type", ("type",)),
    ("year", "Publication year", ("year_from", "year_to")),
    ("drug", "Drug", ("drug",)),
    ("keyword", "Keyword", ("keyword",)),
    ("mesh", "MeSH heading", ("mesh",)),
    ("publication_type", "Publication type", ("publication_type",)),
    ("author", "Author", ("author",)),
    ("subject", "Subject area", ("subject",)),
    ("journal", "Journal", ("journal",)),
    ("status", "Publication status", ("status",)),
    ("peer_reviewed", "Peer review", ("peer_reviewed",)),
    ("has_abstract", "Abstract", ("has_abstract",)),
    ("has_full_text", "Full text", ("has_full_text",)),
    ("language", "Language", ("language",)),
]


def is_large_share(count):
    """Whether `count` articles are at least 1/LARGE_SHARE of the public ones: a page of them is then
    best read by walking the newest-first index (ArticleQuerySet._linked_by)."""
    return count * LARGE_SHARE >= counted_articles(Article.objects.public(), "public")


def article_count_of(obj, public_articles_of):
    """How many public articles `obj` (a journal, person, subject area, drug, keyword) has, given by
    `public_articles_of(obj)`: counted once per corpus version (estimated past 20,000), under one key
    per object for its page (web.views.ArticlesOfMixin) and the filters (ArticleFilterSet.listed)."""
    return cached_for_corpus("article-count", (obj._meta.label, obj.pk), lambda: count(public_articles_of(obj)))


def is_frequent(text):
    """Whether the words of `text` match a large share of the corpus (is_large_share), asked of the
    full-text index alone and stopping at that many matches."""
    if not has_search_terms(text):
        return False
    enough = max(1, counted_articles(Article.objects.public(), "public") // LARGE_SHARE)
    return ArticleSearchEntry.objects.filter(document__match=text)[:enough].count() >= enough


def counted_articles(base_queryset, audience):
    """About how many articles `base_queryset` (all a reader or a curator may count) holds: the sample
    size is chosen from it, so an hour-old figure serves (kept apart from the corpus version, which
    would recount it, and refresh it in a thread of its own, after every write)."""
    return cache.get_or_set(f"counted-articles:{audience}", base_queryset.count, SIZE_HINT_SECONDS)


def counting_of(articles):
    """How to count `articles` (public ones): themselves up to EXACT_UP_TO, else their sample."""
    return Counting.over(articles, slots_to_sample(counted_articles(Article.objects.public(), "public")))


def count(articles):
    """How many public articles `articles` holds: exact up to EXACT_UP_TO, estimated past it."""
    return counting_of(articles).total()


RESULTS = "__results__"
APPROXIMATE = "__approximate__"  # the facets (and the result count) that are estimates
FACET_NAMES = [name for name, _, _ in FACETS]


def facet_counts(filterset, base_queryset, audience="public"):
    """{facet name: [(value, label, count)]} for a validated ArticleFilterSet, under RESULTS the number
    of results and under APPROXIMATE the names of what was estimated from a sample (RESULTS among them),
    cached per filter values and corpus version. Each facet applies every filter in force but its own;
    facets under the same filters share one sampling. `audience` names who base_queryset is for (a
    curator's counts drafts too, and must never be served to a reader)."""
    cleaned = {name: value for name, value in filterset.in_force().items() if name != "sort"}

    def count_all():
        slots = slots_to_sample(counted_articles(base_queryset, audience))
        countings, counts, approximate = {}, {}, set()

        def counting(applied):
            if applied not in countings:
                articles = base_queryset
                for filter_name in applied:
                    articles = filterset.filters[filter_name].filter(articles, cleaned[filter_name])
                countings[applied] = Counting.over(articles, slots)
            return countings[applied]

        by_filters = {}  # facets counted under the same filters share a sample, and a scan of the columns
        for name, _, params in FACETS:
            by_filters.setdefault(
                tuple(filter_name for filter_name in cleaned if filter_name not in params), []
            ).append(name)
        for applied, names in by_filters.items():
            over = counting(applied)
            columns = [name for name in names if name in COLUMN_FACETS]
            found = _column_counts(columns, over.articles) if columns else {}
            for name in names:
                counts[name] = over.scaled(found[name] if name in found else _counts(name, over.articles))
                if over.approximate:
                    approximate.add(name)
        results = counting(tuple(cleaned))
        counts[RESULTS] = results.total()
        if results.approximate:
            approximate.add(RESULTS)
        counts[APPROXIMATE] = approximate
        return counts

    key = (audience, sorted((name, _key_of(value)) for name, value in cleaned.items()))
    return cached_for_corpus("facets", key, count_all)


def _key_of(value):
    """A filter's value as part of a cache key: its record's id, or the sorted ids / texts of several."""
    if isinstance(value, QuerySet | list | tuple):
        return sorted(str(getattr(item, "pk", item)) for item in value)
    return str(getattr(value, "pk", value))


def facets_for(filterset, counts):
    """The facets beside a search (from its facet_counts): counts, and for each value the URL that
    selects or unselects it."""
    data = filterset.data
    facets = []
    for name, label, params in FACETS:
        # A facet whose filter takes several values (?keyword=a&keyword=b: either): choosing a value adds it.
        multiple = isinstance(filterset.filters.get(name), django_filters.MultipleChoiceFilter)
        any_case = getattr(filterset.filters.get(name), "matches_any_case", False)  # mesh=multiple+myeloma
        facet = Facet(name, label, params, approximate=name in counts.get(APPROXIMATE, ()), multiple=multiple)
        for value, value_label, count in counts[name]:
            value = str(value)
            if name == "year":
                selected = data.get("year_from") == value and data.get("year_to") == value
                url = _url(data, params, {} if selected else {"year_from": value, "year_to": value})
            elif multiple:
                chosen = data.getlist(name)
                same = (lambda a, b: a.lower() == b.lower()) if any_case else (lambda a, b: a == b)
                selected = any(same(value, other) for other in chosen)
                kept = [other for other in chosen if not same(value, other)] if selected else [*chosen, value]
                url = _url(data, params, {name: kept})
            else:
                selected = data.get(name) == value
                url = _url(data, params, {} if selected else {name: value})
            facet.values.append(FacetValue(value, str(value_label), count, selected, url))
        facets.append(facet)
    return facets


def drugs_by_article_count():
    """[(drug id, public articles)] of every drug with a confirmed public article, most articles first
    and then by name: the order of /drugs/. One grouped query over the confirmed links, cached."""

    def compute():
        rows = (
            ArticleDrug.objects.public()
            .values("drug_id", "drug__name")
            .annotate(n=Count("*"))
            .order_by("-n", "drug__name", "drug_id")
        )
        return [(row["drug_id"], row["n"]) for row in rows]

    return cached_for_corpus("drugs-by-article-count", None, compute)
