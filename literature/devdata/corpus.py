"""A synthetic but realistic corpus for benchmarks: Zipf-distributed journals, keywords, authors and
drugs, 1-30 authors per article, real-looking titles, abstracts, dates, pages and identifiers.

Rows go in with plain multi-row inserts, a batch per transaction (committed as it goes, in memory
bounded by the batch: people are made as the corpus grows, never all at once), and satisfy every
constraint of the model (the denormalised current publication status agrees with the history rows).
"""

import random
import secrets
import string
from bisect import bisect
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

from django.db import connection, transaction
from django.db.models import Max
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.text import slugify
from faker import Faker
from stdnum import issn

from literature.derived import refresh_derived
from literature.importers.rows import insert_rows
from literature.models import (
    Article,
    ArticleDrug,
    Authorship,
    CurationState,
    Drug,
    Journal,
    Keyword,
    LinkSource,
    LinkStatus,
    OutputCategory,
    OutputType,
    Person,
    PublicationState,
    PublicationStatus,
    SubjectArea,
)
from literature.models.articles import publication_sort_key
from literature.search.index import refresh_planner_statistics
from literature.values.markup import matching_title

# International non-proprietary names of drugs common in haematology and oncology literature.
DRUG_NAMES = [
    "Bortezomib", "Carfilzomib", "Ixazomib", "Daratumumab", "Isatuximab", "Elotuzumab", "Dexamethasone",
    "Prednisone", "Melphalan", "Cyclophosphamide", "Doxorubicin", "Vincristine", "Rituximab", "Ibrutinib",
    "Venetoclax", "Imatinib", "Dasatinib", "Nilotinib", "Azacitidine", "Decitabine", "Cytarabine",
    "Fludarabine", "Bendamustine", "Cisplatin", "Carboplatin", "Paclitaxel", "Docetaxel", "Gemcitabine",
    "Fluorouracil", "Capecitabine", "Oxaliplatin", "Irinotecan", "Bevacizumab", "Trastuzumab", "Cetuximab",
    "Pembrolizumab", "Nivolumab", "Ipilimumab", "Atezolizumab", "Sorafenib", "Sunitinib", "Everolimus",
    "Temozolomide", "Methotrexate", "Hydroxyurea", "Ruxolitinib", "Zoledronic acid", "Denosumab",
    "Panobinostat", "Selinexor", "Belantamab mafodotin", "Teclistamab", "Aspirin", "Enoxaparin", "Warfarin",
    "Filgrastim", "Erythropoietin", "Tocilizumab", "Infliximab", "Adalimumab", "Etanercept", "Ciclosporin",
]  # fmt: skip

TOPICS = [
    "multiple myeloma", "smoldering myeloma", "plasma cell leukemia", "AL amyloidosis", "Waldenström macroglobulinemia",
    "diffuse large B-cell lymphoma", "follicular lymphoma", "mantle cell lymphoma", "Hodgkin lymphoma",
    "chronic lymphocytic leukemia", "acute myeloid leukemia", "myelodysplastic syndromes", "myelofibrosis",
    "chronic myeloid leukemia", "erythema nodosum leprosum", "Crohn's disease", "rheumatoid arthritis",
    "non-small cell lung cancer", "colorectal cancer", "breast cancer", "prostate cancer", "melanoma",
    "graft-versus-host disease", "venous thromboembolism", "peripheral neuropathy", "bone disease",
]  # fmt: skip

CONCEPTS = [
    "angiogenesis", "cereblon", "Ikaros degradation", "T-cell activation", "natural killer cells",
    "bone marrow microenvironment", "minimal residual disease", "autologous stem cell transplantation",
    "maintenance therapy", "induction therapy", "drug resistance", "cytogenetic risk", "progression-free survival",
    "overall survival", "pharmacokinetics", "toxicity", "thromboprophylaxis", "quality of life", "cost-effectiveness",
    "biomarkers", "gene expression profiling", "clonal evolution", "immunotherapy", "CAR T cells",
    "bispecific antibodies", "proteasome inhibition", "cytokines", "tumor necrosis factor", "interleukin-6",
    "regulatory T cells", "dendritic cells", "apoptosis", "NF-kappaB signalling", "teratogenicity",
    "renal impairment", "elderly patients", "real-world evidence", "randomized controlled trial", "meta-analysis",
]  # fmt: skip

STUDY_DESIGNS = [
    "a randomized phase III trial", "a phase II study", "a retrospective cohort study", "a systematic review",
    "a meta-analysis", "a single-centre experience", "a multicentre observational study", "a case report",
    "a pharmacokinetic study", "an in vitro study", "a mouse model", "a population-based analysis",
]  # fmt: skip

TITLE_TEMPLATES = [
    "{drug} in {topic}: {design}",
    "{concept} and {drug} in {topic}",
    "Efficacy and safety of {drug} plus {drug2} in {topic}",
    "Role of {concept} in {topic}",
    "{drug}-based therapy for relapsed and refractory {topic}: {design}",
    "Long-term outcomes of {drug} maintenance in {topic}",
    "Mechanisms of {concept} in {topic}: from bench to bedside",
    "{concept} predicts response to {drug} in {topic}",
]

SENTENCE_TEMPLATES = [
    "{topic_cap} remains a major clinical challenge despite recent therapeutic advances.",
    "We evaluated {drug} in patients with {topic} in {design}.",
    "The role of {concept} in {topic} is incompletely understood.",
    "Treatment with {drug} was associated with improved {concept}.",
    "Adverse events included neutropenia, thrombocytopenia and {concept}.",
    "Median follow-up was {months} months and the overall response rate was {percent}%.",
    "Our findings suggest that {concept} contributes to resistance to {drug}.",
    "These data support further investigation of {drug} combined with {drug2}.",
    "In this review we summarise current evidence on {concept} in {topic}.",
    "A total of {patients} patients were enrolled between {year1} and {year2}.",
]

# How each other placeholder of the templates is drawn.
DRAWS = {
    "topic_cap": lambda rng, topic: topic[0].upper() + topic[1:],
    "concept": lambda rng, topic: rng.choice(CONCEPTS),
    "design": lambda rng, topic: rng.choice(STUDY_DESIGNS),
    "months": lambda rng, topic: rng.randint(6, 96),
    "percent": lambda rng, topic: rng.randint(10, 95),
    "patients": lambda rng, topic: rng.randint(12, 2400),
    "year1": lambda rng, topic: rng.randint(1995, 2015),
    "year2": lambda rng, topic: rng.randint(2016, 2024),
}
PLACEHOLDERS = {
    template: [name for _, name, _, _ in string.Formatter().parse(template) if name]
    for template in TITLE_TEMPLATES + SENTENCE_TEMPLATES
}

JOURNAL_PATTERNS = [
    "Journal of {field}", "International Journal of {field}", "European Journal of {field}", "Annals of {field}",
    "Clinical {field}", "Current Opinion in {field}", "Reviews in {field}", "Advances in {field}",
    "{field} Research", "{field} Letters", "Experimental {field}", "Frontiers in {field}",
]  # fmt: skip

JOURNAL_FIELDS = [
    "Oncology", "Hematology", "Haematology", "Immunology", "Pharmacology", "Cancer Research", "Leukemia",
    "Clinical Oncology", "Experimental Medicine", "Toxicology", "Drug Discovery", "Transplantation",
    "Internal Medicine", "Molecular Medicine", "Clinical Pharmacology", "Blood Research", "Immunotherapy",
    "Translational Medicine", "Therapeutics", "Cell Biology", "Clinical Investigation", "Medical Science",
]  # fmt: skip

PUBLISHERS = ["Elsevier", "Springer Nature", "Wiley", "Taylor & Francis", "Oxford University Press", "Karger"]

OUTPUT_TYPE_WEIGHTS = [
    (OutputType.ARTICLE, 70),
    (OutputType.REVIEW, 15),
    (OutputType.LETTER, 5),
    (OutputType.EDITORIAL, 3),
    (OutputType.COMMENT, 3),
    (OutputType.CONFERENCE_ARTICLE, 2),
    (OutputType.ERRATUM, 1),
    (OutputType.SHORT_SURVEY, 1),
]
LANGUAGE_WEIGHTS = [("eng", 94), ("deu", 2), ("fra", 1), ("spa", 1), ("ita", 1), ("jpn", 1)]
CURATION_WEIGHTS = [
    (CurationState.APPROVED, 90),
    (CurationState.IN_REVIEW, 5),
    (CurationState.DRAFT, 4),
    (CurationState.WITHDRAWN, 1),
]
LINK_STATUS_WEIGHTS = [(LinkStatus.CONFIRMED, 70), (LinkStatus.SUGGESTED, 25), (LinkStatus.REJECTED, 5)]
NAME_LOCALES = ["en_US", "en_GB", "it_IT", "de_DE", "fr_FR", "es_ES", "nl_NL", "pl_PL", "sv_SE", "pt_BR"]


# About the size of a million-article corpus's indexes (~1 GB): each batch inserts into every one of
# them at places spread over the file, and pages that fall out of SQLite's cache are read back for the
# next batch (256 MB: 1,000,000 articles slowed from ~2,000 to ~740 articles/s). Memory is bounded by
# it, and it is given back when the generation ends.
SQLITE_CACHE_KIB = 2 * 1024 * 1024


class Zipf:
    """Draws items with probability proportional to 1 / rank**exponent, as word and venue
    frequencies fall off in real bibliographies. Items can be added (as the next ranks)."""

    def __init__(self, items, rng, exponent=1.0):
        self.items, self.cumulative = [], []
        self.rng = rng
        self.exponent = exponent
        self.extend(items)

    def extend(self, items):
        total = self.cumulative[-1] if self.cumulative else 0.0
        for item in items:
            total += 1 / (len(self.items) + 1) ** self.exponent
            self.items.append(item)
            self.cumulative.append(total)

    def __len__(self):
        return len(self.items)

    def _rank(self):
        return bisect(self.cumulative, self.rng.random() * self.cumulative[-1])

    def draw(self):
        return self.items[self._rank()]

    def sample(self, k):
        """k distinct items (fewer if there are fewer)."""
        k = min(k, len(self.items))
        chosen = {}
        while len(chosen) < k:
            rank = self._rank()
            chosen[rank] = self.items[rank]
        return list(chosen.values())


def weighted(rng, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights)[0]


@dataclass
class CorpusReport:
    articles: int = 0
    authorships: int = 0
    people: int = 0
    journals: int = 0
    keywords: int = 0
    drug_links: int = 0

    def __str__(self):
        return (
            f"{self.articles} articles, {self.authorships} authorships, {self.drug_links} drug links; "
            f"new: {self.people} people, {self.journals} journals, {self.keywords} keywords"
        )


# The columns of a generated article; the rest take their model defaults.
ARTICLE_FIELDS = [
    "created", "modified", "title", "abstract", "match_title", "output_type", "peer_reviewed", "language",
    "journal", "volume", "issue", "first_page", "last_page", "article_number", "publication_year",
    "publication_month", "publication_day", "publication_sort_key", "doi", "curation_state", "pmid",
    "category", "publication_status", "subtitle", "publication_date_as_given", "pmcid",
]  # fmt: skip
CONSTANT_COLUMNS = (OutputCategory.CONTRIBUTION_TO_JOURNAL, PublicationStatus.PUBLISHED, "", "", "")


@dataclass(slots=True)
class GeneratedArticle:
    """An article before it is inserted: what the rows that refer to it need, and its other columns."""

    title: str
    abstract: str
    year: int
    month: int | None
    day: int | None
    columns: dict
    pmid: int | None = None
    pk: int | None = None

    def row(self, stamp):
        return (stamp, stamp, self.title, self.abstract, *self.columns.values(), self.pmid, *CONSTANT_COLUMNS)


class CorpusGenerator:
    def __init__(self, seed=None):
        self.seed = seed if seed is not None else secrets.randbelow(2**32)
        self.rng = random.Random(self.seed)
        # A random token per run (not from the seed) keeps DOIs unique when the command runs again,
        # even with the same seed.
        self.run_token = secrets.token_hex(4)
        self.report = CorpusReport()

    # Vocabularies ---------------------------------------------------------------------------------

    def make_journals(self, count):
        taken = set(Journal.objects.values_list("issn_print", flat=True)) | set(
            Journal.objects.values_list("issn_electronic", flat=True)
        )
        journals = []
        while len(journals) < count:
            digits = f"{self.rng.randrange(10**7):07d}"
            number = issn.format(digits + issn.calc_check_digit(digits))
            if number in taken:
                continue
            taken.add(number)
            title = self.rng.choice(JOURNAL_PATTERNS).format(field=self.rng.choice(JOURNAL_FIELDS))
            journals.append(Journal(title=title, issn_print=number, publisher=self.rng.choice(PUBLISHERS)))
        created = Journal.objects.bulk_create(journals, batch_size=1000)
        self.report.journals = len(created)
        return created

    def make_keywords(self, count):
        taken_names = {name.lower() for name in Keyword.objects.values_list("name", flat=True)}
        taken_slugs = set(Keyword.objects.values_list("slug", flat=True))
        phrases = [*TOPICS, *CONCEPTS] + [f"{c} in {t}" for c in CONCEPTS for t in TOPICS]
        self.rng.shuffle(phrases)
        keywords = []
        for phrase in phrases:
            if len(keywords) >= count:
                break
            name = phrase[0].upper() + phrase[1:]
            slug = slugify(name)[:100]
            if name.lower() in taken_names or slug in taken_slugs:
                continue
            taken_names.add(name.lower())
            taken_slugs.add(slug)
            keywords.append(Keyword(name=name, slug=slug))
        created = Keyword.objects.bulk_create(keywords, batch_size=2000)
        self.report.keywords = len(created)
        existing = list(Keyword.objects.exclude(pk__in=[k.pk for k in created]))
        return created + existing

    def name_lists(self):
        # Faker's name lists per locale, drawn once: combining them is as realistic and far faster
        # than asking Faker for each of 2,000,000 people.
        faker = Faker(NAME_LOCALES)
        faker.seed_instance(self.seed)
        return sorted({faker.last_name() for _ in range(4000)}), sorted({faker.first_name() for _ in range(3000)})

    def make_people(self, count, names):
        """`count` new people; returns their ids (only ids are kept: a million-article corpus has two
        million people)."""
        family_names, given_names = names
        rng, now = self.rng, self.now
        rows = [(now, now, rng.choice(family_names), rng.choice(given_names), "", "") for _ in range(count)]
        fields = ["created", "modified", "family_name", "given_names", "collective_name", "orcid"]
        ids = insert_rows(Person, fields, rows, returning_ids=True)
        self.report.people += len(ids)
        return ids

    def make_drugs(self):
        known = {name.lower() for name in Drug.objects.annotate(lower=Lower("name")).values_list("lower", flat=True)}
        taken_slugs = set(Drug.objects.values_list("slug", flat=True))
        new = []
        for name in DRUG_NAMES:
            if name.lower() not in known and slugify(name) not in taken_slugs:
                new.append(Drug(name=name, slug=slugify(name)))
        Drug.objects.bulk_create(new)
        return list(Drug.objects.order_by("pk"))

    # Articles -------------------------------------------------------------------------------------

    def fill(self, template, drugs, topic):
        """The template with its placeholders filled; only those it has are drawn (a million articles
        fill seven million templates)."""
        rng = self.rng
        drug, drug2 = rng.sample(drugs, 2) if len(drugs) > 1 else (drugs[0], drugs[0])
        values = {"drug": drug.name, "drug2": drug2.name, "topic": topic}
        for name in PLACEHOLDERS[template]:
            if name not in values:
                values[name] = DRAWS[name](rng, topic)
        return template.format_map(values)

    def article(self, index, journals, article_drugs, topic):
        """One article's column values (ARTICLE_FIELDS), ready for a plain INSERT: a model instance and
        Django's bulk INSERT per article cost a quarter of the generation's time."""
        rng = self.rng
        output_type = weighted(rng, OUTPUT_TYPE_WEIGHTS)
        year = min(2025, int(2026 - rng.expovariate(1 / 9)))
        year = max(year, 1975)
        month = rng.randint(1, 12) if rng.random() < 0.85 else None
        day = rng.randint(1, 28) if month and rng.random() < 0.4 else None
        has_pages = rng.random() < 0.9
        first_page = rng.randint(1, 2500) if has_pages else None
        title_text = self.fill(rng.choice(TITLE_TEMPLATES), article_drugs, topic)
        sentences = [self.fill(t, article_drugs, topic) for t in rng.sample(SENTENCE_TEMPLATES, rng.randint(4, 8))]
        journal = rng.choice(journals) if isinstance(journals, list) else journals.draw()
        abstract = " ".join(sentences) if rng.random() < 0.93 else ""
        return GeneratedArticle(
            title=title_text,
            abstract=abstract,
            year=year,
            month=month,
            day=day,
            columns={
                "match_title": matching_title(title_text),
                "output_type": output_type,
                "peer_reviewed": output_type in {OutputType.ARTICLE, OutputType.REVIEW} and rng.random() < 0.95,
                "language": weighted(rng, LANGUAGE_WEIGHTS),
                "journal": journal.pk,
                "volume": str(max(1, year - 1960 + rng.randint(-5, 5))),
                "issue": str(rng.randint(1, 12)) if rng.random() < 0.9 else "",
                "first_page": first_page,
                "last_page": first_page + rng.randint(0, 18) if has_pages else None,
                "article_number": "" if has_pages else f"e{rng.randint(10**6, 10**7 - 1)}",
                "publication_year": year,
                "publication_month": month,
                "publication_day": day,
                "publication_sort_key": publication_sort_key(year, month, day),
                "doi": f"10.5555/gc{self.run_token}.{index}" if rng.random() < 0.85 else "",
                "curation_state": weighted(rng, CURATION_WEIGHTS),
            },
        )

    def generate(self, count, batch_size=2000, progress=None):
        rng = self.rng
        self.started = timezone.now()
        self.now = connection.ops.adapt_datetimefield_value(self.started)
        self.journals = Zipf(self.make_journals(max(20, min(2000, count // 50))), rng, exponent=1.1)
        self.keywords = Zipf(self.make_keywords(max(50, min(5000, count // 20))), rng, exponent=1.0)
        self.names = self.name_lists()
        self.people = Zipf([], rng, exponent=0.6)  # person ids, made as the corpus grows
        self.drugs = Zipf(self.make_drugs(), rng, exponent=1.0)
        fields = list(SubjectArea.objects.fields().filter(parent__code__in=[24, 27, 30, 13, 28, 29, 36]))
        self.subject_areas = Zipf(rng.sample(fields, len(fields)), rng, exponent=1.2)
        self.next_pmid = (Article.objects.aggregate(top=Max("pmid"))["top"] or 30_000_000) + 1
        people_total = max(50, count * 2)
        with large_sqlite_cache():
            done = 0
            while done < count:
                size = min(batch_size, count - done)
                with transaction.atomic():
                    wanted = max(50, people_total * (done + size) // count)
                    if wanted > len(self.people):
                        self.people.extend(self.make_people(wanted - len(self.people), self.names))
                    self.write_batch(done, size)
                done += size
                if progress:
                    progress(size)
        refresh_planner_statistics()
        return self.report

    def write_batch(self, first, size):
        """Articles number `first` to `first + size - 1` and every row that refers to them."""
        rng = self.rng
        plans = []
        for offset in range(size):
            article_drugs = self.drugs.sample(rng.choice([1, 1, 2, 2, 3]))
            article = self.article(first + offset, self.journals, article_drugs, rng.choice(TOPICS))
            if rng.random() < 0.7:
                article.pmid = self.next_pmid
                self.next_pmid += rng.randint(1, 40)
            plans.append((article, article_drugs))
        # Each article its own time, a microsecond apart, as records saved one after another have.
        stamps = [
            connection.ops.adapt_datetimefield_value(self.started + timedelta(microseconds=first + i))
            for i in range(size)
        ]
        rows = [article.row(stamp) for (article, _), stamp in zip(plans, stamps, strict=True)]
        ids = insert_rows(Article, ARTICLE_FIELDS, rows, returning_ids=True)
        authorships, states, keyword_rows, subject_rows, links = [], [], [], [], []
        for (article, article_drugs), pk in zip(plans, ids, strict=True):
            article.pk = pk
            author_count = min(30, 1 + int(rng.expovariate(1 / 4.5)))
            for position, person_id in enumerate(self.people.sample(author_count), start=1):
                authorships.append((pk, person_id, position, "", False))
            states.append((pk, PublicationStatus.PUBLISHED, article.year, article.month, article.day))
            if article.month and rng.random() < 0.3:
                states.append(self.epub_state(article))
            keyword_rows += [(pk, k.pk) for k in self.keywords.sample(rng.randint(3, 8))]
            subject_rows += [(pk, s.pk) for s in self.subject_areas.sample(rng.randint(1, 3))]
            links += [self.link(article, drug) for drug in article_drugs]
        insert_rows(Authorship, ["article", "person", "position", "affiliation", "is_corresponding"], authorships)
        state_columns = ["article", "status", "year", "month", "day", "as_given"]
        insert_rows(PublicationState, state_columns, [(*state, "") for state in states])
        insert_rows(Article.keywords.through, ["article", "keyword"], keyword_rows)
        insert_rows(Article.subject_areas.through, ["article", "subjectarea"], subject_rows)
        link_fields = ["created", "modified", "article", "drug", "status", "source", "evidence", "mention_count"]
        insert_rows(ArticleDrug, link_fields, links)
        # Synthetic text: indexed, but mined only by an explicit compute_fingerprints / detect_drugs.
        refresh_derived(ids, mining=False)
        self.report.articles += size
        self.report.authorships += len(authorships)
        self.report.drug_links += len(links)

    def epub_state(self, article):
        """An e-pub ahead of print one to four months before the issue came out (a history row)."""
        months_before = self.rng.randint(1, 4)
        year, month = article.year, article.month - months_before
        if month < 1:
            year, month = year - 1, month + 12
        return (article.pk, PublicationStatus.EPUB_AHEAD_OF_PRINT, year, month, self.rng.randint(1, 28))

    def link(self, article, drug):
        mentions = article.abstract.count(drug.name) + article.title.count(drug.name)
        return (
            self.now,
            self.now,
            article.pk,
            drug.pk,
            weighted(self.rng, LINK_STATUS_WEIGHTS),
            self.rng.choice([LinkSource.IMPORT, LinkSource.TEXT_MINING, LinkSource.CURATOR]),
            f"…<mark>{drug.name}</mark>…" if mentions else "",
            mentions,
        )


@contextmanager
def large_sqlite_cache():
    """SQLite's page cache at SQLITE_CACHE_KIB for the block, then as it was."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        before = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(before)}")


def generate_corpus(count, seed=None, batch_size=2000, progress=None):
    return CorpusGenerator(seed).generate(count, batch_size=batch_size, progress=progress)
