"""PubMed-style field tags in the search box: `castelli[au]`, `Castelli R[au]`, `2012[dp]`,
`2010:2012[dp]`, `"multiple myeloma"[mh]`, `review[pt]`, `dosing[kw]`, `"Immunopharmacol Immunotoxicol"[ta]`,
`myeloma[ti]`, `hypercalcemia[ab]`, `10.3109/08923973.2012.658921[doi]`, `22413950[pmid]`.

A tagged term becomes the filter of the same meaning (the FilterSet's own querysets: by_person,
with_mesh_heading, ...), the rest of the text stays the full-text query. A term tagged [ti], [ab] or
[tiab] is searched as a word and must also stand in that field. A tag this portal does not know
leaves its term in the full-text query, untagged."""

import re
from dataclasses import dataclass, field

from django.db.models import Q
from django.db.models.functions import Lower

from literature.models import Authorship, Journal, Keyword, Person

# A term and its tag: a "quoted phrase" or a word (an author's family name may be followed by initials).
TAGGED = re.compile(r'(?:"([^"]+)"|([^\s"\[\]]+(?:\s+[A-Z]{1,3}\b)?))\[([A-Za-z]+)\]')
TAGS = {
    "au": "author",
    "auth": "author",
    "ti": "title",
    "ab": "abstract",
    "tiab": "title or abstract",
    "mh": "MeSH heading",
    "mesh": "MeSH heading",
    "kw": "keyword",
    "ot": "keyword",
    "dp": "publication year",
    "pdat": "publication year",
    "ta": "journal",
    "jour": "journal",
    "pt": "publication type",
    "doi": "DOI",
    "lid": "DOI",
    "pmid": "PubMed id",
    "uid": "PubMed id",
}
YEARS = re.compile(r"^(\d{4})(?:\s*[:\-]\s*(\d{4}))?$")


@dataclass
class TaggedQuery:
    text: str  # the full-text part
    tags: list = field(default_factory=list)  # [(tag, term)], tags lower-cased and known


def parse_field_tags(query):
    """The free text and the tagged terms of a query."""
    tags = []

    def take(match):
        term, tag = (match.group(1) or match.group(2)).strip(), match.group(3).lower()
        if tag not in TAGS:
            return f' "{term}" ' if match.group(1) else f" {term} "
        tags.append((tag, term))
        return " "

    text = TAGGED.sub(take, query or "")
    return TaggedQuery(" ".join(text.split()), tags)


def searched_words(tagged):
    """The terms that also go to the full-text query: those that must stand in a text field."""
    return [f'"{term}"' for tag, term in tagged.tags if tag in {"ti", "ab", "tiab"}]


def _case_variants(name):
    # The name index is case-sensitive (as names are written); a reader types any case.
    return {name, name.lower(), name.upper(), name.capitalize(), name.title()}


def _by_author(queryset, term):
    family, _, initials = term.rpartition(" ") if re.search(r"\s[A-Z]{1,3}$", term) else (term, "", "")
    people = Person.objects.filter(family_name__in=_case_variants(family.strip()))
    if initials:
        people = people.filter(given_names__startswith=initials[0])
    return queryset.filter(pk__in=Authorship.objects.filter(person__in=people).values("article_id"))


def _by_years(queryset, term):
    found = YEARS.match(term.strip())
    if not found:
        return queryset.none()
    start = int(found.group(1))
    end = int(found.group(2) or start)
    return queryset.filter(publication_year__gte=min(start, end), publication_year__lte=max(start, end))


def _in_journal(queryset, term):
    journals = Journal.objects.filter(Q(title__in=_case_variants(term)) | Q(iso_abbreviation__in=_case_variants(term)))
    return queryset.filter(journal__in=journals)


def _with_keyword(queryset, term):
    # Keywords are unique in any case, by an index on their lowered name: at most one is named.
    keyword = Keyword.objects.annotate(lowered=Lower("name")).filter(lowered=term.lower()).values("pk")[:1]
    return queryset.with_keyword(keyword)


def _in_text(queryset, term, fields):
    condition = Q()
    for name in fields:
        condition |= Q(**{f"{name}__icontains": term})
    return queryset.filter(condition)


def _by_pmid(queryset, term):
    return queryset.filter(pmid=int(term)) if term.isdecimal() else queryset.none()


FILTERS = {
    "author": _by_author,
    "publication year": _by_years,
    "MeSH heading": lambda queryset, term: queryset.with_mesh_heading(term),
    "publication type": lambda queryset, term: queryset.with_publication_type(term),
    "keyword": _with_keyword,
    "journal": _in_journal,
    "DOI": lambda queryset, term: queryset.with_doi(term),
    "PubMed id": _by_pmid,
    "title": lambda queryset, term: _in_text(queryset, term, ["title", "subtitle"]),
    "abstract": lambda queryset, term: _in_text(queryset, term, ["abstract"]),
    "title or abstract": lambda queryset, term: _in_text(queryset, term, ["title", "subtitle", "abstract"]),
}


def apply_field_tags(queryset, tagged):
    for tag, term in tagged.tags:
        queryset = FILTERS[TAGS[tag]](queryset, term)
    return queryset
