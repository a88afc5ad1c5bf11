"""Keeps the full-text index in step with every single-record write (admin, API, load_demo).

Bulk paths (generate_corpus, imports) skip signals and call search.index_articles (and imports
mentions.detect_drugs) themselves. Saving an article, or changing its keywords, also looks for the drugs
it mentions (mentions.py).
"""

import shutil
import threading
from pathlib import Path

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from literature.mining.fingerprint import current_extractor, fingerprint_articles
from literature.mining.mentions import detect_drugs
from literature.models import Article, Authorship, ImportJob, Keyword, Person
from literature.search.index import index_articles, refresh_planner_statistics


@receiver(post_save, sender=Article)
@receiver(post_delete, sender=Article)
def reindex_article(sender, instance, raw=False, **kwargs):
    if not raw:
        index_articles([instance.pk])


@receiver(post_save, sender=Article)
def detect_drugs_of_saved_article(sender, instance, raw=False, **kwargs):
    if not raw:
        detect_drugs_after_commit(instance.pk)


_pending = threading.local()


def detect_drugs_after_commit(article_id):
    """Find the drugs the article mentions, then its Fingerprint (which counts them), once the whole
    save is committed (the admin's inlines, an import's keywords): a link a curator adds in the same
    form is then already there, and the detector only updates its count.

    Articles saved in one transaction (an import updating 30,000 records) are done together, in
    batches, by whichever of the commit hooks runs first; the others find nothing left to do. A hook
    lost with a rolled-back savepoint loses nothing: the ids wait for the next commit."""
    if not hasattr(_pending, "ids"):
        _pending.ids = set()
    _pending.ids.add(article_id)
    transaction.on_commit(_detect_pending)


def _detect_pending():
    ids, _pending.ids = sorted(getattr(_pending, "ids", ())), set()
    extractor = current_extractor() if ids else None
    for start in range(0, len(ids), 1000):
        articles = list(Article.objects.filter(pk__in=ids[start : start + 1000]).only("title", "abstract"))
        detect_drugs(articles)
        fingerprint_articles(articles, extractor)


@receiver(post_save, sender=Authorship)
@receiver(post_delete, sender=Authorship)
def reindex_authored_article(sender, instance, raw=False, **kwargs):
    if not raw:
        index_articles([instance.article_id])


@receiver(m2m_changed, sender=Article.keywords.through)
def reindex_keyworded_articles(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in {"post_add", "post_remove", "post_clear", "pre_clear"}:
        return
    if not reverse:
        index_articles([instance.pk])
        if action.startswith("post_"):
            detect_drugs_after_commit(instance.pk)
    elif action == "pre_clear":
        index_articles(instance.articles.values_list("pk", flat=True))
    elif pk_set:
        index_articles(pk_set)


@receiver(post_save, sender=Keyword)
def reindex_articles_of_keyword(sender, instance, created, raw=False, **kwargs):
    if not created and not raw:
        index_articles(instance.articles.values_list("pk", flat=True))


@receiver(post_save, sender=Person)
def reindex_articles_of_person(sender, instance, created, raw=False, **kwargs):
    if not created and not raw:
        index_articles(instance.authorships.values_list("article_id", flat=True))


def analyze_after_migrate(sender, using, **kwargs):
    refresh_planner_statistics(using)


@receiver(post_delete, sender=ImportJob)
def remove_import_files(sender, instance, **kwargs):
    # The upload, its rejected records and progress file live in one folder per import.
    if instance.upload:
        folder = Path(instance.upload.path).parent
        transaction.on_commit(lambda: shutil.rmtree(folder, ignore_errors=True))
