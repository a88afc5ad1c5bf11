""" "Did you mean": for a word of the query the corpus does not hold, or a query that finds little, the
nearest words of the corpus's own vocabulary, as search engines offer them.

The vocabulary is what readers search for: the words of public titles, keywords, MeSH headings and
authors' family names, read from the public sample (search/sampling.py: about 5,000 articles whatever
the corpus size, all of a smaller one, so a word frequent enough to be worth suggesting is in it), and
every name of the drugs confirmed in it (a drug's name is the word most often misspelt: "lenalidomid"),
all read in one query. Nothing from an unapproved article is in it. It is cached per corpus version
(stale-while-revalidate, as the facets), and so is each query's suggestion.

A word is replaced by the vocabulary word nearest to it in edit distance (1 for words of up to 5
letters, 2 past that; the more frequent of equally near words), when the word itself is not in the
vocabulary, or when the query finds fewer than FEW_RESULTS and the other word is far more frequent.
Stemming already finds other forms of a word ("patient" finds "patients"): this is for misspellings."""

import re
from collections import Counter

from django.db.models import Value
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from literature.derived.cache import cached_for_corpus
from literature.models import Article, ArticleDrug, Authorship, Drug, DrugName, MeshHeading
from literature.search.facets import counted_articles
from literature.search.query import TOKEN
from literature.search.sampling import slots_to_sample
from literature.search.tags import parse_field_tags

FEW_RESULTS = 5
MIN_LENGTH = 4  # shorter words are too often someone's abbreviation to correct
DRUG_NAME_WEIGHT = 10  # a drug's names count as this many occurrences: they are what readers look for
FAR_MORE_FREQUENT = 20  # how much more frequent a known word's neighbour must be to be suggested for it
TAGS = re.compile(r"<[^>]+>")  # a title's inline markup
LETTERS = re.compile(rf"[^\W\d_]{{{MIN_LENGTH},}}", re.UNICODE)


def vocabulary():
    """{lower-cased word: how often it occurs in the vocabulary}."""
    return cached_for_corpus("search-vocabulary", None, _vocabulary)


def _vocabulary():
    """One query over the sample: its titles, subtitles, keywords, MeSH headings, family names, and the
    names of the drugs confirmed in it (each weighed as DRUG_NAME_WEIGHT occurrences)."""
    public = Article.objects.public()
    ids = public.in_sample(slots_to_sample(counted_articles(public, "public"))).order_by().values("pk")
    drugs = ArticleDrug.objects.confirmed().filter(article_id__in=ids).values("drug_id")

    def part(queryset, column, drug_name=False):  # one part of the union: (text, is it a drug's name)
        return queryset.order_by().annotate(drug_name=Value(drug_name)).values_list(column, "drug_name")

    rows = part(Article.objects.filter(pk__in=ids), "title").union(
        part(Article.objects.filter(pk__in=ids).exclude(subtitle=""), "subtitle"),
        part(Article.keywords.through.objects.filter(article_id__in=ids), "keyword__name"),
        part(MeshHeading.objects.filter(article_id__in=ids), "descriptor"),
        part(Authorship.objects.filter(article_id__in=ids), "person__family_name"),
        part(DrugName.objects.filter(drug_id__in=drugs), "name", drug_name=True),
        part(Drug.objects.filter(pk__in=drugs), "name", drug_name=True),
        all=True,
    )
    texts, drug_names = [], []
    for text, drug_name in rows:
        (drug_names if drug_name else texts).append(text or "")
    # Every text at once: one pass of the regular expression over the joined text, not one per row.
    frequency = Counter(LETTERS.findall(TAGS.sub(" ", "\n".join(texts)).lower()))
    for word, count in Counter(LETTERS.findall("\n".join(drug_names).lower())).items():
        frequency[word] += count * DRUG_NAME_WEIGHT
    return dict(frequency)


def did_you_mean(query, result_count):
    """The query with its misspelt words replaced (see above), or None when nothing is replaced."""
    few = result_count < FEW_RESULTS
    return cached_for_corpus("did-you-mean", (query, few), lambda: _suggested(query, few))


def _suggested(query, few):
    words = vocabulary()
    if not words:
        return None
    replaced = {}
    for match in TOKEN.finditer(parse_field_tags(query).text):  # field-tagged terms are names, years, ids
        negated = match.group(1) or match.group(3)
        if negated or match.group(5):  # an excluded word, a prefix*: as the reader wrote them
            continue
        for word in LETTERS.findall(match.group(2) or match.group(4) or ""):
            lowered = word.lower()
            if lowered in replaced:
                continue
            known = words.get(lowered, 0)
            if known and not few:
                continue
            nearest = _nearest(lowered, words)
            if nearest and (not known or words[nearest] >= FAR_MORE_FREQUENT * known):
                replaced[lowered] = nearest
    if not replaced:
        return None
    pattern = re.compile(r"(?<!\w)(" + "|".join(map(re.escape, replaced)) + r")(?!\w)", re.IGNORECASE)
    return pattern.sub(lambda match: replaced[match.group().lower()], query)


def _nearest(word, words):
    distance = 1 if len(word) <= 5 else 2
    found = process.extract(word, words.keys(), scorer=Levenshtein.distance, score_cutoff=distance, limit=10)
    candidates = [(score, -words[candidate], candidate) for candidate, score, _ in found if candidate != word]
    return min(candidates)[2] if candidates else None
