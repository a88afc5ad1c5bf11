"""The public pages: approved articles only, each page a fixed number of queries."""

import re

from django.conf import settings
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.templatetags.static import static
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views import View
from django.views.decorators.http import require_GET
from django.views.generic import DetailView, ListView, TemplateView

from literature.citations import csl
from literature.citations.exports import EXPORTS, export_response
from literature.citations.formats import ANY_CSL_STYLE, FORMATS, cite_all
from literature.curation.merging import article_for_id, keyword_for_slug
from literature.derived.counting import CachedCountPaginator
from literature.mining.fingerprint import cached_similar_articles, grouped
from literature.models import Article, Drug, Journal, Keyword, Person, SubjectArea, attach_cited_by_counts
from literature.search.facets import (
    APPROXIMATE,
    RESULTS,
    article_count_of,
    drugs_by_article_count,
    facet_counts,
    facets_for,
    is_large_share,
)
from literature.search.filters import ArticleFilterSet, PageSizeForm, SortChoices, identifier_in, with_identifier
from literature.search.highlight import highlighted_html, snippet, terms_of
from literature.search.ranking import in_rank_window
from literature.search.suggestions import did_you_mean
from literature.values.markup import plain_text
from literature.web.charts import publications_per_year
from literature.web.metadata import highwire_tags, json_for_script, scholarly_article
from literature.web.profiles import (
    drug_articles,
    drug_profile,
    journal_profile,
    keyword_articles,
    keyword_profile,
    person_profile,
)

ARTICLES_PER_PAGE = 25


def _without(data, names):
    kept = data.copy()
    for name in names:
        kept.pop(name, None)
    return kept.urlencode()


def article_for_identifier(text):
    """The public article `text` names when it is nothing but a DOI (any form), a PMID or a PMCID."""
    identifier = identifier_in(text)
    return None if identifier is None else with_identifier(Article.objects.public(), *identifier).first()


# Pages are numbered only this deep (an OFFSET scan past it costs seconds on a large corpus); the API's
# cursor walks everything.
MAX_BROWSABLE_RESULTS = 10_000


class CountedPaginator(CachedCountPaginator):
    """A paginator told its count (cached with the facets) instead of counting itself; with rows_of, its
    pages are cached_pages."""

    def __init__(self, object_list, per_page, count, rows_of=None):
        super().__init__(object_list, per_page, rows_of=rows_of)
        self.__dict__["count"] = count


def paginate(request, queryset, per_page, notices, count=None, rows_of=None):
    """The requested page; a page past the end or a non-number shows the nearest real page and says so,
    and pages past MAX_BROWSABLE_RESULTS are not numbered. With a count (and rows_of), see
    CountedPaginator."""
    counted = count is not None
    paginator = CountedPaginator(queryset, per_page, count, rows_of) if counted else Paginator(queryset, per_page)
    requested = request.GET.get("page") or 1
    deepest = max(1, MAX_BROWSABLE_RESULTS // per_page)
    if str(requested).isdecimal() and int(requested) > deepest and paginator.num_pages > deepest:
        notices.append(
            f"Pages are numbered up to {deepest} ({MAX_BROWSABLE_RESULTS:,} results); showing page {deepest}. "
            "Narrow the search with the filters, or walk every result with the API's cursor."
        )
        return paginator.page(deepest)
    try:
        return paginator.page(requested)
    except PageNotAnInteger:
        notices.append(f"“{requested[:20]}” is not a page number; showing the first page.")
        return paginator.page(1)
    except EmptyPage:
        last = paginator.num_pages
        notices.append(f"There is no page {str(requested)[:20]}; showing the last page ({last}).")
        return paginator.page(last)


class ArticleExportView(View):
    """/articles/export/<format>/?<search parameters>: every result of the search, streamed."""

    def get(self, request, format):
        export = EXPORTS.get(format)
        if export is None:
            raise Http404(f"No export format {format!r}")
        filterset = ArticleFilterSet(request.GET, queryset=Article.objects.public())
        if not filterset.is_valid():
            problems = "; ".join(f"{name}: {' '.join(errors)}" for name, errors in filterset.errors.items())
            return HttpResponse(f"Not exported: {problems}", status=400, content_type="text/plain; charset=utf-8")
        return export_response(filterset.qs, export, lambda a: request.build_absolute_uri(a.get_absolute_url()))


class HomeView(TemplateView):
    template_name = "literature/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["articles"] = Article.objects.public().for_listing().newest_first()[:10]
        context["article_count"] = Article.objects.public().count()
        return context


class ArticleSearchView(TemplateView):
    """/articles/: search, filters, facet counts, sorting and pagination, all in the URL."""

    template_name = "literature/article_search.html"

    def get(self, request, *args, **kwargs):
        # A DOI, PMID or PMCID alone in the box goes straight to its article, as PubMed does.
        found = article_for_identifier(request.GET.get("q", ""))
        if found is not None and set(request.GET) <= {"q"}:
            return redirect(found)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        data = self.request.GET
        notices = []
        base = Article.objects.public()
        filterset = ArticleFilterSet(data, queryset=base)
        for name, errors in filterset.errors.items():
            value = data.get(name, "")
            shown = value if len(value) <= 40 else value[:40] + "…"
            if name == "q":
                notices.append(f"Your search was ignored: {' '.join(errors)}")
            else:
                notices.append(f"Ignored {name}=“{shown}”: {' '.join(errors)}")
        size_form = PageSizeForm(data)
        page_size = (size_form.is_valid() and size_form.cleaned_data.get("page_size")) or ARTICLES_PER_PAGE
        if "page_size" in data and not size_form.is_valid():
            notices.append("The page size must be 10, 25, 50 or 100; showing 25 a page.")
        counts = facet_counts(filterset, base)  # with the number of results: no COUNT(*) per page
        valid = filterset.is_valid()
        results, window = in_rank_window(filterset, filterset.listed()) if valid else (filterset.qs, None)
        if window:
            notices.append(
                f"Ranked by relevance among the {window:,} most recently added matches; "
                "sort by newest or oldest, or add a filter, to rank or reach every match."
            )
        # The page's ids are cached per search and corpus version; its rows read again, public ones only.
        rows_of = Article.objects.public().for_listing().filter
        page = paginate(
            self.request, results, page_size, notices, counts[RESULTS], rows_of=lambda ids: rows_of(pk__in=ids)
        )
        facets = facets_for(filterset, counts)
        searched = filterset.form.cleaned_data["q"] if valid and data.get("q") else ""
        context.update(text_search_aids(data, filterset, searched, page))
        context.update(
            filterset=filterset,
            form=filterset.form,
            page_obj=page,
            articles=page.object_list,
            result_count=page.paginator.count,
            result_count_approximate=RESULTS in counts.get(APPROXIMATE, ()),
            facets=facets,  # the page draws the years as the histogram
            year_chart=year_histogram(facets),
            years_approximate="year" in counts.get(APPROXIMATE, ()),
            notices=notices,
            sort_choices=SortChoices.choices,
            active_sort=filterset.active_sort,
            page_size=page_size,
            page_sizes=[10, 25, 50, 100],
            searching=bool(filterset.form.cleaned_data.get("q")),
            exports=EXPORTS.values(),
            export_query=_without(data, {"page", "page_size", "sort"}),
            feed_query=_without(data, {"page", "page_size"}),
            concept=filterset.form.cleaned_data.get("concept"),
            without_concept=_without(data, {"concept", "page"}),
            cited=filterset.form.cleaned_data.get("cites"),
            without_cited=_without(data, {"cites", "page"}),
            also_searched=_also_searched(data, getattr(filterset, "also_searched", [])),
        )
        return context


def year_histogram(facets):
    """The year facet as a bar chart whose bars select (or, selected, drop) their year."""
    (years,) = [facet for facet in facets if facet.name == "year"]
    counts, urls, selected = {}, {}, set()
    for value in years.values:
        year = int(value.value)
        counts[year], urls[year] = value.count, value.url
        if value.selected:
            selected.add(year)
    return publications_per_year(counts, width=320, height=140, max_ticks=4, urls=urls, selected=selected)


def text_search_aids(data, filterset, searched, page):
    """What a page of results of the text search `searched` shows beside them: each article's passage
    with the query's words marked (search/highlight.py: the words as searched, drug synonyms included,
    also handed to the article page as ?hl=), and "did you mean" (search/suggestions.py) as (suggested
    query, its query string)."""
    if not searched:
        return {"highlight_query": "", "did_you_mean": None}
    highlight = filterset.prepared_search(searched)[1]
    terms = terms_of(highlight)
    for article in page.object_list if terms else ():
        article.snippet = snippet(plain_text(article.abstract), terms)
    suggested = did_you_mean(searched, page.paginator.count)
    if suggested is not None:
        changed = data.copy()
        changed["q"] = suggested
        changed.pop("page", None)
        suggested = (suggested, changed.urlencode())
    return {"highlight_query": highlight if terms else "", "did_you_mean": suggested}


def _also_searched(data, also):
    """[(word, other names searched, query string searching the word only)]: the exact word is the
    word in quotes (synonyms.py expands no quoted word)."""
    shown = []
    for word, others in also:
        exact = data.copy()
        exact["q"] = re.sub(rf'(?<!["\w-]){re.escape(word)}(?![\w*"])', f'"{word}"', data.get("q", ""), count=1)
        exact.pop("page", None)
        shown.append((word, others, exact.urlencode()))
    return shown


CITED_BY_SHOWN = 10


def citation_links(article):
    """The article's references, each with the portal's article it cites (or None), and the newest
    public articles citing it with how many there are in all."""
    references = list(article.references.all())
    cited = Article.objects.public().in_bulk({ref.cited_article_id for ref in references} - {None})
    for reference in references:
        reference.cited_article = cited.get(reference.cited_article_id)
    attach_cited_by_counts([article])
    citing = Article.objects.public().citing(article).newest_first()[:CITED_BY_SHOWN] if article.cited_by_count else []
    return {
        "references": references,
        "cited_by": citing,
        "cited_by_url": f"{reverse('literature:article-list')}?cites={article.pk}",
    }


def article_relations(article):
    """The article's errata, retractions and comments, each with the portal's article it names (or None,
    one query for them all, none when no relation names one), and whether a notice retracted the article
    or raised a concern about it."""
    relations = list(article.relations.all())
    named = {relation.related_article_id for relation in relations} - {None}
    found = Article.objects.public().in_bulk(named) if named else {}
    for relation in relations:
        relation.related_article = found.get(relation.related_article_id)
    return {
        "relations": relations,
        "retracted_by": [relation for relation in relations if relation.retracts_its_article],
        "cautioned_by": [relation for relation in relations if relation.cautions_about_its_article],
    }


class ArticleDetailView(DetailView):
    """The article page; for a curator also the preview of an article not (or no longer) public, at the
    same URL, marked as such and never stored by a cache or indexed."""

    template_name = "literature/article_detail.html"
    context_object_name = "article"

    def get_queryset(self):
        return Article.objects.visible_to(self.request.user).for_detail()

    def get(self, request, *args, **kwargs):
        try:
            self.object = self.get_object()
        except Http404:
            kept = article_for_id(kwargs["pk"])  # merged into another article?
            if kept is None or kept.pk == kwargs["pk"] or not Article.objects.public().filter(pk=kept.pk).exists():
                raise
            return redirect(kept, permanent=True)
        if kwargs.get("slug") != self.object.slug:
            return redirect(self.object, permanent=not self.object.is_preview_only)
        response = self.render_to_response(self.get_context_data(object=self.object))
        if self.object.is_preview_only:
            patch_cache_control(response, private=True, no_store=True)
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page_url = self.request.build_absolute_uri(self.object.get_absolute_url())
        context["highwire_tags"] = highwire_tags(self.object)
        context["json_ld"] = json_for_script(scholarly_article(self.object, page_url))
        context["canonical_url"] = page_url
        terms = terms_of(self.request.GET.get("hl", "")[: settings.MAX_QUERY_CHARS])  # reached from a search
        context["title_html"] = highlighted_html(self.object.full_title, terms)
        context["abstract_shown"] = highlighted_html(self.object.abstract_html, terms)
        context["citations"] = cite_all(self.object)
        context["fingerprint"] = grouped(self.object.concepts.shown().select_related("concept"))
        context["similar"] = cached_similar_articles(self.object)
        context.update(citation_links(self.object))
        context.update(article_relations(self.object))
        return context


class CitationView(DetailView):
    """/articles/<id>/cite/<format>: one citation as a download; `csl` takes any CSL style by name."""

    def get_queryset(self):
        return Article.objects.public().for_detail()

    def get(self, request, *args, **kwargs):
        article = self.get_object()
        citation_format = FORMATS.get(kwargs["format"])
        if citation_format is None:
            known = ", ".join(sorted(FORMATS))
            return HttpResponse(
                f"No citation format '{kwargs['format'][:40]}'. Formats: {known}; or csl?style=NAME for any CSL style.",
                status=404,
                content_type="text/plain; charset=utf-8",
            )
        style = request.GET.get("style") or "apa"
        if citation_format is ANY_CSL_STYLE and not csl.style_exists(style):
            return HttpResponse(
                f"No CSL style named '{style[:80]}'. Style names are the file names of the Citation Style "
                "Language repository (https://github.com/citation-style-language/styles) without .csl, "
                "e.g. apa, nature, chicago-author-date, elsevier-vancouver.",
                status=404,
                content_type="text/plain; charset=utf-8",
            )
        text, _ = citation_format.render(article, style)
        response = HttpResponse(text, content_type=citation_format.content_type)
        filename = f"{csl.citation_key(article)}.{citation_format.extension}"
        disposition = "inline" if request.GET.get("inline") else "attachment"
        response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
        return response


class ArticlesOfMixin:
    """A detail page that lists the public articles of its object, newest first, paginated. An object
    with no public article has no page: a keyword, journal, person or drug known only from drafts or
    rejected articles is not public yet, not even by name."""

    def articles_of(self, obj, walk=False):
        """Its public articles; walk: as a queryset that reads them a page at a time from the newest-first
        index (ArticleQuerySet._linked_by), for an object with a large share of the corpus."""
        raise NotImplementedError

    def count_of(self, obj):
        """How many articles articles_of(obj) has: counted once per corpus version (estimated from a
        sample past 20,000, search/sampling.py), or where a page knows it otherwise, that number."""
        return article_count_of(obj, self.articles_of)

    def get_object(self, queryset=None):
        obj = super().get_object(queryset)
        self.article_count = self.count_of(obj)
        if not self.article_count:
            raise Http404(f"No {obj._meta.verbose_name} with public articles here.")
        return obj

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        articles = self.articles_of(self.object, walk=is_large_share(self.article_count))
        paginator = CountedPaginator(articles.for_listing().newest_first(), ARTICLES_PER_PAGE, self.article_count)
        page = paginator.get_page(self.request.GET.get("page"))
        context.update(page_obj=page, articles=page.object_list, is_paginated=page.has_other_pages())
        return context


class ProfileMixin(ArticlesOfMixin):
    """A page with the cached profile of its object (profiles.py): its chart, and its article count."""

    def profile_of(self, obj):
        raise NotImplementedError

    def count_of(self, obj):
        self.profile = self.profile_of(obj)
        return self.profile["count"]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            profile=self.profile,
            chart=publications_per_year(self.profile["years"]),
            approximate=self.profile.get("approximate", False),  # entries cached before estimates had none
        )
        return context


class JournalDetailView(ProfileMixin, DetailView):
    model = Journal
    template_name = "literature/journal_detail.html"

    def articles_of(self, journal, walk=False):
        return Article.objects.public().in_journal(journal, walk)

    def profile_of(self, journal):
        return journal_profile(journal)


class PersonDetailView(ProfileMixin, DetailView):
    model = Person
    template_name = "literature/person_detail.html"

    def articles_of(self, person, walk=False):
        return Article.objects.public().by_person(person, walk)

    def profile_of(self, person):
        return person_profile(person)


class KeywordDetailView(ProfileMixin, DetailView):
    model = Keyword
    template_name = "literature/keyword_detail.html"

    def get(self, request, *args, **kwargs):
        keyword = keyword_for_slug(kwargs["slug"])
        if keyword is None:
            raise Http404("No such keyword.")
        if keyword.slug != kwargs["slug"]:  # merged into another keyword
            return redirect(keyword, permanent=True)
        return super().get(request, *args, **kwargs)

    def articles_of(self, keyword, walk=False):
        return keyword_articles(keyword, walk)

    def profile_of(self, keyword):
        return keyword_profile(keyword)


class DrugListView(TemplateView):
    """The drugs with public articles, most articles first, 50 a page; `?q=` keeps those with a name
    (or a synonym, brand or code) containing the words, so that "lenal" finds lenalidomide."""

    template_name = "literature/drug_list.html"
    per_page = 50

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = " ".join(self.request.GET.get("q", "").split())[:100]
        ranking = drugs_by_article_count()
        if query:
            matching = set(Drug.objects.named_like(query).values_list("pk", flat=True))
            ranking = [(pk, count) for pk, count in ranking if pk in matching]
        page = Paginator(ranking, self.per_page).get_page(self.request.GET.get("page"))
        drugs = Drug.objects.in_bulk([pk for pk, _ in page.object_list])
        context.update(
            query=query,
            page_obj=page,
            drugs=[(drugs[pk], count) for pk, count in page.object_list],
            drug_total=len(ranking),
        )
        return context


class DrugDetailView(ProfileMixin, DetailView):
    model = Drug
    template_name = "literature/drug_detail.html"

    def get_queryset(self):
        return Drug.objects.prefetch_related("names")

    def articles_of(self, drug, walk=False):
        return drug_articles(drug, walk)

    def profile_of(self, drug):
        return drug_profile(drug)


class SubjectListView(ListView):
    template_name = "literature/subject_list.html"
    context_object_name = "areas"

    def get_queryset(self):
        fields = SubjectArea.objects.fields().with_public_article_counts()
        counts = {field.pk: field for field in fields}
        areas = list(SubjectArea.objects.areas())
        for area in areas:
            area.fields = [field for field in counts.values() if field.parent_id == area.pk]
            area.empty_fields = [field for field in area.fields if not field.article_count]
            area.article_count = sum(field.article_count for field in area.fields)
        return areas

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["empty_areas"] = [area for area in context["areas"] if not area.article_count]
        return context


class SubjectDetailView(ArticlesOfMixin, DetailView):
    template_name = "literature/subject_detail.html"
    context_object_name = "subject"

    def get_object(self, queryset=None):
        # ASJC is a public classification: a subject's page exists even while it has no article.
        subject = get_object_or_404(SubjectArea.objects.select_related("parent"), code=self.kwargs["code"])
        self.article_count = self.count_of(subject)
        return subject

    def articles_of(self, subject, walk=False):
        return Article.objects.public().in_subject(subject, walk)


def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says: the site's icon, for a year."""
    response = redirect(static("favicon.svg"), permanent=True)
    response["Cache-Control"] = "public, max-age=31536000"
    return response


@require_GET
def robots_txt(request):
    sitemap = request.build_absolute_uri(reverse("literature:sitemap"))
    lines = ["User-agent: *", "Disallow: /admin/", "Disallow: /api/", "Allow: /", f"Sitemap: {sitemap}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
