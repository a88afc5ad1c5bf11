"""Finding the drugs an article mentions, by any name or synonym of the vocabulary, with one
Aho-Corasick automaton (pyahocorasick) over all names instead of a regular expression per name.

Rules, so that abbreviations and short brand names do not match ordinary words:
- whole words only: the characters either side of a match are not letters or digits;
- names shorter than four characters are never matched ("AS", "ALL");
- four-character names only where the text writes them in capitals, as abbreviations are ("ATRA", "5-FU");
- five-character names only where the text capitalises them, as brands are ("Advil", not "caps");
- longer names in any case; where matches overlap, the longest wins ("all-trans retinoic acid").

A finding becomes a *suggested* article-drug link carrying the count and an evidence snippet with the
match marked. A rejected link is never suggested again; a confirmed one is never removed; a name on the
kill list (SuppressedDrugName) is never matched.
"""

import html
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

import ahocorasick
from django.db import connection, transaction
from django.db.models import Count, Max
from django.utils import timezone

from literature.importers.rows import insert_rows
from literature.mining.texts import as_texts
from literature.models import (
    ArticleDrug,
    Drug,
    DrugName,
    LinkSource,
    LinkStatus,
    SuppressedDrugName,
)

MIN_LENGTH = 4
CONTEXT = 60  # characters of evidence either side of the match
TAG = re.compile(r"<[^>]+>")


@dataclass
class Finding:
    drug_id: int
    count: int
    evidence: str


class NameMatcher:
    """Finds the names of a vocabulary in text: drugs here, MeSH descriptors for the Fingerprint."""

    def __init__(self, names, short_name_rules=True):
        """`names`: (name, id) pairs; a name may belong to several ids. short_name_rules: the case rules
        for four- and five-character names (drug abbreviations and brands; not for MeSH headings)."""
        self.short_name_rules = short_name_rules
        targets = {}
        for name, drug_id in names:
            key = name.strip().lower()
            if len(key) >= MIN_LENGTH:
                targets.setdefault(key, set()).add(drug_id)
        self.automaton = ahocorasick.Automaton()
        for key, drug_ids in targets.items():
            self.automaton.add_word(key, (len(key), tuple(sorted(drug_ids))))
        self.automaton.make_automaton()
        self.size = len(targets)

    def matches(self, text):
        """(start, end, drug ids) of each accepted mention in `text`, left to right."""
        if not text or not self.size:
            return []
        lowered = text.lower()
        if len(lowered) != len(text):  # a few characters lower-case to two ("İ"): keep offsets aligned
            lowered = "".join(char.lower()[0] for char in text)
        found = []
        for end, (length, drug_ids) in self.automaton.iter(lowered):
            start = end - length + 1
            if _at_word_boundaries(text, start, end + 1) and (
                not self.short_name_rules or _case_allows(text[start : end + 1])
            ):
                found.append((start, end + 1, drug_ids))
        found.sort(key=lambda match: (match[0], -(match[1] - match[0])))
        kept, reach = [], -1
        for match in found:
            if match[0] >= reach:
                kept.append(match)
                reach = match[1]
        return kept

    def exact(self, name):
        """The ids whose name is exactly `name` (in any case), or ()."""
        found = self.automaton.get(name.strip().lower(), None) if self.size else None
        return found[1] if found else ()

    def find(self, title, abstract, keywords=()):
        """{drug id: Finding} for an article's title, abstract (sanitised markup) and keyword names."""
        findings = {}
        for text in (plain(title), plain(abstract), *keywords):
            for start, end, drug_ids in self.matches(text):
                for drug_id in drug_ids:
                    finding = findings.get(drug_id)
                    if finding is None:
                        findings[drug_id] = Finding(drug_id, 1, _snippet(text, start, end))
                    else:
                        finding.count += 1
        return findings


def plain(markup):
    """Sanitised title or abstract markup as the text a reader sees."""
    return html.unescape(TAG.sub("", markup or ""))


def _at_word_boundaries(text, start, end):
    return (start == 0 or not text[start - 1].isalnum()) and (end == len(text) or not text[end].isalnum())


def _case_allows(written):
    letters = [char for char in written if char.isalpha()]
    if len(written) == 4:
        return bool(letters) and all(char.isupper() for char in letters)
    if len(written) == 5:
        return bool(letters) and letters[0].isupper()
    return True


def _snippet(text, start, end):
    before = text[max(0, start - CONTEXT) : start]
    after = text[end : end + CONTEXT]
    return (
        ("…" if start > CONTEXT else "")
        + html.escape(before)
        + f"<mark>{html.escape(text[start:end])}</mark>"
        + html.escape(after)
        + ("…" if end + CONTEXT < len(text) else "")
    )


# The matcher of the current vocabulary, built once per process and rebuilt when the vocabulary changes.


def vocabulary_version():
    drugs = Drug.objects.aggregate(n=Count("pk"), latest=Max("modified"))
    names = DrugName.objects.aggregate(n=Count("pk"), top=Max("pk"))
    suppressed = SuppressedDrugName.objects.aggregate(n=Count("pk"), latest=Max("modified"))
    return (drugs["n"], drugs["latest"], names["n"], names["top"], suppressed["n"], suppressed["latest"])


@lru_cache(maxsize=1)
def _matcher_for(version):
    names = list(Drug.objects.values_list("name", "pk")) + list(DrugName.objects.values_list("name", "drug_id"))
    # The kill list: names curators found to be false positives are never matched, for any drug.
    suppressed = {_name_key(name) for name in SuppressedDrugName.objects.values_list("name", flat=True)}
    return NameMatcher((name, drug_id) for name, drug_id in names if _name_key(name) not in suppressed)


def _name_key(name):
    return " ".join(name.lower().split())


def current_matcher():
    return _matcher_for(vocabulary_version())


@dataclass
class Mention:
    field: str  # "title" or "abstract"
    start: int  # offsets into the passage's plain text (`passages`), end exclusive
    end: int
    text: str
    drug_ids: tuple


def mentions_in(article):
    """(passages, mentions): the article's title and abstract as the plain text the detector reads
    ({field: text}), and every drug name it finds there, left to right, with the ids of the drugs so
    named: the evidence behind its suggested links, offset by offset, as text-mining annotation
    services give it."""
    passages = {"title": plain(article.full_title), "abstract": plain(article.abstract)}
    matcher = current_matcher()
    mentions = [
        Mention(field, start, end, text[start:end], drug_ids)
        for field, text in passages.items()
        for start, end, drug_ids in matcher.matches(text)
    ]
    return passages, mentions


# Turning findings into links ----------------------------------------------------------------------------


def link_findings(findings_by_article):
    """Write the findings of these articles ({article id: {drug id: Finding}}) as suggested links:
    new drugs get a text-mining suggestion; the detector's own suggestions are updated, or removed when
    the text no longer mentions the drug; rejected and confirmed links and curators' or imports' own
    suggestions keep their status (their count is updated). Returns the number of links created."""
    if not findings_by_article:
        return 0
    existing = {}
    for link in ArticleDrug.objects.filter(article_id__in=list(findings_by_article)).only(
        "article_id", "drug_id", "status", "source", "evidence", "mention_count"
    ):
        existing.setdefault(link.article_id, {})[link.drug_id] = link
    now = timezone.now()
    new, recounted, reworded, stale = [], defaultdict(list), [], []
    for article_id, findings in findings_by_article.items():
        links = existing.get(article_id, {})
        for drug_id, finding in findings.items():
            link = links.get(drug_id)
            if link is None:
                new.append((article_id, drug_id, finding))
            elif link.status == LinkStatus.SUGGESTED and link.source == LinkSource.TEXT_MINING:
                if (link.mention_count, link.evidence) != (finding.count, finding.evidence):
                    link.mention_count, link.evidence, link.modified = finding.count, finding.evidence, now
                    reworded.append(link)
            elif link.status != LinkStatus.REJECTED and link.mention_count != finding.count:
                recounted[finding.count].append(link.pk)
        stale += [
            link.pk
            for drug_id, link in links.items()
            if drug_id not in findings and link.status == LinkStatus.SUGGESTED and link.source == LinkSource.TEXT_MINING
        ]
    stamp = connection.ops.adapt_datetimefield_value(now)
    with transaction.atomic():
        insert_rows(
            ArticleDrug,
            ["created", "modified", "article", "drug", "status", "source", "evidence", "mention_count"],
            [
                (stamp, stamp, article_id, drug_id, LinkStatus.SUGGESTED, LinkSource.TEXT_MINING, f.evidence, f.count)
                for article_id, drug_id, f in new
            ],
        )
        for count, ids in recounted.items():  # one UPDATE per count, not one per link
            ArticleDrug.objects.filter(pk__in=ids).update(mention_count=count, modified=now)
        ArticleDrug.objects.bulk_update(reworded, ["mention_count", "evidence", "modified"], batch_size=500)
        ArticleDrug.objects.filter(pk__in=stale).delete()
    return len(new)


def detect_drugs(articles, matcher=None):
    """Find and link the drugs of `articles` (ArticleTexts, or Articles whose texts are read); returns
    the number of links created."""
    matcher = matcher or current_matcher()
    findings = {text.pk: matcher.find(text.title, text.abstract, text.keyword_names()) for text in as_texts(articles)}
    return link_findings(findings)
