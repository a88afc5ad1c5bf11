"""/sitemap.xml: every public page, so search engines find each article."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from literature.models import (
    Article,
    Drug,
    Journal,
    Keyword,
    Person,
    SubjectArea,
)


class ArticleSitemap(Sitemap):
    changefreq = "monthly"
    limit = 10_000

    def items(self):
        return Article.objects.public().only("pk", "title", "modified").order_by("pk")

    def lastmod(self, article):
        return article.modified


class DrugSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return Drug.objects.public().order_by("pk")


class KeywordSitemap(Sitemap):
    changefreq = "weekly"
    limit = 10_000

    def items(self):
        return Keyword.objects.public().order_by("pk")


class JournalSitemap(Sitemap):
    changefreq = "weekly"
    limit = 10_000

    def items(self):
        return Journal.objects.public().order_by("pk")


class PersonSitemap(Sitemap):
    changefreq = "monthly"
    limit = 10_000

    def items(self):
        return Person.objects.public().order_by("pk")


class SubjectSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return SubjectArea.objects.order_by("code")


class StaticPageSitemap(Sitemap):
    def items(self):
        return ["literature:home", "literature:article-list", "literature:drug-list", "literature:subject-list"]

    def location(self, name):
        return reverse(name)


SITEMAPS = {
    "pages": StaticPageSitemap,
    "articles": ArticleSitemap,
    "drugs": DrugSitemap,
    "keywords": KeywordSitemap,
    "journals": JournalSitemap,
    "people": PersonSitemap,
    "subjects": SubjectSitemap,
}
