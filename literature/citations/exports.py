"""Bulk export of a whole search (every result, not one page) as CSV, BibTeX, RIS or CSL-JSON,
streamed in batches so that 100,000 records go out in bounded memory."""

import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass

from django.http import StreamingHttpResponse

from literature.citations import bibtex, csl, ris
from literature.values.markup import plain_text

BATCH = 500


def batches(articles, load=lambda rows: rows.for_detail()):
    """Fully loaded articles in id order, a batch at a time (prefetches per batch, not per row); `load`
    says what a batch carries (for_detail() for exports, for_api() for the API's documents)."""
    ids = articles.order_by().values_list("pk", flat=True)
    last = 0
    while True:
        chunk = list(ids.filter(pk__gt=last).order_by("pk")[:BATCH])
        if not chunk:
            return
        last = chunk[-1]
        model = articles.model
        yield list(load(model.objects.all()).filter(pk__in=chunk).order_by("pk"))


CSV_COLUMNS = [
    "id", "title", "authors", "journal", "year", "month", "volume", "issue", "pages", "article_number",
    "doi", "pmid", "pmcid", "output_type", "peer_reviewed", "language", "publication_status", "keywords", "url",
]  # fmt: skip


def _csv_row(article, url_of):
    return [
        article.pk,
        plain_text(article.full_title),
        "; ".join(p.inverted_name for p in article.authors),
        article.journal.title if article.journal else "",
        article.publication_year or "",
        article.publication_month or "",
        article.volume,
        article.issue,
        article.pages if article.first_page is not None else "",
        article.article_number,
        article.doi,
        article.pmid or "",
        article.pmcid,
        article.get_output_type_display(),
        "yes" if article.peer_reviewed else "no",
        article.language_name,
        article.get_publication_status_display(),
        "; ".join(k.name for k in article.keywords.all()),
        url_of(article),
    ]


def stream_csv(articles, url_of):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for batch in batches(articles):
        for article in batch:
            writer.writerow(_csv_row(article, url_of))
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
            yield ("\n" if first else ",\n") + json.dumps(csl.csl_json(article), ensure_ascii=False)
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
