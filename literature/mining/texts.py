"""What the mention detector and the Fingerprint read of an article: its title, its abstract, and the
names of its keywords and MeSH headings. Read here in three queries per batch, once for both; a writer
that has just written an article (an import's new articles) hands over what it wrote instead of having
it read back (`refresh_derived(..., texts=...)`).
"""

from collections import defaultdict
from dataclasses import dataclass, field

from literature.models import Article, MeshHeading


@dataclass(slots=True)
class ArticleText:
    pk: int
    title: str
    abstract: str
    # (keyword id, name, MeSH id) of its keywords, then (None, descriptor, descriptor id) of its MeSH headings.
    keywords: list = field(default_factory=list)

    def keyword_names(self):
        return [name for _, name, _ in self.keywords]


def article_texts(ids):
    """[ArticleText] of the articles with these ids that exist, in id order."""
    ids = sorted(set(ids))
    keywords = defaultdict(list)
    for article_id, keyword_id, name, mesh_id in Article.keywords.through.objects.filter(
        article_id__in=ids
    ).values_list("article_id", "keyword_id", "keyword__name", "keyword__mesh_id"):
        keywords[article_id].append((keyword_id, name, mesh_id))
    for article_id, name, mesh_id in MeshHeading.objects.filter(article_id__in=ids).values_list(
        "article_id", "descriptor", "descriptor_ui"
    ):
        keywords[article_id].append((None, name, mesh_id))
    rows = Article.objects.filter(pk__in=ids).order_by("pk").values_list("pk", "title", "abstract")
    return [ArticleText(pk, title, abstract, keywords[pk]) for pk, title, abstract in rows]


def as_texts(articles):
    """ArticleTexts as given, or those of these Article instances (or queryset) read."""
    articles = list(articles)
    if all(isinstance(article, ArticleText) for article in articles):
        return articles
    return article_texts(article.pk for article in articles)
