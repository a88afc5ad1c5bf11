"""A record's number in the database it was exported from (its accession number: Web of Science's UT,
Scopus' EID, Dimensions' publication id, an EBSCO or Embase AN): what identifies the record there, and
stays the same when that database corrects the record. Matching by it (match.py) recognises a record
again that has no DOI or PMID and whose text changed since the last import, which a content digest
cannot.

The rule, the same for every format: an accession number is a key only when its database is known,
from the number's own form (WOS:…, 2-s2.0-…, pub.…) or from the database the record names (RIS DB,
else DP). A bare number from an unnamed database is no key: two databases' numbers can be the same.
PubMed's and PMC's numbers are PMIDs and PMCIDs, which records keep as identifiers of their own.
"""

import re

WEB_OF_SCIENCE = re.compile(r"(?i)(?:WOS|ISI):\s*([A-Z0-9]{6,})")
SCOPUS_EID = re.compile(r"2-s2\.0-\d{6,}")
SCOPUS_EID_IN_URL = re.compile(r"[?&]eid=(2-s2\.0-\d{6,})")
DIMENSIONS = re.compile(r"pub\.\d{6,}")
PMCID = re.compile(r"(?i)PMC\d+")
# What exporters call a database (RIS DB/DP), as one name; any other name is kept as written, lowered.
DATABASE_NAMES = {
    "web of science": "wos",
    "web of science core collection": "wos",
    "wos": "wos",
    "isi": "wos",
    "scopus": "scopus",
    "dimensions": "dimensions",
    "embase": "embase",
    "ovid embase": "embase",
}
IDENTIFIER_DATABASES = {"pubmed", "medline", "pmc", "pubmed central", "nlm"}
MAX_DATABASE = 50
MAX_IDENTIFIER = 100


def database_name(name):
    name = " ".join(name.split()).casefold()
    return DATABASE_NAMES.get(name, name)


def accession(number, database=""):
    """(database, identifier) of an accession number, or None where it identifies nothing for sure."""
    number = " ".join((number or "").split())
    if not number:
        return None
    if found := WEB_OF_SCIENCE.fullmatch(number):
        return "wos", f"WOS:{found.group(1).upper()}"
    if SCOPUS_EID.fullmatch(number):
        return "scopus", number
    if DIMENSIONS.fullmatch(number):
        return "dimensions", number
    name = database_name(database or "")
    if not name or name in IDENTIFIER_DATABASES or len(number) > MAX_IDENTIFIER:
        return None
    return name[:MAX_DATABASE], number


def scopus_eid_in(urls):
    """The EID in a Scopus record link (…/inward/record.uri?eid=2-s2.0-85079532227&…), if any."""
    for url in urls:
        if found := SCOPUS_EID_IN_URL.search(url or ""):
            return "scopus", found.group(1)
    return None


def identifier_from_database(number, database):
    """("pmid", 26957754) or ("pmcid", "PMC3654245") where the accession number of a record from PubMed
    or PMC is that identifier; else None."""
    number, name = (number or "").strip(), database_name(database or "")
    if name not in IDENTIFIER_DATABASES:
        return None
    if number.isascii() and number.isdecimal() and 0 < int(number) < 10**9:
        return "pmid", int(number)
    if PMCID.fullmatch(number):
        return "pmcid", number.upper()
    return None
