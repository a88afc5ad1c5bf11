"""Admin actions that call a write function of `literature.curation` and say how many rows it changed,
with the reason the curator typed beside the action (kept in every changed row's history)."""

from django import forms
from django.contrib import messages
from django.contrib.admin.helpers import ActionForm

from literature.curation.governance import DecisionRefused


class ReasonActionForm(ActionForm):
    """The changelist's action bar with a reason: required to reject links or withdraw articles."""

    reason = forms.CharField(
        required=False,
        label="Reason",
        widget=forms.TextInput(attrs={"size": 36, "placeholder": "Reason (required to reject or withdraw)"}),
    )


def reason_of(request):
    return request.POST.get("reason", "")


def bulk_action(name, description, noun, verb, write):
    """An admin action calling `write(queryset, user, reason)` (a write function returning the rows it
    changed); a decision the governance rules refuse writes nothing and says why."""

    def action(modeladmin, request, queryset):
        try:
            count = len(write(queryset, request.user, reason_of(request)))
        except DecisionRefused as refused:
            modeladmin.message_user(request, " ".join(refused.messages), messages.ERROR)
            return
        modeladmin.message_user(request, f"{count} {noun}(s) {verb}.", messages.SUCCESS)

    action.__name__ = name
    action.short_description = description
    action.allowed_permissions = ("change",)
    return action
