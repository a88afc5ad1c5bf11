"""Drug links and the review queue of suggested ones; decisions go through `literature.curation.drugs`."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from simple_history.admin import SimpleHistoryAdmin

from literature.admin.actions import bulk_action
from literature.curation.drugs import decide_drug_links
from literature.models import (
    ArticleDrug,
    DrugSuggestion,
    LinkStatus,
)
from literature.values.markup import plain_text


def _set_link_status(status, verb):
    return bulk_action(
        f"mark_{status.value}",
        f"Mark selected links as {status.label.lower()}",
        "link",
        verb,
        lambda links, user: decide_drug_links(links, status, user),
    )


@admin.register(ArticleDrug)
class ArticleDrugAdmin(SimpleHistoryAdmin):
    list_display = ["article_title", "drug", "status", "source", "mention_count", "evidence_snippet", "created"]
    list_filter = ["status", "source"]
    list_select_related = ["article", "drug"]
    autocomplete_fields = ["article", "drug"]
    search_fields = ["drug__name", "article__title"]
    actions = [
        _set_link_status(LinkStatus.CONFIRMED, "confirmed"),
        _set_link_status(LinkStatus.REJECTED, "rejected"),
    ]
    show_full_result_count = False

    @admin.display(description="article", ordering="article__title")
    def article_title(self, obj):
        text = plain_text(obj.article.title)
        return text if len(text) <= 70 else text[:69] + "…"

    @admin.display(description="evidence")
    def evidence_snippet(self, obj):
        # Evidence marks the match with <mark>; everything else is escaped.
        text = obj.evidence[:200]
        escaped = format_html("{}", text)
        return mark_safe(escaped.replace("&lt;mark&gt;", "<mark>").replace("&lt;/mark&gt;", "</mark>"))


@admin.register(DrugSuggestion)
class DrugSuggestionAdmin(ArticleDrugAdmin):
    """Suggested links, oldest first, each with Confirm and Reject; or select many and use an action.
    A rejected link is never suggested again; a confirmed one stays whatever the detector finds later."""

    list_display = ["article_title", "drug", "source", "mention_count", "evidence_snippet", "review"]
    list_filter = ["source"]

    def history_view(self, request, object_id, extra_context=None):
        # A suggestion is a drug link under review: its history is the link's (the proxy has none of its own).
        return redirect("admin:literature_articledrug_history", object_id)

    ordering = ["created", "pk"]

    def get_queryset(self, request):
        return super().get_queryset(request).suggested()

    # The queue is a view of ArticleDrug: reviewing needs the permissions on drug links.
    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("literature.view_articledrug")

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm("literature.change_articledrug")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="review")
    def review(self, obj):
        # Buttons of the changelist's own form (which carries the CSRF token), posted to the review URL.
        url = reverse("admin:literature_drugsuggestion_review", args=[obj.pk])
        return format_html(
            '<button type="submit" formaction="{}" name="decision" value="confirmed" class="button">Confirm</button> '
            '<button type="submit" formaction="{}" name="decision" value="rejected" class="button">Reject</button>',
            url,
            url,
        )

    def get_urls(self):
        view = self.admin_site.admin_view(self.review_one)
        return [path("<int:object_id>/review/", view, name="literature_drugsuggestion_review"), *super().get_urls()]

    def review_one(self, request, object_id):
        if request.method != "POST" or not self.has_change_permission(request):
            raise PermissionDenied
        status = {"confirmed": LinkStatus.CONFIRMED, "rejected": LinkStatus.REJECTED}.get(request.POST.get("decision"))
        link = self.get_queryset(request).filter(pk=object_id).select_related("drug").first()
        if status is None or link is None:
            self.message_user(request, "That suggestion was already reviewed.", messages.WARNING)
        else:
            decide_drug_links(
                ArticleDrug.objects.filter(pk=link.pk), status, request.user, f"Link {status.label.lower()}."
            )
            self.message_user(
                request, f"{link.drug} {status.label.lower()} for article {link.article_id}.", messages.SUCCESS
            )
        return HttpResponseRedirect(
            reverse("admin:literature_drugsuggestion_changelist") + "?" + request.GET.urlencode()
        )
