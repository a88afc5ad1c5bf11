"""The plain record every parser yields, whatever the format, and the error it raises for a record
it cannot read: both name the file and the record, so a curator can find the problem."""

import codecs
import os
import re
from dataclasses import dataclass, field
from functools import lru_cache

from literature.models import OutputCategory, OutputType


@dataclass
class RecordAuthor:
    family: str = ""
    given: str = ""
    collective: str = ""
    affiliation: str = ""
    orcid: str = ""


@dataclass
class PartialDateParts:
    year: int | None = None
    month: int | None = None
    day: int | None = None
    # A range or a season as the source writes it ("2019 Sep-Oct", "1999 Spring", "2011-2012"); then
    # year and month are its start.
    as_given: str = ""


@dataclass
class Record:
    # Where the record sits is kept out of its repr, which stands for its content (merge.record_digest).
    source_file: str = field(repr=False)
    position: int = field(repr=False)  # 1-based number of the record in its file
    title: str = ""
    abstract: str = ""
    authors: list = field(default_factory=list)
    journal_title: str = ""
    journal_abbreviation: str = ""
    issn_print: str = ""
    issn_electronic: str = ""
    publisher: str = ""
    volume: str = ""
    issue: str = ""
    first_page: int | None = None
    last_page: int | None = None
    article_number: str = ""
    published: PartialDateParts = field(default_factory=PartialDateParts)
    epublished: PartialDateParts = field(default_factory=PartialDateParts)
    language: str = ""
    category: str = OutputCategory.CONTRIBUTION_TO_JOURNAL
    output_type: str = OutputType.ARTICLE
    doi: str = ""
    pmid: int | None = None
    pmcid: str = ""
    # [(database, identifier)]: the record's number in the database it was exported from (accessions.py)
    accessions: list = field(default_factory=list)
    raw: str = field(default="", repr=False)  # the record as in the file, written back untouched if rejected
    keywords: list = field(default_factory=list)  # [(name, mesh_id)]: the authors' keywords
    # [(descriptor, descriptor ui, major topic, [(qualifier, qualifier ui, major topic)])]: NLM's indexing
    mesh_headings: list = field(default_factory=list)
    publication_types: list = field(default_factory=list)  # [(name, ui)], as PubMed names them
    chemicals: list = field(default_factory=list)  # [(name, mesh_id)]
    references: list = field(default_factory=list)  # [(citation, pmid, doi, pmcid)]: the works it cites
    relations: list = field(default_factory=list)  # [(RefType, citation, pmid)]: errata, retractions, comments
    # (field, message) of what the parser read leniently: warnings of the import, not part of the record.
    notes: list = field(default_factory=list, repr=False, compare=False)

    @property
    def identifier(self):
        return f"PMID {self.pmid}" if self.pmid else (f"DOI {self.doi}" if self.doi else "")

    @property
    def label(self):
        """How the report names this record: its position and the best identifier it has."""
        return f"record {self.position}" + (f" ({self.identifier})" if self.identifier else "")


class RecordError(ValueError):
    """A record (or a whole file) that cannot be imported, and why."""

    def __init__(self, source_file, position, field_name, message, identifier="", raw=""):
        self.raw = raw
        self.source_file = source_file
        self.position = position
        self.field_name = field_name
        self.message = message
        self.identifier = identifier
        where = f"record {position}" if position else "the file"
        ident = f" ({identifier})" if identifier else ""
        super().__init__(f"{source_file}, {where}{ident}, {field_name}: {message}")

    def __reduce__(self):
        # Crosses from the reading process (pipeline.py) with every attribute, not just the message.
        fields = (self.source_file, self.position, self.field_name, self.message, self.identifier, self.raw)
        return RecordError, fields


PAGE_RANGE = re.compile(r"^\s*(\d+)\s*(?:[-–—]\s*(\d+))?\s*$")


PAGE_PLACEHOLDER_WORDS = {"n.pag", "n.pag.", "npag", "na", "n/a", "no", "specified", "not", "unspecified", "pp", ""}


# Front matter numbered in roman numerals ("xix"), which no page or article number field can hold.
ROMAN_PAGE = re.compile(r"(?i)^[ivxlcdm]+$")


def parse_pages(text, notes=None):
    """'740-753' -> (740, 753, ''); '740-53' -> (740, 753, ''); 'e0131544' -> (None, None, 'e0131544').
    Abbreviated last pages take the first page's leading digits, as MEDLINE writes them. The rule for
    the rest: placeholders ('N.PAG', 'NA', 'No-Specified') are nothing; a number with a leading zero
    ('026002') is an article number, kept as written (pages do not start at 0); '997-+' (continued
    elsewhere) is a first page; an end without a start ('-423') is nothing (no page is invented); of a
    list ('2-xix, 225') the first part counts, and a part in roman numerals (front matter) is nothing.
    What is left out though it was not a placeholder is noted in `notes` as (field, message)."""
    given = (text or "").strip()
    text = given.split(",")[0].strip()
    if all(word.strip(" .") in PAGE_PLACEHOLDER_WORDS for word in re.split(r"[-–—\s]+", text.lower())):
        return None, None, ""
    if any(ROMAN_PAGE.match(part.strip()) for part in re.split(r"[-–—]", text)):
        if notes is not None:
            notes.append(("pages", f"pages {given!r} are numbered in roman numerals: left out"))
        return None, None, ""
    if re.fullmatch(r"\d+\s*[-–—]\s*\+", text):
        return int(re.match(r"\d+", text).group(0)), None, ""
    if re.match(r"^[-–—]", text):
        if notes is not None:
            notes.append(("pages", f"pages {given!r} have an end but no start: left out"))
        return None, None, ""
    if re.match(r"0\d", text):
        return None, None, text
    match = PAGE_RANGE.match(text)
    if not match:
        return None, None, text
    first, last = match.group(1), match.group(2)
    if last is None:
        return int(first), None, ""
    if len(last) < len(first):
        last = first[: len(first) - len(last)] + last
    first_number, last_number = int(first), int(last)
    if last_number < first_number:
        return None, None, text
    return first_number, last_number, ""


# A name written whole in one field ("Catarina Barata", "C. Barata", "Barata CA", "朱 宏", "WHO Study
# Group"): a person when it is two to four words of a name, the family name the last word with the
# particles before it (Vancouver style, the words before the initials; Chinese, Japanese and Korean, the
# first word); a group when a word says so; else kept whole as a family name, as before.
NAME_PARTICLES = {"van", "von", "de", "der", "den", "del", "della", "da", "das", "do", "dos", "du", "di", "la", "le"}
NAME_PARTICLES |= {"ten", "ter", "bin", "ibn", "al", "el", "y"}
GROUP_WORDS = re.compile(
    r"(?i)\b(?:group|groups|study|studies|network|consortium|committee|society|organi[sz]ation|association|"
    r"investigators|collaborat\w*|team|trial|trialists|institute|university|center|centre|council|board|"
    r"foundation|agency|working|panel|project|program|programme|department|hospital|registry|force|and|for|of|the)\b"
)
INITIALS = re.compile(r"^(?:[A-Z]\.?-?){1,3}$")
NAME_WORD = re.compile(r"^(?:[A-Z][\w'’.-]*|[A-Z]\.)$")
CJK_WORD = re.compile(r"^[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]+$")


def name_in_one_field(text):
    """The RecordAuthor a name written whole stands for (see NAME_PARTICLES), None for an empty one."""
    text = " ".join((text or "").split())
    words = text.split(" ")
    if not text:
        return None
    if len(words) == 1:
        return RecordAuthor(family=text)
    if GROUP_WORDS.search(text) or len(words) > 4 or re.search(r"\d", text):
        return RecordAuthor(collective=text)
    if len(words) >= 2 and INITIALS.match(words[-1]) and not INITIALS.match(words[0]):
        return RecordAuthor(family=" ".join(words[:-1]), given=words[-1])  # Vancouver: "Barata CA"
    if all(CJK_WORD.match(word) for word in words):  # "朱 宏": the family name first
        return RecordAuthor(family=words[0], given=" ".join(words[1:]))
    if not all(NAME_WORD.match(word) or word.lower() in NAME_PARTICLES for word in words):
        return RecordAuthor(family=text)  # neither clearly a person's parts nor a group: kept whole
    start = len(words) - 1
    while start > 0 and words[start - 1].lower() in NAME_PARTICLES:
        start -= 1
    return RecordAuthor(family=" ".join(words[start:]), given=" ".join(words[:start]))


MONTHS = {name: number for number, name in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1
)}  # fmt: skip


def parse_month(text):
    text = (text or "").strip().lower()
    if text.isdecimal():
        value = int(text)
        return value if 1 <= value <= 12 else None
    return MONTHS.get(text[:3])


SEASONS = r"(?:spring|summer|autumn|fall|winter)"
MONTH_NAME = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
# A date that is a stretch of time: a season, a range of months or of years (MEDLINE's MedlineDate and
# DP, RIS's DA): "2019 Sep-Oct", "1999 Spring", "2011-2012", "2000 Dec-2001 Jan", "1998 Winter-Spring".
DATE_STRETCH = re.compile(
    rf"^\d{{4}}\s*(?:{SEASONS}(?:\s*-\s*{SEASONS})?|{MONTH_NAME}\s*-\s*(?:\d{{4}}\s*)?{MONTH_NAME}|-\s*\d{{4}})$",
    re.IGNORECASE,
)


def parse_loose_date(text):
    """MEDLINE and RIS dates of any shape, keeping only the precision they have: '2012 Oct-Dec' ->
    2012-10 (and the range as given); '2011-2012' -> 2011 (as given too); '1999 Spring' -> 1999 (as
    given); '2012/03/09' -> 2012-03-09; never a made-up day."""
    text = " ".join((text or "").split())
    stretch = text if DATE_STRETCH.match(text) else ""
    parts = re.split(r"[\s/\-.]+", text)
    if not parts or not parts[0].isdecimal():
        return PartialDateParts()
    if len(parts[0]) == 8:  # 20120309
        parts = [parts[0][:4], parts[0][4:6], parts[0][6:]]
    elif len(parts[0]) != 4:
        # Not a year as records write one ('0', '99999'): given as it is, so that the check of the
        # record's dates names it in a warning rather than the date vanishing without a word.
        return PartialDateParts(int(parts[0]))
    year = int(parts[0])
    month = parse_month(parts[1]) if len(parts) > 1 and parts[1] else None
    day = None
    if month and len(parts) > 2 and parts[2].isdecimal() and len(parts[2]) != 4:
        day = int(parts[2]) if 1 <= int(parts[2]) <= 31 else None
    return PartialDateParts(year, month, day, stretch[:40])


# What exports come in: UTF-8 (most), UTF-16 with a byte-order mark (EndNote and Windows tools),
# Windows-1252 or Latin-1 (older reference managers and library systems).
ENCODING_NAMES = {"utf-8-sig": "UTF-8", "utf-16": "UTF-16", "cp1252": "Windows-1252", "latin-1": "Latin-1"}
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def text_encoding(path):
    """The encoding a text file is read in (see _text_encoding); found once per version of the file,
    as the report and the parser both ask and finding it reads the whole file."""
    stat = os.stat(path)
    return _text_encoding(os.fspath(path), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=64)
def _text_encoding(path, mtime_ns, size):
    """The encoding a text file is read in: its byte-order mark's; UTF-8 if every byte is valid UTF-8;
    else Windows-1252 (Latin-1 and its curly quotes and dashes), or Latin-1 for the five bytes
    Windows-1252 leaves undefined."""
    with open(path, "rb") as handle:
        head = handle.read(4)
        if head.startswith(UTF16_BOMS):
            return "utf-16"
        handle.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")()
        try:
            while block := handle.read(2**20):
                decoder.decode(block)
            decoder.decode(b"", final=True)
            return "utf-8-sig"
        except UnicodeDecodeError:
            pass
        handle.seek(0)
        try:
            while block := handle.read(2**20):
                block.decode("cp1252")
            return "cp1252"
        except UnicodeDecodeError:
            return "latin-1"


def read_text(path, source_file):
    """The whole file as text, in the encoding text_encoding() finds (a byte-order mark dropped)."""
    encoding = text_encoding(path)
    try:
        with open(path, encoding=encoding, newline="") as handle:
            return handle.read()
    except UnicodeDecodeError as error:  # a UTF-16 file cut in the middle of a character, say
        reason = f"the file is not {ENCODING_NAMES[encoding]} text ({error.reason} at byte {error.start})"
        raise RecordError(source_file, 0, "encoding", reason) from None


def issn_from(text):
    """'08923973', '0892-3973' or 'ISSN 0892-3973' -> '0892-3973'; anything else (an ISBN) -> ''."""
    digits = re.sub(r"[^0-9Xx]", "", text or "")
    return f"{digits[:4]}-{digits[4:]}".upper() if len(digits) == 8 else ""
