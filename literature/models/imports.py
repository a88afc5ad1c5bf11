"""Import provenance per article and the imports uploaded in the admin."""

import uuid

from django.conf import settings
from django.db import models

from .visibility import CurationState

# Import provenance ---------------------------------------------------------------------------------


class ArticleSource(models.Model):
    """Where an article was imported from and the values that import wrote, so that a later import
    can tell a field a curator edited (kept) from one still as imported (updated)."""

    article = models.OneToOneField("Article", on_delete=models.CASCADE, related_name="import_source")
    source = models.CharField(max_length=500, help_text="The file (and format) the values came from.")
    imported_values = models.JSONField(default=dict)
    record_digest = models.CharField(
        max_length=64,
        blank=True,
        help_text="SHA-256 of the record as last imported: the same record again is known unchanged at once.",
    )
    imported = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "import source"

    def __str__(self):
        return f"{self.source} ({self.imported:%Y-%m-%d})"


class ImportedRecord(models.Model):
    """Every record an import has read, by the digest of what it says, and the article it went into. The
    same record read again is that article, unchanged, whatever its identifiers, title or year allow
    matching; and two exports describing one article in their own words are each recognised, instead
    of overwriting each other's fields on every pass."""

    digest = models.CharField(primary_key=True, max_length=64)
    article = models.ForeignKey("Article", on_delete=models.CASCADE, related_name="imported_records")

    def __str__(self):
        return f"{self.digest[:12]} -> article {self.article_id}"


class Accession(models.Model):
    """An article's number in a database it was imported from (importers/accessions.py): Web of
    Science's UT, Scopus' EID, an Embase or EBSCO accession number. A record from that database is this
    article, however its text changed since, and whether or not it has a DOI or PMID."""

    article = models.ForeignKey("Article", on_delete=models.CASCADE, related_name="accessions")
    database = models.CharField(max_length=50, help_text="wos, scopus, dimensions, embase, or as the export names it")
    identifier = models.CharField(max_length=100)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["database", "identifier"], name="one_article_per_accession")]
        ordering = ["database", "identifier"]

    def __str__(self):
        return f"{self.database} {self.identifier}"


# Imports uploaded in the admin --------------------------------------------------------------------


class ImportStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    IMPORTED = "imported", "Imported"
    NOT_IMPORTED = "not_imported", "Nothing imported"  # a bad file, or bad records without skip_invalid
    FAILED = "failed", "Failed"  # an unexpected error: the file is kept for another try


def _upload_path(job, filename):
    return f"imports/{uuid.uuid4().hex}/{filename}"


class ImportJob(models.Model):
    """A file a curator uploaded, and what importing it did. Small files import during the upload;
    large ones in the background (literature/tasks.py), reporting progress as they go."""

    upload = models.FileField(
        "file",
        upload_to=_upload_path,
        max_length=300,
        help_text="PubMed/MEDLINE XML (gzipped or not), MEDLINE text (.nbib), RIS, BibTeX or CSL-JSON.",
    )
    original_name = models.CharField(max_length=255, editable=False)
    size = models.PositiveBigIntegerField(default=0, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, editable=False, related_name="+"
    )
    curation_state = models.CharField(
        "curation state of new articles",
        max_length=20,
        choices=[(s.value, s.label) for s in (CurationState.DRAFT, CurationState.IN_REVIEW, CurationState.APPROVED)],
        default=CurationState.IN_REVIEW,
    )
    skip_invalid = models.BooleanField(
        "import the valid records if some are invalid",
        default=False,
        help_text="Otherwise one invalid record means nothing is imported. Rejected records are kept in a file.",
    )
    status = models.CharField(max_length=20, choices=ImportStatus.choices, default=ImportStatus.QUEUED, editable=False)
    in_background = models.BooleanField(default=False, editable=False)
    task_id = models.CharField(max_length=64, blank=True, editable=False)
    record_estimate = models.PositiveIntegerField(null=True, blank=True, editable=False)
    created_count = models.PositiveIntegerField("created", default=0, editable=False)
    updated_count = models.PositiveIntegerField("updated", default=0, editable=False)
    unchanged_count = models.PositiveIntegerField("unchanged", default=0, editable=False)
    rejected_count = models.PositiveIntegerField("rejected", default=0, editable=False)
    errors = models.JSONField(default=list, blank=True, editable=False)
    # Fields left out of records that were imported (a DOI that is not one, ...), each naming its record.
    warnings = models.JSONField(default=list, blank=True, editable=False)
    rejected_file = models.FileField(max_length=300, blank=True, editable=False)
    queued = models.DateTimeField(auto_now_add=True)
    started = models.DateTimeField(null=True, blank=True, editable=False)
    finished = models.DateTimeField(null=True, blank=True, editable=False)
    # "host:pid" of the process running it: a job left running by a process that is gone is marked failed.
    runner = models.CharField(max_length=300, blank=True, editable=False)

    class Meta:
        ordering = ["-queued"]
        verbose_name = "import"

    def __str__(self):
        return f"{self.original_name} ({self.get_status_display()})"

    @property
    def is_pending(self):
        return self.status in {ImportStatus.QUEUED, ImportStatus.RUNNING}


# Imports while they write ----------------------------------------------------------------------------


class ImportBatch(models.Model):
    """One file's import while it writes. Its chunks commit one by one, so other writers wait for a
    chunk, never for the whole file; what each chunk created or changed is noted here in the chunk's own
    transaction, so that a file that fails, or whose process is killed, part-way is undone whole
    (literature/importers/batches.py). The rows go when the file is done or undone."""

    class State(models.TextChoices):
        WRITING = "writing", "Writing"
        UNDOING = "undoing", "Being undone"

    source = models.CharField(max_length=500)
    job = models.ForeignKey(ImportJob, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    state = models.CharField(max_length=10, choices=State.choices, default=State.WRITING)
    runner = models.CharField(max_length=300, help_text="host:pid of the importing process.")
    started = models.DateTimeField(auto_now_add=True)
    # The highest id of each shared table when the batch began: journals, people and keywords above it
    # that no article uses once the batch is undone were made by it.
    ids_before = models.JSONField(default=dict)

    def __str__(self):
        return f"{self.source} ({self.get_state_display()})"


class ImportBatchArticle(models.Model):
    """An article an import batch created, or changed (with what it was before and after the change)."""

    # Looked up through the composite index that begins with this column (a unique one or Meta.indexes):
    # an index of its own would only slow every insert.
    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="articles", db_index=False)
    article_id = models.BigIntegerField()  # not a foreign key: the note outlives nothing, and blocks no delete
    created = models.BooleanField()
    before = models.JSONField(null=True)
    after = models.JSONField(null=True)

    class Meta:
        indexes = [models.Index(fields=["batch", "article_id"])]

    def __str__(self):
        return f"article {self.article_id} {'created' if self.created else 'changed'} by {self.batch}"
