"""Finding articles that are likely the same record twice, for curators to merge or dismiss.

Identifiers cannot be shared (the database refuses a second article with the same DOI, PMID or PMCID,
compared after normalisation), so what remains is the same article entered without identifiers or
with only some of them: near-identical titles (markup, case, accents and punctuation ignored, then
compared with rapidfuzz) published within a year of each other (an e-pub and the issue may straddle
a new year). Two articles whose DOIs or PMIDs differ are different articles, whatever their titles.

Near-identical is not the same: two titles that differ in a drug ("Lenalidomide maintenance ..." and
"Pomalidomide maintenance ...") or in a number (a dose, a phase, a year, a count) are two studies, and
are never paired, however close the rest (`differ_in_substance`).

Comparing every pair would be quadratic; sorting the titles and comparing each with its next few
neighbours (the sorted-neighbourhood method), once in title order and once in order of the title
read backwards (to catch differences near the start), finds near-identical titles in n log n.
"""

import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from literature.mining.mentions import current_matcher
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


NUMBER = re.compile(r"\d+")
ROMAN_PHASE = re.compile(r"\bphase (iv|v|i{1,3})\b")  # "phase II" vs "phase III"


class Substance:
    """What a title names that no two studies share by chance: its numbers and its drugs."""

    def __init__(self, matcher=None):
        self.matcher = matcher or current_matcher()
        self._seen = {}

    def of(self, title):
        found = self._seen.get(title)
        if found is None:
            numbers = frozenset(NUMBER.findall(title)) | {f"phase {p}" for p in ROMAN_PHASE.findall(title)}
            drugs = frozenset(drug for _, _, ids in self.matcher.matches(title) for drug in ids)
            found = self._seen[title] = (numbers, drugs)
        return found

    def differ(self, title, other):
        """True when the two (matching) titles name other numbers or other drugs."""
        return title != other and self.of(title) != self.of(other)


def _compatible_years(a, b):
    return a.year is None or b.year is None or abs(a.year - b.year) <= 1


def candidate_pairs(entries, substance=None):
    """{(lower pk, higher pk): (reason, score)} for the likely duplicates among `entries`."""
    substance = substance or Substance()
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
                    if not score or substance.differ(entry.title, other.title):
                        continue
                    reason = "near-identical title"
                if entry.year and other.year and entry.year != other.year:
                    reason += ", years a year apart"
                found[tuple(sorted((entry.pk, other.pk)))] = (reason, round(score, 1))
    return found


def find_duplicate_articles():
    """Store the likely duplicates not yet known (a dismissed pair stays dismissed), and drop the open
    pairs that the rules no longer pair (found before them); returns how many are new."""
    substance = Substance()
    stale = [
        candidate.pk
        for candidate in DuplicateCandidate.objects.open()
        .select_related("article", "other")
        .only("article__match_title", "other__match_title")
        if substance.differ(candidate.article.match_title, candidate.other.match_title)
    ]
    DuplicateCandidate.objects.filter(pk__in=stale).delete()
    pairs = candidate_pairs(_entries(), substance)
    known = set(DuplicateCandidate.objects.values_list("article_id", "other_id"))
    new = [
        DuplicateCandidate(article_id=a, other_id=b, reason=reason, score=score, status=DuplicateStatus.OPEN)
        for (a, b), (reason, score) in pairs.items()
        if (a, b) not in known
    ]
    DuplicateCandidate.objects.bulk_create(new, batch_size=2000)
    return len(new)
