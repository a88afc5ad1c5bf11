"""BibTeX (and biblatex) files, parsed by bibtexparser with LaTeX decoding ({\\'u} -> ú), month macros,
string macros and crossref inheritance."""

import re

import bibtexparser
from bibtexparser import middlewares
from bibtexparser.library import Library
from bibtexparser.model import DuplicateFieldKeyBlock, Entry, Field, MiddlewareErrorBlock, ParsingFailedBlock

from literature.importers.accessions import accession, scopus_eid_in
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
from literature.values.notices import notices_in

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


ET_AL = re.compile(r"\s*,?\s*\bet\s+al\b\.?$", re.IGNORECASE)


def _authors(value):
    authors = []
    for name in value or []:
        if isinstance(name, middlewares.NameParts):
            family = " ".join(name.von + name.last)
            given = " ".join(name.first + name.jr)
        else:
            family, _, given = str(name).partition(",")
        # "Born, L. et al.": the names not written out are not a part of this one.
        family, given = (ET_AL.sub("", _text(part)) for part in (family, given))
        if family:
            authors.append(RecordAuthor(family=family, given=given))
    return authors


def _published(fields):
    """The publication date at the precision given: biblatex's ISO 8601 `date` (2019, 2019-03,
    2019-03-15; a range 2019-03/2019-04 by its start) where it says as much as `year` and `month` or
    more, else `year` with `month` (a number or a name)."""
    year = re.match(r"\d{4}", _text(fields.get("year")))
    iso = re.fullmatch(r"(\d{4})(-\d{2}(-\d{2})?)?", _text(fields.get("date")).split("/")[0].strip())
    if iso and (not year or (iso.group(1) == year.group() and iso.group(2) and not fields.get("month"))):
        return parse_loose_date(iso.group())
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
    record.first_page, record.last_page, record.article_number = parse_pages(_text(fields.get("pages")), record.notes)
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
    # Web of Science writes its UT as unique-id = {WOS:…} (older exports ISI:…); Scopus its EID in url.
    keys = (accession(_text(fields.get("unique-id"))), scopus_eid_in([_text(fields.get("url"))]))
    record.accessions = list(dict.fromkeys(key for key in keys if key))
    record.language = language_code(_text(fields.get("language") or fields.get("langid"))) or ""
    record.abstract = sanitize_abstract(_text(fields.get("abstract")))
    keywords = re.split(r"[;,]", _text(fields.get("keywords")))
    record.keywords = [(k.strip(), "") for k in keywords if k.strip()]
    record.relations = notices_in(_text(fields.get("note")))  # as our export writes them (notices.py)
    if not record.title:
        raise RecordError(source_file, position, "title", "the entry has no title", f"key {entry.key}", raw)
    return record


class ConcatenatedStrings(middlewares.LibraryMiddleware):
    """Values joined with # (`author = ab # " and " # cd`, `month = jan # "~15"`), which bibtexparser
    leaves as written: each part is its quoted or braced text, a number, or the @string (or month) it
    names. An unknown name is kept as its name."""

    def __init__(self):
        super().__init__(allow_inplace_modification=True)

    def transform(self, library):
        strings = string_values(library)
        for entry in library.entries:
            joined_values(entry, strings)
        return library


def string_values(library):
    """The library's @string macros by name, which BibTeX compares case-insensitively."""
    return {key.lower(): item.value for key, item in library.strings_dict.items()}


MONTH_NAMES = "January February March April May June July August September October November December"
MONTH_MACROS = {name[:3].lower(): name for name in MONTH_NAMES.split()}
JOINED_PART = re.compile(r'\s*("(?:[^"\\]|\\.)*"|\{(?:[^{}]|\{[^{}]*\})*\}|[^#\s"{}]+)\s*(?:#|$)')


def joined_values(entry, strings):
    """The entry's #-joined values as the text they make (ConcatenatedStrings), in place."""
    enclosings = entry.parser_metadata.get("removed_enclosing", {})
    for item in entry.fields:
        value = item.value
        if not isinstance(value, str) or "#" not in value or enclosings.get(item.key) != "no-enclosing":
            continue
        parts = JOINED_PART.findall(value)
        if "".join(parts).replace(" ", "") != value.replace("#", "").replace(" ", ""):
            continue  # not a joined value after all
        texts = []
        for part in parts:
            if part[0] in '"{':
                texts.append(part[1:-1])
            elif part.isdecimal():
                texts.append(part)
            else:
                texts.append(strings.get(part.lower(), MONTH_MACROS.get(part.lower(), part)))
        item.value = "".join(texts)


def _middlewares():
    return [
        ConcatenatedStrings(),
        # Author = {…} as JabRef and BibDesk write it is author (SeparateCoAuthors reads lower case only).
        middlewares.NormalizeFieldKeys(),
        ReadLinksAsText(),
        # Math stays LaTeX (it has no plain-text form), so it can be written back unchanged.
        middlewares.LatexDecodingMiddleware(keep_math_mode=True),
        middlewares.MonthIntMiddleware(True),
        middlewares.SeparateCoAuthors(),
        middlewares.SplitNameParts(),
    ]


# A LaTeX command pylatexenc cannot decode, read as what it shows: \href{url}{text} as the text,
# \url{x} and any \command{x} as x, a bare \command dropped. Arguments may hold one level of braces.
ARGUMENT = r"\{((?:[^{}]|\{[^{}]*\})*)\}"
HREF = re.compile(r"\\href\s*\{[^{}]*\}\s*" + ARGUMENT)
COMMAND_WITH_ARGUMENT = re.compile(r"\\[A-Za-z]+\s*" + ARGUMENT)
BARE_COMMAND = re.compile(r"\\[A-Za-z]+\b\s*")


def _plain_latex(text):
    text = HREF.sub(r"\1", text)
    while COMMAND_WITH_ARGUMENT.search(text):
        text = COMMAND_WITH_ARGUMENT.sub(r"\1", text)
    return BARE_COMMAND.sub("", text)


# Inline markup in a title or abstract, kept as the tags titles are stored with (pylatexenc would drop
# it): \textit{x}, \emph{x}, {\it x}, {\em x} italic; \textbf{x}, {\bf x} bold; \textsubscript,
# \textsuperscript, \underline; math that is only a sub- or superscript ("CO$_2$", "m$^{-1}$").
MARKUP_COMMANDS = {
    "textit": "i",
    "emph": "i",
    "textbf": "b",
    "textsubscript": "sub",
    "textsuperscript": "sup",
    "underline": "u",
}
MARKUP_COMMAND = re.compile(r"\\(" + "|".join(MARKUP_COMMANDS) + r")\s*" + ARGUMENT)
MARKUP_SWITCH = re.compile(r"\{\\(it|em|itshape|bf|bfseries)\s+([^{}]*)\}")
SWITCHES = {"it": "i", "em": "i", "itshape": "i", "bf": "b", "bfseries": "b"}
SCRIPT_MATH = re.compile(r"\$([_^])\{?([-+−\w.]{1,12})\}?\$")
MARKUP_FIELDS = {"title", "abstract", "booktitle"}


def _tagged(tag, text):
    return f"<{tag}>{text}</{tag}>"


def _html_markup(text):
    text = MARKUP_SWITCH.sub(lambda m: _tagged(SWITCHES[m.group(1)], m.group(2)), text)
    while MARKUP_COMMAND.search(text):  # \textbf{a \textit{b}}: the outer command first, then the inner
        text = MARKUP_COMMAND.sub(lambda m: _tagged(MARKUP_COMMANDS[m.group(1)], m.group(2)), text)
    return SCRIPT_MATH.sub(lambda m: _tagged("sub" if m.group(1) == "_" else "sup", m.group(2)), text)


class ReadLinksAsText(middlewares.BlockMiddleware):
    r"""\href{url}{text} is the text it shows: pylatexenc writes the URL and the text run together
    ("https://example.orgthe Example"), or fails on it. And a title's or abstract's inline markup is
    the tags it is stored with (_html_markup), before pylatexenc would drop it."""

    def __init__(self):
        super().__init__(allow_inplace_modification=True, allow_parallel_execution=True)

    def transform_entry(self, entry, library):
        for item in entry.fields:
            if not isinstance(item.value, str) or ("\\" not in item.value and "$" not in item.value):
                continue
            if "\\href" in item.value:
                item.value = HREF.sub(r"\1", item.value)
            if item.key.lower() in MARKUP_FIELDS:
                item.value = _html_markup(item.value)
        return entry


NAME_FIELDS = {"author", "editor", "translator"}


def _leniently(entry, library):
    """The entry through the same middlewares field by field, where one middleware could not read the
    entry as a whole: a field LaTeX decoding fails on is read by _plain_latex, a name that cannot be
    split into parts ("May, Keith," with a trailing comma, a lone ",") loses the stray commas or, failing
    that, is read as "Family, Given" text. Returns the entry and (field, message) notes."""
    _, _, links, decoding, month, separate, split = _middlewares()
    joined_values(entry, string_values(library))
    entry = links.transform_block(entry, library)
    notes = []
    fields = []
    for item in entry.fields:
        key = item.key.lower()
        decoded = decoding.transform_block(Entry(entry.entry_type, entry.key, [Field(key, item.value)]), library)
        if isinstance(decoded, Entry):
            fields.append(decoded.fields[0])
        else:  # a MiddlewareErrorBlock: pylatexenc could not decode this field
            fields.append(Field(key, _plain_latex(str(item.value))))
            notes.append((key, f"LaTeX commands in {key} read as plain text"))
    entry = month.transform_block(Entry(entry.entry_type, entry.key, fields), library)
    for item in entry.fields:
        if item.key.lower() not in NAME_FIELDS:
            continue
        if isinstance(item.value, str):  # not yet separated (the failure came before SeparateCoAuthors)
            one = Entry(entry.entry_type, entry.key, [Field(item.key, item.value)])
            item.value = separate.transform_block(one, library).fields[0].value
        names = []
        for name in item.value:
            cleaned = str(name).strip().strip(",").strip()
            if not cleaned:
                notes.append((item.key, f"an empty name in {item.key} left out"))
                continue
            one = split.transform_block(Entry(entry.entry_type, entry.key, [Field(item.key, [cleaned])]), library)
            # A name bibtexparser still cannot split is read as "Family, Given" text (_authors).
            names.extend(one.fields[0].value if isinstance(one, Entry) else [cleaned])
        item.value = names
    return entry, notes


def _salvaged(block, library):
    """(entry, notes) for a block bibtexparser could not finish, where a rule says how to read it, else
    None. Rules: a field given twice keeps its first value (as BibTeX does); an entry a middleware
    failed on is read field by field (_leniently); an entry opened with { and closed with ) (or the
    reverse) is read with the delimiter it opened with."""
    if isinstance(block, DuplicateFieldKeyBlock):
        entry, seen, fields = block.ignore_error_block, set(), []
        for item in entry.fields:
            if item.key.lower() not in seen:
                seen.add(item.key.lower())
                fields.append(item)
        entry = Entry(entry.entry_type, entry.key, fields, raw=block.raw)
        entry, notes = _leniently(entry, library)
        repeated = ", ".join(sorted(block.duplicate_keys))
        return entry, [(repeated, f"{repeated} given twice: the first value kept"), *notes]
    if isinstance(block, MiddlewareErrorBlock) and isinstance(block.ignore_error_block, Entry):
        entry = block.ignore_error_block
        entry, notes = _leniently(Entry(entry.entry_type, entry.key, entry.fields, raw=block.raw), library)
        return entry, notes
    if isinstance(block, ParsingFailedBlock) and block.raw:
        raw = block.raw.strip()
        opened = re.match(r"@[A-Za-z]+\s*([{(])", raw)
        closing = {"{": ")", "(": "}"}.get(opened.group(1)) if opened else None
        if closing and raw.endswith(closing):
            fixed = raw[:-1] + {")": "}", "}": ")"}[closing]
            again = bibtexparser.parse_string(fixed, append_middleware=_middlewares())
            if len(again.entries) == 1 and not again.failed_blocks:
                entry = again.entries[0]
                return Entry(entry.entry_type, entry.key, entry.fields, raw=block.raw), [
                    ("entry", f"the entry opened with {opened.group(1)} but closed with {closing}")
                ]
    return None


def parse(path, source_name=None):
    source_file = source_name or str(path)
    text = read_text(path, source_file)
    library = bibtexparser.parse_string(text, append_middleware=_middlewares())
    if not library.entries and not library.failed_blocks:
        raise RecordError(source_file, 0, "file", "the file holds no BibTeX entry")
    strings = Library(library.strings)
    readable = []  # (entry, notes) in the order of the file
    position = 0
    for block in sorted(library.blocks, key=lambda block: block.start_line or 0):
        if isinstance(block, Entry):
            readable.append((block, []))
        elif isinstance(block, ParsingFailedBlock):
            salvaged = _salvaged(block, strings)
            if salvaged:
                readable.append(salvaged)
                continue
            position += 1
            line = getattr(block, "start_line", None)
            where = f" (line {line + 1})" if isinstance(line, int) else ""
            yield RecordError(
                source_file, position, "BibTeX", f"an entry cannot be read{where}", raw=getattr(block, "raw", "")
            )
    by_key = {entry.key: _fields(entry) for entry, _ in readable}
    for entry, notes in readable:
        position += 1
        fields = by_key[entry.key]
        parent = by_key.get(_text(fields.get("crossref")))
        if parent:
            fields = {**parent, **fields}  # crossref: the entry inherits what it lacks
        try:
            record = to_record(entry, fields, source_file, position)
        except RecordError as error:
            yield error
            continue
        record.notes += notes
        yield record


def write_rejected(raw_records, handle):
    for raw in raw_records:
        handle.write(raw.strip() + "\n\n")
