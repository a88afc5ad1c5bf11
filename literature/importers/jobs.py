"""Running an uploaded file's import: at once for a small file, as a background task for a large
one, with its progress readable from any process while it runs.

Files go through Django's storage API (STORAGES["default"]): on a local disk they are read in place,
on an object store the worker copies the upload to a temporary file first, so web servers and the
worker need not share a filesystem. Progress goes to the "import-progress" cache (the shared Redis in
production, small local files otherwise), not to the database: a progress row written every few
seconds would be one more writer for the curators' saves to wait on (on SQLite, any write waits).
"""

import contextlib
import logging
import shutil
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.core.files import File
from django.core.files.storage import FileSystemStorage
from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils import timezone

from literature.importers import batches
from literature.importers.run import estimate_records, import_file
from literature.models import ImportJob, ImportStatus

logger = logging.getLogger(__name__)
KEPT_ERRORS = 500  # a file of 30,000 bad records does not need 30,000 lines on the page
PROGRESS_SECONDS = 7 * 24 * 3600  # long enough for any import; gone by itself if a worker dies


def start_import(job):
    """Import `job` now if its file is small, else queue it for the worker (`manage.py db_worker`)."""
    if job.size <= settings.IMPORT_INLINE_MAX_BYTES:
        run_import(job)
        return
    from literature.importers.tasks import import_upload  # the task module imports this one

    job.in_background = True
    job.save(update_fields=["in_background"])
    result = import_upload.enqueue(job.pk)
    ImportJob.objects.filter(pk=job.pk).update(task_id=str(result.id))


def run_import(job):
    batches.undo_abandoned()  # an import killed before this one is undone first
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.RUNNING, started=timezone.now(), runner=batches.this_runner()
    )
    progress_key = _progress_key(job)
    try:
        with local_copy(job.upload) as path, tempfile.TemporaryDirectory(prefix="portal-import-") as scratch:
            estimate = estimate_records(path)
            ImportJob.objects.filter(pk=job.pk).update(record_estimate=estimate)
            done = 0

            def progress(count):
                nonlocal done
                done += count
                progress_cache().set(
                    progress_key, {"records": done, "estimate": estimate, "updated": time.time()}, PROGRESS_SECONDS
                )

            report = import_file(
                path,
                curation_state=job.curation_state,
                skip_invalid=job.skip_invalid,
                rejected_path=Path(scratch) / f"{job.original_name}.rejected",
                progress=progress,
                name=job.original_name,
                job=job,
            )
            job.refresh_from_db()
            if report.rejected_path:
                # Kept beside the upload, in the same storage, for the curator to download.
                folder = str(Path(job.upload.name).parent)
                with open(report.rejected_path, "rb") as rejected:
                    job.rejected_file.save(f"{folder}/{Path(report.rejected_path).name}", File(rejected), save=False)
    except Exception as error:
        # Not a bad file (import_file reports those): a fault to look into. Nothing was imported.
        logger.exception("Import %s (%s) failed", job.pk, job.original_name)
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportStatus.FAILED, finished=timezone.now(), errors=[f"The import stopped: {error!r}"]
        )
        return
    finally:
        progress_cache().delete(progress_key)
    job.status = ImportStatus.IMPORTED if report.imported else ImportStatus.NOT_IMPORTED
    job.created_count, job.updated_count = report.created, report.updated
    job.unchanged_count, job.rejected_count = report.unchanged, report.rejected
    job.errors = [str(error) for error in report.errors[:KEPT_ERRORS]]
    job.warnings = [str(warning) for warning in report.warnings[:KEPT_ERRORS]]
    job.finished = timezone.now()
    with transaction.atomic():
        job.save()


def progress_of(job):
    """{'records': read so far, 'estimate': about how many in all, 'percent': 0-100 or None} while it runs."""
    data = progress_cache().get(_progress_key(job)) or {"records": 0, "estimate": job.record_estimate}
    estimate = data.get("estimate")
    data["percent"] = min(99, round(100 * data["records"] / estimate)) if estimate else None
    return data


def progress_cache():
    return caches["import-progress"]


def _progress_key(job):
    return f"import:{job.pk}"


@contextlib.contextmanager
def local_copy(field_file):
    """A path on this machine holding `field_file`'s content: the file itself on a local disk, a
    temporary copy (same suffix, as the parsers go by it) from any other storage."""
    if isinstance(field_file.storage, FileSystemStorage):
        yield field_file.path
        return
    with tempfile.NamedTemporaryFile(suffix="".join(Path(field_file.name).suffixes[-2:])) as copy:
        with field_file.storage.open(field_file.name, "rb") as source:
            shutil.copyfileobj(source, copy, 2**20)
        copy.flush()
        yield copy.name


@receiver(post_delete, sender=ImportJob)
def remove_import_files(sender, instance, **kwargs):
    # The upload and its rejected records, from whichever storage holds them, once the row is gone.
    files = [field for field in (instance.upload, instance.rejected_file) if field]

    def remove():
        for field in files:
            field.storage.delete(field.name)
        for field in files[:1]:
            if isinstance(field.storage, FileSystemStorage):
                with contextlib.suppress(OSError):
                    Path(field.path).parent.rmdir()  # the import's own folder, if now empty

    transaction.on_commit(remove)
