"""Matching and merging imported records into the curated record, once for every input format.

A record is the same article when its DOI, PMID or PMCID matches, or, lacking those, its normalised
title, year and first author. A new article starts "in review". An existing one has empty fields
filled and imported fields updated, but a field a curator changed since the last import is kept.
Each file imports in one transaction: by default one bad record means nothing is imported.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.db.models.functions import Lower

from literature.dates import validate_date_parts
from literature.identifiers import normalize_doi, normalize_issn, normalize_pmcid, validate_issn
from literature.models import (
    Article,
    ArticleDrug,
    ArticleSource,
    CurationState,
    Drug,
    DrugName,
    Journal,
    Keyword,
    LinkSource,
    LinkStatus,
    Person,
    PublicationState,
    PublicationStatus,
)

from . import bibtex, csljson, medline, pubmed, ris
from .record import PartialDateParts, RecordError

TRACKED_FIELDS = [
    "title",
    "abstract",
    "category",
    "output_type",
    "language",
    "volume",
    "issue",
    "first_page",
    "last_page",
    "article_number",
    "doi",
    "pmid",
    "pmcid",
]
NEVER_IMPORTED = object()


@dataclass
class FileReport:
    path: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    errors: list = field(default_factory=list)
    imported: bool = True
    rejected_path: str = ""

    def __str__(self):
        outcome = "" if self.imported else " (nothing imported: fix the records below or use --skip-invalid)"
        return (
            f"{self.path}: {self.created} created, {self.updated} updated, {self.unchanged} unchanged, "
            f"{self.rejected} rejected{outcome}"
        )


BIBTEX_ENTRY = re.compile(r"^\s*@[A-Za-z]+\s*[{(]", re.MULTILINE)
MEDLINE_START = re.compile(r"^PMID- ?\d", re.MULTILINE)
RIS_TAG = re.compile(r"^[A-Z][A-Z0-9]  -", re.MULTILINE)


def detect_format(path):
    """The parser module for a file, from its content (never its name)."""
    with pubmed.open_source(path) as handle:
        head = handle.read(4096)
    if not head.strip():
        raise RecordError(str(path), 0, "file", "the file is empty")
    text = head.decode("utf-8", errors="replace").lstrip("\ufeff \t\r\n")
    if text.startswith("<") and ("PubmedArticle" in text or "MedlineCitation" in text):
        return pubmed
    if "\x00" in text or text.count("\ufffd") > 8:
        raise RecordError(str(path), 0, "file", "this is not a text file (binary content)")
    if text[:1] in "[{" and re.search(r'"(title|type|author|issued)"\s*:', text):
        return csljson
    if MEDLINE_START.search(text):
        return medline
    if BIBTEX_ENTRY.search(text):
        return bibtex
    if RIS_TAG.search(text):
        return ris
    raise RecordError(
        str(path),
        0,
        "file",
        "the format was not recognised: PubMed/MEDLINE XML (gzipped or not), MEDLINE text (.nbib), RIS, "
        "BibTeX and CSL-JSON are imported",
    )


def find_case_insensitive(model, field_name, value):
    """The row whose field equals `value` in any case. SQLite's LOWER() folds ASCII only, so the exact
    value is tried too: otherwise 'Синяя Борода' would not even find itself."""
    rows = model.objects.annotate(lowered=Lower(field_name))
    return rows.filter(Q(**{field_name: value}) | Q(lowered=value.lower())).first()


def normalised_title(text):
    text = unicodedata.normalize("NFKD", re.sub(r"<[^>]+>", "", text or "")).lower()
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


def _values(record):
    return {
        "title": record.title,
        "abstract": record.abstract,
        "category": record.category,
        "output_type": record.output_type,
        "language": record.language,
        "volume": record.volume[:30],
        "issue": record.issue[:30],
        "first_page": record.first_page,
        "last_page": record.last_page,
        "article_number": record.article_number[:40],
        "doi": normalize_doi(record.doi),
        "pmid": record.pmid,
        "pmcid": normalize_pmcid(record.pmcid) if record.pmcid else "",
    }


def find_existing(record, values):
    if values["doi"]:
        found = Article.objects.with_doi(values["doi"]).first()
        if found:
            return found
    if values["pmid"]:
        found = Article.objects.filter(pmid=values["pmid"]).first()
        if found:
            return found
    if values["pmcid"]:
        found = Article.objects.filter(pmcid=values["pmcid"]).first()
        if found:
            return found
    if record.published.year and record.authors:
        first = record.authors[0]
        candidates = Article.objects.filter(
            publication_year=record.published.year,
            authorships__position=1,
            authorships__person__family_name__iexact=first.family,
            authorships__person__collective_name__iexact=first.collective,
        )
        wanted = normalised_title(record.title)
        return next((a for a in candidates if normalised_title(a.full_title) == wanted), None)
    return None


def find_or_create_journal(record):
    for issn in (record.issn_print, record.issn_electronic):
        if issn:
            found = Journal.objects.by_issn(issn).first()
            if found:
                return found
    if record.journal_title:
        found = find_case_insensitive(Journal, "title", record.journal_title)
        if found:
            return found
        issns = {}
        for name, value in (("issn_print", record.issn_print), ("issn_electronic", record.issn_electronic)):
            if value:
                value = normalize_issn(value)
                try:
                    validate_issn(value)
                except ValidationError as error:
                    raise RecordError(record.source_file, record.position, name, error.messages[0]) from None
                issns[name] = value
        return Journal.objects.create(
            title=record.journal_title[:300], iso_abbreviation=record.journal_abbreviation[:200], **issns
        )
    return None


def find_or_create_person(author):
    if author.collective:
        return Person.objects.get_or_create(collective_name=author.collective[:500], family_name="", given_names="")[0]
    if author.orcid:
        found = Person.objects.filter(orcid=author.orcid).first()
        if found:
            return found
    found = Person.objects.filter(family_name=author.family[:200], given_names=author.given[:200]).first()
    return found or Person.objects.create(family_name=author.family[:200], given_names=author.given[:200])


def people_of(record):
    """(person, affiliation) for each author in order. Two authors of one article with the same name
    are two people (a person appears once per article)."""
    people, used = [], set()
    for author in record.authors:
        person = find_or_create_person(author)
        if person.pk in used:
            person = Person.objects.create(
                family_name=person.family_name, given_names=person.given_names, collective_name=person.collective_name
            )
        used.add(person.pk)
        people.append((person, author.affiliation))
    return people


def _author_signature(record):
    return [f"{a.family}|{a.given}|{a.collective}" for a in record.authors]


def _article_author_signature(article):
    return [f"{p.family_name}|{p.given_names}|{p.collective_name}" for p in article.authors]


def _validated_date(parts, record, field_name):
    if parts.year is None:
        return None
    try:
        validate_date_parts(parts.year, parts.month, parts.day)
    except ValidationError:
        # A day the month does not have (30 Feb) keeps its year and month: never invent, never lose more.
        parts = PartialDateParts(parts.year, parts.month, None)
        try:
            validate_date_parts(parts.year, parts.month, None)
        except ValidationError as error:
            raise RecordError(record.source_file, record.position, field_name, error.messages[0]) from None
    return parts


def _link_drugs(article, record):
    names = {name.lower(): ("MeSH chemical" if kind == "chemical" else "keyword", name, mesh)
             for kind, items in (("chemical", record.chemicals), ("keyword", record.keywords))
             for name, mesh in items}  # fmt: skip
    if not names:
        return
    by_name = {d.name.lower(): d for d in Drug.objects.annotate(lower=Lower("name")).filter(lower__in=list(names))}
    for other in DrugName.objects.annotate(lower=Lower("name")).filter(lower__in=list(names)).select_related("drug"):
        by_name.setdefault(other.name.lower(), other.drug)
    meshes = {mesh for _, _, mesh in names.values() if mesh}
    by_mesh = {d.mesh_id: d for d in Drug.objects.filter(mesh_id__in=meshes)} if meshes else {}
    linked = set(article.drug_links.values_list("drug_id", flat=True))
    for lowered, (kind, name, mesh) in names.items():
        drug = by_name.get(lowered) or by_mesh.get(mesh)
        if drug and drug.pk not in linked:
            ArticleDrug.objects.create(
                article=article,
                drug=drug,
                status=LinkStatus.SUGGESTED,
                source=LinkSource.IMPORT,
                evidence=f"{kind}: <mark>{name}</mark>",
                mention_count=1,
            )
            linked.add(drug.pk)


class Lookups:
    """Keywords and journals already found in this file's import: MeSH terms such as "Humans" recur in
    almost every record. Dropped after a rejected record, whose rows were rolled back."""

    def __init__(self):
        self.keywords = {}
        self.journals = {}

    def keyword(self, name, mesh):
        key = name.lower()
        if key not in self.keywords:
            found = find_case_insensitive(Keyword, "name", name)
            self.keywords[key] = found or Keyword.objects.create(name=name, mesh_id=mesh)
        keyword = self.keywords[key]
        if mesh and not keyword.mesh_id:
            keyword.mesh_id = mesh
            keyword.save(update_fields=["mesh_id", "modified"])
        return keyword

    def journal(self, record):
        key = (record.issn_print, record.issn_electronic, record.journal_title.lower())
        if key not in self.journals:
            self.journals[key] = find_or_create_journal(record)
        return self.journals[key]


def merge(record, curation_state=CurationState.IN_REVIEW, lookups=None):
    """Create or update the article of one record; returns 'created', 'updated' or 'unchanged'."""
    lookups = lookups or Lookups()
    values = _values(record)
    published = _validated_date(record.published, record, "publication date")
    epublished = _validated_date(record.epublished, record, "electronic publication date")
    article = find_existing(record, values)
    journal = lookups.journal(record)
    source = f"{Path(record.source_file).name} ({record.label})"

    if article is None:
        article = Article(**values, journal=journal, curation_state=curation_state)
        _clean(article, record)
        article.save()
        article.set_authors(people_of(record))
        outcome = "created"
        last = {}
    else:
        provenance = getattr(article, "import_source", None)
        last = provenance.imported_values if provenance else {}
        changed = False
        for name in TRACKED_FIELDS:
            new, current = values[name], getattr(article, name)
            previous = last.get(name, NEVER_IMPORTED)
            if new in (None, "") or new == current:
                continue
            if current in (None, "") or previous == current:
                setattr(article, name, new)
                changed = True
        if journal and (article.journal_id is None or last.get("journal") == article.journal_id):
            changed |= article.journal_id != journal.pk
            article.journal = journal
        if changed:
            _clean(article, record)
            article.save()
        authors_now = _article_author_signature(article)
        as_imported = not authors_now or last.get("authors") == authors_now
        if record.authors and as_imported and authors_now != _author_signature(record):
            article.set_authors(people_of(record))
            changed = True
        outcome = "updated" if changed else "unchanged"

    states_changed = _sync_states(article, published, epublished, last)
    keywords_changed = _add_keywords(article, record, lookups)
    _link_drugs(article, record)
    if states_changed:
        article.refresh_publication_status()
    if outcome == "unchanged" and (states_changed or keywords_changed):
        outcome = "updated"
    imported_values = {
        **values,
        "journal": journal.pk if journal else None,
        "authors": _author_signature(record),
        "published": [published.year, published.month, published.day] if published else None,
    }
    ArticleSource.objects.update_or_create(
        article=article, defaults={"source": source[:500], "imported_values": imported_values}
    )
    return outcome


def _clean(article, record):
    # Field validation and Article.clean (page order, type within category) run here; the database
    # constraints are not re-checked query by query (that doubled the time of an import): matching
    # already resolved the identifiers, and a remaining clash is caught as an IntegrityError.
    try:
        article.full_clean(exclude=["journal"], validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        name, messages = next(iter(error.message_dict.items()))
        raise RecordError(record.source_file, record.position, name, messages[0], record.identifier) from None


def _sync_states(article, published, epublished, last):
    changed = False
    for status, parts in (
        (PublicationStatus.PUBLISHED, published),
        (PublicationStatus.EPUB_AHEAD_OF_PRINT, epublished),
    ):
        if parts is None:
            continue
        state = article.publication_states.filter(status=status).first()
        wanted = (parts.year, parts.month, parts.day)
        if state is None:
            PublicationState(article=article, status=status, year=parts.year, month=parts.month, day=parts.day).save()
            changed = True
        elif (state.year, state.month, state.day) != wanted and (
            status != PublicationStatus.PUBLISHED or last.get("published") == [state.year, state.month, state.day]
        ):
            state.year, state.month, state.day = wanted
            state.save()
            changed = True
    return changed


def _add_keywords(article, record, lookups):
    """Keywords are only ever added by an import: removing one is a curator's decision."""
    have = {k.name.lower() for k in article.keywords.all()}
    added = []
    for name, mesh in record.keywords:
        name = name.strip()[:200]
        if not name or name.lower() in have:
            continue
        keyword = lookups.keyword(name, mesh)
        added.append(keyword)
        have.add(name.lower())
    if added:
        article.keywords.add(*added)
    return bool(added)


def import_file(path, curation_state=CurationState.IN_REVIEW, skip_invalid=False, rejected_path=None, progress=None):
    """Import every record of one file in one transaction; returns a FileReport."""
    report = FileReport(path=str(path))
    try:
        reader = detect_format(path)
        lookups = Lookups()
        with transaction.atomic():
            for item in reader.parse(path):
                if progress:
                    progress(1)
                if isinstance(item, RecordError):
                    report.errors.append(item)
                    continue
                try:
                    with transaction.atomic():
                        outcome = merge(item, curation_state, lookups)
                except IntegrityError as error:
                    report.errors.append(
                        RecordError(
                            item.source_file,
                            item.position,
                            "identifiers",
                            f"clashes with another article ({error}): its DOI, PMID and PMCID belong to different "
                            "articles here",
                            item.identifier,
                            item.raw,
                        )
                    )
                    lookups = Lookups()
                    continue
                except RecordError as error:
                    error.raw = item.raw
                    report.errors.append(error)
                    lookups = Lookups()
                    continue
                setattr(report, outcome, getattr(report, outcome) + 1)
            report.rejected = len(report.errors)
            if report.errors and not skip_invalid:
                transaction.set_rollback(True)
                report.created = report.updated = report.unchanged = 0
                report.imported = False
    except RecordError as error:
        report.errors = [error]
        report.rejected = 1
        report.imported = False
        return report
    if rejected_path and report.errors and report.imported:
        with open(rejected_path, "w", encoding="utf-8") as handle:
            reader.write_rejected([error.raw for error in report.errors if error.raw], handle)
        report.rejected_path = str(rejected_path)
    return report
