"""Atom feeds of the newest public articles: overall, per drug, per keyword and per search."""

from django.contrib.syndication.views import Feed
from django.core.exceptions import BadRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from literature.models import Article, Drug, Keyword
from literature.search.filters import ArticleFilterSet
from literature.values.markup import plain_text
from literature.web.profiles import drug_articles, keyword_articles

FEED_SIZE = 50


class NewestArticlesFeed(Feed):
    feed_type = Atom1Feed
    title = "Newest articles"
    subtitle = "The newest curated research outputs."

    def link(self):
        return reverse("literature:article-list")

    def articles(self, obj):
        return Article.objects.public()

    def items(self, obj=None):
        return self.articles(obj).for_listing().order_by("-created", "-pk")[:FEED_SIZE]

    def item_title(self, article):
        return plain_text(article.full_title)

    def item_description(self, article):
        return plain_text(article.abstract)[:1000]

    def item_author_name(self, article):
        return ", ".join(person.display_name for person in article.authors) or None

    def item_pubdate(self, article):
        return article.created

    def item_updateddate(self, article):
        return article.modified

    def item_categories(self, article):
        return [article.get_output_type_display()]


class DrugFeed(NewestArticlesFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Drug, slug=slug)

    def title(self, drug):
        return f"Newest articles on {drug.name}"

    def subtitle(self, drug):
        return f"Curated research outputs that discuss {drug.name}."

    def link(self, drug):
        return drug.get_absolute_url()

    def articles(self, drug):
        return drug_articles(drug)


class KeywordFeed(NewestArticlesFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Keyword, slug=slug)

    def title(self, keyword):
        return f"Newest articles with keyword “{keyword.name}”"

    def subtitle(self, keyword):
        return f"Curated research outputs with the keyword {keyword.name}."

    def link(self, keyword):
        return keyword.get_absolute_url()

    def articles(self, keyword):
        return keyword_articles(keyword)


class SearchFeed(NewestArticlesFeed):
    """/articles/feed/?<the search's parameters>: the search's articles, newest added first (or in the
    order its `sort` asks for), so that a reader can follow a search."""

    def get_object(self, request):
        filterset = ArticleFilterSet(request.GET, queryset=Article.objects.public())
        if not filterset.is_valid():
            problems = "; ".join(f"{name}: {' '.join(errors)}" for name, errors in filterset.errors.items())
            raise BadRequest(f"This search cannot be followed: {problems}")
        filterset.query_string = request.GET.urlencode()  # on the request's object: the feed is shared
        return filterset

    def title(self, filterset):
        query = filterset.form.cleaned_data.get("q")
        return f"Articles matching “{query}”" if query else "Articles of a search"

    def subtitle(self, filterset):
        return "The newest curated research outputs of this search."

    def link(self, filterset):
        query = filterset.query_string
        return reverse("literature:article-list") + (f"?{query}" if query else "")

    def items(self, filterset):
        articles = filterset.qs.for_listing()
        if not filterset.form.cleaned_data.get("sort"):
            articles = articles.order_by("-created", "-pk")
        return articles[:FEED_SIZE]
