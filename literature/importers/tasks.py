"""Background tasks (django-tasks, the backport of Django 6's tasks framework; stored in the database
by django-tasks-db and run by `manage.py db_worker`)."""

from django_tasks import task

from literature.importers.jobs import run_import
from literature.models import ImportJob


@task()
def import_upload(job_id):
    run_import(ImportJob.objects.get(pk=job_id))
