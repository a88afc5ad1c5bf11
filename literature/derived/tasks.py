"""The derived data of articles whose refresh after commit failed, done by the background worker."""

from django_tasks import task

from .refresh import bump_version, mine


@task()
def refresh_in_background(article_ids):
    if article_ids:
        mine(article_ids)
    bump_version()
