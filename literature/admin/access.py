"""API tokens: curators make their own; the key is shown once."""

from django.contrib import admin, messages

from literature.models import (
    ApiToken,
)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Curators make their own tokens here; the key is shown once, on creation, and never again."""

    list_display = ["name", "key_prefix", "user", "created", "last_used", "revoked"]
    list_filter = [("revoked", admin.EmptyFieldListFilter)]
    list_select_related = ["user"]
    fields = ["name", "key_prefix", "created", "last_used", "revoked"]
    readonly_fields = ["key_prefix", "created", "last_used", "revoked"]
    actions = ["revoke_tokens"]

    def get_queryset(self, request):
        tokens = super().get_queryset(request)
        return tokens if request.user.is_superuser else tokens.filter(user=request.user)

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        token, key = ApiToken.issue(request.user, obj.name)
        obj.pk, obj.key_prefix, obj.created = token.pk, token.key_prefix, token.created
        self.message_user(
            request,
            f"Your new API token is {key} — copy it now: it is stored only as a digest and cannot be shown again.",
            messages.WARNING,
        )

    def has_change_permission(self, request, obj=None):
        return False if obj is not None else super().has_change_permission(request, obj)

    @admin.action(description="Revoke selected tokens", permissions=["delete"])
    def revoke_tokens(self, request, queryset):
        count = queryset.revoke()
        self.message_user(request, f"{count} token(s) revoked.", messages.SUCCESS)
