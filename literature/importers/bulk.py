"""Matching a chunk of records in a few queries, and writing the new ones with one insert per table.

One record at a time costs some sixty queries (lookups, the article, each author, keyword, state and
link, the search entry); a chunk of 500 new records costs about twenty. Records that match an existing
article, or an earlier record of the same chunk, are left to merge.merge one by one.
"""

from collections import namedtuple

from django.db import connection
from django.db.models.functions import Lower
from django.utils import timezone

from literature.importers.merge import batches, clean_article, drug_suggestions, first_author_key
from literature.importers.rows import insert_rows
from literature.mining.fingerprint import fingerprint_articles
from literature.mining.mentions import current_matcher, link_findings
from literature.models import (
    Article,
    ArticleDrug,
    ArticleSource,
    Authorship,
    LinkSource,
    LinkStatus,
    Person,
    PublicationState,
)
from literature.search.index import index_articles


def title_key(prepared):
    """What identifies an article that has no matching identifier: its title (as matching_title
    reduces it), year and first author."""
    record = prepared.record
    return prepared.match_title, record.published.year, *first_author_key(record.authors[0])


def identifier_keys(prepared):
    values = prepared.values
    keys = [("doi", values["doi"].lower())] if values["doi"] else []
    keys += [("pmid", values["pmid"])] if values["pmid"] else []
    keys += [("pmcid", values["pmcid"])] if values["pmcid"] else []
    return keys


def match_existing(items):
    """{index in items: article id} for the records that are an article already in the database, by
    identifier first and by title, year and first author failing those (as merge.find_existing)."""
    wanted = {"doi": set(), "pmid": set(), "pmcid": set()}
    for item in items:
        for kind, value in identifier_keys(item):
            wanted[kind].add(value)
    found = {"doi": {}, "pmid": {}, "pmcid": {}}
    for batch in batches(wanted["doi"]):
        rows = Article.objects.annotate(doi_lower=Lower("doi")).filter(doi_lower__in=batch)
        found["doi"].update(rows.values_list("doi_lower", "pk"))
    for batch in batches(wanted["pmid"]):
        found["pmid"].update(Article.objects.filter(pmid__in=batch).values_list("pmid", "pk"))
    for batch in batches(wanted["pmcid"]):
        found["pmcid"].update(Article.objects.filter(pmcid__in=batch).values_list("pmcid", "pk"))

    matches, by_title = {}, []
    for index, item in enumerate(items):
        for kind, value in identifier_keys(item):
            if value in found[kind]:
                matches[index] = found[kind][value]
                break
        else:
            if item.record.published.year and item.record.authors:
                by_title.append(index)
    matches.update(_match_by_title(items, by_title))
    return matches


def _match_by_title(items, indexes):
    keys = {index: title_key(items[index]) for index in indexes}
    titles = {key[0] for key in keys.values()}
    candidates = {}
    for batch in batches(titles):
        first_authors = Authorship.objects.filter(position=1, article__match_title__in=batch).values_list(
            "article_id", "article__match_title", "article__publication_year", "person__family_name",
            "person__collective_name",
        )  # fmt: skip
        for pk, title, year, family, collective in first_authors:
            candidates.setdefault((title, year, family.casefold(), collective.casefold()), pk)
    return {index: candidates[key] for index, key in keys.items() if key in candidates}


PlannedState = namedtuple("PlannedState", "status year month day")


class NewArticle:
    """A new record planned as unsaved rows: the article, its history, people, keywords and links."""

    def __init__(self, prepared, curation_state, lookups):
        record = prepared.record
        self.prepared = prepared
        self.states = [PlannedState(status, parts.year, parts.month, parts.day) for status, parts in prepared.states()]
        self.article = Article(
            **prepared.values, curation_state=curation_state, **Article.current_publication_values(self.states)
        )
        clean_article(self.article, record)
        self.article.journal = self.journal = lookups.journal(record)
        self.article.normalise()


def resolve_people(plans):
    """[(person id or new Person, affiliation) per author] for each plan, the people found by ORCID, then
    by exact name, in a few queries; the new ones made (unsaved) once per name in the chunk. Two authors
    of one article with the same name are two people, as merge.people_of makes them."""
    authors = [author for plan in plans for author in plan.prepared.record.authors]
    orcids = {a.orcid for a in authors if a.orcid}
    families = {a.family[:200] for a in authors if not a.collective}
    collectives = {a.collective[:500] for a in authors if a.collective}
    by_orcid, by_name, by_collective = {}, {}, {}
    for batch in batches(orcids):
        by_orcid.update(Person.objects.filter(orcid__in=batch).values_list("orcid", "pk"))
    for batch in batches(families):
        rows = Person.objects.filter(family_name__in=batch, collective_name="").order_by("pk")
        for family, given, pk in rows.values_list("family_name", "given_names", "pk"):
            by_name.setdefault((family, given), pk)
    for batch in batches(collectives):
        rows = Person.objects.filter(collective_name__in=batch, family_name="", given_names="").order_by("pk")
        for name, pk in rows.values_list("collective_name", "pk"):
            by_collective.setdefault(name, pk)

    new_people, per_plan = [], []
    for plan in plans:
        people, used = [], set()
        for author in plan.prepared.record.authors:
            if author.collective:
                key, table = author.collective[:500], by_collective
            elif author.orcid and author.orcid in by_orcid:
                key, table = author.orcid, by_orcid
            else:
                key, table = (author.family[:200], author.given[:200]), by_name
            person = table.get(key)
            if person is None or _identity(person) in used:
                person = Person(
                    family_name="" if author.collective else author.family[:200],
                    given_names="" if author.collective else author.given[:200],
                    collective_name=author.collective[:500],
                    orcid=author.orcid if author.orcid and author.orcid not in by_orcid else "",
                )
                if person.orcid:
                    by_orcid[person.orcid] = person
                new_people.append(person)
                if key not in table:
                    table[key] = person
            used.add(_identity(person))
            people.append((person, author.affiliation))
        per_plan.append(people)
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    fields = ["created", "modified", "family_name", "given_names", "collective_name", "orcid"]
    rows = [(now, now, p.family_name, p.given_names, p.collective_name, p.orcid) for p in new_people]
    for person, pk in zip(new_people, insert_rows(Person, fields, rows, returning_ids=True), strict=True):
        person.pk = pk
    return per_plan


def _identity(person):
    return ("new", id(person)) if isinstance(person, Person) else ("saved", person)


def json_value(value):
    return connection.ops.adapt_json_value(value, None)


def create_articles(plans, lookups):
    """Insert the planned articles and everything they carry; returns their ids."""
    articles = Article.objects.bulk_create([plan.article for plan in plans])
    people = resolve_people(plans)
    keywords = lookups.load_keywords(pair for plan in plans for pair in plan.prepared.keywords)
    lookups.load_drugs([plan.prepared.mentions for plan in plans])
    authorships, states, keyword_links, drug_links, sources = [], [], [], [], []
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    for plan, article, authors in zip(plans, articles, people, strict=True):
        pk = article.pk
        for position, (person, affiliation) in enumerate(authors, start=1):
            person_id = person.pk if isinstance(person, Person) else person
            authorships.append((pk, person_id, position, affiliation, False))
        states += [(pk, state.status, state.year, state.month, state.day) for state in plan.states]
        keyword_links += [(pk, keywords[name.lower()].pk) for name, _ in plan.prepared.keywords]
        drug_links += [
            (now, now, pk, drug_id, LinkStatus.SUGGESTED, LinkSource.IMPORT, evidence, 1)
            for drug_id, evidence in drug_suggestions(plan.prepared.mentions, lookups)
        ]
        imported_values = json_value(plan.prepared.imported_values(plan.journal))
        sources.append((pk, plan.prepared.source, imported_values, plan.prepared.digest, now))
    insert_rows(Authorship, ["article", "person", "position", "affiliation", "is_corresponding"], authorships)
    insert_rows(PublicationState, ["article", "status", "year", "month", "day"], states)
    insert_rows(Article.keywords.through, ["article", "keyword"], keyword_links)
    link_fields = ["created", "modified", "article", "drug", "status", "source", "evidence", "mention_count"]
    insert_rows(ArticleDrug, link_fields, drug_links)
    insert_rows(ArticleSource, ["article", "source", "imported_values", "record_digest", "imported"], sources)
    ids = [article.pk for article in articles]
    index_articles(ids)  # bulk inserts send no signals
    matcher = current_matcher()
    link_findings(
        {
            plan.article.pk: matcher.find(
                plan.article.title, plan.article.abstract, [n for n, _ in plan.prepared.keywords]
            )
            for plan in plans
        }
    )
    fingerprint_articles(articles, lookups.concept_extractor())
    return ids
