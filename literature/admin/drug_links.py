"""Drug links, the review queue of suggested ones and the kill list of names never to suggest again;
decisions go through `literature.curation.drugs`, under the rules of `literature.curation.governance`."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from literature.admin.actions import ReasonActionForm, bulk_action, reason_of
from literature.admin.display import evidence_html, truncated_markup
from literature.curation.drugs import decide_drug_links, suppress_drug_name
from literature.curation.governance import DecisionRefused
from literature.models import ArticleDrug, DrugSuggestion, LinkStatus, SuppressedDrugName


def _set_link_status(status, verb):
    return bulk_action(
        f"mark_{status.value}",
        f"Mark selected links as {status.label.lower()}",
        "link",
        verb,
        lambda links, user, reason: decide_drug_links(links, status, user, reason),
    )


@admin.register(ArticleDrug)
class ArticleDrugAdmin(SimpleHistoryAdmin):
    list_display = ["article_title", "drug", "status", "source", "mention_count", "evidence_snippet", "created"]
    list_filter = ["status", "source"]
    list_select_related = ["article", "drug"]
    autocomplete_fields = ["article", "drug"]
    search_fields = ["drug__name", "article__title"]
    action_form = ReasonActionForm
    actions = [
        _set_link_status(LinkStatus.CONFIRMED, "confirmed"),
        _set_link_status(LinkStatus.REJECTED, "rejected"),
    ]
    show_full_result_count = False

    @admin.display(description="article", ordering="article__title")
    def article_title(self, obj):
        return truncated_markup(obj.article.title, 70)

    @admin.display(description="evidence")
    def evidence_snippet(self, obj):
        return evidence_html(obj.evidence)


@admin.register(DrugSuggestion)
class DrugSuggestionAdmin(ArticleDrugAdmin):
    """Suggested links, oldest first, each with Confirm and Reject (a rejection takes the reason typed
    in the action bar); or select many and confirm or reject them with one reason. Keyboard: j/k move,
    c confirms, r rejects, x selects (static/js/review-queue.js). A rejected link is never suggested
    again; a confirmed one stays whatever the detector finds later."""

    list_display = ["article_title", "drug", "evidence_snippet", "mention_count", "source"]
    list_display_links = None  # a row is decided here, not opened
    list_filter = ["source"]
    ordering = ["created", "pk"]
    list_per_page = 50

    class Media:
        js = ["js/review-queue.js"]

    def get_list_display(self, request):
        # The buttons come first, so that they are on screen however long the evidence, and they post
        # back the filters of the page they are on, so that a decision keeps the queue as it was.
        query = request.GET.urlencode()

        @admin.display(description="review")
        def review(obj):
            url = reverse("admin:literature_drugsuggestion_review", args=[obj.pk]) + (f"?{query}" if query else "")
            return format_html(
                '<button type="submit" formaction="{}" name="decision" value="confirmed" class="button confirm">'
                "Confirm</button> "
                '<button type="submit" formaction="{}" name="decision" value="rejected" class="button reject">'
                "Reject</button>",
                url,
                url,
            )

        return [review, *self.list_display]

    def changelist_view(self, request, extra_context=None):
        title = "Drug suggestions to review"
        return super().changelist_view(request, {"title": title, **(extra_context or {})})

    def history_view(self, request, object_id, extra_context=None):
        # A suggestion is a drug link under review: its history is the link's (the proxy has none of its own).
        return redirect("admin:literature_articledrug_history", object_id)

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
            try:
                decide_drug_links(ArticleDrug.objects.filter(pk=link.pk), status, request.user, reason_of(request))
            except DecisionRefused as refused:
                self.message_user(request, " ".join(refused.messages), messages.ERROR)
            else:
                self.message_user(
                    request, f"{link.drug} {status.label.lower()} for article {link.article_id}.", messages.SUCCESS
                )
        return HttpResponseRedirect(
            reverse("admin:literature_drugsuggestion_changelist") + "?" + request.GET.urlencode()
        )


@admin.register(SuppressedDrugName)
class SuppressedDrugNameAdmin(SimpleHistoryAdmin):
    """The kill list. Adding a name removes the detector's open suggestions from it at once; links
    curators confirmed or wrote stay."""

    list_display = ["name", "reason", "added_by", "created"]
    list_select_related = ["added_by"]
    search_fields = ["name", "reason"]
    fields = ["name", "reason"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.added_by = request.user
        removed = suppress_drug_name(obj)
        if removed:
            self.message_user(request, f"{removed} open suggestion(s) from “{obj.name}” removed.", messages.INFO)
