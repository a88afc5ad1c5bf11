"""Bulk export of a whole search (every result, not one page) as CSV, BibTeX, RIS or CSL-JSON,
streamed in batches so that 100,000 records go out in bounded memory."""

import csv
import io
import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from itertools import islice

from django.http import StreamingHttpResponse
from django.urls import reverse

from literature.citations import bibtex, csl, ris
from literature.models import (
    Article,
    Authorship,
    OutputType,
    PublicationStatus,
    article_slug,
    inverted_name,
    page_range,
)
from literature.values.languages import language_name
from literature.values.markup import plain_text

BATCH = 500


def id_batches(articles):
    """The ids of `articles` in id order, BATCH at a time, from one query read as it streams (a cursor
    on the server; on SQLite, rows fetched as they come): running the search again for each batch cost
    a third of a second a batch for a common word at 1M articles."""
    ids = articles.order_by("pk").values_list("pk", flat=True).iterator(chunk_size=BATCH)
    while chunk := list(islice(ids, BATCH)):
        yield chunk


def batches(articles, load=lambda rows: rows.for_detail()):
    """Fully loaded articles in id order, a batch at a time (prefetches per batch, not per row); `load`
    says what a batch carries (for_detail() for exports, for_api() for the API's documents)."""
    for chunk in id_batches(articles):
        yield list(load(articles.model.objects.all()).filter(pk__in=chunk).order_by("pk"))


CSV_COLUMNS = [
    "id", "title", "authors", "journal", "year", "month", "volume", "issue", "pages", "article_number",
    "doi", "pmid", "pmcid", "output_type", "peer_reviewed", "language", "publication_status", "keywords", "url",
]  # fmt: skip


CSV_FIELDS = [
    "pk", "title", "subtitle", "journal__title", "publication_year", "publication_month", "volume", "issue",
    "first_page", "last_page", "article_number", "doi", "pmid", "pmcid", "output_type", "peer_reviewed",
    "language", "publication_status",
]  # fmt: skip


def csv_rows(articles, url_of):
    """The CSV rows of `articles`, a batch at a time, read as plain values in three queries a batch (the
    articles, their authors in order, their keywords): a model instance per article, author and keyword
    cost more than a millisecond an article, too slow for a search of 100,000 results. The page URLs
    are written from one reversed URL, not reversed per row."""
    prefix = reverse("literature:article-detail", kwargs={"pk": 0, "slug": "x"}).removesuffix("0/x/")
    for chunk in id_batches(articles):
        values = Article.objects.filter(pk__in=chunk).order_by("pk").values_list(*CSV_FIELDS)
        authors, keywords = defaultdict(list), defaultdict(list)
        for article_id, *name in (
            Authorship.objects.filter(article_id__in=chunk)
            .order_by("article_id", "position")
            .values_list("article_id", "person__family_name", "person__given_names", "person__collective_name")
        ):
            authors[article_id].append(inverted_name(*name))
        links = Article.keywords.through.objects.filter(article_id__in=chunk).order_by("keyword__name")
        for article_id, name in links.values_list("article_id", "keyword__name"):
            keywords[article_id].append(name)
        rows = []
        for (pk, title, subtitle, journal, year, month, volume, issue, first, last, number, doi, pmid, pmcid,
             output_type, peer_reviewed, language, status) in values:  # fmt: skip
            rows.append([
                pk,
                plain_text(f"{title}: {subtitle}" if subtitle else title),
                "; ".join(authors[pk]),
                journal or "",
                year or "",
                month or "",
                volume,
                issue,
                page_range(first, last, number) if first is not None else "",
                number,
                doi,
                pmid or "",
                pmcid,
                OutputType(output_type).label,
                "yes" if peer_reviewed else "no",
                language_name(language),
                PublicationStatus(status).label if status else "",
                "; ".join(keywords[pk]),
                url_of(ArticlePage(pk, f"{prefix}{pk}/{article_slug(title)}/")),
            ])  # fmt: skip
        yield rows


@dataclass(frozen=True)
class ArticlePage:
    """What url_of needs of an article (its page's path), for rows read without a model."""

    pk: int
    path: str

    def get_absolute_url(self):
        return self.path


def stream_csv(articles, url_of):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for rows in csv_rows(articles, url_of):
        writer.writerows(rows)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


def stream_bibtex(articles, url_of):
    for batch in batches(articles):
        yield bibtex.render(batch)


def stream_ris(articles, url_of):
    for batch in batches(articles):
        yield ris.render(batch, url_of)


def stream_csl_json(articles, url_of):
    yield "["
    first = True
    for batch in batches(articles):
        for article in batch:
            yield ("\n" if first else ",\n") + json.dumps(csl.csl_json(article, rich_text=True), ensure_ascii=False)
            first = False
    yield "\n]\n"


@dataclass(frozen=True)
class Export:
    slug: str
    label: str
    content_type: str
    extension: str
    stream: Callable


EXPORTS = {
    e.slug: e
    for e in [
        Export("csv", "CSV", "text/csv; charset=utf-8", "csv", stream_csv),
        Export("bibtex", "BibTeX", "application/x-bibtex; charset=utf-8", "bib", stream_bibtex),
        Export("ris", "RIS", "application/x-research-info-systems; charset=utf-8", "ris", stream_ris),
        Export(
            "csl-json", "CSL-JSON", "application/vnd.citationstyles.csl+json; charset=utf-8", "json", stream_csl_json
        ),
    ]
}


def export_response(articles, export, url_of, filename="articles"):
    response = StreamingHttpResponse(export.stream(articles, url_of), content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}.{export.extension}"'
    return response
