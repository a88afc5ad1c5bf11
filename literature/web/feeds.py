"""Atom feeds of the newest public articles: overall, per drug and per keyword."""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from literature.models import Article, Drug, Keyword
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
