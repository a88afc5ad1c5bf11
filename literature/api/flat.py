"""An API article as JSON, written out flat: the same document `ArticleSerializer`'s declared fields give
(a test compares the two field by field), at a fraction of the cost. Built per field and per row, the
declared fields cost about 3 ms an article (a reverse() per hyperlink, a nested serializer per
relation), so a page of 100 spent 300 ms before the first byte; here each kind of link is reversed once
per page and the rows are plain dictionaries."""

from functools import cached_property

from django.urls import reverse
from rest_framework.fields import DateTimeField

from literature.models import ConceptKind, RelationKind
from literature.models.documents import related_rows_of
from literature.models.people import display_name
from literature.values.dates import PartialDate

_datetime = DateTimeField()
# A number no real key has, reversed once and replaced by each row's key.
_KEY = "999999999"


def _iso(value):
    return _datetime.to_representation(value) if value is not None else None


def _date(partial):
    return partial.isoformat() if partial else None


def _partial_date(year, month, day):
    return PartialDate(year, month, day).isoformat() if year is not None else None


RELATION_LABELS = dict(RelationKind.choices)


class Links:
    """Absolute URLs of every kind the document links to, each reversed once."""

    def __init__(self, request):
        self.request = request

    def _template(self, name, **kwargs):
        path = reverse(name, kwargs=dict.fromkeys(kwargs, _KEY) or None)
        return self.request.build_absolute_uri(path) if self.request else path

    @cached_property
    def article(self):
        return self._template("api:article-detail", pk=1)

    @cached_property
    def articles(self):
        return self._template("api:article-list")

    @cached_property
    def journal(self):
        return self._template("api:journal-detail", pk=1)

    @cached_property
    def person(self):
        return self._template("api:person-detail", pk=1)

    @cached_property
    def keyword(self):
        return self._template("api:keyword-detail", slug=1)

    @cached_property
    def subject(self):
        return self._template("api:subjectarea-detail", code=1)

    @cached_property
    def drug(self):
        return self._template("api:drug-detail", slug=1)

    @cached_property
    def link(self):
        return self._template("api:articledrug-detail", pk=1)

    @cached_property
    def page(self):
        return self._template("literature:article-detail", pk=1, slug=1)

    def of(self, template, key, slug=None):
        url = template.replace(_KEY, str(key), 1)
        return url.replace(_KEY, slug, 1) if slug is not None else url

    def article_or_none(self, pk):
        """The API address of the portal's article a reference or relation names, or None."""
        return None if pk is None else self.of(self.article, pk)


def article_document(article, links):
    """The API's JSON object for one article read with `Article.objects.for_api()` (its related rows
    attached, models/documents.py) and its `cited_by_count` set with the others of its page
    (`attach_cited_by_counts`)."""
    journal = article.journal
    rows = related_rows_of(article)
    return {
        "id": article.pk,
        "url": links.of(links.article, article.pk),
        "html_url": links.of(links.page, article.pk, article.slug),
        "title": article.title,
        "subtitle": article.subtitle,
        "full_title": article.full_title,
        "abstract": article.abstract,
        "category": article.category,
        "output_type": article.output_type,
        "peer_reviewed": article.peer_reviewed,
        "output_line": article.output_line,
        "language": article.language,
        "language_name": article.language_name,
        "journal": None
        if journal is None
        else {
            "id": journal.pk,
            "url": links.of(links.journal, journal.pk),
            "title": journal.title,
            "issn_print": journal.issn_print,
            "issn_electronic": journal.issn_electronic,
        },
        "volume": article.volume,
        "issue": article.issue,
        "first_page": article.first_page,
        "last_page": article.last_page,
        "article_number": article.article_number,
        "page_count": article.page_count,
        "number_of_pages": article.number_of_pages,
        "publication_status": article.publication_status,
        "publication_date": _date(article.publication_date),
        "publication_status_line": article.publication_status_line,
        "publication_history": [
            {
                "status": s["status"],
                "year": s["year"],
                "month": s["month"],
                "day": s["day"],
                "as_given": s["as_given"],
                "date": _partial_date(s["year"], s["month"], s["day"]),
            }
            for s in rows.publication_history
        ],
        "doi": article.doi,
        "pmid": article.pmid,
        "pmcid": article.pmcid,
        "authors": [
            {
                "position": a["position"],
                "person": {
                    "id": a["person_id"],
                    "url": links.of(links.person, a["person_id"]),
                    "name": display_name(
                        a["person__family_name"], a["person__given_names"], a["person__collective_name"]
                    ),
                    "family_name": a["person__family_name"],
                    "given_names": a["person__given_names"],
                    "collective_name": a["person__collective_name"],
                    "orcid": a["person__orcid"],
                },
                "affiliation": a["affiliation"],
                "is_corresponding": a["is_corresponding"],
            }
            for a in rows.authors
        ],
        "keywords": [
            {
                "id": k["keyword_id"],
                "url": links.of(links.keyword, k["keyword__slug"]),
                "name": k["keyword__name"],
                "slug": k["keyword__slug"],
                "mesh_id": k["keyword__mesh_id"],
            }
            for k in rows.keywords
        ],
        "subject_areas": [
            {
                "code": area["subjectarea__code"],
                "url": links.of(links.subject, area["subjectarea__code"]),
                "name": area["subjectarea__name"],
            }
            for area in rows.subject_areas
        ],
        "drug_links": [
            {
                "id": link["id"],
                "url": links.of(links.link, link["id"]),
                "drug": {
                    "id": link["drug_id"],
                    "url": links.of(links.drug, link["drug__slug"]),
                    "name": link["drug__name"],
                    "slug": link["drug__slug"],
                },
                "status": link["status"],
                "source": link["source"],
                "evidence": link["evidence"],
                "mention_count": link["mention_count"],
            }
            for link in rows.drug_links
        ],
        "fingerprint": [
            {
                "concept": item["concept_id"],
                "name": item["concept__name"],
                "category": ConceptKind(item["concept__kind"]).label,
                "weight": float(item["weight"]),
            }
            for item in rows.fingerprint
        ],
        "references": [
            {
                "position": reference["position"],
                "citation": reference["citation"],
                "pmid": reference["pmid"],
                "doi": reference["doi"],
                "pmcid": reference["pmcid"],
                "article": links.article_or_none(reference["cited_article_id"]),
            }
            for reference in rows.references
        ],
        "mesh_headings": rows.mesh_headings,  # descriptor, descriptor_ui, major_topic, qualifiers: as stored
        "publication_types": rows.publication_types,  # name, ui
        "relations": [
            {
                "kind": relation["kind"],
                "kind_label": RELATION_LABELS.get(relation["kind"], relation["kind"]),
                "citation": relation["citation"],
                "pmid": relation["pmid"],
                "article": links.article_or_none(relation["related_article_id"]),
            }
            for relation in rows.relations
        ],
        "cited_by_count": article.cited_by_count,
        "cited_by_url": f"{links.articles}?cites={article.pk}",
        "curation_state": article.curation_state,
        "created": _iso(article.created),
        "modified": _iso(article.modified),
    }
