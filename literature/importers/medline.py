"""MEDLINE text, PubMed's "PubMed" / .nbib export: four-character tags, continuation lines indented
by six spaces, records separated by blank lines."""

import re

from literature.importers.pubmed import PUBLICATION_TYPES
from literature.importers.record import (
    PartialDateParts,
    Record,
    RecordAuthor,
    RecordError,
    parse_loose_date,
    parse_pages,
    read_text,
)
from literature.models import OutputCategory, OutputType
from literature.values.languages import language_code
from literature.values.markup import sanitize_abstract, sanitize_title
from literature.values.notices import relation_parts

TAG_LINE = re.compile(r"^([A-Z][A-Z0-9]{0,3})\s*-\s?(.*)$")
CONTINUATION = re.compile(r"^ {6}(.*)$")
# Where a record starts, counted for a progress estimate (load.estimate_records).
RECORD_MARKER = re.compile(rb"(?m)^PMID- ?\d")


def split_records(text):
    records, current = [], []
    for line in text.splitlines():
        if not line.strip():
            if current:
                records.append(current)
                current = []
            continue
        current.append(line)
    if current:
        records.append(current)
    return records


def fields_of(lines):
    """[(tag, value)] in file order, continuation lines joined to their tag, and the notes on lines that
    are neither (a stray comment in the record: left out, and said so)."""
    fields, notes = [], []
    for line in lines:
        tagged = TAG_LINE.match(line)
        if tagged:
            fields.append([tagged.group(1), tagged.group(2).strip()])
        elif CONTINUATION.match(line) and fields:
            fields[-1][1] += " " + line.strip()
        else:
            notes.append(("line", f"not a MEDLINE tag line, left out: {line[:60]!r}"))
    return [(tag, value) for tag, value in fields], notes


def mesh_heading(text):
    """'Antineoplastic Agents/*therapeutic use/adverse effects' -> (descriptor, '', major, qualifiers):
    a star marks a major topic, on the descriptor or on a qualifier; MEDLINE text carries no MeSH ids."""
    descriptor, *qualifiers = (part.strip() for part in text.split("/"))
    return (
        descriptor.lstrip("*").strip(),
        "",
        descriptor.startswith("*"),
        [(name.lstrip("*").strip(), "", name.startswith("*")) for name in qualifiers if name.lstrip("*").strip()],
    )


# MEDLINE's tags for PubMed's CommentsCorrections, by the RefType each stands for.
RELATION_TAGS = {
    "RIN": "RetractionIn",
    "ROF": "RetractionOf",
    "PRIN": "PartialRetractionIn",
    "PROF": "PartialRetractionOf",
    "ECI": "ExpressionOfConcernIn",
    "ECF": "ExpressionOfConcernFor",
    "RRI": "RetractedandRepublishedIn",
    "RRF": "RetractedandRepublishedFrom",
    "EIN": "ErratumIn",
    "EFR": "ErratumFor",
    "CRI": "CorrectedandRepublishedIn",
    "CRF": "CorrectedandRepublishedFrom",
    "UIN": "UpdateIn",
    "UOF": "UpdateOf",
    "RPI": "RepublishedIn",
    "RPF": "RepublishedFrom",
    "CIN": "CommentIn",
    "CON": "CommentOn",
}


def to_record(fields, source_file, position, raw):
    record = Record(source_file=source_file, position=position, raw=raw)
    values = {}
    for tag, value in fields:
        values.setdefault(tag, []).append(value)

    def first(tag):
        return values.get(tag, [""])[0]

    pmid = first("PMID")
    record.pmid = int(pmid) if pmid.isdecimal() else None
    title = first("TI").rstrip(".") if first("TI").endswith(".") and not first("TI").endswith("..") else first("TI")
    record.title = sanitize_title(title.strip("[]") if title.startswith("[") and title.endswith("]") else title)
    record.abstract = sanitize_abstract(first("AB"))
    # Authors in order: FAU gives the full name, AU the short one; AD belongs to the author before it.
    author, previous = None, None
    for tag, value in fields:
        if tag == "FAU":
            family, _, given = value.partition(",")
            author = RecordAuthor(family=family.strip(), given=given.strip())
            record.authors.append(author)
        elif tag == "AU" and previous != "FAU":
            # An AU right after an FAU is the same author's short name; alone, it is the only name.
            family, _, initials = value.rpartition(" ")
            author = RecordAuthor(family=family or value, given=initials if family else "")
            record.authors.append(author)
        elif tag == "CN":
            author = RecordAuthor(collective=value)
            record.authors.append(author)
        elif tag == "AD" and author is not None:
            author.affiliation = "; ".join(filter(None, [author.affiliation, value]))
        previous = tag
    record.journal_title = first("JT")
    record.journal_abbreviation = first("TA")
    for issn in values.get("IS", []):
        number, _, kind = issn.partition(" ")
        if "Electronic" in kind:
            record.issn_electronic = number
        elif "Print" in kind or not record.issn_print:
            record.issn_print = number
    record.volume = first("VI")
    record.issue = first("IP")
    record.first_page, record.last_page, record.article_number = parse_pages(first("PG"), record.notes)
    record.published = parse_loose_date(first("DP"))
    dep = first("DEP")
    if len(dep) == 8 and dep.isdecimal():
        record.epublished = PartialDateParts(int(dep[:4]), int(dep[4:6]), int(dep[6:]))
    record.language = language_code(first("LA")) or ""
    types = set(values.get("PT", []))
    record.output_type = next((t for name, t in PUBLICATION_TYPES if name in types), record.output_type)
    if first("BTI"):
        # An NCBI Bookshelf record: a chapter (TI) of the book BTI, its container, or the book itself.
        record.publisher = first("PB")
        if record.title:
            record.journal_title = record.journal_title or sanitize_title(first("BTI"))
            record.category, record.output_type = OutputCategory.CONTRIBUTION_TO_BOOK, OutputType.CHAPTER
        else:
            record.title = sanitize_title(first("BTI"))
            record.category, record.output_type = OutputCategory.BOOK, OutputType.BOOK
    for identifier in values.get("AID", []) + values.get("LID", []):
        if (identifier.endswith("[doi]") or identifier.startswith("doi:")) and not record.doi:
            record.doi = identifier.removesuffix("[doi]").removeprefix("doi:").strip()
    record.pmcid = first("PMC")
    record.mesh_headings = [heading for heading in map(mesh_heading, values.get("MH", [])) if heading[0]]
    record.publication_types = [(name, "") for name in values.get("PT", []) if name]
    record.keywords = [(term, "") for term in values.get("OT", [])]
    record.chemicals = [(re.sub(r"^\S+ \((.*)\)$", r"\1", rn), "") for rn in values.get("RN", [])]
    record.relations = [
        (kind, *relation_parts(value)) for tag, value in fields if (kind := RELATION_TAGS.get(tag)) and value.strip()
    ]
    if not record.title:
        raise RecordError(source_file, position, "TI", "the record has no title", record.identifier, raw)
    return record


def parse(path, source_name=None):
    source_file = source_name or str(path)
    text = read_text(path, source_file)
    chunks = split_records(text)
    if not chunks:
        raise RecordError(source_file, 0, "file", "the file holds no MEDLINE record")
    position = 0
    for lines in chunks:
        fields, notes = fields_of(lines)
        if not fields:  # a paragraph of text between records, not a record
            continue
        position += 1
        raw = "\n".join(lines)
        try:
            record = to_record(fields, source_file, position, raw)
        except RecordError as error:
            error.raw = raw
            yield error
            continue
        record.notes += notes
        yield record


def write_rejected(raw_records, handle):
    for raw in raw_records:
        handle.write(raw.rstrip("\n") + "\n\n")
