"""Importing from the admin: a curator uploads a file and sees the same summary as the command; a large
file is queued for the background worker (django-tasks-db's real db_worker runs it here), its progress
visible meanwhile; rejected records can be downloaded; the files go when the import's record does."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from literature.devdata.synthetic_pubmed import write_pubmed_file
from literature.importers import jobs
from literature.models import Article, CurationState, ImportJob, ImportStatus

SHARED = Path(settings.SHARED_DATA_DIR)
needs_shared_data = pytest.mark.skipif(
    not SHARED.is_dir(), reason=f"the shared sample files are not in this checkout ({SHARED})"
)
ADD_URL = "admin:literature_importjob_add"


def mixed_ris():
    """The RM export (one DOI in it is not one: a warning) and three records without a title (rejected)."""
    return (SHARED / "ris" / "citesource__RM.ris").read_bytes() + (
        SHARED / "ris" / "rispy__example_multiline.ris"
    ).read_bytes()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def upload(client, name, content, capture, **options):
    data = {"upload": SimpleUploadedFile(name, content), "curation_state": CurationState.IN_REVIEW, **options}
    with capture(execute=True):
        response = client.post(reverse(ADD_URL), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    job = ImportJob.objects.latest("queued")
    assert response.url == reverse("admin:literature_importjob_change", args=[job.pk])
    return job, client.get(response.url)


@needs_shared_data
@pytest.mark.django_db
def test_a_curator_uploads_a_small_file_and_sees_the_summary(
    curator_client, curator, django_capture_on_commit_callbacks
):
    content = (SHARED / "pubmed-xml" / "biopython__pubmed1.xml").read_bytes()
    job, page = upload(curator_client, "my-search.xml", content, django_capture_on_commit_callbacks)
    assert (job.status, job.in_background, job.uploaded_by, job.size) == ("imported", False, curator, len(content))
    text = page.content.decode()
    assert "my-search.xml:</strong>\n      2 created, 0 updated,\n      0 unchanged, 0 rejected" in text
    assert "Imported. New articles are in the curation state “In review”." in text
    assert Article.objects.filter(curation_state=CurationState.IN_REVIEW).count() == 2
    assert Article.objects.first().import_source.source.startswith("my-search.xml (record ")


@needs_shared_data
@pytest.mark.django_db
def test_bad_records_are_named_and_nothing_is_imported(curator_client, django_capture_on_commit_callbacks):
    job, page = upload(curator_client, "RM.ris", mixed_ris(), django_capture_on_commit_callbacks)
    assert job.status == ImportStatus.NOT_IMPORTED
    assert Article.objects.count() == 0
    text = page.content.decode()
    assert "Nothing was imported: fix the records below" in text
    assert "RM.ris, record 531, TI: the record has no title" in text


@needs_shared_data
@pytest.mark.django_db
def test_with_skip_invalid_the_rejected_records_can_be_downloaded(curator_client, django_capture_on_commit_callbacks):
    job, page = upload(curator_client, "RM.ris", mixed_ris(), django_capture_on_commit_callbacks, skip_invalid="on")
    assert job.status == ImportStatus.IMPORTED
    assert job.created_count == Article.objects.count() > 0
    assert "1 warning: fields left out of imported records" in page.content.decode()
    assert "RM.ris, record 261 (DOI 20" in page.content.decode()
    download = reverse("admin:literature_importjob_rejected", args=[job.pk])
    assert download in page.content.decode()
    response = curator_client.get(download)
    assert response["Content-Disposition"] == 'attachment; filename="RM.ris.rejected"'
    rejected = b"".join(response.streaming_content).decode()
    assert rejected.count("ER  -") == job.rejected_count > 0


# Committed for real: the worker checks its connection between tasks as a separate process would,
# which closes a connection held in a test's transaction. (A superuser: a flush empties the Curators group.)
@pytest.mark.django_db(transaction=True)
def test_a_large_upload_runs_in_the_background_worker(admin_client, settings, tmp_path):
    settings.IMPORT_INLINE_MAX_BYTES = 1000
    source = tmp_path / "baseline.xml"
    write_pubmed_file(source, 300, seed=3)
    response = admin_client.post(
        reverse(ADD_URL), {"upload": SimpleUploadedFile("baseline.xml", source.read_bytes()), "curation_state": "draft"}
    )
    job = ImportJob.objects.get()
    assert (job.status, job.in_background, bool(job.task_id)) == ("queued", True, True)
    waiting = admin_client.get(response.url).content.decode()
    assert "Queued for the background worker" in waiting
    assert '<meta http-equiv="refresh" content="2">' in waiting

    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)

    job.refresh_from_db()
    assert (job.status, job.record_estimate) == ("imported", 300)
    assert job.created_count + job.updated_count == 300
    assert Article.objects.filter(curation_state=CurationState.DRAFT).count() == job.created_count
    done = admin_client.get(response.url).content.decode()
    assert "http-equiv" not in done
    assert f"{job.created_count} created" in done


@pytest.mark.django_db
def test_progress_is_written_as_chunks_go_in_and_shown_while_running(curator_client, tmp_path, monkeypatch):
    source = tmp_path / "big.xml"
    write_pubmed_file(source, 1200, seed=5)
    job = ImportJob.objects.create(upload="placeholder", original_name="big.xml")
    job.upload.save("big.xml", source.open("rb"))
    seen = []
    progress = jobs.progress_cache()
    real_set = progress.set
    monkeypatch.setattr(progress, "set", lambda key, data, timeout: seen.append(dict(data)) or real_set(key, data))
    jobs.run_import(job)
    assert [entry["records"] for entry in seen] == [500, 1000, 1200]
    assert {entry["estimate"] for entry in seen} == {1200}
    assert jobs.progress_of(job)["records"] == 0, "a finished import leaves no progress behind"

    # The page of a running import, with the progress the worker writes to the shared progress cache.
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.RUNNING)
    real_set(jobs._progress_key(job), {"records": 500, "estimate": 1200})
    text = curator_client.get(reverse("admin:literature_importjob_change", args=[job.pk])).content.decode()
    assert "Read 500 of about 1,200 records" in text
    assert 'value="42"' in text


@needs_shared_data
@pytest.mark.django_db
def test_uploads_and_rejected_records_go_through_the_storage_api_so_an_object_store_works(
    curator_client, settings, django_capture_on_commit_callbacks
):
    # Django's in-memory storage has no paths, like an object store: the worker reads a local copy.
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"}}
    job, _ = upload(curator_client, "RM.ris", mixed_ris(), django_capture_on_commit_callbacks, skip_invalid="on")
    assert job.status == ImportStatus.IMPORTED
    assert job.created_count == Article.objects.count() > 0
    storage = job.upload.storage
    assert type(storage._wrapped).__name__ == "InMemoryStorage"
    assert job.rejected_file.name == f"{Path(job.upload.name).parent}/RM.ris.rejected"
    with storage.open(job.rejected_file.name) as rejected:
        assert rejected.read().decode().count("ER  -") == job.rejected_count > 0
    response = curator_client.get(reverse("admin:literature_importjob_rejected", args=[job.pk]))
    assert b"".join(response.streaming_content).decode().count("ER  -") == job.rejected_count

    with django_capture_on_commit_callbacks(execute=True):
        job.delete()
    assert not storage.exists(job.upload.name)
    assert not storage.exists(job.rejected_file.name)


@pytest.mark.django_db
def test_the_record_of_an_import_is_read_only_and_deleting_it_removes_its_files(
    curator_client, django_capture_on_commit_callbacks
):
    job, page = upload(curator_client, "notes.txt", b"Not a bibliography.\n", django_capture_on_commit_callbacks)
    assert job.status == ImportStatus.NOT_IMPORTED
    assert "notes.txt, the file, file: the format was not recognised" in page.content.decode()
    assert 'name="_save"' not in page.content.decode()
    folder = Path(job.upload.path).parent
    assert folder.is_dir()
    with django_capture_on_commit_callbacks(execute=True):
        response = curator_client.post(
            reverse("admin:literature_importjob_delete", args=[job.pk]), {"post": "yes"}, follow=True
        )
    assert response.status_code == 200
    assert not folder.exists()


@pytest.mark.django_db
def test_only_signed_in_curators_upload_or_download(client):
    assert client.get(reverse(ADD_URL)).status_code == 302
    assert client.get(reverse("admin:literature_importjob_rejected", args=[1])).status_code == 302
