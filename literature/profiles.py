"""What the public literature says about one drug or keyword: publications per year and what co-occurs
with it most. Aggregates over possibly tens of thousands of articles, so cached per corpus version."""

from django.db.models import Count

from .caching import cached_for_corpus
from .models import Article, ArticleDrug, Keyword

TOP = 10


def _profile(articles, drug_id=None, keyword_id=None):
    ids = articles.order_by().values("pk")
    years = dict(
        articles.exclude(publication_year__isnull=True)
        .order_by()
        .values_list("publication_year")
        .annotate(n=Count("*"))
        .values_list("publication_year", "n")
    )
    keywords = (
        Article.keywords.through.objects.filter(article_id__in=ids)
        .exclude(keyword_id=keyword_id)
        .values("keyword_id")
        .annotate(n=Count("*"))
        .order_by("-n", "keyword_id")[:TOP]
    )
    drugs = (
        ArticleDrug.objects.confirmed()
        .filter(article_id__in=ids)
        .exclude(drug_id=drug_id)
        .values("drug_id", "drug__name", "drug__slug")
        .annotate(n=Count("*"))
        .order_by("-n", "drug__name")[:TOP]
    )
    keyword_rows = list(keywords)
    found = {
        pk: (name, slug)
        for pk, name, slug in Keyword.objects.filter(pk__in=[r["keyword_id"] for r in keyword_rows]).values_list(
            "pk", "name", "slug"
        )
    }
    return {
        "years": years,
        "keywords": [(*found[r["keyword_id"]], r["n"]) for r in keyword_rows],
        "drugs": [(r["drug__name"], r["drug__slug"], r["n"]) for r in drugs],
    }


def drug_articles(drug):
    return Article.objects.public().with_confirmed_drug(drug)


def keyword_articles(keyword):
    return Article.objects.public().with_keyword(keyword)


def drug_profile(drug):
    return cached_for_corpus("drug-profile", drug.pk, lambda: _profile(drug_articles(drug), drug_id=drug.pk))


def keyword_profile(keyword):
    return cached_for_corpus(
        "keyword-profile", keyword.pk, lambda: _profile(keyword_articles(keyword), keyword_id=keyword.pk)
    )
