"""Admin actions that call a write function of `literature.curation` and say how many rows it changed."""

from django.contrib import messages


def bulk_action(name, description, noun, verb, write):
    """An admin action calling `write(queryset, user)` (a write function returning the rows it changed)."""

    def action(modeladmin, request, queryset):
        count = len(write(queryset, request.user))
        modeladmin.message_user(request, f"{count} {noun}(s) {verb}.", messages.SUCCESS)

    action.__name__ = name
    action.short_description = description
    action.allowed_permissions = ("change",)
    return action
