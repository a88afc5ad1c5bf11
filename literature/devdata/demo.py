"""The demo record: the reference research-output page (Castelli et al. 2012) as structured data, with
the facts a curator would add (DOI, volume, ISSNs, e-pub date) and the three immunomodulatory drugs.

`load_demo()` is idempotent: a second run finds every row as it should be and writes nothing.
"""

import re
from dataclasses import dataclass, field

from django.db import transaction

from literature.curation.articles import save_article, set_authors
from literature.models import (
    Article,
    ArticleDrug,
    CurationState,
    Drug,
    DrugName,
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

JOURNAL = {
    "title": "Immunopharmacology and Immunotoxicology",
    "iso_abbreviation": "Immunopharmacol. Immunotoxicol.",
    "issn_print": "0892-3973",
    "issn_electronic": "1532-2513",
    "publisher": "Informa Healthcare",
}

AUTHORS = [
    ("Castelli", "Roberto"),
    ("Cannavò", "Antonino"),
    ("Conforti", "Fabio"),
    ("Grava", "Giovanni"),
    ("Cortelezzi", "Agostino"),
]

ABSTRACT = (
    "Multiple myeloma (MM) is a clonal disorder of plasma cells that is considered incurable using the "
    "currently available treatments. Cytogenetic, molecular and proteonomic techniques have contributed "
    "toward a better understanding of the pathophysiology and prognostic factors of this heterogeneous "
    "malignancy, whose management has rapidly evolved over the years. The introduction of thalidomide, and "
    "the development of safer and more effective thalidomide analogues, represents the major therapeutic "
    "advances. Thalidomide, initially used in the treatment of MM because of its angiogenic properties, has "
    "considerable therapeutic activity (alone or in combination with other drugs) at all stages of the "
    "disease. However, a number of new analogues, such as lenalidomide and pomalidomide, have been developed "
    'and are known as "immunomodulatory drugs" (IMIDs). Although they are analogues of thalidomide, they '
    "have direct anti-tumor properties, a better tolerability profile and specific activity in both "
    "relapsing refractory MM and newly diagnosed disease. The mechanisms of action of IMIDs are still being "
    "investigated, but recent studies suggest that, in addition to their anti-angiogenic activity, they have "
    "anti-inflammatory and immunomodulatory properties, and directly and indirectly target tumor activity by "
    "interfering with various components of the bone marrow (BM) micro-environment. In this paper, we review "
    "the pharmacology, mechanisms of action, pre-clinical and clinical efficacy, and the current status of "
    "IMIDs in the treatment of MM."
)

ARTICLE = {
    "title": "Immunomodulatory drugs in multiple myeloma",
    "subtitle": "From molecular mechanisms of action to clinical practice",
    "abstract": ABSTRACT,
    "category": OutputCategory.CONTRIBUTION_TO_JOURNAL,
    "output_type": OutputType.ARTICLE,
    "peer_reviewed": True,
    "language": "eng",
    "volume": "34",
    "issue": "5",
    "first_page": 740,
    "last_page": 753,
    "article_number": "",
    "page_count": None,
    "doi": "10.3109/08923973.2012.658921",
    "curation_state": CurationState.APPROVED,
}

PUBLICATION_HISTORY = [
    (PublicationStatus.EPUB_AHEAD_OF_PRINT, 2012, 3, 9),
    (PublicationStatus.PUBLISHED, 2012, 10, None),
]

# (name, MeSH descriptor id where one exists): the author keywords as the page lists them.
KEYWORDS = [
    ("Immunomodulatory drugs (IMIDs)", ""),
    ("Immunomodulatory effects", ""),
    ("Lenalidomide", "D000077269"),
    ("Multiple myeloma", "D009101"),
    ("Pomalidomide", ""),
    ("Thalidomide", "D013792"),
]

SUBJECT_AREA_CODES = [2403, 2723, 3004, 3005]

IMID_CLASS = "Immunomodulatory imide drug (IMiD)"


@dataclass
class DrugRecord:
    name: str
    values: dict
    synonyms: list = field(default_factory=list)
    brand_names: list = field(default_factory=list)


# Identifiers checked against DrugBank's open vocabulary, ATC, PubChem, ChEBI and MeSH. Pomalidomide has
# no MeSH descriptor (only a supplementary concept), so its MeSH id stays empty rather than guessed.
DRUGS = [
    DrugRecord(
        "Thalidomide",
        {
            "drug_class": IMID_CLASS,
            "atc_codes": ["L04AX02"],
            "drugbank_id": "DB01041",
            "mesh_id": "D013792",
            "pubchem_cid": 5426,
            "chebi_id": 9513,
            "inchikey": "UEJJHQNACJXSKW-UHFFFAOYSA-N",
            "cas_number": "50-35-1",
            "unii": "4Z8R6ORS6L",
            "description": "The first immunomodulatory imide drug; anti-angiogenic and immunomodulatory, "
            "used in multiple myeloma and erythema nodosum leprosum.",
        },
        synonyms=["α-phthalimidoglutarimide", "N-Phthalylglutamic acid imide", "Talidomida", "Thalidomidum"],
        brand_names=["Thalomid"],
    ),
    DrugRecord(
        "Lenalidomide",
        {
            "drug_class": IMID_CLASS,
            "atc_codes": ["L04AX04"],
            "drugbank_id": "DB00480",
            "mesh_id": "D000077269",
            "pubchem_cid": 216326,
            "chebi_id": 63791,
            "inchikey": "GOTYRUGSSMKFNF-UHFFFAOYSA-N",
            "cas_number": "191732-72-6",
            "unii": "F0P408N6V4",
            "description": "A thalidomide analogue used in multiple myeloma and myelodysplastic syndromes.",
        },
        synonyms=["Lenalidomida", "3-(4-Amino-1-oxoisoindolin-2-yl)piperidine-2,6-dione"],
        brand_names=["Revlimid"],
    ),
    DrugRecord(
        "Pomalidomide",
        {
            "drug_class": IMID_CLASS,
            "atc_codes": ["L04AX06"],
            "drugbank_id": "DB08910",
            "mesh_id": "",
            "pubchem_cid": 134780,
            "chebi_id": 72690,
            "inchikey": "UVSMNLNDYGZFPF-UHFFFAOYSA-N",
            "cas_number": "19171-19-8",
            "unii": "D2UX06XLB5",
            "description": "A thalidomide analogue used in relapsed and refractory multiple myeloma.",
        },
        synonyms=["Pomalidomida"],
        brand_names=["Pomalyst", "Imnovid"],
    ),
]


@dataclass
class LoadReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    reset: bool = False  # put the shipped values back over edits (load_demo --reset)

    def count(self, outcome):
        setattr(self, outcome, getattr(self, outcome) + 1)

    def __str__(self):
        return f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"


def upsert(model, lookup, values, report, save=lambda obj: obj.save()):
    """Create the row if it is missing. A row that is there is left as it is, as a curator may have
    edited it (as imports keep curators' edits); with report.reset it is brought back to `values`,
    with a write (`save`) only when something differs."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model(**{**lookup, **values})
        obj.full_clean()
        save(obj)
        report.count("created")
        return obj
    if not report.reset:
        report.count("unchanged")
        return obj
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        obj.full_clean()
        save(obj)
        report.count("updated")
    else:
        report.count("unchanged")
    return obj


def sync_set(manager, wanted, report):
    """Make a many-to-many relation hold exactly `wanted`, without touching it when it already does."""
    if set(manager.all()) == set(wanted):
        report.count("unchanged")
    else:
        manager.set(wanted)
        report.count("updated")


def mention_evidence(text, name):
    """The first sentence that mentions `name`, with each mention marked, and the number of mentions."""
    pattern = re.compile(rf"\b{re.escape(name)}\b", re.IGNORECASE)
    mentions = len(pattern.findall(text))
    sentence = next((s for s in re.split(r"(?<=[.!?])\s+", text) if pattern.search(s)), "")
    return pattern.sub(lambda m: f"<mark>{m.group(0)}</mark>", sentence), mentions


@transaction.atomic
def load_demo(reset=False):
    """The reference record, its journal, authors, drugs and links: what is missing is created, what is
    there is kept as curators left it (reset=True puts back the record as shipped)."""
    report = LoadReport(reset=reset)
    journal = upsert(Journal, {"issn_print": JOURNAL["issn_print"]}, JOURNAL, report)
    drugs = []
    for record in DRUGS:
        drug = upsert(
            Drug, {"drugbank_id": record.values["drugbank_id"]}, {"name": record.name, **record.values}, report
        )
        for names, is_brand in ((record.synonyms, False), (record.brand_names, True)):
            for name in names:
                upsert(DrugName, {"drug": drug, "name": name}, {"is_brand": is_brand}, report)
        drugs.append(drug)

    created_before = report.created
    article = upsert(Article, {"doi": ARTICLE["doi"]}, {**ARTICLE, "journal": journal}, report, save=save_article)
    # Authors, keywords and subject areas are the article's own: set when it is new or on reset.
    ours = reset or report.created > created_before

    people = [
        upsert(Person, {"family_name": family, "given_names": given, "collective_name": ""}, {}, report)
        for family, given in AUTHORS
    ]
    if not ours or [a.person_id for a in article.authorships.order_by("position")] == [p.pk for p in people]:
        report.count("unchanged")
    else:
        set_authors(article, people)
        report.count("updated")

    for status, year, month, day in PUBLICATION_HISTORY:
        upsert(
            PublicationState, {"article": article, "status": status}, {"year": year, "month": month, "day": day}, report
        )

    keywords = [upsert(Keyword, {"name": name}, {"mesh_id": mesh_id}, report) for name, mesh_id in KEYWORDS]
    if ours:
        sync_set(article.keywords, keywords, report)
        sync_set(article.subject_areas, list(SubjectArea.objects.filter(code__in=SUBJECT_AREA_CODES)), report)

    text = f"{article.full_title}. {article.abstract}"
    for drug in drugs:
        evidence, mentions = mention_evidence(text, drug.name)
        upsert(
            ArticleDrug,
            {"article": article, "drug": drug},
            {
                "status": LinkStatus.CONFIRMED,
                "source": LinkSource.CURATOR,
                "evidence": evidence,
                "mention_count": mentions,
            },
            report,
        )
    return article, report
