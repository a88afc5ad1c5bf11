"""Articles in the admin: the list that stays fast on a large corpus, the change form with its
authors, publication history, drug links and Fingerprint inlines, and the bulk curation actions. Every
save goes through `literature.curation.articles`."""

from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import Count, OuterRef, Subquery
from django.forms.models import BaseInlineFormSet
from simple_history.admin import SimpleHistoryAdmin

from literature.admin.actions import ReasonActionForm, bulk_action
from literature.admin.display import truncated, truncated_markup
from literature.curation.articles import AuthorEntry, move_to_state, save_article, set_authors
from literature.curation.conflicts import EditConflictProtection
from literature.curation.governance import DecisionRefused, check_state_decision
from literature.derived import collecting, refresh_derived
from literature.derived.cache import cached_for_corpus
from literature.derived.counting import CachedCountPaginator
from literature.models import (
    Accession,
    Article,
    ArticleConcept,
    ArticleDrug,
    ArticleRelation,
    Authorship,
    CurationState,
    MeshHeading,
    PublicationState,
    PublicationType,
)
from literature.search.facets import is_frequent
from literature.search.filters import identifier_in, with_identifier
from literature.values.languages import language_name


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
    fields = ["status", "year", "month", "day", "as_given"]
    extra = 0
    verbose_name = "publication status"
    verbose_name_plural = "publication history (the most advanced status is the current one)"


class ArticleDrugInline(admin.TabularInline):
    model = ArticleDrug
    fields = ["drug", "status", "source", "mention_count", "evidence"]
    autocomplete_fields = ["drug"]
    extra = 0
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 1, "cols": 40})}}


class IndexingInline(admin.TabularInline):
    """NLM's indexing as the source record gave it: read, not rewritten here (a wrong row can be deleted)."""

    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class MeshHeadingInline(IndexingInline):
    model = MeshHeading
    verbose_name_plural = "MeSH terms (as NLM indexed them; * a major topic)"
    fields = ["position", "heading", "descriptor_ui"]
    readonly_fields = ["position", "heading", "descriptor_ui"]

    @admin.display(description="descriptor/qualifiers")
    def heading(self, obj):
        return str(obj)


class ArticleRelationInline(IndexingInline):
    model = ArticleRelation
    verbose_name_plural = "errata, retractions and comments (as PubMed linked them)"
    fields = ["position", "kind", "citation", "pmid"]
    readonly_fields = ["position", "kind", "citation", "pmid"]


class PublicationTypeInline(IndexingInline):
    model = PublicationType
    verbose_name_plural = "publication types (as PubMed gave them)"
    fields = ["position", "name", "ui"]
    readonly_fields = ["position", "name", "ui"]


class AccessionInline(IndexingInline):
    model = Accession
    verbose_name_plural = "numbers in the databases it was imported from (a record with one is this article)"
    fields = ["database", "identifier"]
    readonly_fields = ["database", "identifier"]


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


class ArticleAdminForm(forms.ModelForm):
    """The record, and a change comment kept in its history (required to withdraw the article)."""

    change_comment = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Why you made this change: shown in the history. Required to withdraw the article.",
    )
    curator = None  # the user saving, set by ArticleAdmin.get_form (the four-eyes rule needs it)

    def clean(self):
        cleaned = super().clean()
        if "curation_state" in cleaned:
            try:
                cleaned["change_comment"] = check_state_decision(
                    self.instance.pk,
                    self.instance.curation_state,  # as read: the form's values reach the instance after clean()
                    cleaned["curation_state"],
                    cleaned.get("change_comment"),
                    self.curator,
                    edits=lambda: bool(set(self.changed_data) - {"curation_state", "change_comment"}),
                )
            except DecisionRefused as refused:
                self.add_error("change_comment" if refused.code == "reason_required" else "curation_state", refused)
        return cleaned


class LanguagePresentFilter(admin.SimpleListFilter):
    """Only the languages the articles are in (not every ISO 639 language), most articles first. The
    list is cached with the corpus version: reading it means a pass over every article."""

    title = "original language"
    parameter_name = "language"

    def lookups(self, request, model_admin):
        def present():
            rows = Article.objects.order_by().values_list("language").annotate(n=Count("pk")).order_by("-n")
            return [code for code, _ in rows if code]

        return [(code, language_name(code) or code) for code in cached_for_corpus("admin-languages", (), present)]

    def queryset(self, request, queryset):
        return queryset.filter(language=self.value()) if self.value() else queryset


def first_author_subquery():
    authorships = Authorship.objects.filter(article=OuterRef("pk"), position=1)
    return Subquery(authorships.values("person__family_name")[:1]), Subquery(
        authorships.values("person__collective_name")[:1]
    )


def _move_to_state(state, verb):
    return bulk_action(
        f"move_to_{state.value}",
        f"Move selected articles to “{state.label}”",
        "article",
        verb,
        lambda articles, user, reason: move_to_state(articles, state, user, reason),
    )


@admin.register(Article)
class ArticleAdmin(EditConflictProtection, SimpleHistoryAdmin):
    form = ArticleAdminForm
    action_form = ReasonActionForm
    list_display = [
        "short_title",
        "first_author",
        "journal_title",
        "publication_year",
        "output_type",
        "curation_state",
        "modified",
    ]
    list_filter = [
        "curation_state",
        "category",
        "output_type",
        "peer_reviewed",
        "publication_status",
        LanguagePresentFilter,
    ]
    list_select_related = ["journal"]
    search_fields = ["title"]  # the box is shown; get_search_results below does the searching
    search_help_text = (
        'Words of the title, abstract, keywords or authors, as in the site\'s search box ("phrases", prefix*, '
        "-exclude); or a DOI, PMID or PMCID alone."
    )
    autocomplete_fields = ["journal", "keywords", "subject_areas"]
    readonly_fields = ["current_publication_status", "created", "modified"]
    inlines = [
        AuthorshipInline,
        PublicationStateInline,
        ArticleDrugInline,
        MeshHeadingInline,
        ArticleRelationInline,
        AccessionInline,
        PublicationTypeInline,
        ArticleConceptInline,
    ]
    actions = [
        _move_to_state(CurationState.APPROVED, "approved"),
        _move_to_state(CurationState.IN_REVIEW, "sent to review"),
        _move_to_state(CurationState.WITHDRAWN, "withdrawn"),
        _move_to_state(CurationState.DRAFT, "returned to draft"),
    ]
    show_full_result_count = False

    def get_search_results(self, request, queryset, search_term):
        """A DOI, PMID or PMCID alone finds its article, as on the site; words go through the full-text
        index, not Django's `title LIKE '%word%'` (a scan of every title: 0.5 s at 1M articles). Words in
        a large share of the corpus are looked up per article in the list's order (-modified), so a page
        stops after a few rows where all their matches would be sorted; counted by the matches and
        cached per corpus version (get_paginator)."""
        term = search_term.strip()
        if not term:
            return queryset, False
        identifier = identifier_in(term)
        if identifier is not None:
            return with_identifier(queryset, *identifier), False
        request.articles_counted = queryset.with_words(term)
        return queryset.with_words(term, walk=is_frequent(term)), False

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        counted = getattr(request, "articles_counted", None)
        return CachedCountPaginator(queryset, per_page, orphans, allow_empty_first_page, counted=counted)

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
        ("Change comment", {"fields": ["change_comment"]}),
    ]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"curator": request.user})

    def get_queryset(self, request):
        family, collective = first_author_subquery()
        return super().get_queryset(request).annotate(first_family_name=family, first_collective_name=collective)

    @admin.display(description="title", ordering="title")
    def short_title(self, obj):
        return truncated_markup(obj.full_title, 90)

    @admin.display(description="journal", ordering="journal__title")
    def journal_title(self, obj):
        return truncated(obj.journal.title, 32) if obj.journal else "—"

    @admin.display(description="first author")
    def first_author(self, obj):
        return obj.first_family_name or obj.first_collective_name or "—"

    @admin.display(description="current publication status")
    def current_publication_status(self, obj):
        return obj.publication_status_line or "—"

    def save_model(self, request, obj, form, change):
        # The record with its keywords and subject areas; the inlines follow in save_related.
        obj._history_user = request.user  # as SimpleHistoryAdmin.save_model would
        save_article(
            obj,
            keywords=form.cleaned_data.get("keywords"),
            subject_areas=form.cleaned_data.get("subject_areas"),
            user=request.user,
            reason=form.cleaned_data.get("change_comment"),
        )

    def save_related(self, request, form, formsets, change):
        # No form.save_m2m(): save_article wrote the keywords and subject areas.
        with collecting():
            for formset in formsets:
                self.save_formset(request, form, formset, change=change)
            form.instance.refresh_publication_status()
            refresh_derived([form.instance.pk])
