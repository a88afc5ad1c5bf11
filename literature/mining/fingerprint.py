"""The Fingerprint: the concepts an article is about, each weighted, the top one at 100%, grouped by
category, as research portals show it.

Concepts come from real vocabularies: the drugs (names and synonyms of the drug vocabulary, and the
article's drug links that are not rejected), the MeSH descriptors (found in the title and abstract by
name, except one-word headings that are everyday English words such as "Paper" or "Time", and the MeSH
headings imported records carry), and author keywords that are in neither. A MeSH
descriptor that is a drug of the vocabulary counts as that drug, so nothing shows twice.

Weight = where the concept occurs (title 3, keyword or drug link 2, abstract 1 per mention) times how
rare it is in the corpus (inverse document frequency: log((N + 1) / (df + 1)) + 1), normalised so the
top concept is 100; the top 15 of at least 5% are kept. Ties break on the concept's key, so the same
text gives the same Fingerprint. A concept a curator hides stays hidden through recomputations.
"""

import hashlib
import math
from collections import Counter, defaultdict
from functools import lru_cache
from pathlib import Path

from django.db import transaction
from django.db.models import Sum

from literature.importers.rows import insert_rows
from literature.mining import mesh
from literature.mining.mentions import NameMatcher, current_matcher, plain, vocabulary_version
from literature.mining.texts import article_texts, as_texts
from literature.models import (
    Article,
    ArticleConcept,
    ArticleDrug,
    Concept,
    ConceptKind,
    Drug,
    Keyword,
    LinkStatus,
    SourceLoad,
)

FIELD_WEIGHTS = {"title": 3.0, "keyword": 2.0, "link": 2.0, "abstract": 1.0}
KEEP = 15
MIN_WEIGHT = 5.0
BATCH = 1000
# Bumped when the weighting or the concepts change, so that `compute_fingerprints --if-stale` runs again.
FINGERPRINT_RULES_VERSION = "1"
FULL_PASS_NAME = "fingerprints"


# Words of academic prose that are also MeSH headings ("In this paper ...", "this disease").
ACADEMIC_WORDS = {"disease", "diseases", "pharmacology", "methods", "therapeutics", "patients", "review"}


@lru_cache(maxsize=1)
def ordinary_words():
    """Everyday English words (~1,000 of the commonest, data/everyday_words.txt, and a few of academic
    prose): as one-word MeSH headings found in running text they mean the word ("paper", "environment",
    "time"), not the concept. They still count as an article's MeSH headings or keywords."""
    lines = (Path(__file__).parent / "data" / "everyday_words.txt").read_text(encoding="utf-8").splitlines()
    return {line for line in lines if line and not line.startswith("#")} | ACADEMIC_WORDS


@lru_cache(maxsize=1)
def mesh_matcher():
    """Every MeSH descriptor by name but the one-word ordinary ones (built once per process)."""
    common = ordinary_words()
    names = ((name, ui) for ui, name in mesh.descriptors().items() if name.lower() not in common)
    return NameMatcher(names, short_name_rules=False)


class ConceptExtractor:
    """Scores of the concepts of articles' texts, keywords and drug links, before weighting by rarity."""

    def __init__(self):
        self.drugs = current_matcher()
        self.mesh = mesh_matcher()
        self.mesh_by_name = mesh.ids_by_name()
        # A MeSH descriptor that is a drug of the vocabulary counts as that drug: by the drug's MeSH id,
        # or, where it has none, by its name.
        self.drug_of_mesh = {}
        for mesh_id, name, pk in Drug.objects.values_list("mesh_id", "name", "pk"):
            by_name = self.mesh_by_name.get(name.casefold())
            if by_name:
                self.drug_of_mesh.setdefault(by_name, pk)
            if mesh_id:
                self.drug_of_mesh[mesh_id] = pk

    def mesh_concept(self, mesh_id):
        drug_id = self.drug_of_mesh.get(mesh_id)
        return (ConceptKind.DRUG, str(drug_id)) if drug_id else (ConceptKind.MESH, mesh_id)

    def scores(self, title, abstract, keywords=(), drug_ids=()):
        """{(kind, key): score}. keywords: (keyword id, name, MeSH id); drug_ids: linked, not rejected."""
        scores = defaultdict(float)
        for field, text in (("title", plain(title)), ("abstract", plain(abstract))):
            weight = FIELD_WEIGHTS[field]
            drug_spans = set()
            for start, end, ids in self.drugs.matches(text):
                drug_spans.add((start, end))
                for drug_id in ids:
                    scores[(ConceptKind.DRUG, str(drug_id))] += weight
            for start, end, ids in self.mesh.matches(text):
                for mesh_id in ids:
                    concept = self.mesh_concept(mesh_id)
                    if concept[0] == ConceptKind.DRUG and (start, end) in drug_spans:
                        continue  # the same words, already counted as the drug
                    scores[concept] += weight
        for keyword_id, name, mesh_id in keywords:
            mesh_id = mesh_id or self.mesh_by_name.get(name.casefold(), "")
            if mesh_id:
                concept = self.mesh_concept(mesh_id)
            else:
                named = self.drugs.exact(name)
                if not named and keyword_id is None:
                    continue  # a MeSH heading that is neither in this MeSH vocabulary nor a drug
                concept = (ConceptKind.DRUG, str(named[0])) if named else (ConceptKind.KEYWORD, str(keyword_id))
            scores[concept] += FIELD_WEIGHTS["keyword"]
        for drug_id in drug_ids:
            scores[(ConceptKind.DRUG, str(drug_id))] += FIELD_WEIGHTS["link"]
        return scores


@lru_cache(maxsize=1)
def _extractor_for(version):
    return ConceptExtractor()


def current_extractor():
    """The extractor of the current vocabulary, made once per process and again when it changes."""
    return _extractor_for(vocabulary_version())


def weigh(scores, document_frequency, total):
    """[(concept key, weight)] best first: the top KEEP of at least MIN_WEIGHT, the first at 100."""
    weighted = {
        key: score * (math.log((total + 1) / (document_frequency.get(key, 0) + 1)) + 1) for key, score in scores.items()
    }
    if not weighted:
        return []
    top = max(weighted.values())
    ranked = sorted(((key, 100 * value / top) for key, value in weighted.items()), key=lambda kv: (-kv[1], kv[0]))
    return [(key, round(weight, 2)) for key, weight in ranked[:KEEP] if weight >= MIN_WEIGHT]


# Reading articles in batches ----------------------------------------------------------------------------


def article_inputs(texts):
    """(ArticleText, linked drug ids not rejected) for these articles, the links read in one query."""
    drugs = defaultdict(list)
    links = ArticleDrug.objects.filter(article_id__in=[text.pk for text in texts]).exclude(status=LinkStatus.REJECTED)
    for article_id, drug_id in links.values_list("article_id", "drug_id"):
        drugs[article_id].append(drug_id)
    return [(text, drugs[text.pk]) for text in texts]


def _batches_of_texts(queryset):
    ids = list(queryset.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH):
        yield article_texts(ids[start : start + BATCH])


# Writing ------------------------------------------------------------------------------------------------


def stored_concepts(keys):
    """{(kind, key): (Concept id, article_count)} of those of `keys` that are stored."""
    found = {}
    for kind in ConceptKind.values:
        wanted = sorted({key for k, key in keys if k == kind})
        for start in range(0, len(wanted), 900):
            rows = Concept.objects.filter(kind=kind, key__in=wanted[start : start + 900])
            found.update(
                {(kind, key): (pk, count) for key, pk, count in rows.values_list("key", "pk", "article_count")}
            )
    return found


def concept_ids(keys, known=None):
    """{(kind, key): Concept id}, creating the concepts not yet stored (named from their vocabulary).
    known: the ids of every stored one among `keys`, where the caller has just read them (fingerprint_articles
    reads them with their frequencies), else they are read here."""
    keys = set(keys)
    if known is None:
        known = {key: pk for key, (pk, _) in stored_concepts(keys).items()}
    found = {key: known[key] for key in keys if key in known}
    missing = keys - found.keys()
    if missing:
        # Another process (an import, a curator's save) may be making the same concept now: theirs is kept.
        Concept.objects.bulk_create(
            [Concept(kind=kind, key=key, name=name) for (kind, key), name in _names(missing).items()],
            ignore_conflicts=True,
        )
        found.update({key: pk for key, (pk, _) in stored_concepts(missing).items()})
    return found


def _names(keys):
    drug_ids = [int(key) for kind, key in keys if kind == ConceptKind.DRUG]
    keyword_ids = [int(key) for kind, key in keys if kind == ConceptKind.KEYWORD]
    drugs = dict(Drug.objects.filter(pk__in=drug_ids).values_list("pk", "name"))
    keywords = dict(Keyword.objects.filter(pk__in=keyword_ids).values_list("pk", "name"))
    descriptors = mesh.descriptors()
    names = {}
    for kind, key in keys:
        if kind == ConceptKind.DRUG:
            names[(kind, key)] = drugs.get(int(key), key)
        elif kind == ConceptKind.KEYWORD:
            names[(kind, key)] = keywords.get(int(key), key)
        else:
            names[(kind, key)] = descriptors.get(key, key)
    return names


@transaction.atomic
def save_fingerprints(fingerprints, known_ids=None):
    """Replace the shown concepts of these articles ({article id: [(concept key, weight)]}); the
    concepts curators hid stay, hidden. known_ids: as concept_ids takes them."""
    ids = concept_ids((key for concepts in fingerprints.values() for key, _ in concepts), known_ids)
    hidden = defaultdict(set)
    for article_id, concept_id in ArticleConcept.objects.filter(
        article_id__in=list(fingerprints), hidden=True
    ).values_list("article_id", "concept_id"):
        hidden[article_id].add(concept_id)
    ArticleConcept.objects.filter(article_id__in=list(fingerprints), hidden=False).delete()
    rows = [
        (article_id, ids[key], weight, False)
        for article_id, concepts in fingerprints.items()
        for key, weight in concepts
        if ids[key] not in hidden[article_id]
    ]
    insert_rows(ArticleConcept, ["article", "concept", "weight", "hidden"], rows)


def full_pass_digest():
    """What a full pass would be computed from: the rules, the vocabulary load, the size of the corpus
    (the rarity of every concept shifts as articles come in; single saves use the last full pass's)."""
    vocabulary = SourceLoad.objects.filter(name="drug-vocabulary").values_list("digest", flat=True).first()
    parts = (FINGERPRINT_RULES_VERSION, vocabulary or "", str(Article.objects.count()))
    return hashlib.sha256("/".join(parts).encode()).hexdigest()


def fingerprints_are_current():
    return SourceLoad.is_current(FULL_PASS_NAME, full_pass_digest())


def compute_fingerprints(queryset=None, extractor=None, progress=None):
    """Recompute the Fingerprints of `queryset` (default: every article) with the rarity of each concept
    counted over the whole corpus first. Returns the number of articles."""
    extractor = extractor or ConceptExtractor()
    everything = Article.objects.all()
    digest = full_pass_digest() if queryset is None else None
    document_frequency, total = Counter(), 0
    for batch in _batches_of_texts(everything):
        for text, drugs in article_inputs(batch):
            document_frequency.update(extractor.scores(text.title, text.abstract, text.keywords, drugs).keys())
        total += len(batch)
    done = 0
    for batch in _batches_of_texts(queryset if queryset is not None else everything):
        save_fingerprints(
            {
                text.pk: weigh(
                    extractor.scores(text.title, text.abstract, text.keywords, drugs), document_frequency, total
                )
                for text, drugs in article_inputs(batch)
            }
        )
        done += len(batch)
        if progress:
            progress(len(batch))
    _store_document_frequencies(document_frequency)
    if digest:
        SourceLoad.record(FULL_PASS_NAME, digest)
    return done


def _store_document_frequencies(document_frequency):
    concepts = list(Concept.objects.all())
    for concept in concepts:
        concept.article_count = document_frequency.get((concept.kind, concept.key), 0)
    Concept.objects.bulk_update(concepts, ["article_count"], batch_size=5000)


def fingerprint_articles(articles, extractor=None):
    """Recompute these articles' Fingerprints (ArticleTexts, or Articles whose texts are read) against the
    corpus frequencies of the last full computation (compute_fingerprints), as saves and imports do
    between full runs."""
    extractor = extractor or current_extractor()
    scores = {
        text.pk: extractor.scores(text.title, text.abstract, text.keywords, drugs)
        for text, drugs in article_inputs(as_texts(articles))
    }
    # The concepts' ids are read with their frequencies, once for the weighting and the saving.
    stored = stored_concepts({key for found in scores.values() for key in found})
    frequencies = {key: count for key, (_, count) in stored.items()}
    total = Article.objects.count()
    fingerprints = {pk: weigh(found, frequencies, total) for pk, found in scores.items()}
    save_fingerprints(fingerprints, known_ids={key: pk for key, (pk, _) in stored.items()})


# Reading ------------------------------------------------------------------------------------------------


def grouped(article_concepts):
    """[(category label, [ArticleConcept, ...])] in the order drugs, MeSH, keywords; best first in each."""
    groups = defaultdict(list)
    for item in sorted(article_concepts, key=lambda ac: (-ac.weight, ac.concept.name)):
        groups[item.concept.kind].append(item)
    return [(ConceptKind(kind).label, groups[kind]) for kind in ConceptKind.values if groups[kind]]


def aggregate(articles, exclude=None, limit=KEEP):
    """The Fingerprint of a set of articles (a drug's, a keyword's): their shown concepts' weights summed,
    the top one at 100. `exclude`: the concept of the page itself."""
    rows = (
        ArticleConcept.objects.shown()
        .filter(article__in=articles)
        .exclude(concept=exclude)
        .values("concept")
        .annotate(total=Sum("weight"))
        .order_by("-total", "concept")[:limit]
    )
    rows = list(rows)
    concepts = Concept.objects.in_bulk([row["concept"] for row in rows])
    top = rows[0]["total"] if rows else 1
    return [(concepts[row["concept"]], round(100 * row["total"] / top)) for row in rows]


def cached_similar_articles(article):
    """similar_articles(article), cached per corpus version: what the article page and the API show."""
    from literature.derived.cache import cached_for_corpus  # the derived package imports this module

    return cached_for_corpus("similar-articles", article.pk, lambda: similar_articles(article))


def similar_articles(article, limit=5, per_concept=50, concepts=8):
    """Public articles whose Fingerprints overlap most with this one's (cosine of the weights), looked for
    among the `per_concept` articles strongest on each of its top concepts: each of those lists is one
    walk down the (concept, weight) index, however many articles share the concept."""
    mine = dict(
        article.concepts.shown().order_by("-weight", "concept_id").values_list("concept_id", "weight")[:concepts]
    )
    if not mine:
        return []
    overlap = defaultdict(float)
    for concept_id, weight in mine.items():
        strongest = (
            ArticleConcept.objects.public()
            .filter(concept_id=concept_id)
            .exclude(article_id=article.pk)
            .order_by("-weight")
            .values_list("article_id", "weight")[:per_concept]
        )
        for other, other_weight in strongest:
            overlap[other] += weight * other_weight
    best = sorted(overlap, key=lambda pk: (-overlap[pk], pk))[: limit * 3]
    norms = defaultdict(float)
    for article_id, weight in (
        ArticleConcept.objects.shown().filter(article_id__in=best).values_list("article_id", "weight")
    ):
        norms[article_id] += weight * weight
    mine_norm = math.sqrt(sum(w * w for w in mine.values()))
    cosine = {pk: overlap[pk] / (math.sqrt(norms[pk]) * mine_norm or 1) for pk in best}
    chosen = sorted(best, key=lambda pk: (-cosine[pk], pk))[:limit]
    articles = Article.objects.public().only("title", "subtitle", "publication_year").in_bulk(chosen)
    return [articles[pk] for pk in chosen if pk in articles]
