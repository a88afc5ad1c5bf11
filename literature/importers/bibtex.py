"""BibTeX (and biblatex) files, parsed by bibtexparser with LaTeX decoding ({\\'u} -> ú), month macros,
string macros and crossref inheritance."""

import re

import bibtexparser
from bibtexparser import middlewares

from literature.importers.record import (
    PartialDateParts,
    Record,
    RecordAuthor,
    RecordError,
    issn_from,
    parse_loose_date,
    parse_month,
    parse_pages,
    read_text,
)
from literature.models import OutputCategory, OutputType
from literature.values.languages import language_code
from literature.values.markup import sanitize_abstract, sanitize_title

# Where an entry starts, counted for a progress estimate (load.estimate_records).
RECORD_MARKER = re.compile(rb"(?m)^\s*@(?!string|comment|preamble)[A-Za-z]+\s*[{(]", re.IGNORECASE)


TYPES = {
    "article": (OutputCategory.CONTRIBUTION_TO_JOURNAL, OutputType.ARTICLE),
    "inproceedings": (OutputCategory.CONTRIBUTION_TO_BOOK, OutputType.CONFERENCE_CONTRIBUTION),
    "conference": (OutputCategory.CONTRIBUTION_TO_BOOK, OutputType.CONFERENCE_CONTRIBUTION),
    "incollection": (OutputCategory.CONTRIBUTION_TO_BOOK, OutputType.CHAPTER),
    "inbook": (OutputCategory.CONTRIBUTION_TO_BOOK, OutputType.CHAPTER),
    "book": (OutputCategory.BOOK, OutputType.BOOK),
    "proceedings": (OutputCategory.BOOK, OutputType.ANTHOLOGY),
    "techreport": (OutputCategory.BOOK, OutputType.REPORT),
    "report": (OutputCategory.BOOK, OutputType.REPORT),
    "phdthesis": (OutputCategory.THESIS, OutputType.DOCTORAL_THESIS),
    "mastersthesis": (OutputCategory.THESIS, OutputType.MASTERS_THESIS),
    "thesis": (OutputCategory.THESIS, OutputType.DOCTORAL_THESIS),
    "unpublished": (OutputCategory.WORKING_PAPER, OutputType.WORKING_PAPER),
}


def _fields(entry):
    return {field.key.lower(): field.value for field in entry.fields}


def _text(value):
    return re.sub(r"\s+", " ", str(value or "").replace("{", "").replace("}", "")).strip()


def _authors(value):
    authors = []
    for name in value or []:
        if isinstance(name, middlewares.NameParts):
            family = " ".join(name.von + name.last)
            given = " ".join(name.first + name.jr)
        else:
            family, _, given = str(name).partition(",")
        family, given = _text(family), _text(given)
        if family:
            authors.append(RecordAuthor(family=family, given=given))
    return authors


def _published(fields):
    """The publication date at the precision given: `year` with `month` (a number or a name), else
    biblatex's ISO 8601 `date` (2019, 2019-03, 2019-03-15; a range 2019-03/2019-04 by its start)."""
    year = re.match(r"\d{4}", _text(fields.get("year")))
    if year:
        month = fields.get("month")
        month = month if isinstance(month, int) else parse_month(_text(month))
        return PartialDateParts(int(year.group()), month if month and 1 <= month <= 12 else None, None)
    date = _text(fields.get("date")).split("/")[0].strip()
    if re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", date):
        return parse_loose_date(date)
    found = re.match(r"\d{4}", date)
    return PartialDateParts(int(found.group())) if found else PartialDateParts()


def to_record(entry, fields, source_file, position):
    raw = getattr(entry, "raw", "") or ""
    record = Record(source_file=source_file, position=position, raw=raw)
    kind = entry.entry_type.lower()
    if kind == "set":
        raise RecordError(
            source_file, position, "entry type", "biblatex @set entries group others; not imported", raw=raw
        )
    record.category, record.output_type = TYPES.get(kind, (OutputCategory.OTHER, OutputType.OTHER))
    record.title = sanitize_title(_text(fields.get("title")))
    record.authors = _authors(fields.get("author"))
    # biblatex names the journal `journaltitle` (and its abbreviation `shortjournal`).
    journal = fields.get("journal") or fields.get("journaltitle")
    record.journal_title = _text(journal if kind == "article" else fields.get("booktitle") or journal)
    record.journal_abbreviation = _text(fields.get("shortjournal") or fields.get("journal-iso"))
    record.volume = _text(fields.get("volume"))
    record.issue = _text(fields.get("number") or fields.get("issue"))
    record.first_page, record.last_page, record.article_number = parse_pages(_text(fields.get("pages")))
    if not fields.get("pages"):
        record.article_number = _text(fields.get("eid"))
    record.published = _published(fields)
    record.doi = _text(fields.get("doi"))
    # Several ISSNs ("0892-3973, 1532-2513"): the first is the record's.
    record.issn_print = issn_from(re.split(r"[,;]|\s(?=\d{4}-)", _text(fields.get("issn")))[0])
    record.publisher = _text(fields.get("publisher"))
    # biblatex: eprinttype = {pubmed}, eprint = {5500723}; BibTeX exporters write pmid = {…}.
    eprint = _text(fields.get("eprint")) if _text(fields.get("eprinttype")).lower() in {"pubmed", "pmid"} else ""
    pmid = _text(fields.get("pmid")) or eprint
    record.pmid = int(pmid) if pmid.isascii() and pmid.isdecimal() else None
    record.language = language_code(_text(fields.get("language") or fields.get("langid"))) or ""
    record.abstract = sanitize_abstract(_text(fields.get("abstract")))
    keywords = re.split(r"[;,]", _text(fields.get("keywords")))
    record.keywords = [(k.strip(), "") for k in keywords if k.strip()]
    if not record.title:
        raise RecordError(source_file, position, "title", "the entry has no title", f"key {entry.key}", raw)
    return record


def parse(path, source_name=None):
    source_file = source_name or str(path)
    text = read_text(path, source_file)
    library = bibtexparser.parse_string(
        text,
        append_middleware=[
            # Math stays LaTeX (it has no plain-text form), so it can be written back unchanged.
            middlewares.LatexDecodingMiddleware(keep_math_mode=True),
            middlewares.MonthIntMiddleware(True),
            middlewares.SeparateCoAuthors(),
            middlewares.SplitNameParts(),
        ],
    )
    if not library.entries and not library.failed_blocks:
        raise RecordError(source_file, 0, "file", "the file holds no BibTeX entry")
    by_key = {entry.key: _fields(entry) for entry in library.entries}
    position = 0
    for block in library.failed_blocks:
        position += 1
        line = getattr(block, "start_line", None)
        where = f" (line {line + 1})" if isinstance(line, int) else ""
        yield RecordError(
            source_file, position, "BibTeX", f"an entry cannot be read{where}", raw=getattr(block, "raw", "")
        )
    for entry in library.entries:
        position += 1
        fields = by_key[entry.key]
        parent = by_key.get(_text(fields.get("crossref")))
        if parent:
            fields = {**parent, **fields}  # crossref: the entry inherits what it lacks
        try:
            yield to_record(entry, fields, source_file, position)
        except RecordError as error:
            yield error


def write_rejected(raw_records, handle):
    for raw in raw_records:
        handle.write(raw.strip() + "\n\n")
