"""The Fingerprint's concepts, read-only: computed by `literature.mining`."""

from django.contrib import admin

from literature.models import (
    Concept,
)


@admin.register(Concept)
class ConceptAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "key", "article_count"]
    list_filter = ["kind"]
    search_fields = ["name", "key"]
    readonly_fields = ["kind", "key", "name", "article_count"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False
