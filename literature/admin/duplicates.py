"""Likely duplicate articles, side by side: merge one into the other, or say they differ."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from literature.curation.duplicates import find_duplicate_articles
from literature.curation.merging import merge_articles
from literature.models import (
    DuplicateCandidate,
    DuplicateStatus,
)
from literature.values.markup import plain_text


@admin.register(DuplicateCandidate)
class DuplicateCandidateAdmin(admin.ModelAdmin):
    """Likely duplicate articles, most similar first: merge one into the other, or say they differ."""

    list_display = ["left", "right", "reason", "score", "decide"]
    list_filter = ["status", "reason"]
    list_select_related = ["article__journal", "other__journal"]
    actions = ["dismiss"]
    change_list_template = "admin/literature/duplicatecandidate/change_list.html"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("article", "other")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm("literature.change_article")

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("literature.view_article")

    def has_delete_permission(self, request, obj=None):
        return request.user.has_perm("literature.delete_article")

    def _describe(self, article):
        url = reverse("admin:literature_article_change", args=[article.pk])
        details = ", ".join(str(v) for v in (article.publication_year, article.doi or article.pmid) if v)
        return format_html(
            '<a href="{}">{}</a> <span class="help">#{} {}</span>', url, plain_text(article.title), article.pk, details
        )

    @admin.display(description="article")
    def left(self, candidate):
        return self._describe(candidate.article)

    @admin.display(description="likely the same as")
    def right(self, candidate):
        return self._describe(candidate.other)

    @admin.display(description="decide")
    def decide(self, candidate):
        if candidate.status != DuplicateStatus.OPEN:
            return candidate.get_status_display()
        url = reverse("admin:literature_duplicatecandidate_decide", args=[candidate.pk])
        return format_html_join(
            " ",
            '<button type="submit" formaction="{}" name="decision" value="{}" class="button">{}</button>',
            [(url, "keep-left", "Keep left"), (url, "keep-right", "Keep right"), (url, "dismiss", "Not duplicates")],
        )

    def get_urls(self):
        decide = self.admin_site.admin_view(self.decide_one)
        find = self.admin_site.admin_view(self.find_now)
        return [
            path("<int:object_id>/decide/", decide, name="literature_duplicatecandidate_decide"),
            path("find/", find, name="literature_duplicatecandidate_find"),
            *super().get_urls(),
        ]

    def decide_one(self, request, object_id):
        if request.method != "POST" or not self.has_change_permission(request):
            raise PermissionDenied
        candidate = DuplicateCandidate.objects.open().filter(pk=object_id).select_related("article", "other").first()
        decision = request.POST.get("decision")
        if candidate is None:
            self.message_user(request, "That pair was already decided.", messages.WARNING)
        elif decision == "dismiss":
            candidate.status = DuplicateStatus.DISMISSED
            candidate.save(update_fields=["status"])
            self.message_user(request, f"Articles {candidate.article_id} and {candidate.other_id} marked as different.")
        elif decision in {"keep-left", "keep-right"}:
            kept, merged = (
                (candidate.article, candidate.other)
                if decision == "keep-left"
                else (candidate.other, candidate.article)
            )
            merge_articles(kept, merged)
            self.message_user(
                request, f"Article {merged.pk} merged into article {kept.pk}; its page now redirects.", messages.SUCCESS
            )
        return HttpResponseRedirect(reverse("admin:literature_duplicatecandidate_changelist"))

    def find_now(self, request):
        if request.method != "POST" or not self.has_change_permission(request):
            raise PermissionDenied
        found = find_duplicate_articles()
        self.message_user(request, f"{found} new likely duplicate pair(s) found.", messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:literature_duplicatecandidate_changelist"))

    @admin.action(description="Mark selected pairs as not duplicates", permissions=["change"])
    def dismiss(self, request, queryset):
        count = queryset.open().update(status=DuplicateStatus.DISMISSED)
        self.message_user(request, f"{count} pair(s) marked as different articles.", messages.SUCCESS)
