"""What the public literature says about one drug, keyword, journal or person: publications per year,
the Fingerprint of its articles added up, what co-occurs with it most, and how many articles there are
(the page's paginator is told, not counting again).
Aggregates over possibly hundreds of thousands of articles: cached per corpus version, and past
EXACT_UP_TO articles counted over a sample of them and labelled "about" (search/sampling.py)."""

from django.db.models import Count, Q

from literature.derived.cache import cached_for_corpus
from literature.mining.fingerprint import aggregate
from literature.models import Article, ArticleDrug, Concept, ConceptKind, Keyword, Person
from literature.search.facets import counting_of

TOP = 10


def _profile(articles, drug_id=None, keyword_id=None, own_concept=None):
    over = counting_of(articles)
    articles = over.articles
    ids = articles.order_by().values("pk")
    years = {
        year: count
        for year, _, count in over.scaled(
            articles.exclude(publication_year__isnull=True)
            .order_by()
            .values_list("publication_year")
            .annotate(n=Count("*"))
            .values_list("publication_year", "publication_year", "n")
        )
    }
    keywords = (
        Article.keywords.through.objects.filter(article_id__in=ids)
        .exclude(keyword_id=keyword_id)
        .values("keyword_id")
        .annotate(n=Count("*"))
        .order_by("-n", "keyword_id")[:TOP]
    )
    drugs = (
        ArticleDrug.objects.confirmed()
        .filter(article_id__in=ids)
        .exclude(drug_id=drug_id)
        .values("drug_id", "drug__name", "drug__slug")
        .annotate(n=Count("*"))
        .order_by("-n", "drug__name")[:TOP]
    )
    keyword_rows = list(keywords)
    found = {
        pk: (name, slug)
        for pk, name, slug in Keyword.objects.filter(pk__in=[r["keyword_id"] for r in keyword_rows]).values_list(
            "pk", "name", "slug"
        )
    }
    return {
        "fingerprint": [
            {"name": concept.name, "url": concept.get_absolute_url(), "weight": weight}
            for concept, weight in aggregate(articles, exclude=own_concept)
        ],
        "years": years,
        "count": over.total(),
        "approximate": over.approximate,
        "keywords": over.scaled([(*found[r["keyword_id"]], r["n"]) for r in keyword_rows]),
        "drugs": over.scaled([(r["drug__name"], r["drug__slug"], r["n"]) for r in drugs]),
    }


def drug_articles(drug, walk=False):
    return Article.objects.public().with_confirmed_drug(drug, walk)


def keyword_articles(keyword, walk=False):
    return Article.objects.public().with_keyword(keyword, walk)


def drug_profile(drug):
    def compute():
        own = Concept.objects.filter(kind=ConceptKind.DRUG, key=str(drug.pk)).first()
        return _profile(drug_articles(drug), drug_id=drug.pk, own_concept=own)

    return cached_for_corpus("drug-profile", drug.pk, compute)


def keyword_profile(keyword):
    def compute():
        # A keyword's concept is its MeSH descriptor (or the drug that descriptor is), else the keyword.
        mesh_or_drug = Q(kind=ConceptKind.MESH, key=keyword.mesh_id) | Q(
            kind=ConceptKind.DRUG, name__iexact=keyword.name
        )
        own = Concept.objects.filter(
            mesh_or_drug if keyword.mesh_id else Q(kind=ConceptKind.KEYWORD, key=str(keyword.pk))
        ).first()
        return _profile(keyword_articles(keyword), keyword_id=keyword.pk, own_concept=own)

    return cached_for_corpus("keyword-profile", keyword.pk, compute)


def journal_profile(journal):
    return cached_for_corpus(
        "journal-profile", journal.pk, lambda: _profile(Article.objects.public().in_journal(journal))
    )


COAUTHORS = 20


def person_profile(person):
    """As the others, and the person's co-authors on public articles with how many they share."""

    def compute():
        profile = _profile(Article.objects.public().by_person(person))
        profile["coauthors"] = [
            (coauthor.pk, coauthor.display_name, coauthor.shared)
            for coauthor in Person.objects.coauthors_of(person).only("family_name", "given_names", "collective_name")[
                :COAUTHORS
            ]
        ]
        return profile

    return cached_for_corpus("person-profile", person.pk, compute)
