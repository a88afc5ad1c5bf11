"""Errata, retractions and comments written as text, for the formats that have no field for them (RIS
`N1`, BibTeX `note`, CSL-JSON `note`, CSV): one line per relation in PubMed's own words, its label, then
the other article's citation and PMID as MEDLINE writes them,

    Retraction in: Lancet. 2010 Feb 6;375(9713):445. PMID: 20137807

and read back from those fields, so that a retracted article exported from here and imported elsewhere
(or here again) still says so. A note that does not begin with a label is not a relation and is left
alone."""

import re

from literature.models.relations import RelationKind

RELATION_PMID = re.compile(r"\s*PMID:\s*(\d+)\s*$")
KINDS_BY_LABEL = {str(label).casefold(): kind for kind, label in RelationKind.choices}
# A label at the start of a line, or after the "; " that joins relations in one field (a citation has
# semicolons of its own, "2010;375:445", but never one followed by a label and a colon).
_LABEL = "|".join(re.escape(str(label)) for _, label in RelationKind.choices)
NOTICE = re.compile(rf"(?:^|(?<=\n)|;\s+)({_LABEL}):\s*", re.IGNORECASE)


def relation_parts(value):
    """(citation, pmid) of a relation line: 'Lancet. 2010 Jun 5;375(9730):1966. PMID: 20529571'."""
    found = RELATION_PMID.search(value)
    return (value[: found.start()].strip() if found else value.strip()), (found.group(1) if found else "")


def notice_line(kind, citation, pmid):
    """'Erratum in: Blood. 2013;121:1234. PMID: 23456789' (the citation or the PMID may be missing)."""
    parts = [citation, f"PMID: {pmid}" if pmid else ""]
    return f"{RelationKind(kind).label}: {' '.join(part for part in parts if part)}"


def notice_lines(relations):
    """The notice lines of an article's ArticleRelations, in their order."""
    return [notice_line(relation.kind, relation.citation, relation.pmid) for relation in relations]


def notices_in(text):
    """[(RefType, citation, pmid)] of the notice lines in a note's text: each line, or each part of one
    joined with '; ', that begins with a relation's label ('Retraction in:', 'Comment on:' ...)."""
    text = text or ""
    found = list(NOTICE.finditer(text))
    relations = []
    ends = [following.start() for following in found[1:]] + [len(text)] if found else []
    for match, end in zip(found, ends, strict=True):
        citation, pmid = relation_parts(text[match.end() : end])
        citation = citation.rstrip(";").strip()
        if citation or pmid:
            relations.append((KINDS_BY_LABEL[match.group(1).casefold()], citation, pmid))
    return relations
