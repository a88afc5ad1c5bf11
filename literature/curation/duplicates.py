"""Finding articles that are likely the same record twice, for curators to merge or dismiss.

Identifiers cannot be shared (the database refuses a second article with the same DOI, PMID or PMCID,
compared after normalisation), so what remains is the same article entered without identifiers or
with only some of them: near-identical titles (markup, case, accents and punctuation ignored, then
compared with rapidfuzz) published within a year of each other (an e-pub and the issue may straddle
a new year). Two articles whose DOIs or PMIDs differ are different articles, whatever their titles.

Comparing every pair would be quadratic; sorting the titles and comparing each with its next few
neighbours (the sorted-neighbourhood method), once in title order and once in order of the title
read backwards (to catch differences near the start), finds near-identical titles in n log n.
"""

from dataclasses import dataclass

from rapidfuzz import fuzz

from literature.models import Article, DuplicateCandidate, DuplicateStatus

THRESHOLD = 94.0  # rapidfuzz ratio of the reduced titles
WINDOW = 8


@dataclass(frozen=True)
class Entry:
    pk: int
    title: str
    year: int | None
    doi: str
    pmid: int | None


def _entries():
    rows = Article.objects.exclude(match_title="").values_list("pk", "match_title", "publication_year", "doi", "pmid")
    return [Entry(pk, title, year, doi.lower(), pmid) for pk, title, year, doi, pmid in rows.iterator(chunk_size=5000)]


def _different_records(a, b):
    return (a.doi and b.doi and a.doi != b.doi) or (a.pmid and b.pmid and a.pmid != b.pmid)


def _compatible_years(a, b):
    return a.year is None or b.year is None or abs(a.year - b.year) <= 1


def candidate_pairs(entries):
    """{(lower pk, higher pk): (reason, score)} for the likely duplicates among `entries`."""
    found = {}
    for key in (lambda e: e.title, lambda e: e.title[::-1]):
        ordered = sorted(entries, key=key)
        for index, entry in enumerate(ordered):
            for other in ordered[index + 1 : index + 1 + WINDOW]:
                if _different_records(entry, other) or not _compatible_years(entry, other):
                    continue
                if entry.title == other.title:
                    reason, score = "same title", 100.0
                else:
                    score = fuzz.ratio(entry.title, other.title, score_cutoff=THRESHOLD)
                    if not score:
                        continue
                    reason = "near-identical title"
                if entry.year and other.year and entry.year != other.year:
                    reason += ", years a year apart"
                found[tuple(sorted((entry.pk, other.pk)))] = (reason, round(score, 1))
    return found


def find_duplicate_articles():
    """Store the likely duplicates not yet known (a dismissed pair stays dismissed); returns how many are new."""
    pairs = candidate_pairs(_entries())
    known = set(DuplicateCandidate.objects.values_list("article_id", "other_id"))
    new = [
        DuplicateCandidate(article_id=a, other_id=b, reason=reason, score=score, status=DuplicateStatus.OPEN)
        for (a, b), (reason, score) in pairs.items()
        if (a, b) not in known
    ]
    DuplicateCandidate.objects.bulk_create(new, batch_size=2000)
    return len(new)
