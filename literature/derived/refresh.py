"""The one path for everything computed from the record. Every write function calls
`refresh_derived(article_ids)` with the articles it changed (and the signals in signals.py do the same
for plain ORM saves); nothing else writes the search index, suggests drug links from the text,
recomputes Fingerprints or bumps the version that cached aggregates are keyed on.

When each part is done, and why:
- The search index, at once, in the writer's transaction: it can never disagree with what a rolled-back
  write left behind, and a search right after a save finds the change.
- Drug mentions and Fingerprints after commit (or at once with `mine_now=True`, where the caller is an
  import chunk or a merge that wants them inside its own transaction): they need the whole save, the
  admin's inlines included, and a curator's own link in the same form is then already there. Articles
  saved in one transaction (an import updating 30,000 records) are done together, in batches, by
  whichever commit hook runs first; a hook lost with a rolled-back savepoint loses nothing, its ids
  wait for the next commit.
- The version of cached aggregates, after commit, in a statement of its own: bumped inside the writer's
  transaction it would hold a row lock that every other writer waits on while an import runs.
- Work after commit never fails the write that asked for it: a database error there hands the
  articles to the background worker (tasks.py), and anything else is logged (robust hooks).

Inside `collecting()` (a write function's body, an import chunk) the articles are gathered and refreshed
once, when the block ends: one save writes the record, its authors and its keywords, and each would
otherwise refresh it again.

A writer that holds what it has just written (an import's new articles) may hand over their texts
(`texts=`): they are mined from those instead of read back. Only while nothing else in the block
changes them: an article that another write of the block refreshes again is read from the database.
"""

import logging
import threading
from contextlib import contextmanager

from django.db import DatabaseError, transaction
from django.db.models import F

from literature.mining.fingerprint import current_extractor, fingerprint_articles
from literature.mining.mentions import detect_drugs
from literature.mining.texts import article_texts
from literature.models import DataVersion
from literature.search.index import index_articles

CORPUS = "corpus"  # the one version so far: every cached aggregate counts the public corpus
MINING_BATCH = 1000

_state = threading.local()
logger = logging.getLogger(__name__)


def refresh_derived(article_ids=(), *, index=True, mining=True, mine_now=False, texts=None):
    """Bring what is derived from these articles up to date with the record.

    index: their searchable text (title, abstract, keywords, authors) may have changed.
    mining: the text the mention detector and the Fingerprint read (title, abstract, keywords) may have
    changed. With neither, only what aggregates count changed (a curation state, a link decision, a
    journal's name): the cached aggregates are renewed and nothing else is recomputed.
    texts: {article id: ArticleText} of these articles exactly as just written (with mine_now).
    """
    ids = {int(pk) for pk in article_ids}
    with collecting():  # outside a block: one of its own, refreshed at once
        collected = _state.collected
        if index:
            collected["index"] |= ids
        if mining:
            collected["mine_now" if mine_now else "mining"] |= ids
            known = collected["texts"]
            for pk in ids & known.keys():
                del known[pk]  # changed again since it was handed over
            if texts:
                known.update(texts)


@contextmanager
def collecting():
    """Refresh the articles written inside the block once, when it ends (nested blocks join the outer)."""
    if getattr(_state, "collected", None) is not None:
        yield
        return
    _state.collected = {"index": set(), "mining": set(), "mine_now": set(), "texts": {}}
    try:
        yield
        collected = _state.collected
    finally:
        _state.collected = None
    mine_now_ids = collected["mine_now"]
    _refresh(collected["index"], collected["mining"] - mine_now_ids, mine_now_ids, collected["texts"])


def _refresh(index_ids, mining_ids, mine_now_ids, texts):
    if index_ids:
        index_articles(index_ids)
    if mine_now_ids:
        mine(mine_now_ids, texts)
    if mining_ids:
        pending = getattr(_state, "mining", None)
        if pending is None:
            pending = _state.mining = set()
        pending |= mining_ids
        transaction.on_commit(_mine_pending, robust=True)
    # One bump per commit, however many writes asked for one: the first hook to run does it. A hook lost
    # with a rolled-back savepoint leaves the bump due for the next commit (at worst one bump too many).
    _state.bump_due = True
    transaction.on_commit(_bump_if_due, robust=True)


def mine(article_ids, texts=None):
    """Suggest drug links from the text of these articles and recompute their Fingerprints, in batches.
    texts: {article id: ArticleText} of those the caller holds as written; the others' are read."""
    ids = sorted(article_ids)
    texts = texts or {}
    extractor = current_extractor() if ids else None
    for start in range(0, len(ids), MINING_BATCH):
        # In id order: links found together share a timestamp, and the review queue is oldest first by (created, id).
        batch = ids[start : start + MINING_BATCH]
        found = {pk: texts[pk] for pk in batch if pk in texts}
        found.update((text.pk, text) for text in article_texts(pk for pk in batch if pk not in found))
        batch_texts = [found[pk] for pk in batch if pk in found]  # an article deleted since is left out
        detect_drugs(batch_texts, extractor.drugs)
        fingerprint_articles(batch_texts, extractor)


def _mine_pending():
    ids, _state.mining = getattr(_state, "mining", None) or set(), set()
    if ids:
        try:
            mine(ids)
        except DatabaseError:
            hand_over(ids)
        _state.bump_due = True
        _bump_if_due()


def _bump_if_due():
    if getattr(_state, "mining", None):  # mined first, then bumped once (also when its own hook was lost)
        _mine_pending()
        return
    if getattr(_state, "bump_due", False):
        _state.bump_due = False
        try:
            bump_version()
        except DatabaseError:
            hand_over(())


def hand_over(article_ids):
    """After commit the write is done: derived work that fails then (a lock held too long, a clash with
    another process making the same concept) must not turn the saved change into an error for the
    client. The background worker does it instead (tasks.py)."""
    logger.exception("Derived data of %d article(s) left to the background worker", len(article_ids))
    from .tasks import refresh_in_background  # the task module imports this one

    try:
        refresh_in_background.enqueue(sorted(article_ids))
    except Exception:
        logger.exception(
            "Could not queue the derived data of articles %s: run compute_fingerprints", sorted(article_ids)
        )


def bump_version(name=CORPUS):
    """A new version for cached aggregates: entries cached under the old one are never read again."""
    if not DataVersion.objects.filter(name=name).update(number=F("number") + 1):
        DataVersion.objects.get_or_create(name=name, defaults={"number": 1})


def current_version(name=CORPUS):
    return DataVersion.objects.filter(name=name).values_list("number", flat=True).first() or 0
