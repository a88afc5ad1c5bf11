"""Running an import: a file's format detected from its content, its records read as a stream and
loaded by the chunk (prepare.py, match.py, resolve.py, write.py), and the report of what happened.

A file is all or nothing for the curator (by default one bad record means nothing is imported), but
not one long transaction: that would keep every other writer waiting for the whole file (on SQLite,
any write). So it is written chunk by chunk, each chunk committed with a note of what it did
(batches.py); the first bad record (one that cannot be an article, or fails on writing), an error,
or a killed process undoes the chunks already committed. After a bad record the rest of the file is
still read and prepared, without writing, so that the report names every bad record at once.

Reading ahead once, to find bad records before any write, cost a second parse of every file (a
third of an import's time) to spare the rare bad file a few chunks written and undone.
"""

import gc
import re
import time
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field

from django.db import IntegrityError, connection, transaction

from literature.derived import collecting
from literature.importers import batches, bibtex, csljson, medline, pubmed, ris
from literature.importers.match import match_existing, match_keys
from literature.importers.pipeline import chunks, chunks_from_another_process, worth_a_process
from literature.importers.prepare import Prepared
from literature.importers.record import ENCODING_NAMES, UTF16_BOMS, RecordError, text_encoding
from literature.importers.resolve import Lookups
from literature.importers.write import create_articles, plan_new, write_one
from literature.models import ArticleSource, CurationState, ImportedRecord

CHUNK_SIZE = 500
# Source precedence, by format: NLM's own record (PubMed XML, MEDLINE text) over a bibliographic
# database's export (RIS from Scopus, Web of Science, Ovid, EBSCO; CSL-JSON from Crossref or a
# publisher) over a reference manager's file (BibTeX). An imported field is changed only by a source
# of the same rank or higher (write.update_article); an empty one by any.
SOURCE_RANKS = {pubmed: 3, medline: 3, ris: 2, csljson: 2, bibtex: 1}
SQLITE_PAUSE_SECONDS = 0.15
SQLITE_PAUSE_EVERY_SECONDS = 2.0


@dataclass
class FileReport:
    path: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)  # fields left out of records that were kept
    imported: bool = True
    rejected_path: str = ""

    encoding: str = "UTF-8"

    def __str__(self):
        outcome = "" if self.imported else " (nothing imported: fix the records below or use --skip-invalid)"
        read_as = "" if self.encoding == "UTF-8" else f" (read as {self.encoding})"
        warnings = f", {len(self.warnings)} warning{'s' if len(self.warnings) != 1 else ''}" if self.warnings else ""
        return (
            f"{self.path}{read_as}: {self.created} created, {self.updated} updated, {self.unchanged} unchanged, "
            f"{self.rejected} rejected{warnings}{outcome}"
        )

    def count(self, outcome, number=1):
        setattr(self, outcome, getattr(self, outcome) + number)


BIBTEX_ENTRY = re.compile(r"^\s*@[A-Za-z]+\s*[{(]", re.MULTILINE)
MEDLINE_START = re.compile(r"^PMID- ?\d", re.MULTILINE)
# Tags only MEDLINE writes (RIS shares the two-letter ones): a file of them without a TY is MEDLINE.
MEDLINE_ONLY_TAG = re.compile(
    r"^(?:FAU |AID |OWN |STAT|LID |PHST|EDAT|MHDA|CRDT|DCOM|JID |PT  |SO  |JT  |TA  )- ", re.MULTILINE
)
RIS_START = re.compile(r"^TY {1,3}-", re.MULTILINE)
RIS_TAG = re.compile(r"^[A-Z][A-Z0-9]  -", re.MULTILINE)


def head_text(head):
    """The first bytes of a file as text, in the encoding text_encoding() would find for the whole."""
    if head.startswith(UTF16_BOMS):
        text = head[: len(head) // 2 * 2].decode("utf-16", errors="replace")
    else:
        try:
            text = head.decode("utf-8")
        except UnicodeDecodeError as error:
            # A character cut by the end of the head is still UTF-8; anything else is an 8-bit encoding.
            cut = error.start >= len(head) - 3
            text = head[: error.start].decode("utf-8") if cut else head.decode("cp1252", errors="replace")
    return text.lstrip("\ufeff \t\r\n")


def detect_format(path, name=None):
    """The parser module for a file, from its content (never its name); `name` is how errors call it."""
    name = name or str(path)
    with pubmed.open_source(path) as handle:
        head = handle.read(4096)
    if not head.strip():
        raise RecordError(name, 0, "file", "the file is empty")
    text = head_text(head)
    if text.startswith("<") and any(tag in text for tag in ("PubmedArticle", "MedlineCitation", "PubmedBookArticle")):
        return pubmed
    if "\x00" in text or text.count("\ufffd") > 8:
        raise RecordError(name, 0, "file", "this is not a text file (binary content)")
    if text[:1] in "[{" and re.search(r'"(title|type|author|issued)"\s*:', text):
        return csljson
    if MEDLINE_START.search(text) or (MEDLINE_ONLY_TAG.search(text) and not RIS_START.search(text)):
        return medline
    if BIBTEX_ENTRY.search(text):
        return bibtex
    if RIS_TAG.search(text):
        return ris
    raise RecordError(
        name,
        0,
        "file",
        "the format was not recognised: PubMed/MEDLINE XML (gzipped or not), MEDLINE text (.nbib), RIS, "
        "BibTeX and CSL-JSON are imported",
    )


class FileImport:
    """Loads the records of one file chunk by chunk into a FileReport: each chunk prepared, matched in
    a few queries, its new records created together, the rest (records of existing articles, and
    records that are the same article as an earlier one of the chunk) merged one by one."""

    def __init__(self, report, curation_state, batch=None):
        self.report = report
        self.curation_state = curation_state
        self.lookups = Lookups()
        self.batch = batch  # where what is written is noted, to be undone if the file fails

    def load(self, chunk):
        prepared = []
        for item in chunk:
            if isinstance(item, RecordError):
                self.reject(item)
                continue
            prepared.append(item)
            self.report.warnings.extend(item.warnings)
        # Records read before, exactly as they are now: those articles, unchanged (ImportedRecord).
        seen = set(
            ImportedRecord.objects.filter(digest__in=[item.digest for item in prepared]).values_list(
                "digest", flat=True
            )
        )
        # And a record the same as an earlier one of this chunk is that one (duplicates within a file).
        unique = []
        for item in prepared:
            if item.digest in seen:
                self.report.count("unchanged")
            else:
                seen.add(item.digest)
                unique.append(item)
        prepared = unique
        matches = match_existing(prepared)
        digests = dict(
            ArticleSource.objects.filter(article_id__in=set(matches.values())).values_list(
                "article_id", "record_digest"
            )
        )
        new, one_by_one, claimed = [], [], set()
        for index, item in enumerate(prepared):
            if index in matches:
                if digests.get(matches[index]) == item.digest:
                    self.report.count("unchanged")  # imported before, exactly as it is now
                else:
                    one_by_one.append(item)
                continue
            keys = match_keys(item)
            if keys & claimed:  # the same article as an earlier record of this chunk
                one_by_one.append(item)
                continue
            claimed |= keys
            new.append(item)
        # The journals of the records merged one by one, looked up for the chunk in two queries.
        self.lookups.look_up_journals([item.record for item in one_by_one])
        with collecting():
            self.create(new)
            for item in one_by_one:
                self.write_one(item)

    def create(self, items):
        plans = plan_new(items, self.curation_state, self.lookups, self.reject)
        if not plans:
            return
        try:
            with transaction.atomic():
                ids = create_articles(plans, self.lookups)
                if self.batch:
                    batches.note_created(self.batch, ids)
        except IntegrityError:
            # A clash the matching could not foresee: one by one, the culprit is named and the rest loads.
            self.lookups = Lookups()
            for plan in plans:
                self.write_one(plan.prepared)
            return
        self.report.count("created", len(plans))

    def write_one(self, item):
        record = item.record
        try:
            with transaction.atomic():
                outcome = write_one(item, self.curation_state, self.lookups, self.batch)
        except (IntegrityError, RecordError) as error:
            self.lookups = Lookups()  # rows found or made for this record went with its savepoint
            if isinstance(error, RecordError):
                self.reject(error, record)
                return
            message = (
                f"clashes with another article ({error}): its DOI, PMID and PMCID belong to different articles here"
            )
            error = RecordError(record.source_file, record.position, "identifiers", message, record.identifier)
            self.reject(error, record)
            return
        self.report.count(outcome)

    def reject(self, error, record=None):
        if record is not None:
            error.raw = record.raw
        self.report.errors.append(error)


def estimate_records(path):
    """About how many records a file holds, from a quick count of each format's record marker (for
    a progress bar: a marker inside an abstract miscounts, nothing else relies on it)."""
    try:
        marker = detect_format(path).RECORD_MARKER
    except RecordError:
        return None
    count, tail = 0, b""
    with pubmed.open_source(path) as handle:
        while block := handle.read(2**20):
            data = tail + block
            count += len(marker.findall(data))
            tail = data[-64:]
            count -= len(marker.findall(tail))  # counted with the next block, or after the last
    return count + len(marker.findall(tail))


# Python's cycle collector runs after every 700 allocations not yet freed, and a full pass over every
# object the process holds (the vocabularies' matchers, a hundred thousand names) after a hundred of
# those. An import allocates millions of objects, nearly all freed by reference counting as soon as a
# chunk is written: the full passes took 15% of an import's time (6 of 42 s for 30,000 records). At
# these thresholds the collector still runs, every 50,000 allocations, and fully a few times a file.
IMPORT_GC_THRESHOLDS = (50_000, 20, 20)


@contextmanager
def fewer_garbage_collections():
    """The cycle collector at IMPORT_GC_THRESHOLDS for the block (and the reader process forked in it),
    then as it was. Never lower than it was: thresholds a process set higher still stand."""
    before = gc.get_threshold()
    gc.set_threshold(*(max(mine, theirs) for mine, theirs in zip(IMPORT_GC_THRESHOLDS, before, strict=True)))
    try:
        yield
    finally:
        gc.set_threshold(*before)


@fewer_garbage_collections()
def import_file(
    path,
    curation_state=CurationState.IN_REVIEW,
    skip_invalid=False,
    rejected_path=None,
    progress=None,
    name=None,
    dry_run=False,
    job=None,
):
    """Import every record of one file, all or nothing unless skip_invalid; returns a FileReport.
    Reports and the articles' provenance call the file `name` (an upload's own name), by default its
    path. With dry_run, everything is done and reported as it would be, then undone: nothing is written
    (in one transaction, rolled back). `job` is the upload being imported, if any."""
    name = name or str(path)
    report = FileReport(path=name)
    try:
        reader = detect_format(path, name)
        if reader is not pubmed:  # XML says its own encoding
            report.encoding = ENCODING_NAMES[text_encoding(path)]
        if dry_run:
            with transaction.atomic():
                _load(FileImport(report, curation_state), reader, path, name, progress)
                transaction.set_rollback(True)  # the report stands; the writes go (and their on-commit work)
            if report.errors and not skip_invalid:
                return _not_imported(report)
        else:
            _write_in_chunks(report, curation_state, reader, path, name, progress, skip_invalid, job)
            if not report.imported:
                return report
    except RecordError as error:
        report.errors = [error]
        return _not_imported(report)
    if rejected_path and report.errors and not dry_run:
        with open(rejected_path, "w", encoding="utf-8") as handle:
            reader.write_rejected([error.raw for error in report.errors if error.raw], handle)
        report.rejected_path = str(rejected_path)
    return report


def prepared_records(reader, path, name):
    """Each record of the file prepared (prepare.Prepared), or the RecordError that refuses it, in file
    order; the rank of the file's format goes with each (SOURCE_RANKS)."""
    rank = SOURCE_RANKS[reader]
    for record in reader.parse(path, name):
        if isinstance(record, RecordError):
            yield record
            continue
        try:
            yield Prepared(record, rank)
        except RecordError as error:
            error.raw = record.raw
            yield error


def read_chunks(reader, path, name):
    """The file's prepared records CHUNK_SIZE at a time, parsed and prepared by a second process when
    the file is large enough for that to pay (pipeline.py)."""
    if worth_a_process(path):
        return chunks_from_another_process(lambda: prepared_records(reader, path, name), CHUNK_SIZE, path)
    return chunks(prepared_records(reader, path, name), CHUNK_SIZE)


def _load(loader, reader, path, name, progress, commit_each=False, stop_at_error=False):
    """Every chunk of the file through `loader`: each in a transaction of its own with commit_each.
    With stop_at_error, nothing more is written after the chunk where the first error came; the rest
    is only read, for the errors of its records."""
    report = loader.report
    writing, paused_at = True, time.monotonic()
    for chunk in read_chunks(reader, path, name):
        if writing:
            with transaction.atomic() if commit_each else nullcontext():
                loader.load(chunk)
            if commit_each:
                paused_at = _let_others_write(paused_at)
            writing = not (stop_at_error and report.errors)
        else:
            report.errors.extend(item for item in chunk if isinstance(item, RecordError))
        if progress:
            progress(len(chunk))
    report.errors.sort(key=lambda error: error.position)
    report.warnings.sort(key=lambda warning: warning.position)
    report.rejected = len(report.errors)


def _let_others_write(paused_at):
    """On SQLite a writer waiting for the lock retries every 100 ms at most (its busy handler); an
    import that began its next chunk at once after a commit could keep one waiting for ever. Pausing a
    little longer than that, between two chunks, lets every waiting writer in: once per two seconds of
    writing (a pause after every chunk was a sixth of an import's time), so a writer waits about that
    long at most. Returns when the import last paused."""
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        return paused_at
    if time.monotonic() - paused_at < SQLITE_PAUSE_EVERY_SECONDS:
        return paused_at
    time.sleep(SQLITE_PAUSE_SECONDS)
    return time.monotonic()


def _write_in_chunks(report, curation_state, reader, path, name, progress, skip_invalid, job):
    """Load the file a committed chunk at a time; undo them all if a record is refused (unless
    skip_invalid) or anything else goes wrong."""
    batch = batches.begin(name, job)
    loader = FileImport(report, curation_state, batch)
    try:
        # Without skip_invalid, the first record refused ends the writing.
        _load(loader, reader, path, name, progress, commit_each=True, stop_at_error=not skip_invalid)
    except BaseException:
        batches.undo(batch)
        raise
    if report.errors and not skip_invalid:
        batches.undo(batch)
        _not_imported(report)
        return
    batches.finish(batch)


def _not_imported(report):
    report.rejected = len(report.errors)
    report.created = report.updated = report.unchanged = 0
    report.imported = False
    return report
