"""Bulk changes that leave history: every row changed gets a version saying who, when and why, and the
admin's recent actions get one entry; the bulk actions and review buttons of the admin use it."""

from django.contrib.admin.models import CHANGE, LogEntry
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from literature.derived import refresh_derived


def update_with_history(queryset, user, reason, **changes):
    """Change these rows to `changes` under a row lock; returns the rows changed."""
    model = queryset.model._meta.concrete_model
    with transaction.atomic():
        rows = list(model.objects.filter(pk__in=queryset.values("pk")).select_for_update())
        now = timezone.now()
        for row in rows:
            for name, value in changes.items():
                setattr(row, name, value)
            row.modified = now
        bulk_update_with_history(rows, model, [*changes, "modified"], default_user=user, default_change_reason=reason)
        if user is not None and rows:
            LogEntry.objects.log_actions(
                user_id=user.pk,
                queryset=model.objects.filter(pk__in=[row.pk for row in rows]),
                action_flag=CHANGE,
                change_message=reason,
                single_object=False,
            )
    return rows


def set_with_history(queryset, user, reason, article_of, **change):
    """Set one field of these rows (those not at that value already) with history, then renew the
    aggregates that count it; `article_of(row)` is the article a row belongs to. Returns the rows."""
    with transaction.atomic():
        rows = update_with_history(queryset.exclude(**change), user, reason, **change)
        refresh_derived({article_of(row) for row in rows}, index=False, mining=False)
    return rows
