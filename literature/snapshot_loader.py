"""Loading a snapshot (snapshots.py) into an empty portal: a mirror, a test database, or a data
scientist's own copy. Each article comes back as the record its line describes, under its own id
(so the API's links and the portal's URLs stay the same): its journal, authors in order, keywords,
subject areas, publication history, identifiers, references and confirmed drug links with their
evidence, then its derived data (search index, Fingerprint) computed again through refresh_derived.

The snapshot holds the public record only: what it never carried (drafts, suggestions, history,
curators, a journal's publisher) is not made up. A file whose checksum is not the manifest's is refused
before anything is written, and the load is one transaction: a failure leaves the database empty.
"""

import datetime
import gzip
import json
from pathlib import Path

from django.db import transaction

from literature.archive import reset_sequences
from literature.curation.articles import AuthorEntry, save_article
from literature.importers.pipeline import chunks
from literature.models import (
    Article,
    ArticleDrug,
    ArticleRelation,
    Drug,
    Journal,
    Keyword,
    LinkSource,
    LinkStatus,
    MeshHeading,
    Person,
    PublicationType,
    Reference,
    SubjectArea,
)

from .snapshots import FORMAT, describe

MESH_HEADING_FIELDS = ("descriptor", "descriptor_ui", "major_topic", "qualifiers")

BATCH = 500
WITH_THEIR_IDS = [Article, Journal, Person, Keyword, Drug, ArticleDrug]


class SnapshotError(ValueError):
    pass


def load_snapshot(folder):
    """Load the snapshot in `folder` into this (empty) database; returns the number of articles."""
    folder = Path(folder)
    manifest = _checked_manifest(folder)
    if Article.objects.exists():
        raise SnapshotError("This database already has articles: a snapshot loads into an empty portal only.")
    count = 0
    with transaction.atomic():
        for documents in chunks(_lines(folder / "articles.jsonl.gz"), BATCH):
            for document in documents:
                _load_article(document)
            count += len(documents)
        reset_sequences(WITH_THEIR_IDS)
    expected = manifest["counts"]["articles"]
    if count != expected:  # cannot happen with a checked file; said rather than assumed
        raise SnapshotError(f"articles.jsonl.gz has {count} articles, the manifest says {expected}.")
    return count


def _checked_manifest(folder):
    path = folder / "manifest.json"
    if not path.is_file():
        raise SnapshotError(f"{folder} is not a snapshot: it has no manifest.json.")
    manifest = json.loads(path.read_text())
    if manifest.get("format") != FORMAT:
        raise SnapshotError(f"{path}: format {manifest.get('format')!r}, this portal reads {FORMAT!r}.")
    for name, described in manifest["files"].items():
        if describe(folder / name)["sha256"] != described["sha256"]:
            raise SnapshotError(f"{folder / name}: its SHA-256 is not the manifest's (a damaged or changed file).")
    return manifest


def _lines(path):
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            try:
                yield json.loads(line)
            except json.JSONDecodeError as error:
                raise SnapshotError(f"{path}, line {number}: not JSON ({error.msg}).") from None


def _load_article(document):
    article = Article(
        pk=document["id"],
        **{name: document[name] for name in RECORD_FIELDS},
        journal=_journal(document["journal"]),
        curation_state=document["curation_state"],
    )
    authors = [
        AuthorEntry(_person(entry["person"]), entry["affiliation"], entry["is_corresponding"])
        for entry in document["authors"]
    ]
    history = [
        {**{key: state[key] for key in ("status", "year", "month", "day")}, "as_given": state.get("as_given", "")}
        for state in document["publication_history"]
    ]
    save_article(
        article,
        authors=authors,
        keywords=[_keyword(keyword) for keyword in document["keywords"]],
        subject_areas=list(SubjectArea.objects.filter(code__in=[area["code"] for area in document["subject_areas"]])),
        publication_history=history,
    )
    Reference.objects.bulk_create(
        Reference(article=article, **{key: ref[key] for key in ("position", "citation", "pmid", "doi", "pmcid")})
        for ref in document["references"]
    )
    MeshHeading.objects.bulk_create(
        MeshHeading(article=article, position=position, **{key: heading[key] for key in MESH_HEADING_FIELDS})
        for position, heading in enumerate(document.get("mesh_headings", []), start=1)
    )
    PublicationType.objects.bulk_create(
        PublicationType(article=article, position=position, name=kind["name"], ui=kind["ui"])
        for position, kind in enumerate(document.get("publication_types", []), start=1)
    )
    ArticleRelation.objects.bulk_create(
        ArticleRelation(
            article=article, position=position, **{key: relation[key] for key in ("kind", "citation", "pmid")}
        )
        for position, relation in enumerate(document.get("relations", []), start=1)
    )
    for link in document["drug_links"]:
        ArticleDrug.objects.update_or_create(
            article=article,
            drug=_drug(link["drug"]),
            defaults={
                "pk": link["id"],
                "status": LinkStatus(link["status"]),
                "source": LinkSource(link["source"]),
                "evidence": link["evidence"],
                "mention_count": link["mention_count"],
            },
        )
    # As the record had them, not the time of the load.
    Article.objects.filter(pk=article.pk).update(
        created=datetime.datetime.fromisoformat(document["created"]),
        modified=datetime.datetime.fromisoformat(document["modified"]),
    )


RECORD_FIELDS = [
    "title", "subtitle", "abstract", "category", "output_type", "peer_reviewed", "language", "volume", "issue",
    "first_page", "last_page", "article_number", "page_count", "doi", "pmid", "pmcid",
]  # fmt: skip


def _journal(entry):
    if entry is None:
        return None
    journal, _ = Journal.objects.get_or_create(
        pk=entry["id"],
        defaults={
            "title": entry["title"],
            "issn_print": entry["issn_print"],
            "issn_electronic": entry["issn_electronic"],
        },
    )
    return journal


def _person(entry):
    names = {key: entry[key] for key in ("family_name", "given_names", "collective_name", "orcid")}
    person, _ = Person.objects.get_or_create(pk=entry["id"], defaults=names)
    return person


def _keyword(entry):
    keyword, _ = Keyword.objects.get_or_create(
        pk=entry["id"], defaults={"name": entry["name"], "slug": entry["slug"], "mesh_id": entry["mesh_id"]}
    )
    return keyword


def _drug(entry):
    """The drug by its slug: a vocabulary loaded beforehand keeps its own ids and names."""
    drug = Drug.objects.filter(slug=entry["slug"]).first()
    if drug is None:
        free = not Drug.objects.filter(pk=entry["id"]).exists()
        drug = Drug.objects.create(pk=entry["id"] if free else None, name=entry["name"], slug=entry["slug"])
    return drug
