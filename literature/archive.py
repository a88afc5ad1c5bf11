"""Backups that move between databases: the whole record in one portable archive, and back.

The archive is a zip of JSON Lines, one file per model, in Django's own serialization, with a manifest
(format, the schema's migrations, row counts, a digest of the record). It holds everything curators and
readers made and nothing that is rebuilt from it: not the search index, the corpus versions, cached
aggregates, sessions, login-attempt logs or finished background tasks, and of the Fingerprints only
the concepts curators hid (the rest is recomputed). Content types and permissions are made by `migrate`
on the new database, so they are referred to by natural key (their ids differ between databases).

`restore` loads an archive into an empty, migrated database of the same release, on SQLite or
PostgreSQL, in one transaction: it fails whole, naming the file and line, or loads everything, checks
the digest of what it loaded against the manifest's, and then rebuilds what is derived.
"""

import datetime
import hashlib
import io
import json
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.apps import apps
from django.core import serializers
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder

from literature.importers.pipeline import chunks

FORMAT = "literature-portal-archive/1"


class ArchiveEncoder(DjangoJSONEncoder):
    """Times to the microsecond: Django's encoder cuts them to milliseconds, so a restored record would
    not be the archived one (and 12:00:00.000500 would come back as 12:00:00, written differently)."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            text = o.isoformat()
            return text.removesuffix("+00:00") + "Z" if text.endswith("+00:00") else text
        return super().default(o)


BATCH = 2000

# In the order they load (foreign keys are checked at commit, but readers of the archive like order).
# Each: label, rows (a function of the model's default manager) and whether references to content
# types and permissions go by natural key.
SMALL_WITH_NATURAL_KEYS = ["auth.Group", "auth.User"]
RECORD = [
    "literature.SubjectArea",
    "literature.Journal",
    "literature.Person",
    "literature.Keyword",
    "literature.KeywordRedirect",
    "literature.Drug",
    "literature.DrugName",
    "literature.SuppressedDrugName",
    "literature.Article",
    "literature.Article_keywords",
    "literature.Article_subject_areas",
    "literature.Authorship",
    "literature.PublicationState",
    "literature.ArticleDrug",
    "literature.Reference",
    "literature.MeshHeading",
    "literature.PublicationType",
    "literature.ArticleRelation",
    "literature.ArticleRedirect",
    "literature.ArticleSource",
    "literature.ImportedRecord",
    "literature.Accession",
    "literature.DuplicateCandidate",
    "literature.ImportJob",
    "literature.ApiToken",
    "literature.Concept",
    "literature.ArticleConcept",
    "literature.HistoricalJournal",
    "literature.HistoricalPerson",
    "literature.HistoricalKeyword",
    "literature.HistoricalDrug",
    "literature.HistoricalArticle",
    "literature.HistoricalArticle_keywords",
    "literature.HistoricalArticle_subject_areas",
    "literature.HistoricalAuthorship",
    "literature.HistoricalArticleDrug",
    "literature.HistoricalSuppressedDrugName",
]
WITH_NATURAL_KEYS = ["admin.LogEntry"]
# Rows made by migrations on a new database, replaced by the archive's own.
SEEDED_BY_MIGRATIONS = ["literature.SubjectArea", "auth.Group"]


def archived_models():
    return [apps.get_model(label) for label in SMALL_WITH_NATURAL_KEYS + RECORD + WITH_NATURAL_KEYS]


def unarchived_tables():
    """Tables of the record's apps that the archive leaves out: each must be derived data (a test keeps it so)."""
    archived = {model._meta.db_table for model in archived_models()}
    return sorted(
        model._meta.label
        for model in apps.get_models(include_auto_created=True)
        if not model._meta.proxy and model._meta.managed and model._meta.db_table not in archived
    )


def rows_of(model):
    """What the archive holds of `model`, in a stable order."""
    rows = model._default_manager.order_by("pk")
    if model._meta.label == "literature.ArticleConcept":
        rows = rows.filter(hidden=True)  # a curator's decision; the weights are recomputed
    return rows


def natural_keys(model):
    return model._meta.label in SMALL_WITH_NATURAL_KEYS + WITH_NATURAL_KEYS


def entry_name(model):
    return f"{model._meta.label}.jsonl"


def applied_migrations():
    recorder = MigrationRecorder(connection)
    return sorted(f"{app}.{name}" for app, name in recorder.applied_migrations())


@dataclass
class ArchiveReport:
    counts: dict = field(default_factory=dict)
    digest: str = ""

    def __str__(self):
        total = sum(self.counts.values())
        return f"{total:,} rows of {len([n for n in self.counts.values() if n])} kinds, digest {self.digest[:16]}"


def _lines(model):
    """The model's rows as JSON lines, with what the digest is made of."""
    fields = None
    if not natural_keys(model):
        # Many-to-many relations travel as their own through tables (one query per row otherwise).
        fields = [f.name for f in model._meta.concrete_fields if not f.primary_key]
    for chunk in chunks(rows_of(model).iterator(chunk_size=BATCH), BATCH):
        text = serializers.serialize(
            "jsonl",
            chunk,
            fields=fields,
            use_natural_foreign_keys=natural_keys(model),
            cls=ArchiveEncoder,
        )
        yield from text.splitlines()


def _canonical(line):
    return json.dumps(json.loads(line), sort_keys=True, ensure_ascii=False)


def record_digests():
    """{model label: digest of its archived rows} as this database holds them, and the digest of all:
    equal on any database the record was restored to."""
    digest, per_model = hashlib.sha256(), {}
    for model in archived_models():
        digest.update(f"\n#{model._meta.label}\n".encode())
        rows = hashlib.sha256()
        for line in _lines(model):
            canonical = _canonical(line).encode() + b"\n"
            digest.update(canonical)
            rows.update(canonical)
        per_model[model._meta.label] = rows.hexdigest()
    return digest.hexdigest(), per_model


def record_digest():
    return record_digests()[0]


@contextmanager
def read_at_one_moment():
    """A transaction in which every table is read as of one moment: on PostgreSQL a read-only repeatable
    read (when it begins the transaction); SQLite's transactions are so anyway."""
    consistent = connection.vendor == "postgresql" and not connection.in_atomic_block
    with transaction.atomic():
        if consistent:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        yield


def write_archive(path):
    """Write the whole record to the zip at `path`, read in one transaction (a consistent snapshot)."""
    report, digest = ArchiveReport(), hashlib.sha256()
    with read_at_one_moment(), zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        # An import commits by the chunk: a snapshot taken while one writes would hold part of a file.
        writing = apps.get_model("literature.ImportBatch").objects.values_list("source", flat=True).first()
        if writing is not None:
            raise ArchiveError(f"an import is writing ({writing}): back up when it has finished")
        per_model = {}
        for model in archived_models():
            digest.update(f"\n#{model._meta.label}\n".encode())
            count, rows = 0, hashlib.sha256()
            with archive.open(entry_name(model), "w", force_zip64=True) as raw, io.TextIOWrapper(raw, "utf-8") as out:
                for line in _lines(model):
                    out.write(line + "\n")
                    canonical = _canonical(line).encode() + b"\n"
                    digest.update(canonical)
                    rows.update(canonical)
                    count += 1
            report.counts[model._meta.label] = count
            per_model[model._meta.label] = rows.hexdigest()
        report.digest = digest.hexdigest()
        manifest = {
            "format": FORMAT,
            "database": connection.vendor,
            "migrations": applied_migrations(),
            "counts": report.counts,
            "digest": report.digest,
            "digests": per_model,
        }
        archive.writestr("manifest.json", json.dumps(manifest, indent=1))
    return report


class ArchiveError(Exception):
    pass


def read_manifest(path):
    try:
        with zipfile.ZipFile(path) as archive:
            manifest = json.loads(archive.read("manifest.json"))
    except (OSError, zipfile.BadZipFile, KeyError, ValueError) as error:
        raise ArchiveError(f"{path}: not an archive written by `manage.py backup` ({error})") from None
    if manifest.get("format") != FORMAT:
        raise ArchiveError(f"{path}: manifest.json: format {manifest.get('format')!r}, expected {FORMAT!r}")
    return manifest


def restore_archive(path, progress=None):
    """Load the archive at `path` into this (empty, migrated) database; returns an ArchiveReport."""
    manifest = read_manifest(path)
    missing = sorted(set(manifest["migrations"]) - set(applied_migrations()))
    extra = sorted(set(applied_migrations()) - set(manifest["migrations"]))
    if missing or extra:
        raise ArchiveError(
            f"{path}: the archive is of another release of the schema "
            f"({len(missing)} migration(s) it has that this database lacks, e.g. {missing[:3]}; "
            f"{len(extra)} this database has that it lacks, e.g. {extra[:3]}). Restore with the release that "
            "wrote it (`migrate` to the same migrations), then upgrade."
        )
    Article, User = apps.get_model("literature.Article"), apps.get_model("auth.User")
    if Article.objects.exists() or User.objects.exists():
        raise ArchiveError(
            f"restore needs an empty database: this one has {Article.objects.count():,} articles and "
            f"{User.objects.count():,} users. Create a new database, `migrate` it, and restore into that."
        )
    report = ArchiveReport()
    with transaction.atomic(), zipfile.ZipFile(path) as archive, _timestamps_as_stored():
        _remove_seeded_rows()
        for model in archived_models():
            report.counts[model._meta.label] = _load(archive, model, path)
            if progress:
                progress(model._meta.label, report.counts[model._meta.label])
        reset_sequences(archived_models())
        report.digest, per_model = record_digests()
        if report.digest != manifest["digest"]:
            differing = [label for label, digest in per_model.items() if manifest["digests"].get(label) != digest]
            raise ArchiveError(
                f"{path}: what was loaded differs from what was archived (digest {report.digest[:16]}, "
                f"manifest {manifest['digest'][:16]}; in {', '.join(differing)}): nothing was restored"
            )
        _rebuild_derived()
    from literature.mining.fingerprint import compute_fingerprints

    compute_fingerprints()  # the weights; hidden concepts stay hidden
    return report


def _load(archive, model, path):
    name, count, pending = entry_name(model), 0, []
    try:
        handle = io.TextIOWrapper(archive.open(name), "utf-8")
    except KeyError:
        raise ArchiveError(f"{path}: {name} is missing from the archive") from None
    with handle:
        for number, line in enumerate(handle, start=1):
            try:
                (item,) = serializers.deserialize("jsonl", line, handle_forward_references=False)
            except Exception as error:
                raise ArchiveError(f"{path}: {name}, line {number}: {error}") from None
            if natural_keys(model):
                item.save()  # few rows, with many-to-many relations (groups, permissions)
            else:
                pending.append(item.object)
                if len(pending) == BATCH:
                    model._default_manager.bulk_create(pending)
                    pending = []
            count += 1
    if pending:
        model._default_manager.bulk_create(pending)
    return count


def _remove_seeded_rows():
    # In SQL: the subject areas' parent links are protected from the ORM's deletes, and every row goes.
    with connection.cursor() as cursor:
        for label in SEEDED_BY_MIGRATIONS:
            model = apps.get_model(label)
            for m2m in model._meta.many_to_many:
                cursor.execute(f"DELETE FROM {connection.ops.quote_name(m2m.remote_field.through._meta.db_table)}")
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")


@contextmanager
def _timestamps_as_stored():
    """bulk_create stamps auto_now fields with the time of the insert: the archive's times are kept instead."""
    stamped = [
        f for model in archived_models() for f in model._meta.concrete_fields if getattr(f, "auto_now", False)
    ] + [f for model in archived_models() for f in model._meta.concrete_fields if getattr(f, "auto_now_add", False)]
    saved = [(f, f.auto_now, f.auto_now_add) for f in stamped]
    for f in stamped:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def reset_sequences(models):
    """Rows came with their ids: the next id a sequence gives must come after them (PostgreSQL)."""
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def _rebuild_derived():
    from literature.derived import refresh_derived

    Article = apps.get_model("literature.Article")
    ids = list(Article.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), 5000):
        refresh_derived(ids[start : start + 5000], index=True, mining=False)
