"""What an article's API document shows beyond its own row (authors, keywords, drug links, Fingerprint,
references, ...), read for a whole batch of articles as plain values: `ArticleQuerySet.for_api()`.

Read with prefetch_related, a page of 100 articles built about 2,000 model instances and a queryset per
relation per article (`.all()` on each prefetched manager): 250 ms of a 300 ms response, against the
20 ms the ten queries took. Here each relation is one query of values, grouped by article, in the order
its prefetch had (the related model's ordering); api/flat.py writes the document from them."""

from itertools import islice

from django.apps import apps
from django.db.models.query import ModelIterable

from .drugs import ArticleDrug
from .fingerprint import ArticleConcept
from .indexing import MeshHeading, PublicationType
from .people import Authorship
from .references import Reference
from .relations import ArticleRelation

RELATED_ROWS = (
    "publication_history", "authors", "keywords", "subject_areas", "drug_links", "fingerprint", "references",
    "mesh_headings", "publication_types", "relations",
)  # fmt: skip

AUTHOR_FIELDS = (
    "article_id", "position", "affiliation", "is_corresponding", "person_id", "person__family_name",
    "person__given_names", "person__collective_name", "person__orcid",
)  # fmt: skip
DRUG_LINK_FIELDS = (
    "article_id", "id", "drug_id", "drug__slug", "drug__name", "status", "source", "evidence", "mention_count",
)  # fmt: skip


class RelatedRows:
    """One article's related rows, each a list of dictionaries (see the readers below)."""

    __slots__ = RELATED_ROWS

    def __init__(self):
        for name in RELATED_ROWS:
            setattr(self, name, [])


def _grouped(rows, into, name):
    for row in rows:
        getattr(into[row.pop("article_id")], name).append(row)


def attach_related_rows(articles, all_links):
    """Set `related_rows` on each article: ten queries whatever their number. all_links: the suggested
    and rejected drug links too (curators), not only the confirmed ones."""
    Article = apps.get_model("literature", "Article")  # articles.py imports this module
    PublicationState = apps.get_model("literature", "PublicationState")

    into = {article.pk: RelatedRows() for article in articles}
    for article in articles:
        article.related_rows = into[article.pk]
    if not into:
        return
    ids = list(into)
    by_article = {"article_id__in": ids}
    drug_links = ArticleDrug.objects.filter(**by_article)
    readers = {
        "publication_history": PublicationState.objects.filter(**by_article)
        .order_by("pk")
        .values("article_id", "status", "year", "month", "day", "as_given"),
        "authors": Authorship.objects.filter(**by_article).order_by("article_id", "position").values(*AUTHOR_FIELDS),
        "keywords": Article.keywords.through.objects.filter(**by_article)
        .order_by("keyword__name", "keyword_id")
        .values("article_id", "keyword_id", "keyword__name", "keyword__slug", "keyword__mesh_id"),
        "subject_areas": Article.subject_areas.through.objects.filter(**by_article)
        .order_by("subjectarea__code")
        .values("article_id", "subjectarea__code", "subjectarea__name"),
        "drug_links": (drug_links if all_links else drug_links.confirmed())
        .order_by("drug__name", "pk")
        .values(*DRUG_LINK_FIELDS),
        "fingerprint": ArticleConcept.objects.shown()
        .filter(**by_article)
        .order_by("-weight", "concept_id")
        .values("article_id", "concept_id", "concept__name", "concept__kind", "weight"),
        "references": Reference.objects.with_cited_article()
        .filter(**by_article)
        .order_by("article_id", "position")
        .values("article_id", "position", "citation", "pmid", "doi", "pmcid", "cited_article_id"),
        "mesh_headings": MeshHeading.objects.filter(**by_article)
        .order_by("article_id", "position")
        .values("article_id", "descriptor", "descriptor_ui", "major_topic", "qualifiers"),
        "publication_types": PublicationType.objects.filter(**by_article)
        .order_by("article_id", "position")
        .values("article_id", "name", "ui"),
        "relations": ArticleRelation.objects.with_related_article()
        .filter(**by_article)
        .order_by("article_id", "position")
        .values("article_id", "kind", "citation", "pmid", "related_article_id"),
    }
    for name, rows in readers.items():
        _grouped(rows, into, name)


class WithRelatedRows(ModelIterable):
    """The articles of a queryset, each with its `related_rows`, read a batch at a time (also through
    .iterator(), which would otherwise hold one article at a time)."""

    all_links = False
    batch_size = 500

    def __iter__(self):
        articles = super().__iter__()
        while batch := list(islice(articles, self.batch_size)):
            attach_related_rows(batch, self.all_links)
            yield from batch


class WithAllRelatedRows(WithRelatedRows):
    all_links = True


def related_rows_of(article):
    """The rows `for_api()` attached to `article`; read per article instead, they would cost ten
    queries per row, so their absence is a bug, not a reason to query."""
    try:
        return article.related_rows
    except AttributeError:
        raise AssertionError("articles for the API are read with Article.objects.for_api() (no related rows)") from None
