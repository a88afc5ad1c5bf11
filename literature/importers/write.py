"""Writing prepared records: new articles by the chunk, with one insert per table (plain rows where
model instances cost more than the database); existing articles one by one with the provenance-aware
merge: empty fields filled, imported fields updated, but never a field a curator changed since the last
import (ArticleSource keeps what each import wrote). Either way the derived data goes through
`refresh_derived`, at once: an import's chunk is mined inside its transaction."""

from collections import namedtuple

from django.db import connection
from django.utils import timezone

from literature.curation.articles import save_article, set_authors
from literature.derived import collecting, refresh_derived
from literature.mining.texts import ArticleText
from literature.models import (
    Accession,
    Article,
    ArticleDrug,
    ArticleSource,
    Authorship,
    ImportedRecord,
    LinkSource,
    LinkStatus,
    PublicationState,
    PublicationStatus,
)

from . import batches
from .match import match_existing
from .prepare import RANKS, TRACKED_FIELDS, WHOLE_LISTS, author_signature, clean_article, merged_provenance
from .record import RecordError
from .resolve import resolve_people
from .rows import insert_instances, insert_rows

NEVER_IMPORTED = object()
PlannedState = namedtuple("PlannedState", "status year month day as_given")


class NewArticle:
    """A new record planned as unsaved rows: the article, its history, people, keywords and links."""

    def __init__(self, prepared, curation_state):
        self.prepared = prepared
        self.states = [
            PlannedState(status, parts.year, parts.month, parts.day, parts.as_given)
            for status, parts in prepared.states()
        ]
        self.article = Article(
            **prepared.values, curation_state=curation_state, **Article.current_publication_values(self.states)
        )
        # Checked and normalised when the record was prepared (prepare.checked_article_text).
        self.article.title, self.article.abstract, self.article.match_title = prepared.article_text
        self.journal = None


def plan_new(items, curation_state, lookups, reject):
    """NewArticle plans for these prepared records, with their journals (the new ones made in one insert);
    a record that cannot be planned goes to reject(error, record)."""
    plans = []
    for item in items:
        try:
            plans.append(NewArticle(item, curation_state))
        except RecordError as error:
            reject(error, item.record)
    journals = lookups.journals_for([plan.prepared.record for plan in plans])
    planned = []
    for plan, journal in zip(plans, journals, strict=True):
        if isinstance(journal, RecordError):
            reject(journal, plan.prepared.record)
            continue
        plan.article.journal = plan.journal = journal
        planned.append(plan)
    return planned


def json_value(value):
    return connection.ops.adapt_json_value(value, None)


def create_articles(plans, lookups):
    """Insert the planned articles and everything they carry; returns their ids."""
    articles = [plan.article for plan in plans]
    insert_instances(Article, articles)
    people = resolve_people([plan.prepared.record.authors for plan in plans])
    keywords = lookups.load_keywords(pair for plan in plans for pair in plan.prepared.keywords)
    lookups.load_drugs([plan.prepared.mentions for plan in plans])
    authorships, states, keyword_links, drug_links, sources, texts = [], [], [], [], [], {}
    lists = {attribute: [] for attribute, _, _ in WHOLE_LISTS}
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    for plan, article, authors in zip(plans, articles, people, strict=True):
        pk = article.pk
        for position, (person_id, affiliation) in enumerate(authors, start=1):
            authorships.append((pk, person_id, position, affiliation, False))
        states += [(pk, state.status, state.year, state.month, state.day, state.as_given) for state in plan.states]
        linked = [keywords[name.lower()] for name, _ in plan.prepared.keywords]
        keyword_links += [(pk, keyword.pk) for keyword in linked]
        texts[pk] = ArticleText(
            pk,
            article.title,
            article.abstract,
            [(keyword.pk, keyword.name, keyword.mesh_id) for keyword in linked]
            + [(None, descriptor, ui) for _, descriptor, ui, _, _ in plan.prepared.mesh_headings],
        )
        drug_links += [
            (now, now, pk, drug_id, LinkStatus.SUGGESTED, LinkSource.IMPORT, evidence, 1)
            for drug_id, evidence in lookups.drug_suggestions(plan.prepared.mentions)
        ]
        for attribute, rows in lists.items():
            rows += [(pk, *_json_ready(row)) for row in getattr(plan.prepared, attribute)]
        imported_values = json_value(plan.prepared.imported_values(plan.journal))
        sources.append((pk, plan.prepared.source, imported_values, plan.prepared.digest, now))
    insert_rows(Authorship, ["article", "person", "position", "affiliation", "is_corresponding"], authorships)
    insert_rows(PublicationState, ["article", "status", "year", "month", "day", "as_given"], states)
    insert_rows(Article.keywords.through, ["article", "keyword"], keyword_links)
    link_fields = ["created", "modified", "article", "drug", "status", "source", "evidence", "mention_count"]
    insert_rows(ArticleDrug, link_fields, drug_links)
    insert_rows(ArticleSource, ["article", "source", "imported_values", "record_digest", "imported"], sources)
    for attribute, model, columns in WHOLE_LISTS:
        insert_rows(model, ["article", *columns], lists[attribute])
    # New digests only (records read before were left out of the chunk): plain inserts.
    insert_rows(
        ImportedRecord,
        ["digest", "article"],
        [(plan.prepared.digest, a.pk) for plan, a in zip(plans, articles, strict=True)],
    )
    accessions = {
        (*key, a.pk) for plan, a in zip(plans, articles, strict=True) for key in plan.prepared.record.accessions
    }
    insert_rows(Accession, ["database", "identifier", "article"], sorted(accessions))
    ids = [article.pk for article in articles]
    # Bulk inserts send no signals; the texts just written are mined as they are, not read back.
    refresh_derived(ids, mine_now=True, texts=texts)
    return ids


def remember_accessions(article, record):
    """The record's accession numbers, for the article (one that another article has already stays
    that one's: the match went by a better identifier, and the two may be for a curator to merge)."""
    Accession.objects.bulk_create(
        [Accession(article=article, database=database, identifier=number) for database, number in record.accessions],
        ignore_conflicts=True,
    )


def remember_records(pairs):
    """(record digest, article id) of records just written: read again, they are these articles."""
    ImportedRecord.objects.bulk_create(
        [ImportedRecord(digest=digest, article_id=pk) for digest, pk in pairs], ignore_conflicts=True
    )


def update_article(prepared, article, lookups):
    """Merge one prepared record into the existing `article`; returns 'updated' or 'unchanged'."""
    record, values = prepared.record, prepared.values
    provenance = getattr(article, "import_source", None)
    if provenance and provenance.record_digest == prepared.digest:
        return "unchanged"
    journal = lookups.journals_for([record])[0]
    if isinstance(journal, RecordError):
        raise journal
    last = provenance.imported_values if provenance else {}
    # Source precedence: a field an import set is changed by a later import only when that one's
    # source ranks as high or higher (PubMed over a database export over a reference manager); an
    # empty field is filled by any source; a curator's value is never changed by one.
    ranks = last.get(RANKS, {})
    won = set()  # the ranked fields that now hold this record's value

    def may_replace(name, current, as_imported):
        replace = current in (None, "", []) or (as_imported and prepared.rank >= ranks.get(name, 0))
        if replace:
            won.add(name)
        return replace

    changed = False
    with collecting():
        for name in TRACKED_FIELDS:
            new, current = values[name], getattr(article, name)
            if new == current and new not in (None, ""):
                won.add(name)
            if new in (None, "") or new == current:
                continue
            if may_replace(name, current, last.get(name, NEVER_IMPORTED) == current):
                setattr(article, name, new)
                changed = True
        as_imported = last.get("journal") == article.journal_id
        if journal and journal.pk == article.journal_id:
            won.add("journal")
        elif journal and may_replace("journal", article.journal_id, as_imported):
            changed = True
            article.journal = journal
        if changed:
            clean_article(article, record)
            save_article(article)
        authors_now = _author_signature_of(article)
        as_imported = last.get("authors") == authors_now
        if record.authors and authors_now == author_signature(record.authors):
            won.add("authors")
        elif record.authors and may_replace("authors", authors_now, as_imported):
            set_authors(article, resolve_people([record.authors])[0])
            changed = True
        states_changed = _sync_states(article, prepared, last)
        keywords_changed = _add_keywords(article, prepared, lookups)
        lists_added = _add_whole_lists(article, prepared)
        linked = article.drug_links.values_list("drug_id", flat=True)
        ArticleDrug.objects.bulk_create(
            ArticleDrug(
                article=article,
                drug_id=drug_id,
                status=LinkStatus.SUGGESTED,
                source=LinkSource.IMPORT,
                evidence=evidence,
                mention_count=1,
            )
            for drug_id, evidence in lookups.drug_suggestions(prepared.mentions, linked)
        )
        if states_changed:
            article.refresh_publication_status()
        ArticleSource.objects.update_or_create(
            article=article,
            defaults={
                "source": prepared.source,
                "imported_values": merged_provenance(last, prepared.imported_values(journal), won),
                "record_digest": prepared.digest,
            },
        )
        remember_records([(prepared.digest, article.pk)])
        remember_accessions(article, record)
        refresh_derived([article.pk], mine_now=True)
    return "updated" if changed or states_changed or keywords_changed or lists_added else "unchanged"


def write_one(prepared, curation_state, lookups, batch=None):
    """Create or update the article of one prepared record (a chunk of one); returns the outcome. With
    a batch, what it created or changed is noted there, to be undone if the file fails."""
    matched = match_existing([prepared])
    if matched:
        article = Article.objects.select_related("import_source").get(pk=matched[0])
        before = batches.article_state(article.pk) if batch else None
        outcome = update_article(prepared, article, lookups)
        if batch:
            batches.note_changed(batch, article.pk, before, batches.article_state(article.pk))
        return outcome
    plans = plan_new([prepared], curation_state, lookups, _raise)
    ids = create_articles(plans, lookups)
    if batch:
        batches.note_created(batch, ids)
    return "created"


def _raise(error, record):
    raise error


def _json_ready(row):
    """A row's values as insert_rows takes them: the qualifiers of a MeSH heading as JSON."""
    return [json_value(value) if isinstance(value, list) else value for value in row]


def _add_whole_lists(article, prepared):
    """The record's whole lists (WHOLE_LISTS) that the article has none of yet; whether any was added."""
    added = False
    for attribute, model, columns in WHOLE_LISTS:
        rows = getattr(prepared, attribute)
        if rows and not model.objects.filter(article=article).exists():
            insert_rows(model, ["article", *columns], [(article.pk, *_json_ready(row)) for row in rows])
            added = True
    return added


def _author_signature_of(article):
    people = article.authorships.order_by("position").values_list(
        "person__family_name", "person__given_names", "person__collective_name"
    )
    return [f"{family}|{given}|{collective}" for family, given, collective in people]


STATE_PARTS = ("year", "month", "day", "as_given")


def _sync_states(article, prepared, last):
    changed = False
    for status, parts in prepared.states():
        state = article.publication_states.filter(status=status).first()
        wanted = (parts.year, parts.month, parts.day, parts.as_given)
        if state is None:
            PublicationState(article=article, status=status, **dict(zip(STATE_PARTS, wanted, strict=True))).save()
            changed = True
        elif (state.year, state.month, state.day, state.as_given) != wanted and (
            status != PublicationStatus.PUBLISHED or last.get("published") == [state.year, state.month, state.day]
        ):
            state.year, state.month, state.day, state.as_given = wanted
            state.save()
            changed = True
    return changed


def _add_keywords(article, prepared, lookups):
    """Keywords are only ever added by an import: removing one is a curator's decision."""
    have = {k.name.lower() for k in article.keywords.all()}
    wanted = [(name, mesh) for name, mesh in prepared.keywords if name.lower() not in have]
    if wanted:
        found = lookups.load_keywords(wanted)
        article.keywords.add(*found.values())
    return bool(wanted)
