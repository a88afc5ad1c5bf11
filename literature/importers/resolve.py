"""Resolving what records name to rows, per chunk and in a few queries: journals (by ISSN, else title in
any case; the new ones made in one insert), people (by ORCID, else exact name; one resolver for new and
updated articles), keywords (in any case; MeSH ids filled in) and the drugs that chemicals and keywords
name. `Lookups` keeps what one file's import has resolved: MeSH terms such as "Humans" recur in almost
every record. People are not kept: a 1 GB file names millions of them."""

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone

from literature.models import Drug, DrugName, Journal, Keyword, Person
from literature.values.identifiers import normalize_issn, validate_issn

from .record import RecordError
from .rows import batches, insert_rows


def journal_key(record):
    return record.issn_print, record.issn_electronic, record.journal_title.lower()


class Lookups:
    """Keywords, journals and drug names already resolved in this file's import. Dropped after a
    rejected record, whose rows were rolled back with its savepoint."""

    def __init__(self):
        self.keywords = {}
        self.journals = {}  # journal_key(record) -> Journal or None
        self.journal_by_issn = {}  # normalised ISSN -> Journal, or None when known not to exist
        self.journal_by_title = {}  # lowered title -> Journal, or None
        self.drug_names = {}
        self.drug_meshes = {}

    # Keywords -----------------------------------------------------------------------------------------

    def load_keywords(self, pairs):
        """{lowered name: Keyword} for these (name, MeSH id) pairs, found in one query, the new ones
        created (with a MeSH id filled in where the keyword had none)."""
        wanted = {}
        for name, mesh in pairs:
            wanted.setdefault(name.lower(), (name, mesh))
        missing = [key for key in wanted if key not in self.keywords]
        if missing:
            names = [wanted[key][0] for key in missing]
            for batch in batches(names):
                rows = Keyword.objects.annotate(lowered=Lower("name")).filter(
                    Q(name__in=batch) | Q(lowered__in=[name.lower() for name in batch])
                )
                for keyword in rows:
                    self.keywords.setdefault(keyword.name.lower(), keyword)
            new = [wanted[key] for key in missing if key not in self.keywords]
            for keyword in Keyword.objects.create_many(new):
                self.keywords[keyword.name.lower()] = keyword
        found = {}
        for key, (_, mesh) in wanted.items():
            keyword = self.keywords[key]
            if mesh and not keyword.mesh_id:
                keyword.mesh_id = mesh
                keyword.save(update_fields=["mesh_id", "modified"])
            found[key] = keyword
        return found

    # Journals -----------------------------------------------------------------------------------------

    def journals_for(self, records):
        """[Journal, None or RecordError] for each record: the journal found by ISSN, else by title in any
        case; the new ones (a title, valid ISSNs) created in one insert. A record whose new journal has
        an ISSN that is not one gets the RecordError naming the field."""
        self.look_up_journals(records)
        results, new = [], {}
        for record in records:
            key = journal_key(record)
            if key in self.journals:
                results.append(self.journals[key])
                continue
            issns = [normalize_issn(issn) for issn in (record.issn_print, record.issn_electronic) if issn]
            known = [self.journal_by_issn.get(issn) for issn in issns] + [
                self.journal_by_title.get(record.journal_title.lower())
            ]
            journal = next(filter(None, known), None)
            if journal is None and record.journal_title:
                try:
                    journal = new.get(record.journal_title.lower()) or self._new_journal(record)
                except RecordError as error:
                    results.append(error)
                    continue
                new.setdefault(record.journal_title.lower(), journal)
            self._remember(key, record, journal)
            results.append(journal)
        if new:
            Journal.objects.bulk_create(new.values())
        return results

    def _new_journal(self, record):
        issns = {}
        for name, value in (("issn_print", record.issn_print), ("issn_electronic", record.issn_electronic)):
            if value:
                value = normalize_issn(value)
                try:
                    validate_issn(value)
                except ValidationError as error:
                    raise RecordError(record.source_file, record.position, name, error.messages[0]) from None
                issns[name] = value
        return Journal(title=record.journal_title[:300], iso_abbreviation=record.journal_abbreviation[:200], **issns)

    def _remember(self, key, record, journal):
        self.journals[key] = journal
        if journal:
            for issn in filter(None, (journal.issn_print, journal.issn_electronic)):
                self.journal_by_issn[issn] = self.journal_by_issn.get(issn) or journal
            self.journal_by_title[record.journal_title.lower()] = (
                self.journal_by_title.get(record.journal_title.lower()) or journal
            )

    def look_up_journals(self, records):
        """The journals of these records by ISSN and by title, in two queries; what is not found is known
        to be new (None), so it is never asked for again."""
        records = [r for r in records if journal_key(r) not in self.journals]
        issns = {normalize_issn(i) for r in records for i in (r.issn_print, r.issn_electronic) if i}
        issns -= self.journal_by_issn.keys()
        titles = {r.journal_title for r in records if r.journal_title}
        titles = {t for t in titles if t.lower() not in self.journal_by_title}
        for batch in batches(issns):
            for journal in Journal.objects.filter(Q(issn_print__in=batch) | Q(issn_electronic__in=batch)).order_by(
                "pk"
            ):
                for issn in (journal.issn_print, journal.issn_electronic):
                    if issn:
                        self.journal_by_issn.setdefault(issn, journal)
        for batch in batches(titles):
            # SQLite's LOWER() folds ASCII only, so the exact title is asked for too: otherwise
            # 'Синяя Борода' would not even find itself.
            rows = Journal.objects.annotate(lowered=Lower("title")).filter(
                Q(title__in=batch) | Q(lowered__in=[title.lower() for title in batch])
            )
            for journal in rows.order_by("pk"):
                self.journal_by_title.setdefault(journal.title.lower(), journal)
        self.journal_by_issn.update({issn: None for issn in issns if issn not in self.journal_by_issn})
        self.journal_by_title.update({t.lower(): None for t in titles if t.lower() not in self.journal_by_title})

    # Drugs --------------------------------------------------------------------------------------------

    def load_drugs(self, mention_maps):
        """Resolve, in three queries at most, the drug names and MeSH ids of these mentions not yet seen."""
        # Membership tests, not `set - dict.keys()`: that copies every name seen so far, on each call.
        names = {lowered for mentions in mention_maps for lowered in mentions if lowered not in self.drug_names}
        meshes = {m for mentions in mention_maps for _, _, m in mentions.values() if m and m not in self.drug_meshes}
        if not names and not meshes:
            return
        for batch in batches(sorted(names)):
            for lowered, pk in (
                Drug.objects.annotate(lowered=Lower("name")).filter(lowered__in=batch).values_list("lowered", "pk")
            ):
                self.drug_names[lowered] = pk
            other_names = DrugName.objects.annotate(lowered=Lower("name")).filter(lowered__in=batch)
            for lowered, pk in other_names.values_list("lowered", "drug_id"):
                self.drug_names.setdefault(lowered, pk)
        for batch in batches(sorted(meshes)):
            self.drug_meshes.update(Drug.objects.filter(mesh_id__in=batch).values_list("mesh_id", "pk"))
        self.drug_names.update({name: None for name in names if name not in self.drug_names})
        self.drug_meshes.update({mesh: None for mesh in meshes if mesh not in self.drug_meshes})

    def drug_id(self, lowered_name, mesh):
        return self.drug_names.get(lowered_name) or (self.drug_meshes.get(mesh) if mesh else None)

    def drug_suggestions(self, mentions, linked=()):
        """(drug id, evidence) for each known drug that the chemicals and keywords of a record
        (prepare.drug_mentions) name, leaving out the drugs in `linked`."""
        self.load_drugs([mentions])
        found, linked = [], set(linked)
        for lowered, (kind, name, mesh) in mentions.items():
            drug_id = self.drug_id(lowered, mesh)
            if drug_id and drug_id not in linked:
                found.append((drug_id, f"{kind}: <mark>{name}</mark>"))
                linked.add(drug_id)
        return found


def resolve_people(author_lists):
    """[(person id, affiliation) per author] for each list of RecordAuthors: people found by ORCID, else
    collective name, else exact family and given names, in a few queries; the new ones inserted at once,
    one per name in the chunk. Two authors of one article with the same name are two people (a person
    appears once per article)."""
    authors = [author for authors in author_lists for author in authors]
    orcids = {a.orcid for a in authors if a.orcid}
    names = {(a.family[:200], a.given[:200]) for a in authors if not a.collective}
    collectives = {a.collective[:500] for a in authors if a.collective}
    by_orcid, by_name, by_collective = {}, {}, {}
    for batch in batches(orcids):
        by_orcid.update(Person.objects.filter(orcid__in=batch).values_list("orcid", "pk"))
    # By (family, given) pairs, which the name index serves exactly: by family name alone, every chunk
    # read every person called Wang or Smith (on 1,000,000 articles 330,000 rows for 450 names).
    for batch in batches(sorted(names), 400):
        for family, given, pk in _people_named(batch):
            by_name.setdefault((family, given), pk)
    for batch in batches(collectives):
        rows = Person.objects.filter(collective_name__in=batch, family_name="", given_names="").order_by("pk")
        for name, pk in rows.values_list("collective_name", "pk"):
            by_collective.setdefault(name, pk)

    new_people, resolved = [], []
    for authors in author_lists:
        people, used = [], set()
        for author in authors:
            if author.collective:
                key, table = author.collective[:500], by_collective
            elif author.orcid and author.orcid in by_orcid:
                key, table = author.orcid, by_orcid
            else:
                key, table = (author.family[:200], author.given[:200]), by_name
            person = table.get(key)
            if person is None or _identity(person) in used:
                person = NewPerson(
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
        resolved.append(people)
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    fields = ["created", "modified", "family_name", "given_names", "collective_name", "orcid"]
    rows = [(now, now, p.family_name, p.given_names, p.collective_name, p.orcid) for p in new_people]
    for person, pk in zip(new_people, insert_rows(Person, fields, rows, returning_ids=True), strict=True):
        person.pk = pk
    return [[(_person_id(person), affiliation) for person, affiliation in people] for people in resolved]


def _people_named(pairs):
    """(family name, given names, id) of the people (not collectives) with these exact (family, given)
    names, oldest first. Plain SQL: the ORM spent ten times the query's own time compiling 400 ORs."""
    table, quote = Person._meta.db_table, connection.ops.quote_name
    family, given = (quote(Person._meta.get_field(name).column) for name in ("family_name", "given_names"))
    collective, pk = quote(Person._meta.get_field("collective_name").column), quote(Person._meta.pk.column)
    either = " OR ".join([f"({family} = %s AND {given} = %s)"] * len(pairs))
    sql = f"SELECT {family}, {given}, {pk} FROM {quote(table)} WHERE {collective} = '' AND ({either}) ORDER BY {pk}"
    with connection.cursor() as cursor:
        cursor.execute(sql, [value for pair in pairs for value in pair])
        return cursor.fetchall()


class NewPerson:
    """A person to insert (a plain object: a model instance per new author cost more than its row)."""

    __slots__ = ("collective_name", "family_name", "given_names", "orcid", "pk")

    def __init__(self, family_name, given_names, collective_name, orcid):
        self.family_name = family_name
        self.given_names = given_names
        self.collective_name = collective_name
        self.orcid = orcid
        self.pk = None


def _identity(person):
    return ("new", id(person)) if isinstance(person, NewPerson) else ("saved", person)


def _person_id(person):
    return person.pk if isinstance(person, NewPerson) else person
