"""Making one parsed record ready to be matched and written: its values normalised as the database keeps
them, its dates and ORCID iDs checked (a bad one is the record's named error, never a silent loss),
its keywords tidied, the drugs its chemicals and keywords name, and a digest of everything it says."""

import hashlib
import re
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils import timezone

from literature.models import (
    Article,
    ArticleRelation,
    MeshHeading,
    PublicationStatus,
    PublicationType,
    Reference,
    RelationKind,
)
from literature.values.dates import validate_date_parts
from literature.values.identifiers import (
    normalize_doi,
    normalize_issn,
    normalize_orcid,
    normalize_pmcid,
    validate_doi,
    validate_issn,
    validate_orcid,
    validate_pmcid,
)
from literature.values.languages import is_major_language
from literature.values.limits import check_author_count, check_record_size
from literature.values.markup import matching_title

from .cleaning import clean_record
from .record import PartialDateParts, RecordError

# The article fields an import writes and later updates (unless a curator changed them since).
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
# The lists a record gives whole (Prepared attribute, model, its columns after the article): written
# with a new article, and later only to an article that has none (a list is taken whole from one
# source; two sources' lists are not merged entry by entry); an import that fails takes them back.
WHOLE_LISTS = [
    ("references", Reference, ["position", "citation", "pmid", "doi", "pmcid"]),
    ("mesh_headings", MeshHeading, ["position", "descriptor", "descriptor_ui", "major_topic", "qualifiers"]),
    ("publication_types", PublicationType, ["position", "name", "ui"]),
    ("relations", ArticleRelation, ["position", "kind", "citation", "pmid"]),
]
# Checked by clean_article: the fields a record sets (the journal is matched, the language checked apart).
NOT_FROM_RECORDS = [f.name for f in Article._meta.fields if f.name not in TRACKED_FIELDS] + ["language"]


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


def record_digest(record):
    """A fingerprint of everything a record says (not where it sits in its file): the same digest on a
    re-import means the same record, so the article is known unchanged without comparing a field."""
    return hashlib.sha256(repr(record).encode()).hexdigest()  # the repr leaves out file, position and raw text


def author_signature(authors):
    """The author list as compared between imports: family|given|collective per author, in order."""
    return [f"{a.family}|{a.given}|{a.collective}" for a in authors]


def _check_record_size(record):
    try:
        check_record_size(record.raw)
    except ValidationError as error:
        raise RecordError(record.source_file, record.position, "record", error.messages[0], record.identifier) from None


def _check_author_count(record):
    try:
        check_author_count(len(record.authors))
    except ValidationError as error:
        message = error.messages[0]
        raise RecordError(record.source_file, record.position, "authors", message, record.identifier) from None


def _check_orcids(record, warn):
    """ORCID iDs in the stored form; one that is not an ORCID iD is dropped with a warning (not a silent loss)."""
    for position, author in enumerate(record.authors, start=1):
        if author.orcid:
            author.orcid = normalize_orcid(author.orcid)
            try:
                validate_orcid(author.orcid)
            except ValidationError as error:
                warn(f"author {position} ORCID", error.messages[0])
                author.orcid = ""


def _check_identifiers(record, values, warn):
    """A DOI, PMCID or ISSN that is not one is dropped with a warning naming it; the record is kept."""
    for name, validate in (("doi", validate_doi), ("pmcid", validate_pmcid)):
        values[name] = _valid_or_dropped(values[name], validate, warn, name)
    for name in ("issn_print", "issn_electronic"):
        value = getattr(record, name)
        if value:
            try:
                validate_issn(normalize_issn(value))
            except ValidationError as error:
                warn(name.replace("_", " ").replace("issn", "ISSN"), error.messages[0])
                setattr(record, name, "")


MAX_PMID = 99_999_999


def _checked_pmid(pmid, warn, field_name):
    """A PMID as given ("" when none), or "" with a warning naming `field_name` when it is not one."""
    pmid = (pmid or "").strip()
    if pmid and not (pmid.isascii() and pmid.isdecimal() and 0 < int(pmid) <= MAX_PMID):
        warn(field_name, f"'{pmid}' is not a PubMed id")
        return ""
    return pmid


def checked_references(record, warn):
    """The works a record cites, as Reference rows' values (position, citation, pmid, doi, pmcid): an
    identifier that is not one is dropped with a warning naming the reference, the reference kept while
    it still says something; one with nothing left is left out."""
    references = []
    for number, (citation, pmid, doi, pmcid) in enumerate(record.references, start=1):
        field_name = f"reference {number}"
        pmid = _checked_pmid(pmid, warn, field_name)
        doi = _valid_or_dropped(normalize_doi(doi), validate_doi, warn, field_name)
        pmcid = _valid_or_dropped(normalize_pmcid(pmcid) if pmcid else "", validate_pmcid, warn, field_name)
        citation = citation.strip()[:2000]
        if citation or pmid or doi or pmcid:
            references.append((len(references) + 1, citation, int(pmid) if pmid else None, doi.lower()[:255], pmcid))
    return references


# RefTypes that are not relations between notices and articles: "Cites" is the reference list, the
# others point at summaries and reprints, not at a change to what the article says.
NOT_RELATIONS = {"Cites", "SummaryForPatientsIn", "OriginalReportIn", "ReprintIn", "ReprintOf", "AssociatedDataset"}


def checked_relations(record, warn):
    """Errata, retractions and comments as ArticleRelation rows' values (position, kind, citation, pmid):
    a relation of a kind PubMed does not name is left out with a warning, a PMID that is not one is
    dropped with a warning (the relation kept while it names something), each relation kept once."""
    relations = {}
    for number, (kind, citation, pmid) in enumerate(record.relations, start=1):
        field_name = f"relation {number}"
        if kind in NOT_RELATIONS:
            continue
        if kind not in RelationKind.values:
            warn(field_name, f"'{kind[:40]}' is not a kind of relation PubMed names (left out)")
            continue
        pmid = _checked_pmid(pmid, warn, field_name)
        citation = " ".join(citation.split())[:1000]
        if citation or pmid:
            relations.setdefault((kind, citation.lower(), pmid), (kind, citation, int(pmid) if pmid else None))
    return [(position, *relation) for position, relation in enumerate(relations.values(), start=1)]


MESH_UI = {"descriptor": re.compile(r"^D\d{6}(?:\d{3})?$"), "qualifier": re.compile(r"^Q\d{6}(?:\d{3})?$")}


def _mesh_ui(ui, kind, warn, field_name):
    """A descriptor's (D…) or a qualifier's (Q…) MeSH id as given, or "" with a warning if it is not one."""
    ui = (ui or "").strip().upper()
    if ui and not MESH_UI[kind].match(ui):
        warn(field_name, f"'{ui[:20]}' is not a MeSH {kind} id (dropped; the heading is kept)")
        return ""
    return ui


def checked_mesh_headings(record, warn):
    """MeSH headings as MeshHeading rows' values (position, descriptor, ui, major topic, qualifiers): a
    bad id is dropped with a warning, a descriptor given twice is kept once (its qualifiers joined), an
    empty one left out. A heading is a major topic when its descriptor or any qualifier is."""
    headings = {}
    for number, (descriptor, ui, major, qualifiers) in enumerate(record.mesh_headings, start=1):
        field_name = f"MeSH heading {number}"
        descriptor = " ".join(descriptor.split())[:200]
        if not descriptor:
            continue
        ui = _mesh_ui(ui, "descriptor", warn, field_name)
        kept = headings.setdefault(descriptor.lower(), [descriptor, ui, False, []])
        kept[1] = kept[1] or ui
        for name, qualifier_ui, qualifier_major in qualifiers:
            name = " ".join(name.split())[:100]
            if name and name.lower() not in {q["name"].lower() for q in kept[3]}:
                qualifier_ui = _mesh_ui(qualifier_ui, "qualifier", warn, field_name)
                kept[3].append({"name": name, "ui": qualifier_ui, "major_topic": bool(qualifier_major)})
        kept[2] = kept[2] or bool(major) or any(q["major_topic"] for q in kept[3])
    return [(position, *heading) for position, heading in enumerate(headings.values(), start=1)]


def checked_publication_types(record, warn):
    """Publication types as PublicationType rows' values (position, name, ui), each once."""
    kinds = {}
    for number, (name, ui) in enumerate(record.publication_types, start=1):
        name = " ".join(name.split())[:120]
        if name:
            kinds.setdefault(name.lower(), (name, _mesh_ui(ui, "descriptor", warn, f"publication type {number}")))
    return [(position, name, ui) for position, (name, ui) in enumerate(kinds.values(), start=1)]


def _valid_or_dropped(value, validate, warn, field_name):
    """`value`, or "" with a warning naming `field_name` when it does not validate."""
    if value:
        try:
            validate(value)
        except ValidationError as error:
            warn(field_name, error.messages[0])
            return ""
    return value


EARLIEST_PLAUSIBLE_YEAR = 1500


def validated_date(parts, record, field_name, warn):
    if parts.year is None:
        return None
    latest = timezone.now().year + 1
    if 1000 <= parts.year < EARLIEST_PLAUSIBLE_YEAR or latest < parts.year <= 9999:
        # Possible (a historical text, a date announced ahead) but more likely a typing slip: kept, said.
        warn(
            field_name,
            f"{parts.year} is an unlikely publication year (before {EARLIEST_PLAUSIBLE_YEAR} or after "
            f"{latest}): kept, check it",
        )
    try:
        validate_date_parts(parts.year, parts.month, parts.day)
    except ValidationError:
        # A day the month does not have (30 Feb) keeps its year and month: never invent, never lose more.
        parts = PartialDateParts(parts.year, parts.month, None, parts.as_given)
        try:
            validate_date_parts(parts.year, parts.month, None)
        except ValidationError as error:
            warn(field_name, f"{error.messages[0]} (the date was left out)")
            return None
    return parts


def drug_mentions(record):
    """{lowered name: (evidence kind, name, MeSH id)} of the chemicals, MeSH headings and keywords a
    record lists (a name listed under several is evidenced as its last kind here: keyword before
    MeSH heading before MeSH chemical)."""
    headings = [(descriptor, ui) for descriptor, ui, _, _ in record.mesh_headings]
    mentions = {}
    for kind, items in (("MeSH chemical", record.chemicals), ("MeSH heading", headings), ("keyword", record.keywords)):
        for name, mesh in items:
            mentions[name.lower()] = (kind, name, mesh)
    return mentions


class Prepared:
    """A record with its values normalised and its dates validated, ready to be matched and written."""

    def __init__(self, record, rank=0):
        # Lenient fields, strict records: a field that is not what it says is dropped with a warning;
        # only a record that cannot be an article (no title, too many authors, too large) is refused.
        self.rank = rank  # how far its source is trusted over others (run.SOURCE_RANKS)
        _check_record_size(record)
        self.record = clean_record(record)
        self.warnings = []
        for field_name, message in record.notes:
            self.warn(field_name, message)
        if not record.title.strip():
            raise RecordError(record.source_file, record.position, "title", "a record needs a title", record.identifier)
        self.values = values_of(record)
        _check_author_count(record)
        _check_orcids(record, self.warn)
        _check_identifiers(record, self.values, self.warn)
        self.published = validated_date(record.published, record, "publication date", self.warn)
        self.epublished = validated_date(record.epublished, record, "electronic publication date", self.warn)
        self.article_text = checked_article_text(self.values, record)  # the fields left in, as an article's
        self.digest = record_digest(record)
        self.source = f"{Path(record.source_file).name} ({record.label})"[:500]
        keywords = {}
        for name, mesh in record.keywords:
            if name.strip():
                keywords.setdefault(name.strip()[:200].lower(), (name.strip()[:200], mesh))
        self.keywords = list(keywords.values())
        self.mentions = drug_mentions(record)
        self.match_title = matching_title(record.title)
        self.references = checked_references(record, self.warn)
        self.mesh_headings = checked_mesh_headings(record, self.warn)
        self.publication_types = checked_publication_types(record, self.warn)
        self.relations = checked_relations(record, self.warn)

    def warn(self, field_name, message):
        record = self.record
        self.warnings.append(RecordError(record.source_file, record.position, field_name, message, record.identifier))

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
        """What this import wrote, kept as the article's provenance for the next import to compare with,
        with the rank of its source for each field (merged_provenance)."""
        published = self.published
        values = {
            **self.values,
            "journal": journal.pk if journal else None,
            "authors": author_signature(self.record.authors),
            "published": [published.year, published.month, published.day] if published else None,
        }
        return {**values, RANKS: dict.fromkeys(RANKED_FIELDS, self.rank)}


# The key of imported_values that holds, per field, the rank of the source whose value it is, and the
# fields source precedence applies to (write.update_article).
RANKS = "_ranks"
RANKED_FIELDS = [*TRACKED_FIELDS, "journal", "authors"]


def merged_provenance(last, new, won):
    """The provenance to keep after an import into an existing article: for each ranked field the new
    record set or agreed with (`won`), its value and the higher rank; for each it did not (it gave
    none, or a better source's or a curator's value stood), the previous value and rank, so the next
    import compares with what the article holds and whose it is."""
    before = last.get(RANKS, {})
    merged = {name: value for name, value in new.items() if name != RANKS}
    ranks = {}
    for name in RANKED_FIELDS:
        if name in won:
            ranks[name] = max(new[RANKS][name], before.get(name, 0))
        elif name in last:
            merged[name], ranks[name] = last[name], before.get(name, 0)
        else:  # never imported before: this record's value, whoever's it is
            ranks[name] = new[RANKS][name]
    merged[RANKS] = ranks
    return merged


def checked_article_text(values, record):
    """The record's values checked as an article's (clean_article), here where records are prepared (in
    the reading process for a large file) rather than where they are written; returns the title,
    abstract and matching title as a new article keeps them (Article.normalise)."""
    article = Article(**values)
    clean_article(article, record)
    article.normalise()
    return article.title, article.abstract, article.match_title


def clean_article(article, record):
    """Field validation and Article.clean (page order, type within category) as the record's named
    error. The database constraints are not re-checked query by query (that doubled the time of an
    import): matching already resolved the identifiers, and a remaining clash is an IntegrityError."""
    try:
        article.full_clean(exclude=NOT_FROM_RECORDS, validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        name, messages = next(iter(error.message_dict.items()))
        raise RecordError(record.source_file, record.position, name, messages[0], record.identifier) from None
    if article.language and not is_major_language(article.language):
        message = f"'{article.language}' is not a language code this portal knows"
        raise RecordError(record.source_file, record.position, "language", message, record.identifier)
