"""Saving an article with everything it carries: the record, its authors in order, keywords, subject
areas and publication history, in one transaction, then its derived data. The admin's form, the API's
serializer, the demo loader and the importers' updates all save through `save_article`, and the author
order is written in one place, `set_authors`."""

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F

from literature.derived import collecting, refresh_derived
from literature.models import Article, Authorship, CurationState, PublicationState
from literature.values.limits import check_author_count

from .governance import check_approvals, check_state_change, require_reason
from .history import set_with_history

# Positions are moved out of the way before the new order is written, so that reordering authors never
# trips the unique (article, position) constraint half-way through.
PARKING_OFFSET = 1_000_000


@dataclass
class AuthorEntry:
    """One author of the list to write: the person, and the authorship row it keeps, if any."""

    person: object  # a Person or a person's id
    affiliation: str | None = None  # None: keep the affiliation the row has (or none for a new row)
    is_corresponding: bool | None = None
    authorship: Authorship | None = None


@dataclass
class SavedArticle:
    article: Article
    created: bool
    changed: list = field(default_factory=list)  # which of the parts below were written


def _entry(value):
    if isinstance(value, AuthorEntry):
        return value
    if isinstance(value, tuple):
        return AuthorEntry(value[0], affiliation=value[1])
    return AuthorEntry(value)


@transaction.atomic
def set_authors(article, authors):
    """Make `authors` (people, (person, affiliation) pairs or AuthorEntry) the article's author list, in
    this order. A person already an author keeps their row (and its history, affiliation and
    corresponding flag unless given); the others are removed. Returns True when anything changed."""
    entries = [_entry(value) for value in authors]
    check_author_count(len(entries))  # every face checks first with its own message; this is the last guard
    with collecting():
        return _set_authors(article, entries)


def _set_authors(article, entries):
    rows = {row.pk: row for row in article.authorships.all()}
    by_person = {row.person_id: row for row in rows.values()}
    for entry in entries:
        if entry.authorship is None:
            entry.authorship = by_person.get(_person_id(entry.person))
    kept = {entry.authorship.pk for entry in entries if entry.authorship is not None and entry.authorship.pk}
    removed = [row for pk, row in rows.items() if pk not in kept]
    for row in removed:
        row.delete()
    changed = bool(removed)
    planned = []
    for position, entry in enumerate(entries, start=1):
        row = entry.authorship or Authorship(article=article)
        before = (row.pk, row.person_id, row.position, row.affiliation, row.is_corresponding)
        row.article, row.person_id, row.position = article, _person_id(entry.person), position
        if entry.affiliation is not None:
            row.affiliation = entry.affiliation
        if entry.is_corresponding is not None:
            row.is_corresponding = entry.is_corresponding
        planned.append((row, before != (row.pk, row.person_id, row.position, row.affiliation, row.is_corresponding)))
    moving = [row for row, moved in planned if moved]
    if moving:
        parked = [row.pk for row in moving if row.pk]
        Authorship.objects.filter(pk__in=parked).update(position=F("position") + PARKING_OFFSET)
        for row in moving:
            row.save()
        changed = True
    article.__dict__.pop("ordered_authorships", None)
    if changed:
        refresh_derived([article.pk], mining=False)
    return changed


def _person_id(person):
    return getattr(person, "pk", person)


@transaction.atomic
def set_publication_history(article, states):
    """Replace the publication history with `states` ({status, year, month, day[, as_given]} dicts)."""
    article.publication_states.all().delete()
    PublicationState.objects.bulk_create(PublicationState(article=article, **state) for state in states)
    article.refresh_publication_status()
    refresh_derived(index=False, mining=False)


def save_article(
    article, *, authors=None, keywords=None, subject_areas=None, publication_history=None, user=None, reason=None
):
    """Save `article` and, for each part given (not None), replace it: authors (see set_authors),
    keywords, subject areas, publication history. One transaction; the derived data refreshed once.
    `reason`: the change comment kept in the history (required to withdraw: governance.py); `user`, who
    saves (for the four-eyes rule on approvals)."""
    created = article.pk is None
    changed = ["record"]
    reason = check_state_change(article, reason, user)
    if reason:
        article._change_reason = reason
    with transaction.atomic(), collecting():
        article.save()
        if keywords is not None:
            article.keywords.set(keywords)
            changed.append("keywords")
        if subject_areas is not None:
            article.subject_areas.set(subject_areas)
            changed.append("subject_areas")
        if authors is not None and set_authors(article, authors):
            changed.append("authors")
        if publication_history is not None:
            set_publication_history(article, publication_history)
            changed.append("publication_history")
        else:
            article.refresh_publication_status()
        refresh_derived([article.pk])
    return SavedArticle(article, created, changed)


def move_to_state(articles, state, user, reason=None):
    """Set the curation state of these articles (those not in it already), with history; returns them.
    A withdrawal needs a reason, an approval the four-eyes rule where it is on (governance.py)."""
    state = CurationState(state)
    reason = require_reason(state, reason) or f"Curation state set to {state.label}."
    with transaction.atomic():
        if state == CurationState.APPROVED:
            check_approvals(articles.exclude(curation_state=state), user)
        return set_with_history(articles, user, reason, lambda article: article.pk, curation_state=state)
