"""Two curators editing the same record: the second save is refused, saying who changed what since the
form was opened, and nothing is overwritten. The form carries the version (last modification time) it
was opened at; saving checks it against the database, under a row lock where the database has them."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import formats, timezone


def current_version(model, pk):
    modified = model.objects.filter(pk=pk).values_list("modified", flat=True).first()
    return modified.isoformat() if modified else ""


def what_changed_since(instance, version):
    """'curator2 on 24 Nov 2026 14:03 (title, abstract)': the changes made after `version`, from the history."""
    newer = instance.history.filter(modified__gt=version).order_by("history_date")
    entries = list(newer)
    if not entries:
        return "someone else"
    fields = set()
    for entry in entries:
        previous = entry.prev_record
        if previous is not None:
            fields |= {change.field for change in entry.diff_against(previous).changes}
    last = entries[-1]
    who = last.history_user.get_username() if last.history_user else "an import or script"
    when = formats.date_format(timezone.localtime(last.history_date), "DATETIME_FORMAT")
    changed = f" ({', '.join(sorted(fields - {'modified'}))})" if fields - {"modified"} else ""
    return f"{who} on {when}{changed}"


def conflict_checked(form_class):
    """`form_class` with a hidden version field and a check that the record is still at that version."""

    class ConflictCheckedForm(form_class):
        loaded_version = forms.CharField(widget=forms.HiddenInput, required=False)

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            if self.instance.pk and not self.is_bound:
                self.initial["loaded_version"] = current_version(type(self.instance), self.instance.pk)

        def clean(self):
            cleaned = super().clean()
            loaded = cleaned.get("loaded_version")
            model = type(self.instance)
            if loaded and self.instance.pk:
                locked = model.objects.select_for_update().filter(pk=self.instance.pk)
                current = locked.values_list("modified", flat=True).first()
                if current and current.isoformat() != loaded:
                    name = model._meta.verbose_name
                    raise ValidationError(
                        f"This {name} was changed by {what_changed_since(self.instance, loaded)} since you opened "
                        f"it. Nothing was saved, so nothing of theirs was overwritten: open the {name} again to see "
                        "the current version, then make your change.",
                        code="edit_conflict",
                    )
            return cleaned

    ConflictCheckedForm.__name__ = form_class.__name__
    return ConflictCheckedForm


class EditConflictProtection:
    """For ModelAdmins of models with a `modified` timestamp and a simple-history `history`."""

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return conflict_checked(form) if obj is not None else form

    def get_fields(self, request, obj=None):
        # Django lists a form's fields from get_form() for admins that declare none, and would then ask
        # the model for this one; it is no model field, and the change form's template renders it.
        return [name for name in super().get_fields(request, obj) if name != "loaded_version"]
