"""Running an uploaded file's import: at once for a small file, as a background task for a large
one, with its progress readable from any process while it runs.

Progress goes to a small JSON file beside the upload, not to the database: the import holds one
write transaction for the whole file, which on SQLite would keep any other writer waiting.
"""

import json
import logging
import os
import shutil
import time
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils import timezone

from literature.importers.run import estimate_records, import_file
from literature.models import ImportJob, ImportStatus

logger = logging.getLogger(__name__)
KEPT_ERRORS = 500  # a file of 30,000 bad records does not need 30,000 lines on the page


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
    job_dir = Path(job.upload.path).parent
    progress_file = job_dir / "progress.json"
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.RUNNING, started=timezone.now())
    estimate = estimate_records(job.upload.path)
    ImportJob.objects.filter(pk=job.pk).update(record_estimate=estimate)
    done = 0

    def progress(count):
        nonlocal done
        done += count
        _write_progress(progress_file, {"records": done, "estimate": estimate, "updated": time.time()})

    rejected_path = job_dir / f"{job.original_name}.rejected"
    try:
        report = import_file(
            job.upload.path,
            curation_state=job.curation_state,
            skip_invalid=job.skip_invalid,
            rejected_path=rejected_path,
            progress=progress,
            name=job.original_name,
        )
    except Exception as error:
        # Not a bad file (import_file reports those): a fault to look into. Nothing was imported.
        logger.exception("Import %s (%s) failed", job.pk, job.original_name)
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportStatus.FAILED, finished=timezone.now(), errors=[f"The import stopped: {error!r}"]
        )
        return
    finally:
        progress_file.unlink(missing_ok=True)
    job.refresh_from_db()
    job.status = ImportStatus.IMPORTED if report.imported else ImportStatus.NOT_IMPORTED
    job.created_count, job.updated_count = report.created, report.updated
    job.unchanged_count, job.rejected_count = report.unchanged, report.rejected
    job.errors = [str(error) for error in report.errors[:KEPT_ERRORS]]
    if report.rejected_path:
        job.rejected_file.name = os.path.relpath(report.rejected_path, settings.MEDIA_ROOT)
    job.finished = timezone.now()
    with transaction.atomic():
        job.save()


def progress_of(job):
    """{'records': read so far, 'estimate': about how many in all, 'percent': 0-100 or None} while it runs."""
    try:
        data = json.loads((Path(job.upload.path).parent / "progress.json").read_text())
    except (OSError, ValueError):
        data = {"records": 0, "estimate": job.record_estimate}
    estimate = data.get("estimate")
    data["percent"] = min(99, round(100 * data["records"] / estimate)) if estimate else None
    return data


def _write_progress(path, data):
    # Written whole and renamed into place: a reader never sees half a file.
    partial = path.with_suffix(".tmp")
    partial.write_text(json.dumps(data))
    partial.replace(path)


@receiver(post_delete, sender=ImportJob)
def remove_import_files(sender, instance, **kwargs):
    # The upload, its rejected records and progress file live in one folder per import.
    if instance.upload:
        folder = Path(instance.upload.path).parent
        transaction.on_commit(lambda: shutil.rmtree(folder, ignore_errors=True))
