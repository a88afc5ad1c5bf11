"""What readers may see, defined once: an article is public when it is approved. Every model's
`public()` and `with_public_article_counts()` verb reaches its articles through `public_articles()`."""

from django.apps import apps
from django.db import models
from django.db.models import Q


class CurationState(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    APPROVED = "approved", "Approved"
    WITHDRAWN = "withdrawn", "Withdrawn"


def public_articles(path=""):
    """The condition "the article is public", for an article reached through `path` from the queried
    model ("" for Article itself, "articles__" from a keyword, "authorships__article__" from a person)."""
    return Q(**{f"{path}curation_state": CurationState.APPROVED})


def is_public(article):
    """The same condition as `public_articles()`, for an article in hand."""
    return article.curation_state == CurationState.APPROVED


def public_article_model():
    """`Article.objects.public()`, for the models that articles.py itself imports (journals, people,
    keywords, subject areas), which cannot import Article in turn."""
    return apps.get_model("literature", "Article").objects.public()
