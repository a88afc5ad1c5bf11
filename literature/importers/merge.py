"""Matching one imported record to the curated record and merging it in, for every input format.

A record is the same article when its DOI, PMID or PMCID matches, or, lacking those, its normalised
title, year and first author. A new article starts "in review". An existing one has empty fields
filled and imported fields updated, but a field a curator changed since the last import is kept.
New records of a file go in by the chunk (bulk.py); this path handles the rest one by one.
"""

import hashlib
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.db.models.functions import Lower

from literature.importers.record import PartialDateParts, RecordError
from literature.mining.fingerprint import current_extractor
from literature.models import (
    Article,
    ArticleDrug,
    ArticleSource,
    Authorship,
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
from literature.values.dates import validate_date_parts
from literature.values.identifiers import (
    normalize_doi,
    normalize_issn,
    normalize_orcid,
    normalize_pmcid,
    validate_issn,
    validate_orcid,
)
from literature.values.languages import is_major_language
from literature.values.markup import matching_title

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
# Checked by clean_article: the fields a record sets (the journal is matched, the language checked apart).
NOT_FROM_RECORDS = [f.name for f in Article._meta.fields if f.name not in TRACKED_FIELDS] + ["language"]


def find_case_insensitive(model, field_name, value):
    """The row whose field equals `value` in any case. SQLite's LOWER() folds ASCII only, so the exact
    value is tried too: otherwise 'Синяя Борода' would not even find itself."""
    rows = model.objects.annotate(lowered=Lower(field_name))
    return rows.filter(Q(**{field_name: value}) | Q(lowered=value.lower())).first()


def values_of(record):
    """The tracked article fields as this record gives them, normalised as the database keeps them."""
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


def _tidy(pairs):
    return [(name.strip()[:200], mesh) for name, mesh in pairs if name.strip()]


def record_digest(record):
    """A fingerprint of everything a record says (not where it sits in its file): the same digest on a
    re-import means the same record, so the article is known unchanged without comparing a field."""
    return hashlib.sha256(repr(record).encode()).hexdigest()  # the repr leaves out file, position and raw text


def _check_orcids(record):
    """ORCID iDs in the stored form; one that is not an ORCID iD is the record's error, not a silent loss."""
    for position, author in enumerate(record.authors, start=1):
        if author.orcid:
            author.orcid = normalize_orcid(author.orcid)
            try:
                validate_orcid(author.orcid)
            except ValidationError as error:
                field_name = f"author {position} ORCID"
                raise RecordError(
                    record.source_file, record.position, field_name, error.messages[0], record.identifier
                ) from None


class Prepared:
    """A record with its values normalised and its dates validated, ready to be matched and written."""

    def __init__(self, record):
        self.record = record
        self.values = values_of(record)
        _check_orcids(record)
        self.published = validated_date(record.published, record, "publication date")
        self.epublished = validated_date(record.epublished, record, "electronic publication date")
        self.digest = record_digest(record)
        self.source = f"{Path(record.source_file).name} ({record.label})"[:500]
        keywords = {}
        for name, mesh in _tidy(record.keywords):
            keywords.setdefault(name.lower(), (name, mesh))
        self.keywords = list(keywords.values())
        self.mentions = drug_mentions(record)
        self.match_title = matching_title(record.title)

    def states(self):
        """(status, date parts) of the publication history this record gives."""
        return [
            (status, parts)
            for status, parts in (
                (PublicationStatus.PUBLISHED, self.published),
                (PublicationStatus.EPUB_AHEAD_OF_PRINT, self.epublished),
            )
            if parts is not None
        ]

    def imported_values(self, journal):
        published = self.published
        return {
            **self.values,
            "journal": journal.pk if journal else None,
            "authors": author_signature(self.record),
            "published": [published.year, published.month, published.day] if published else None,
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
        wanted = first_author_key(record.authors[0])
        candidates = Authorship.objects.filter(
            position=1,
            article__match_title=matching_title(record.title),
            article__publication_year=record.published.year,
        ).select_related("article", "person")
        return next((a.article for a in candidates if first_author_key(a.person) == wanted), None)
    return None


def first_author_key(author):
    """Family or collective name in any case, of a Person or a RecordAuthor."""
    family = getattr(author, "family_name", None)
    if family is None:
        return author.family.casefold(), author.collective.casefold()
    return family.casefold(), author.collective_name.casefold()


def find_or_create_journal(record, look_up=True):
    """The journal by ISSN, else by title in any case; created when new. look_up=False: the caller
    knows it is new."""
    for issn in (record.issn_print, record.issn_electronic) if look_up else ():
        if issn:
            found = Journal.objects.by_issn(issn).first()
            if found:
                return found
    if record.journal_title:
        found = find_case_insensitive(Journal, "title", record.journal_title) if look_up else None
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


def author_signature(record):
    return [f"{a.family}|{a.given}|{a.collective}" for a in record.authors]


def _article_author_signature(article):
    people = article.authorships.order_by("position").values_list(
        "person__family_name", "person__given_names", "person__collective_name"
    )
    return [f"{family}|{given}|{collective}" for family, given, collective in people]


def validated_date(parts, record, field_name):
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


def drug_mentions(record):
    """{lowered name: (evidence kind, name, MeSH id)} of the chemicals and keywords a record lists."""
    return {name.lower(): ("MeSH chemical" if kind == "chemical" else "keyword", name, mesh)
            for kind, items in (("chemical", record.chemicals), ("keyword", record.keywords))
            for name, mesh in items}  # fmt: skip


def drug_suggestions(mentions, lookups, linked=()):
    """(drug id, evidence) for each known drug that the chemicals and keywords of a record
    (drug_mentions) name, leaving out the drugs in `linked`."""
    lookups.load_drugs([mentions])
    found, linked = [], set(linked)
    for lowered, (kind, name, mesh) in mentions.items():
        drug_id = lookups.drug_id(lowered, mesh)
        if drug_id and drug_id not in linked:
            found.append((drug_id, f"{kind}: <mark>{name}</mark>"))
            linked.add(drug_id)
    return found


class Lookups:
    """Keywords, journals and drug names already resolved in this file's import: MeSH terms such as
    "Humans" recur in almost every record. Dropped after a rejected record, whose rows were rolled
    back. People are not kept: a 1 GB file names millions of them."""

    def __init__(self):
        self.keywords = {}
        self.journals = {}
        self.journal_by_issn = {}  # normalised ISSN -> Journal, or None when known not to exist
        self.journal_by_title = {}  # lowered title -> Journal, or None
        self.drug_names = {}
        self.drug_meshes = {}
        self._concept_extractor = None

    def keyword(self, name, mesh):
        return self.load_keywords([(name, mesh)])[name.lower()]

    def load_keywords(self, pairs):
        """{lowered name: Keyword} for these (name, MeSH id) pairs, found in one query, the new ones
        created (with a MeSH id filled in where the keyword had none)."""
        wanted = {}
        for name, mesh in pairs:
            wanted.setdefault(name.lower(), (name, mesh))
        missing = [key for key in wanted if key not in self.keywords]
        if missing:
            names = [wanted[key][0] for key in missing]
            for batch in batches(names):
                rows = Keyword.objects.annotate(lowered=Lower("name")).filter(
                    Q(name__in=batch) | Q(lowered__in=[name.lower() for name in batch])
                )
                for keyword in rows:
                    self.keywords.setdefault(keyword.name.lower(), keyword)
            new = [wanted[key] for key in missing if key not in self.keywords]
            for keyword in Keyword.objects.create_many(new):
                self.keywords[keyword.name.lower()] = keyword
        found = {}
        for key, (_, mesh) in wanted.items():
            keyword = self.keywords[key]
            if mesh and not keyword.mesh_id:
                keyword.mesh_id = mesh
                keyword.save(update_fields=["mesh_id", "modified"])
            found[key] = keyword
        return found

    def journal(self, record):
        key = (record.issn_print, record.issn_electronic, record.journal_title.lower())
        if key not in self.journals:
            issns = [normalize_issn(issn) for issn in (record.issn_print, record.issn_electronic) if issn]
            title = record.journal_title.lower()
            known = [self.journal_by_issn.get(issn) for issn in issns] + [self.journal_by_title.get(title)]
            looked_up = all(issn in self.journal_by_issn for issn in issns) and title in self.journal_by_title
            journal = next(filter(None, known), None) or find_or_create_journal(record, look_up=not looked_up)
            self.journals[key] = journal
            if journal:
                for issn in filter(None, (journal.issn_print, journal.issn_electronic)):
                    self.journal_by_issn[issn] = self.journal_by_issn.get(issn) or journal
                self.journal_by_title[title] = self.journal_by_title.get(title) or journal
        return self.journals[key]

    def load_journals(self, records):
        """Look up the journals of these records by ISSN and by title in two queries; what is not found
        is known to be new (None), so journal() creates it without asking again."""
        records = [
            r for r in records if (r.issn_print, r.issn_electronic, r.journal_title.lower()) not in self.journals
        ]
        issns = {normalize_issn(i) for r in records for i in (r.issn_print, r.issn_electronic) if i}
        issns -= self.journal_by_issn.keys()
        titles = {r.journal_title for r in records if r.journal_title}
        titles = {t for t in titles if t.lower() not in self.journal_by_title}
        for batch in batches(issns):
            for journal in Journal.objects.filter(Q(issn_print__in=batch) | Q(issn_electronic__in=batch)).order_by(
                "pk"
            ):
                for issn in (journal.issn_print, journal.issn_electronic):
                    if issn:
                        self.journal_by_issn.setdefault(issn, journal)
        for batch in batches(titles):
            rows = Journal.objects.annotate(lowered=Lower("title")).filter(
                Q(title__in=batch) | Q(lowered__in=[title.lower() for title in batch])
            )
            for journal in rows.order_by("pk"):
                self.journal_by_title.setdefault(journal.title.lower(), journal)
        self.journal_by_issn.update({issn: None for issn in issns if issn not in self.journal_by_issn})
        self.journal_by_title.update({t.lower(): None for t in titles if t.lower() not in self.journal_by_title})

    def concept_extractor(self):
        """The Fingerprint's extractor, made once per file (it reads the drugs' MeSH ids)."""
        if self._concept_extractor is None:
            self._concept_extractor = current_extractor()
        return self._concept_extractor

    def load_drugs(self, mention_maps):
        """Resolve, in three queries at most, the drug names and MeSH ids of these mentions not yet seen."""
        # Membership tests, not `set - dict.keys()`: that copies every name seen so far, on each call.
        names = {lowered for mentions in mention_maps for lowered in mentions if lowered not in self.drug_names}
        meshes = {m for mentions in mention_maps for _, _, m in mentions.values() if m and m not in self.drug_meshes}
        if not names and not meshes:
            return
        for batch in batches(sorted(names)):
            for lowered, pk in (
                Drug.objects.annotate(lowered=Lower("name")).filter(lowered__in=batch).values_list("lowered", "pk")
            ):
                self.drug_names[lowered] = pk
            other_names = DrugName.objects.annotate(lowered=Lower("name")).filter(lowered__in=batch)
            for lowered, pk in other_names.values_list("lowered", "drug_id"):
                self.drug_names.setdefault(lowered, pk)
        for batch in batches(sorted(meshes)):
            self.drug_meshes.update(Drug.objects.filter(mesh_id__in=batch).values_list("mesh_id", "pk"))
        self.drug_names.update({name: None for name in names if name not in self.drug_names})
        self.drug_meshes.update({mesh: None for mesh in meshes if mesh not in self.drug_meshes})

    def drug_id(self, lowered_name, mesh):
        return self.drug_names.get(lowered_name) or (self.drug_meshes.get(mesh) if mesh else None)


def batches(items, size=900):
    """Slices small enough for any database's limit on query parameters."""
    items = list(items)
    return [items[start : start + size] for start in range(0, len(items), size)]


def merge(prepared, curation_state=CurationState.IN_REVIEW, lookups=None):
    """Create or update the article of one prepared record; returns 'created', 'updated' or 'unchanged'."""
    lookups = lookups or Lookups()
    record, values = prepared.record, prepared.values
    article = find_existing(record, values)
    provenance = getattr(article, "import_source", None) if article else None
    if provenance and provenance.record_digest == prepared.digest:
        return "unchanged"
    journal = lookups.journal(record)

    if article is None:
        article = Article(**values, journal=journal, curation_state=curation_state)
        clean_article(article, record)
        article.save()
        article.set_authors(people_of(record))
        outcome = "created"
        last = {}
    else:
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
            clean_article(article, record)
            article.save()
        authors_now = _article_author_signature(article)
        as_imported = not authors_now or last.get("authors") == authors_now
        if record.authors and as_imported and authors_now != author_signature(record):
            article.set_authors(people_of(record))
            changed = True
        outcome = "updated" if changed else "unchanged"

    states_changed = _sync_states(article, prepared, last)
    keywords_changed = _add_keywords(article, prepared, lookups)
    linked = article.drug_links.values_list("drug_id", flat=True)
    ArticleDrug.objects.bulk_create(
        ArticleDrug(
            article=article,
            drug_id=drug_id,
            status=LinkStatus.SUGGESTED,
            source=LinkSource.IMPORT,
            evidence=evidence,
            mention_count=1,
        )
        for drug_id, evidence in drug_suggestions(prepared.mentions, lookups, linked)
    )
    if states_changed:
        article.refresh_publication_status()
    if outcome == "unchanged" and (states_changed or keywords_changed):
        outcome = "updated"
    ArticleSource.objects.update_or_create(
        article=article,
        defaults={
            "source": prepared.source,
            "imported_values": prepared.imported_values(journal),
            "record_digest": prepared.digest,
        },
    )
    return outcome


def clean_article(article, record):
    # Field validation and Article.clean (page order, type within category) run here; the database
    # constraints are not re-checked query by query (that doubled the time of an import): matching
    # already resolved the identifiers, and a remaining clash is caught as an IntegrityError.
    try:
        article.full_clean(exclude=NOT_FROM_RECORDS, validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        name, messages = next(iter(error.message_dict.items()))
        raise RecordError(record.source_file, record.position, name, messages[0], record.identifier) from None
    if article.language and not is_major_language(article.language):
        message = f"'{article.language}' is not a language code this portal knows"
        raise RecordError(record.source_file, record.position, "language", message, record.identifier)


def _sync_states(article, prepared, last):
    changed = False
    for status, parts in prepared.states():
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


def _add_keywords(article, prepared, lookups):
    """Keywords are only ever added by an import: removing one is a curator's decision."""
    have = {k.name.lower() for k in article.keywords.all()}
    wanted = [(name, mesh) for name, mesh in prepared.keywords if name.lower() not in have]
    if wanted:
        found = lookups.load_keywords(wanted)
        article.keywords.add(*found.values())
    return bool(wanted)
