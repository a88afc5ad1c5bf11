"""RIS (EndNote, Zotero, Scopus, Lens, Web of Science exports), parsed by rispy one record at a time,
so that each record's own text can be written back untouched if it is rejected."""

import re

import rispy

from literature.importers.accessions import accession, identifier_from_database, scopus_eid_in
from literature.importers.record import (
    Record,
    RecordAuthor,
    RecordError,
    issn_from,
    name_in_one_field,
    parse_loose_date,
    parse_pages,
    read_text,
)
from literature.models import OutputCategory, OutputType
from literature.values.languages import language_code
from literature.values.markup import sanitize_abstract, sanitize_title
from literature.values.notices import notices_in

# RIS reference types -> (research output category, output type)
TYPES = {
    "JOUR": (OutputCategory.CONTRIBUTION_TO_JOURNAL, OutputType.ARTICLE),
    "JFULL": (OutputCategory.CONTRIBUTION_TO_JOURNAL, OutputType.ARTICLE),
    "EJOUR": (OutputCategory.CONTRIBUTION_TO_JOURNAL, OutputType.ARTICLE),
    "INPR": (OutputCategory.CONTRIBUTION_TO_JOURNAL, OutputType.ARTICLE),
    "ABST": (OutputCategory.CONTRIBUTION_TO_CONFERENCE, OutputType.ABSTRACT),
    "CONF": (OutputCategory.CONTRIBUTION_TO_CONFERENCE, OutputType.PAPER),
    "CPAPER": (OutputCategory.CONTRIBUTION_TO_BOOK, OutputType.CONFERENCE_CONTRIBUTION),
    "CHAP": (OutputCategory.CONTRIBUTION_TO_BOOK, OutputType.CHAPTER),
    "ECHAP": (OutputCategory.CONTRIBUTION_TO_BOOK, OutputType.CHAPTER),
    "ENCYC": (OutputCategory.CONTRIBUTION_TO_BOOK, OutputType.ENTRY_FOR_ENCYCLOPEDIA),
    "DICT": (OutputCategory.CONTRIBUTION_TO_BOOK, OutputType.ENTRY_FOR_ENCYCLOPEDIA),
    "BOOK": (OutputCategory.BOOK, OutputType.BOOK),
    "EBOOK": (OutputCategory.BOOK, OutputType.BOOK),
    "EDBOOK": (OutputCategory.BOOK, OutputType.ANTHOLOGY),
    "RPRT": (OutputCategory.BOOK, OutputType.REPORT),
    "THES": (OutputCategory.THESIS, OutputType.DOCTORAL_THESIS),
    "UNPB": (OutputCategory.WORKING_PAPER, OutputType.PREPRINT),
}
# Scopus' M3 document types refine a JOUR record.
DOCUMENT_TYPES = {
    "review": OutputType.REVIEW,
    "letter": OutputType.LETTER,
    "editorial": OutputType.EDITORIAL,
    "erratum": OutputType.ERRATUM,
    "note": OutputType.COMMENT,
    "short survey": OutputType.SHORT_SURVEY,
    "conference paper": OutputType.CONFERENCE_ARTICLE,
}
# Where a record ends, counted for a progress estimate (load.estimate_records).
RECORD_MARKER = re.compile(rb"(?m)^ER  -")
DOI_IN_URL = re.compile(r"(?:doi\.org/|doi=)(10\.\d{4,9}/[^&\s]+)", re.IGNORECASE)


# A tag line as writers really space it: 'TY  - JOUR', 'TY -  BOOK', 'ER -', 'ER  -'.
TAG_LINE = re.compile(r"^([A-Z][A-Z0-9]) {1,3}-(?: {1,3}|(?=\s*$))")


def canonical_tag_line(line):
    """'TY -  BOOK' -> 'TY  - BOOK': the spacing the RIS specification and rispy expect."""
    tagged = TAG_LINE.match(line)
    return f"{tagged.group(1)}  - {line[tagged.end() :]}" if tagged else line


def split_records(text):
    """Each record's own lines, from its first tag line to its ER. Between records anything that is not
    a tag line is left out: blank lines, the "1." counters of Ovid, header text ("Record #1 of 2",
    "Provider: ..."), free text after ER.
    Returns (the record as in the file, the record with its tag lines spaced as the specification says)."""
    records, current, raw = [], [], []
    for line in text.splitlines(keepends=True):
        tagged = TAG_LINE.match(line)
        if not current and not tagged:
            continue
        raw.append(line)
        current.append(canonical_tag_line(line) if tagged else line)
        if current[-1].startswith("ER  -"):
            records.append(("".join(raw), "".join(current)))
            current, raw = [], []
    if "".join(current).strip():
        records.append(("".join(raw), "".join(current)))
    return records


def _first(entry, *keys):
    for key in keys:
        value = entry.get(key)
        if isinstance(value, list):
            value = next((v for v in value if v), "")
        if value:
            return str(value).strip()
    return ""


def _author(text):
    """'Family, Given' as RIS says names are written; a name without a comma is a name written whole."""
    if "," not in text:
        return name_in_one_field(text)
    family, _, given = text.partition(",")
    return RecordAuthor(family=family.strip(), given=given.strip()) if family.strip() else None


def _published(entry):
    """DA, else PY (Y1). A DA of a month or season only ('SEP', 'Sep-Oct', 'Spring', as EBSCO and
    ProQuest write it) is of PY's year."""
    date, year = _first(entry, "date"), _first(entry, "year", "publication_year")
    published = parse_loose_date(date or year)
    if published.year is None and (year_given := re.match(r"\d{4}", year)):
        within = date if re.match(r"[A-Za-z]", date) else ""
        published = parse_loose_date(f"{year_given.group()} {within}".strip())
    return published


def to_record(entry, source_file, position, raw):
    record = Record(source_file=source_file, position=position, raw=raw)
    kind = (entry.get("type_of_reference") or "").upper()
    record.category, record.output_type = TYPES.get(kind, (OutputCategory.OTHER, OutputType.OTHER))
    document_type = _first(entry, "type_of_work").lower()
    if record.category == OutputCategory.CONTRIBUTION_TO_JOURNAL and document_type in DOCUMENT_TYPES:
        record.output_type = DOCUMENT_TYPES[document_type]
    record.title = sanitize_title(_first(entry, "title", "primary_title", "short_title"))
    journal_keys = ["alternate_title3", "journal_name", "secondary_title", "alternate_title2", "alternate_title1"]
    if record.category != OutputCategory.CONTRIBUTION_TO_JOURNAL:
        journal_keys = ["secondary_title"]
    record.journal_title = _first(entry, *journal_keys)
    record.journal_abbreviation = _first(entry, "alternate_title2", "alternate_title1")
    authors = (entry.get("authors") or []) + (entry.get("first_authors") or [])
    record.authors = [a for a in (_author(name) for name in authors) if a]
    record.abstract = sanitize_abstract(_first(entry, "abstract", "notes_abstract"))
    record.volume = _first(entry, "volume")
    record.issue = _first(entry, "number")
    start, end = _first(entry, "start_page"), _first(entry, "end_page")
    pages = f"{start}-{end}" if end else start
    record.first_page, record.last_page, record.article_number = parse_pages(pages, record.notes)
    if not (start or end):
        record.article_number = _first(entry, "custom7")
    record.published = _published(entry)
    doi = _first(entry, "doi")
    if not doi:
        match = DOI_IN_URL.search(" ".join(entry.get("urls") or []))
        doi = match.group(1) if match else ""
    record.doi = doi.replace("%2f", "/").replace("%2F", "/")
    # AN is the number in the database named by DB (else its provider, DP); Scopus gives its EID in UR.
    number, database = _first(entry, "accession_number"), _first(entry, "name_of_database", "database_provider")
    if identifier := identifier_from_database(number, database):
        setattr(record, *identifier)
    keys = (accession(number, database), scopus_eid_in(entry.get("urls") or []))
    record.accessions = list(dict.fromkeys(key for key in keys if key))
    record.issn_print = issn_from(_first(entry, "issn"))
    record.publisher = _first(entry, "publisher")
    language = _first(entry, "language")
    record.language = language_code(re.sub(r"<!--.*?-->", "", language)) or "" if language else ""
    record.keywords = [(k.strip(), "") for k in entry.get("keywords") or [] if k and k.strip()]
    # Errata and retractions as our export writes them, an N1 note each (notices.py).
    record.relations = [relation for note in entry.get("notes") or [] for relation in notices_in(note or "")]
    if not record.title:
        raise RecordError(source_file, position, "TI", "the record has no title (TI, T1 or ST)", record.identifier, raw)
    return record


def parse(path, source_name=None):
    source_file = source_name or str(path)
    # A space before the byte-order mark is seen in the wild: both go.
    text = read_text(path, source_file).lstrip("\ufeff \t\r\n")
    chunks = split_records(text)
    if not chunks:
        raise RecordError(source_file, 0, "file", "the file holds no RIS record")
    for position, (raw, chunk) in enumerate(chunks, start=1):
        notes = []
        if not chunk.lstrip().startswith("TY  -"):
            # Tags without their TY (an editor cut it): still a record, read as a journal article.
            notes.append(("TY", "the record has no TY tag: read as a journal article (JOUR)"))
            chunk = "TY  - JOUR\n" + chunk
        if not chunk.rstrip().splitlines()[-1].startswith("ER  -"):
            yield RecordError(
                source_file, position, "ER", "the record does not end with an ER tag (truncated?)", raw=raw
            )
            continue
        try:
            (entry,) = rispy.loads(chunk, skip_unknown_tags=True)
        except (OSError, ValueError, KeyError) as error:
            yield RecordError(source_file, position, "RIS", f"the record cannot be read ({error})", raw=raw)
            continue
        try:
            record = to_record(entry, source_file, position, raw)
        except RecordError as error:
            yield error
            continue
        record.notes += notes
        yield record


def write_rejected(raw_records, handle):
    for raw in raw_records:
        handle.write(raw.rstrip("\r\n") + "\n\n")
