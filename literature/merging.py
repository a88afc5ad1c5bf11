"""Merging duplicates without losing anything: keywords (case and spelling variants) into one, and
two records of the same article into one. Links move to the record kept, the old addresses redirect
to it, and each merge is recorded in the history."""

from django.db import transaction

from .fingerprint import fingerprint_articles
from .models import Article, Keyword, KeywordRedirect
from .search import index_articles


@transaction.atomic
def merge_keywords(kept, others):
    """Move the articles of `others` to `kept`, redirect their slugs to it and delete them. Returns the
    number of articles that gained the kept keyword."""
    through = Article.keywords.through
    others = [other for other in others if other.pk != kept.pk]
    affected = set(through.objects.filter(keyword__in=others).values_list("article_id", flat=True))
    already = set(through.objects.filter(keyword=kept, article_id__in=affected).values_list("article_id", flat=True))
    through.objects.bulk_create([through(article_id=pk, keyword_id=kept.pk) for pk in sorted(affected - already)])
    for other in others:
        KeywordRedirect.objects.filter(keyword=other).update(keyword=kept)
        KeywordRedirect.objects.update_or_create(old_slug=other.slug, defaults={"keyword": kept})
        if other.mesh_id and not kept.mesh_id:
            kept.mesh_id = other.mesh_id
    names = ", ".join(f"“{other.name}”" for other in others)
    for other in others:
        other._change_reason = f"Merged into “{kept.name}”."
        other.delete()
    kept._change_reason = f"Merged {names} into this keyword."
    kept.save()
    index_articles(affected)
    fingerprint_articles(Article.objects.filter(pk__in=affected).only("title", "abstract"))
    return len(affected - already)


def keyword_for_slug(slug):
    """The keyword with this slug, or the one a merged keyword's slug now redirects to, or None."""
    return Keyword.objects.filter(slug=slug).first() or Keyword.objects.filter(redirects__old_slug=slug).first()
