"""CSL-JSON, the interchange format of Zotero, Mendeley and citeproc: a list of items (or one item)."""

import json
import re

from literature.importers.record import (
    PartialDateParts,
    Record,
    RecordAuthor,
    RecordError,
    issn_from,
    parse_pages,
    read_text,
)
from literature.models import OutputCategory, OutputType
from literature.values.languages import language_code
from literature.values.markup import sanitize_abstract, sanitize_title
from literature.values.notices import notices_in

# Every item has one "type", counted for a progress estimate (load.estimate_records).
RECORD_MARKER = re.compile(rb'"type"\s*:')


TYPES = {
    "article-journal": (OutputCategory.CONTRIBUTION_TO_JOURNAL, OutputType.ARTICLE),
    "review": (OutputCategory.CONTRIBUTION_TO_JOURNAL, OutputType.REVIEW),
    "article": (OutputCategory.WORKING_PAPER, OutputType.PREPRINT),
    "paper-conference": (OutputCategory.CONTRIBUTION_TO_BOOK, OutputType.CONFERENCE_CONTRIBUTION),
    "chapter": (OutputCategory.CONTRIBUTION_TO_BOOK, OutputType.CHAPTER),
    "entry-encyclopedia": (OutputCategory.CONTRIBUTION_TO_BOOK, OutputType.ENTRY_FOR_ENCYCLOPEDIA),
    "entry-dictionary": (OutputCategory.CONTRIBUTION_TO_BOOK, OutputType.ENTRY_FOR_ENCYCLOPEDIA),
    "book": (OutputCategory.BOOK, OutputType.BOOK),
    "report": (OutputCategory.BOOK, OutputType.REPORT),
    "thesis": (OutputCategory.THESIS, OutputType.DOCTORAL_THESIS),
}


def _text(value):
    if isinstance(value, list):
        value = next((v for v in value if v), "")
    return str(value).strip() if value not in (None, "") else ""


def _date(value):
    """CSL dates: {"date-parts": [[2015, 8, 26]]}, with parts sometimes strings; or {"raw": "2015-08"}."""
    if not isinstance(value, dict):
        return PartialDateParts()
    parts = (value.get("date-parts") or [[]])[0] or []
    numbers = []
    for part in parts[:3]:
        text = str(part).strip()
        if not text.isdecimal():
            break
        numbers.append(int(text))
    if not numbers and value.get("raw"):
        numbers = [int(p) for p in re.findall(r"\d+", str(value["raw"]))[:3]]
    if not numbers or not 1000 <= numbers[0] <= 9999:
        return PartialDateParts()
    return PartialDateParts(*[*numbers, None, None][:3])


def _author(name):
    if not isinstance(name, dict):
        return None
    if name.get("literal"):
        return RecordAuthor(collective=str(name["literal"]).strip())
    family = str(name.get("family") or "").strip()
    return RecordAuthor(family=family, given=str(name.get("given") or "").strip()) if family else None


def to_record(item, source_file, position, raw):
    if not isinstance(item, dict):
        raise RecordError(source_file, position, "item", "a CSL-JSON item must be an object", raw=raw)
    record = Record(source_file=source_file, position=position, raw=raw)
    record.category, record.output_type = TYPES.get(item.get("type"), (OutputCategory.OTHER, OutputType.OTHER))
    record.title = sanitize_title(_text(item.get("title")))
    record.abstract = sanitize_abstract(_text(item.get("abstract")))
    record.authors = [a for a in (_author(n) for n in item.get("author") or []) if a]
    record.journal_title = _text(item.get("container-title"))
    record.journal_abbreviation = _text(item.get("container-title-short") or item.get("journalAbbreviation"))
    record.issn_print = issn_from(_text(item.get("ISSN")))
    record.publisher = _text(item.get("publisher"))
    record.volume = _text(item.get("volume"))
    record.issue = _text(item.get("issue"))
    record.first_page, record.last_page, record.article_number = parse_pages(_text(item.get("page")), record.notes)
    if not _text(item.get("page")):
        record.article_number = _text(item.get("number"))
    record.published = _date(item.get("issued"))
    record.doi = _text(item.get("DOI"))
    pmid = _text(item.get("PMID"))
    record.pmid = int(pmid) if pmid.isdecimal() else None
    record.pmcid = _text(item.get("PMCID"))
    record.language = language_code(_text(item.get("language"))) or ""
    keywords = item.get("keyword") or ""
    keywords = keywords if isinstance(keywords, list) else re.split(r"[,;]", str(keywords))
    record.keywords = [(k.strip(), "") for k in keywords if k and k.strip()]
    record.relations = notices_in(_text(item.get("note")))  # as our export writes them (notices.py)
    if not record.title:
        raise RecordError(source_file, position, "title", "the item has no title", record.identifier, raw)
    return record


def parse(path, source_name=None):
    source_file = source_name or str(path)
    try:
        data = json.loads(read_text(path, source_file))
    except json.JSONDecodeError as error:
        reason = f"the file is not valid JSON ({error.msg}, line {error.lineno}, column {error.colno})"
        raise RecordError(source_file, 0, "JSON", reason) from None
    items = data if isinstance(data, list) else [data]
    if not items:
        raise RecordError(source_file, 0, "file", "the file holds no CSL-JSON item")
    for position, item in enumerate(items, start=1):
        raw = json.dumps(item, ensure_ascii=False)
        try:
            yield to_record(item, source_file, position, raw)
        except RecordError as error:
            yield error


def write_rejected(raw_records, handle):
    handle.write("[\n" + ",\n".join(raw_records) + "\n]\n")
