"""The curators' dashboard on the admin index: the work waiting, each figure a link to the filtered list
that holds exactly those rows (so the dashboard and the lists never disagree: the same querysets)."""

from dataclasses import dataclass

from django.contrib.admin.models import LogEntry
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from literature.derived.cache import cached_for_corpus
from literature.models import (
    Article,
    ArticleDrug,
    CurationState,
    DuplicateCandidate,
    DuplicateStatus,
    ImportJob,
    ImportStatus,
)

RECENT_CHANGES = 10


@dataclass
class Figure:
    label: str
    count: int
    url: str
    attention: bool = False  # work waiting, or something that went wrong


def _changelist(model, **filters):
    query = "&".join(f"{name}={value}" for name, value in filters.items())
    url = reverse(f"admin:literature_{model}_changelist")
    return f"{url}?{query}" if query else url


def large_counts():
    """The two figures that count a large table (articles by state: every article; suggestions to review:
    half a million links at 1M articles, 0.1-0.7 s together), cached per corpus version and served at most
    CACHE_STALE_SECONDS behind it (derived/cache.py), with the time they were counted."""

    def count():
        return {
            "states": dict(Article.objects.order_by().values_list("curation_state").annotate(n=Count("pk"))),
            "suggestions": ArticleDrug.objects.suggested().count(),
            "counted_at": timezone.now(),
        }

    return cached_for_corpus("dashboard-counts", None, count)


def articles_by_state(counts):
    counts = counts["states"]
    return [
        Figure(
            state.label,
            counts.get(state.value, 0),
            _changelist("article", curation_state__exact=state.value),
            attention=state == CurationState.IN_REVIEW and counts.get(state.value, 0) > 0,
        )
        for state in CurationState
    ]


def work_waiting(counts):
    suggestions = counts["suggestions"]
    duplicates = DuplicateCandidate.objects.open().count()
    imports = dict(ImportJob.objects.order_by().values_list("status").annotate(n=Count("pk")))
    pending = imports.get(ImportStatus.QUEUED, 0) + imports.get(ImportStatus.RUNNING, 0)
    failed = imports.get(ImportStatus.FAILED, 0)
    return [
        Figure("drug suggestions to review", suggestions, _changelist("drugsuggestion"), suggestions > 0),
        Figure(
            "likely duplicates to decide",
            duplicates,
            _changelist("duplicatecandidate", status__exact=DuplicateStatus.OPEN),
            duplicates > 0,
        ),
        Figure("imports queued or running", pending, _changelist("importjob", status__in="queued,running")),
        Figure("imports failed", failed, _changelist("importjob", status__exact=ImportStatus.FAILED), failed > 0),
    ]


def curation_dashboard(user):
    """What the index shows `user`: only the parts their permissions open (nothing for other staff)."""
    if not user.has_perm("literature.view_article"):
        return None
    counts = large_counts()
    return {
        "articles": articles_by_state(counts),
        "waiting": work_waiting(counts) if user.has_perm("literature.view_articledrug") else [],
        "counted_at": counts["counted_at"],
        "recent": LogEntry.objects.select_related("user", "content_type").order_by("-action_time")[:RECENT_CHANGES],
    }
