"""Likely duplicate articles, side by side: the two records field by field with the differences marked,
merged with the value of each field chosen by the curator; or marked as different articles."""

from dataclasses import dataclass

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from literature.curation.duplicates import find_duplicate_articles
from literature.curation.merging import CHOOSABLE_FIELDS, JOINABLE_LISTS, merge_articles
from literature.models import Article, DuplicateCandidate, DuplicateStatus
from literature.values.markup import plain_text

SIDES = ("left", "right")


@dataclass
class ComparedField:
    name: str
    label: str
    left: str
    right: str
    choosable: bool
    joinable: bool = False  # a list: either side's, or both joined (the default)

    @property
    def differs(self):
        return self.left != self.right

    @property
    def default(self):
        if self.joinable:
            return "both"
        # The left record's value, unless it has none and the right one has.
        return "right" if not self.left and self.right else "left"


def _shown(article, name):
    if name == "authors":
        return "; ".join(a.person.display_name for a in article.ordered_authorships)
    if name == "keywords":
        return "; ".join(sorted(k.name for k in article.keywords.all()))
    if name == "subject_areas":
        return "; ".join(sorted(f"{area.code} {area.name}" for area in article.subject_areas.all()))
    if name == "publication_date":
        return article.publication_status_line
    field = Article._meta.get_field(name)
    if field.choices:
        return getattr(article, f"get_{name}_display")() if getattr(article, name) not in ("", None) else ""
    value = getattr(article, name)
    if name in ("title", "subtitle", "abstract"):
        return plain_text(value or "")
    return "" if value in ("", None) else str(value)


def compare(left, right):
    """The two articles field by field: the choosable fields, the lists a merge joins or takes from one
    side (keywords, subject areas), then what it joins (shown only)."""
    rows = []
    labels = {"authors": "authors", "publication_date": "publication status (joined)", "subject_areas": "subject areas"}
    for name in ["title", "authors", *CHOOSABLE_FIELDS[1:], *JOINABLE_LISTS, "publication_date"]:
        label = labels.get(name) or str(Article._meta.get_field(name).verbose_name)
        choosable = name in CHOOSABLE_FIELDS or name in ("authors", *JOINABLE_LISTS)
        row = ComparedField(name, label, _shown(left, name), _shown(right, name), choosable, name in JOINABLE_LISTS)
        rows.append(row)
    return rows


@admin.register(DuplicateCandidate)
class DuplicateCandidateAdmin(admin.ModelAdmin):
    """Likely duplicate articles, most similar first: merge one into the other, or say they differ."""

    list_display = ["left", "right", "reason", "score", "decide"]
    list_display_links = None
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
        compare_url = reverse("admin:literature_duplicatecandidate_compare", args=[candidate.pk])
        return format_html(
            '<a class="button" href="{}">Compare side by side</a> {}',
            compare_url,
            format_html_join(
                " ",
                '<button type="submit" formaction="{}" name="decision" value="{}" class="button">{}</button>',
                [
                    (url, "keep-left", "Keep left"),
                    (url, "keep-right", "Keep right"),
                    (url, "dismiss", "Not duplicates"),
                ],
            ),
        )

    def get_urls(self):
        decide = self.admin_site.admin_view(self.decide_one)
        find = self.admin_site.admin_view(self.find_now)
        side_by_side = self.admin_site.admin_view(self.compare_view)
        return [
            path("<int:object_id>/decide/", decide, name="literature_duplicatecandidate_decide"),
            path("<int:object_id>/compare/", side_by_side, name="literature_duplicatecandidate_compare"),
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

    def compare_view(self, request, object_id):
        """GET: the pair field by field, differences marked, a choice per field. POST: merge as chosen."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        candidate = get_object_or_404(DuplicateCandidate.objects.select_related("article", "other"), pk=object_id)
        records = Article.objects.for_detail().in_bulk([candidate.article_id, candidate.other_id])
        left, right = records[candidate.article_id], records[candidate.other_id]
        rows = compare(left, right)
        if request.method == "POST":
            if not self.has_change_permission(request) or candidate.status != DuplicateStatus.OPEN:
                raise PermissionDenied
            keep = request.POST.get("keep")
            if keep not in SIDES:
                self.message_user(request, "Choose the record to keep.", messages.ERROR)
            else:
                kept, merged = (left, right) if keep == "left" else (right, left)
                other_side = "right" if keep == "left" else "left"
                chosen = {row.name: request.POST.get(f"take_{row.name}") for row in rows if row.choosable}
                take = [name for name, side in chosen.items() if name not in JOINABLE_LISTS and side == other_side]
                lists = {
                    name: "other" if side == other_side else "kept" if side == keep else "both"
                    for name, side in chosen.items()
                    if name in JOINABLE_LISTS
                }
                merge_articles(kept, merged, take=take, lists=lists)
                take += [name for name, choice in lists.items() if choice == "other"]
                self.message_user(
                    request,
                    f"Article {merged.pk} merged into article {kept.pk}"
                    + (f", taking its {', '.join(take)}" if take else "")
                    + "; its page now redirects.",
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(reverse("admin:literature_duplicatecandidate_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "title": "Compare likely duplicates",
            "opts": self.model._meta,
            "candidate": candidate,
            "left": left,
            "right": right,
            "rows": rows,
            "differences": sum(row.differs for row in rows),
            "can_merge": self.has_change_permission(request) and candidate.status == DuplicateStatus.OPEN,
        }
        return TemplateResponse(request, "admin/literature/duplicatecandidate/compare.html", context)

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
