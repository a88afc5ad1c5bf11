"""Journals, people, keywords (with their merge), the ASJC classification and drugs with their names."""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import Count
from django.template.response import TemplateResponse
from simple_history.admin import SimpleHistoryAdmin

from literature.curation.conflicts import EditConflictProtection
from literature.curation.merging import merge_keywords
from literature.models import (
    Drug,
    DrugName,
    Journal,
    Keyword,
    Person,
    SubjectArea,
)


@admin.register(Journal)
class JournalAdmin(EditConflictProtection, SimpleHistoryAdmin):
    list_display = ["title", "iso_abbreviation", "issn_print", "issn_electronic", "publisher"]
    search_fields = ["title", "iso_abbreviation", "=issn_print", "=issn_electronic"]
    show_full_result_count = False


@admin.register(Person)
class PersonAdmin(EditConflictProtection, SimpleHistoryAdmin):
    list_display = ["__str__", "family_name", "given_names", "collective_name", "orcid"]
    search_fields = ["family_name", "given_names", "collective_name", "=orcid"]
    show_full_result_count = False


@admin.register(Keyword)
class KeywordAdmin(EditConflictProtection, SimpleHistoryAdmin):
    list_display = ["name", "slug", "mesh_id", "article_count"]
    search_fields = ["name", "=mesh_id"]
    prepopulated_fields = {"slug": ["name"]}
    show_full_result_count = False
    actions = ["merge_keywords"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_count=Count("articles"))

    @admin.display(description="articles", ordering="article_count")
    def article_count(self, keyword):
        return keyword.article_count

    @admin.action(description="Merge selected keywords into one", permissions=["change", "delete"])
    def merge_keywords(self, request, queryset):
        """A page to choose the keyword to keep (the most used is preselected), then the merge."""
        keywords = list(queryset.order_by("-article_count", "name"))
        if len(keywords) < 2:
            self.message_user(request, "Select at least two keywords to merge.", messages.WARNING)
            return None
        if "kept" in request.POST:
            kept = next((k for k in keywords if str(k.pk) == request.POST["kept"]), None)
            if kept is not None:
                moved = merge_keywords(kept, keywords)
                others = ", ".join(f"“{k.name}”" for k in keywords if k.pk != kept.pk)
                self.message_user(
                    request,
                    f"Merged {others} into “{kept.name}”: {moved} article(s) gained it; the old addresses redirect.",
                    messages.SUCCESS,
                )
                return None
        context = {
            **self.admin_site.each_context(request),
            "title": "Merge keywords",
            "keywords": keywords,
            "opts": self.model._meta,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/literature/keyword/merge.html", context)


@admin.register(SubjectArea)
class SubjectAreaAdmin(admin.ModelAdmin):
    """The ASJC classification is reference data: curators pick from it, a migration maintains it."""

    list_display = ["code", "name", "parent", "branch"]
    list_filter = ["branch", ("parent", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["parent"]
    search_fields = ["name", "=code"]

    def get_search_results(self, request, queryset, search_term):
        # Articles are classified under the four-digit codes only, so autocomplete offers just those.
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if request.path.endswith("/autocomplete/"):
            queryset = queryset.filter(parent__isnull=False)
        return queryset, may_have_duplicates

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class DrugNameInline(admin.TabularInline):
    model = DrugName
    extra = 1


@admin.register(Drug)
class DrugAdmin(EditConflictProtection, SimpleHistoryAdmin):
    list_display = ["name", "drug_class", "atc_list", "drugbank_id", "mesh_id", "pubchem_cid"]
    search_fields = ["name", "names__name", "=drugbank_id", "=mesh_id", "=inchikey"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [DrugNameInline]
    show_full_result_count = False
    fieldsets = [
        (None, {"fields": ["name", "slug", "drug_class", "description"]}),
        (
            "Identifiers",
            {
                "fields": [
                    "atc_codes",
                    ("drugbank_id", "mesh_id"),
                    ("pubchem_cid", "chebi_id"),
                    "inchikey",
                    ("cas_number", "unii"),
                ]
            },
        ),
    ]

    @admin.display(description="ATC")
    def atc_list(self, obj):
        return ", ".join(obj.atc_codes)
