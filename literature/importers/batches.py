"""A file's import written chunk by chunk, each chunk committed, and undone whole when the file fails.

Committing by the chunk keeps other writers (a curator's save, an API PUT) waiting a second at most
instead of for the whole file; the price is that a failure part-way leaves earlier chunks committed.
So every chunk notes in an ImportBatch, in its own transaction, the articles it created and, for each
article it changed, that article's state before and after. Undoing the batch deletes what it created
and reverts what it changed, part by part, where the part is still as the import left it: a curator's
edit made while the import ran is never reverted (the same rule the importer's merge follows).

A batch whose process is gone (killed, the machine restarted) is found by `undo_abandoned()`, which the
worker's start (`manage.py recover_imports`), `import_records` and every background import run first.
"""

import logging
import os
import socket

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from literature.curation.articles import AuthorEntry, save_article
from literature.derived import collecting
from literature.models import (
    Accession,
    Article,
    ArticleDrug,
    ArticleSource,
    Authorship,
    ImportBatch,
    ImportBatchArticle,
    ImportedRecord,
    ImportJob,
    ImportStatus,
    Journal,
    Keyword,
    LinkStatus,
    Person,
    PublicationState,
)

from .prepare import TRACKED_FIELDS, WHOLE_LISTS
from .rows import insert_rows

logger = logging.getLogger(__name__)
UNDO_CHUNK = 200  # articles undone per transaction: undoing blocks other writers no longer than importing
SHARED_TABLES = {"journal": Journal, "person": Person, "keyword": Keyword}


def this_runner():
    return f"{socket.gethostname()}:{os.getpid()}"


def runner_is_gone(runner):
    """True when `runner` ("host:pid") is a process of this machine that no longer runs. A process of
    another machine is never judged from here."""
    host, _, pid = runner.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # alive, as another user
        return False
    return False


def begin(source, job=None):
    ids_before = {name: model.objects.aggregate(top=Max("pk"))["top"] or 0 for name, model in SHARED_TABLES.items()}
    return ImportBatch.objects.create(source=source[:500], job=job, runner=this_runner(), ids_before=ids_before)


def note_created(batch, article_ids):
    insert_rows(ImportBatchArticle, ["batch", "article_id", "created"], [(batch.pk, pk, True) for pk in article_ids])


def note_changed(batch, article_id, before, after):
    if before != after:
        ImportBatchArticle.objects.create(batch=batch, article_id=article_id, created=False, before=before, after=after)


def article_state(article_id):
    """What an import may change of an article, as plain JSON values (compared, and restored, by undo)."""
    fields = Article.objects.filter(pk=article_id).values(*TRACKED_FIELDS, "journal_id").first()
    if fields is None:
        return None
    source = ArticleSource.objects.filter(article_id=article_id).values("source", "imported_values", "record_digest")
    return {
        "fields": fields,
        "authors": [
            list(row)
            for row in Authorship.objects.filter(article_id=article_id)
            .order_by("position")
            .values_list("person_id", "affiliation", "is_corresponding")
        ],
        "states": sorted(
            list(row)
            for row in PublicationState.objects.filter(article_id=article_id).values_list(
                "status", "year", "month", "day", "as_given"
            )
        ),
        "keywords": sorted(
            Article.keywords.through.objects.filter(article_id=article_id).values_list("keyword_id", flat=True)
        ),
        "links": sorted(ArticleDrug.objects.filter(article_id=article_id).values_list("pk", flat=True)),
        # The whole lists an import adds only where there were none (prepare.WHOLE_LISTS): their sizes.
        **{name: model.objects.filter(article_id=article_id).count() for name, model, _ in WHOLE_LISTS},
        "source": source.first(),
        "digests": sorted(ImportedRecord.objects.filter(article_id=article_id).values_list("digest", flat=True)),
        "accessions": sorted(Accession.objects.filter(article_id=article_id).values_list("pk", flat=True)),
    }


def finish(batch):
    """The file is in: nothing to undo any more."""
    batch.delete()


def undo(batch):
    """Take back everything `batch` wrote, a few hundred articles per transaction; resumable (each
    article's note goes with its undoing), so an undo that is itself interrupted is finished later."""
    ImportBatch.objects.filter(pk=batch.pk).update(state=ImportBatch.State.UNDOING)
    while True:
        with transaction.atomic():
            notes = list(batch.articles.order_by("-pk")[:UNDO_CHUNK])
            if not notes:
                break
            created = [note.article_id for note in notes if note.created]
            with collecting():
                for note in notes:
                    if not note.created:
                        _revert(note)
                # Deleted with their signals (out of the index and the cached aggregates), and with them
                # the history their deletion wrote: made by the import, they never were in the record.
                Article.objects.filter(pk__in=created).delete()
                _forget_history(Article, id__in=created)
                _forget_history(Authorship, article_id__in=created)
                _forget_history(ArticleDrug, article_id__in=created)
            ImportBatchArticle.objects.filter(pk__in=[note.pk for note in notes]).delete()
    with transaction.atomic():
        # Journals, people and keywords the batch made and no article uses now.
        for name, model in SHARED_TABLES.items():
            unused = {"authorships__isnull": True} if model is Person else {"articles__isnull": True}
            made = list(
                model.objects.filter(pk__gt=batch.ids_before.get(name, 0), **unused).values_list("pk", flat=True)
            )
            model.objects.filter(pk__in=made).delete()
            _forget_history(model, id__in=made)
        ImportBatch.objects.filter(pk=batch.pk).delete()


def _forget_history(model, **rows):
    model.history.model.objects.filter(**rows).delete()


def _revert(note):
    """Put back each part of the article that is still as the import left it."""
    now = article_state(note.article_id)
    if now is None:
        return  # deleted since by a curator: nothing of it to revert
    before, after = note.before, note.after
    article = Article.objects.select_for_update().get(pk=note.article_id)
    fields_back = {
        name: value
        for name, value in before["fields"].items()
        if after["fields"][name] != value and now["fields"][name] == after["fields"][name]
    }
    for name, value in fields_back.items():
        setattr(article, name, value)
    parts = {}
    if now["authors"] == after["authors"] != before["authors"]:
        parts["authors"] = [
            AuthorEntry(person, affiliation, corresponding) for person, affiliation, corresponding in before["authors"]
        ]
    if now["states"] == after["states"] != before["states"]:
        parts["publication_history"] = [
            dict(zip(("status", "year", "month", "day", "as_given"), row, strict=True)) for row in before["states"]
        ]
    added_keywords = (set(after["keywords"]) - set(before["keywords"])) & set(now["keywords"])
    if added_keywords:
        parts["keywords"] = [pk for pk in now["keywords"] if pk not in added_keywords]
    if fields_back or parts:
        save_article(article, **parts)
    for name, model, _ in WHOLE_LISTS:
        if before.get(name) == 0 and now[name] == after[name]:  # the list it added, unchanged since
            model.objects.filter(article_id=article.pk).delete()
    # Links the import suggested that no curator has decided on yet.
    ArticleDrug.objects.filter(pk__in=set(after["links"]) - set(before["links"]), status=LinkStatus.SUGGESTED).delete()
    if now["source"] == after["source"] != before["source"]:
        if before["source"] is None:
            ArticleSource.objects.filter(article_id=article.pk).delete()
        else:
            ArticleSource.objects.update_or_create(article_id=article.pk, defaults=before["source"])
    ImportedRecord.objects.filter(
        article_id=article.pk, digest__in=set(after["digests"]) - set(before["digests"])
    ).delete()
    # (Notes written before accessions were kept have none.)
    added = set(after.get("accessions", ())) - set(before.get("accessions", ()))
    Accession.objects.filter(article_id=article.pk, pk__in=added).delete()


def undo_abandoned():
    """Undo the batches of import processes that are gone, and mark their uploads failed; returns how
    many batches were undone."""
    undone = 0
    for batch in ImportBatch.objects.all():
        if not runner_is_gone(batch.runner):
            continue
        logger.warning("Undoing the import of %s: its process (%s) is gone", batch.source, batch.runner)
        undo(batch)
        undone += 1
    stopped = ImportJob.objects.filter(status=ImportStatus.RUNNING).exclude(runner="")
    for job in stopped:
        if runner_is_gone(job.runner):
            message = (
                "The import stopped: its process ended before the file was in (killed, or the machine "
                "restarted). Everything it had written was undone; import the file again."
            )
            ImportJob.objects.filter(pk=job.pk, status=ImportStatus.RUNNING).update(
                status=ImportStatus.FAILED, errors=[message], finished=timezone.now()
            )
    return undone
