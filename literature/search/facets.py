"""Facet counts beside the search results, as PubMed's and Europe PMC's sidebars show them: each
facet counts over the results of every *other* filter in force, so choosing a value in one facet
never hides the alternatives within it. One grouped query per facet.
"""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Count

from literature.derived.cache import cached_for_corpus
from literature.models import Article, ArticleDrug, OutputType, PublicationStatus
from literature.values.languages import language_name

TOP = 10


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

    @property
    def selected(self):
        return [value for value in self.values if value.selected]


def _url(data, params, changes):
    """The query string of the search with `params` replaced by `changes` (and back on page one)."""
    items = [(k, v) for k in data for v in data.getlist(k) if k not in params and k != "page" and v != ""]
    items += [(k, v) for k, v in changes.items() if v not in (None, "")]
    return "?" + urlencode(items)


def _grouped(queryset, value_field, label_field=None, limit=None):
    fields = [value_field] + ([label_field] if label_field and label_field != value_field else [])
    rows = queryset.order_by().values(*fields).annotate(n=Count("*")).order_by("-n", value_field)
    rows = rows[:limit] if limit else rows
    return [(row[value_field], row[label_field or value_field], row["n"]) for row in rows]


def _counts(name, articles):
    """(value, label, count) rows of one facet over the given articles."""
    ids = articles.order_by().values("pk")
    if name == "year":
        rows = _grouped(articles.exclude(publication_year__isnull=True), "publication_year")
        return sorted(rows, key=lambda row: row[0], reverse=True)
    if name == "type":
        return [(v, OutputType(v).label, n) for v, _, n in _grouped(articles, "output_type")]
    if name == "status":
        return [
            (v, PublicationStatus(v).label, n)
            for v, _, n in _grouped(articles.exclude(publication_status=""), "publication_status")
        ]
    if name == "language":
        return [(v, language_name(v), n) for v, _, n in _grouped(articles.exclude(language=""), "language")]
    if name == "peer_reviewed":
        return [
            ("true" if v else "false", "Peer-reviewed" if v else "Not peer-reviewed", n)
            for v, _, n in _grouped(articles, "peer_reviewed")
        ]
    if name == "journal":
        return _grouped(articles.exclude(journal__isnull=True), "journal_id", "journal__title", TOP)
    if name == "drug":
        return _grouped(ArticleDrug.objects.confirmed().filter(article_id__in=ids), "drug__slug", "drug__name", TOP)
    if name == "keyword":
        links = Article.keywords.through.objects.filter(article_id__in=ids)
        return _grouped(links, "keyword__slug", "keyword__name", TOP)
    if name == "subject":
        links = Article.subject_areas.through.objects.filter(article_id__in=ids)
        return _grouped(links, "subjectarea__code", "subjectarea__name", TOP)
    raise ValueError(name)


FACETS = [
    ("type", "Output type", ("type",)),
    ("year", "Publication year", ("year_from", "year_to")),
    ("drug", "Drug", ("drug",)),
    ("keyword", "Keyword", ("keyword",)),
    ("subject", "Subject area", ("subject",)),
    ("journal", "Journal", ("journal",)),
    ("status", "Publication status", ("status",)),
    ("peer_reviewed", "Peer review", ("peer_reviewed",)),
    ("language", "Language", ("language",)),
]


RESULTS = "__results__"
FACET_NAMES = [name for name, _, _ in FACETS]


def facet_counts(filterset, base_queryset, audience="public"):
    """{facet name: [(value, label, count)]} for a validated ArticleFilterSet, and under RESULTS the
    number of results, cached per filter values and corpus version. Each facet applies every filter in
    force but its own. `audience` names who base_queryset is for (a curator's counts drafts too, and
    must never be served to a reader)."""
    cleaned = {k: v for k, v in filterset.form.cleaned_data.items() if v not in (None, "") and k != "sort"}

    def count_all():
        counts = {}
        for name, _, params in FACETS:
            articles = base_queryset
            for filter_name, value in cleaned.items():
                if filter_name not in params:
                    articles = filterset.filters[filter_name].filter(articles, value)
            counts[name] = _counts(name, articles)
        counts[RESULTS] = filterset.qs.count()
        return counts

    key = (audience, sorted((k, str(getattr(v, "pk", v))) for k, v in cleaned.items()))
    return cached_for_corpus("facets", key, count_all)


def facets_for(filterset, counts):
    """The facets beside a search (from its facet_counts): counts, and for each value the URL that
    selects or unselects it."""
    data = filterset.data
    facets = []
    for name, label, params in FACETS:
        facet = Facet(name, label, params)
        for value, value_label, count in counts[name]:
            value = str(value)
            if name == "year":
                selected = data.get("year_from") == value and data.get("year_to") == value
                url = _url(data, params, {} if selected else {"year_from": value, "year_to": value})
            else:
                selected = data.get(name) == value
                url = _url(data, params, {} if selected else {name: value})
            facet.values.append(FacetValue(value, str(value_label), count, selected, url))
        facets.append(facet)
    return facets
