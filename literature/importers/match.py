"""The one matcher: which prepared records are an article already in the database. A record is the same
article when its DOI, PMID or PMCID matches, or its number in the database it came from (Accession),
or, lacking those, its reduced title (matching_title), year and first author's family or collective
name. Records go in by the chunk, in a few queries; a single
record is a chunk of one."""

from django.db.models.functions import Lower

from literature.models import Accession, Article, Authorship

from .rows import batches


def first_author_key(author):
    """Family or collective name in any case, of a Person or a RecordAuthor."""
    family = getattr(author, "family_name", None)
    if family is None:
        return author.family.casefold(), author.collective.casefold()
    return family.casefold(), author.collective_name.casefold()


def identifier_keys(prepared):
    values = prepared.values
    keys = [("doi", values["doi"].lower())] if values["doi"] else []
    keys += [("pmid", values["pmid"])] if values["pmid"] else []
    keys += [("pmcid", values["pmcid"])] if values["pmcid"] else []
    keys += [("accession", tuple(key)) for key in prepared.record.accessions]
    return keys


def title_key(prepared):
    """What identifies an article that has no matching identifier (None: a record without year or
    authors cannot be matched by title)."""
    record = prepared.record
    if not (record.published.year and record.authors):
        return None
    return prepared.match_title, record.published.year, *first_author_key(record.authors[0])


def match_keys(prepared):
    """Every key that would make two records of one chunk the same article."""
    keys = set(identifier_keys(prepared))
    if (key := title_key(prepared)) is not None:
        keys.add(("title", key))
    return keys


def match_existing(items):
    """{index in items: article id} for the prepared records that are an article already in the
    database: by identifier first (DOI, then PMID, then PMCID, then accession number), by title, year
    and first author failing those."""
    wanted = {"doi": set(), "pmid": set(), "pmcid": set(), "accession": set()}
    for item in items:
        for kind, value in identifier_keys(item):
            wanted[kind].add(value)
    found = {"doi": {}, "pmid": {}, "pmcid": {}, "accession": {}}
    for batch in batches(wanted["doi"]):
        rows = Article.objects.annotate(doi_lower=Lower("doi")).filter(doi_lower__in=batch)
        found["doi"].update(rows.values_list("doi_lower", "pk"))
    for batch in batches(wanted["pmid"]):
        found["pmid"].update(Article.objects.filter(pmid__in=batch).values_list("pmid", "pk"))
    for batch in batches(wanted["pmcid"]):
        found["pmcid"].update(Article.objects.filter(pmcid__in=batch).values_list("pmcid", "pk"))
    for database in {database for database, _ in wanted["accession"]}:
        numbers = [number for name, number in wanted["accession"] if name == database]
        for batch in batches(numbers):
            rows = Accession.objects.filter(database=database, identifier__in=batch)
            found["accession"].update(
                ((database, number), pk) for number, pk in rows.values_list("identifier", "article_id")
            )

    matches, by_title = {}, {}
    for index, item in enumerate(items):
        for kind, value in identifier_keys(item):
            if value in found[kind]:
                matches[index] = found[kind][value]
                break
        else:
            if (key := title_key(item)) is not None:
                by_title[index] = key
    matches.update(_match_by_title(by_title))
    return matches


def _match_by_title(keys):
    titles = {key[0] for key in keys.values()}
    candidates = {}
    for batch in batches(titles):
        first_authors = Authorship.objects.filter(position=1, article__match_title__in=batch).values_list(
            "article_id", "article__match_title", "article__publication_year", "person__family_name",
            "person__collective_name",
        ).order_by("article_id")  # fmt: skip
        for pk, title, year, family, collective in first_authors:
            candidates.setdefault((title, year, family.casefold(), collective.casefold()), pk)
    return {index: candidates[key] for index, key in keys.items() if key in candidates}
