"""The curators' interface: every model editable, lists that stay fast on a large corpus."""

from pathlib import Path

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import Count, OuterRef, Subquery
from django.forms.models import BaseInlineFormSet
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from simple_history.admin import SimpleHistoryAdmin

from literature.curation.articles import AuthorEntry, move_to_state, save_article, set_authors
from literature.curation.conflicts import EditConflictProtection
from literature.curation.drugs import decide_drug_links
from literature.curation.duplicates import find_duplicate_articles
from literature.curation.merging import merge_articles, merge_keywords
from literature.derived import collecting, refresh_derived
from literature.importers.jobs import progress_of, start_import
from literature.models import (
    ApiToken,
    Article,
    ArticleConcept,
    ArticleDrug,
    Authorship,
    Concept,
    CurationState,
    Drug,
    DrugName,
    DrugSuggestion,
    DuplicateCandidate,
    DuplicateStatus,
    ImportJob,
    Journal,
    Keyword,
    LinkStatus,
    Person,
    PublicationState,
    SubjectArea,
)
from literature.values.markup import plain_text

admin.site.site_header = "Literature portal: curation"
admin.site.site_title = "Literature curation"
admin.site.index_title = "Curated record"


class AuthorshipForm(forms.ModelForm):
    order = forms.IntegerField(
        min_value=1, required=False, help_text="1 for the first author; empty puts a new author last."
    )

    class Meta:
        model = Authorship
        fields = ["person", "affiliation", "is_corresponding"]
        widgets = {"affiliation": forms.Textarea(attrs={"rows": 1, "cols": 40})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["order"].initial = self.instance.position


class AuthorshipFormSet(BaseInlineFormSet):
    """Writes the author order from the 'order' column: rows are sorted by it (ties keep their row
    order) and renumbered 1..n, so curators can reorder by typing numbers."""

    def save(self, commit=True):
        instances = super().save(commit=False)
        if not commit:
            return instances
        kept = [
            (index, form)
            for index, form in enumerate(self.forms)
            if form not in self.deleted_forms and (form.instance.pk or form.has_changed()) and form.is_valid()
        ]
        kept.sort(key=lambda pair: (pair[1].cleaned_data.get("order") or float("inf"), pair[0]))
        set_authors(
            self.instance,
            [
                AuthorEntry(
                    form.instance.person,
                    affiliation=form.instance.affiliation,
                    is_corresponding=form.instance.is_corresponding,
                    authorship=form.instance if form.instance.pk else None,
                )
                for _, form in kept
            ],
        )
        return instances


class AuthorshipInline(admin.TabularInline):
    model = Authorship
    form = AuthorshipForm
    formset = AuthorshipFormSet
    fields = ["order", "person", "affiliation", "is_corresponding"]
    autocomplete_fields = ["person"]
    ordering = ["position"]
    extra = 1


class PublicationStateInline(admin.TabularInline):
    model = PublicationState
    fields = ["status", "year", "month", "day"]
    extra = 0
    verbose_name = "publication status"
    verbose_name_plural = "publication history (the most advanced status is the current one)"


class ArticleDrugInline(admin.TabularInline):
    model = ArticleDrug
    fields = ["drug", "status", "source", "mention_count", "evidence"]
    autocomplete_fields = ["drug"]
    extra = 0
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 1, "cols": 40})}}


class ArticleConceptInline(admin.TabularInline):
    """The Fingerprint, computed; a curator can only hide a concept that is wrong for the article (it
    stays hidden when the Fingerprint is computed again)."""

    model = ArticleConcept
    verbose_name_plural = "Fingerprint (computed: tick “hidden” for a concept that is wrong here)"
    fields = ["concept", "category", "weight", "hidden"]
    readonly_fields = ["concept", "category", "weight"]
    ordering = ["-weight"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description="category")
    def category(self, item):
        return item.concept.get_kind_display()

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("concept")


@admin.register(Concept)
class ConceptAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "key", "article_count"]
    list_filter = ["kind"]
    search_fields = ["name", "key"]
    readonly_fields = ["kind", "key", "name", "article_count"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False


def first_author_subquery():
    authorships = Authorship.objects.filter(article=OuterRef("pk"), position=1)
    return Subquery(authorships.values("person__family_name")[:1]), Subquery(
        authorships.values("person__collective_name")[:1]
    )


def _move_to_state(state, verb):
    def action(modeladmin, request, queryset):
        count = len(move_to_state(queryset, state, request.user))
        modeladmin.message_user(request, f"{count} article(s) {verb}.", messages.SUCCESS)

    action.__name__ = f"move_to_{state.value}"
    action.short_description = f"Move selected articles to “{state.label}”"
    action.allowed_permissions = ("change",)
    return action


@admin.register(Article)
class ArticleAdmin(EditConflictProtection, SimpleHistoryAdmin):
    list_display = [
        "short_title",
        "first_author",
        "journal",
        "publication_year",
        "output_type",
        "curation_state",
        "modified",
    ]
    list_filter = ["curation_state", "category", "output_type", "peer_reviewed", "publication_status", "language"]
    list_select_related = ["journal"]
    search_fields = ["title", "=doi", "=pmid", "=pmcid"]
    search_help_text = "Title words, or an exact DOI, PMID or PMCID."
    autocomplete_fields = ["journal", "keywords", "subject_areas"]
    readonly_fields = ["current_publication_status", "created", "modified"]
    inlines = [AuthorshipInline, PublicationStateInline, ArticleDrugInline, ArticleConceptInline]
    actions = [
        _move_to_state(CurationState.APPROVED, "approved"),
        _move_to_state(CurationState.IN_REVIEW, "sent to review"),
        _move_to_state(CurationState.WITHDRAWN, "withdrawn"),
        _move_to_state(CurationState.DRAFT, "returned to draft"),
    ]
    show_full_result_count = False
    list_per_page = 50
    ordering = ["-modified"]
    fieldsets = [
        (None, {"fields": ["title", "subtitle", "abstract", "curation_state"]}),
        ("Research output", {"fields": [("category", "output_type"), "peer_reviewed", "language"]}),
        (
            "Publication",
            {
                "fields": [
                    "journal",
                    ("volume", "issue"),
                    ("first_page", "last_page", "article_number", "page_count"),
                    "current_publication_status",
                ]
            },
        ),
        ("Identifiers", {"fields": [("doi", "pmid", "pmcid")]}),
        ("Classification", {"fields": ["keywords", "subject_areas"]}),
        ("Record", {"fields": [("created", "modified")], "classes": ["collapse"]}),
    ]

    def get_queryset(self, request):
        family, collective = first_author_subquery()
        return super().get_queryset(request).annotate(first_family_name=family, first_collective_name=collective)

    @admin.display(description="title", ordering="title")
    def short_title(self, obj):
        text = plain_text(obj.full_title)
        return text if len(text) <= 90 else text[:89] + "…"

    @admin.display(description="first author")
    def first_author(self, obj):
        return obj.first_family_name or obj.first_collective_name or "—"

    @admin.display(description="current publication status")
    def current_publication_status(self, obj):
        return obj.publication_status_line or "—"

    def save_model(self, request, obj, form, change):
        # The record with its keywords and subject areas; the inlines follow in save_related.
        save_article(obj, keywords=form.cleaned_data["keywords"], subject_areas=form.cleaned_data["subject_areas"])

    def save_related(self, request, form, formsets, change):
        # No form.save_m2m(): save_article wrote the keywords and subject areas.
        with collecting():
            for formset in formsets:
                self.save_formset(request, form, formset, change=change)
            form.instance.refresh_publication_status()
            refresh_derived([form.instance.pk])


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


def _set_link_status(status, verb):
    def action(modeladmin, request, queryset):
        count = len(decide_drug_links(queryset, status, request.user))
        modeladmin.message_user(request, f"{count} link(s) {verb}.", messages.SUCCESS)

    action.__name__ = f"mark_{status.value}"
    action.short_description = f"Mark selected links as {status.label.lower()}"
    action.allowed_permissions = ("change",)
    return action


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


IMPORT_OUTCOMES = ["created", "updated", "unchanged", "rejected"]


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    """Upload a file to import it; the page that follows shows its progress, then what it did."""

    list_display = ["original_name", "status", "uploaded_by", "queued", *[f"{o}_count" for o in IMPORT_OUTCOMES]]
    list_filter = ["status"]
    list_select_related = ["uploaded_by"]
    search_fields = ["original_name"]
    date_hierarchy = "queued"
    change_form_template = "admin/literature/importjob/change_form.html"
    readonly_fields = ["original_name", "file_size", "uploaded_by", "curation_state", "skip_invalid", "status",
                       "queued", "started", "finished"]  # fmt: skip

    def get_fields(self, request, obj=None):
        return ["upload", "curation_state", "skip_invalid"] if obj is None else self.readonly_fields

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.readonly_fields

    def has_change_permission(self, request, obj=None):
        return False  # a record of what happened; upload the file again to import it again

    @admin.display(description="size")
    def file_size(self, job):
        return filesizeformat(job.size)

    def save_model(self, request, obj, form, change):
        upload = form.cleaned_data["upload"]
        obj.original_name = Path(upload.name).name[:255]
        obj.size = upload.size
        obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)
        # After the upload is committed: a small file imports now, a large one is queued.
        transaction.on_commit(lambda: start_import(obj))

    def response_add(self, request, obj, post_url_continue=None):
        return HttpResponseRedirect(reverse("admin:literature_importjob_change", args=[obj.pk]))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        job = self.get_object(request, object_id)
        context = {"job": job}
        if job is not None and job.is_pending:
            context["progress"] = progress_of(job)
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), **context})

    def get_urls(self):
        download = self.admin_site.admin_view(self.download_rejected)
        return [
            path("<int:object_id>/rejected/", download, name="literature_importjob_rejected"),
            *super().get_urls(),
        ]

    def download_rejected(self, request, object_id):
        job = self.get_object(request, object_id)
        if job is None or not self.has_view_permission(request, job) or not job.rejected_file:
            raise Http404("No rejected records for this import.")
        name = Path(job.rejected_file.name).name
        return FileResponse(job.rejected_file.open("rb"), as_attachment=True, filename=name)
