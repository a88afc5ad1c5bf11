"""The drug vocabulary, loaded from the dictionary shipped inside the drug-named-entity-recognition
package (about 20,000 drugs and 107,000 names, with DrugBank and MeSH ids), read as data: none of the
package's code runs, so nothing reaches the network.

The source has errors. Its MeSH ids are checked against the MeSH descriptors themselves: an id whose
descriptor is not named like the drug (thalidomide and lenalidomide both carry D020533, "Angiogenesis
Inhibitors", a class) is replaced by the descriptor named like the drug where there is one, else left
out. A curator's edits always win: each drug keeps the values the vocabulary last gave it, and a
reload changes only the fields still equal to those (or empty). Names a curator deleted stay deleted.
Reloading an unchanged vocabulary changes nothing.
"""

import bz2
import hashlib
import importlib.util
import pickle
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.functions import Lower

from literature.mining import mesh
from literature.models import Drug, DrugName, SourceLoad, unique_slugs
from literature.search.index import refresh_planner_statistics
from literature.values.identifiers import validate_drugbank_id

SOURCE_PACKAGE = "drug_named_entity_recognition"
SOURCE_FILE = "drug_ner_dictionary.pkl.bz2"
# Bumped when the rules below change what a load makes of the same source (so that it runs again).
RULES_VERSION = "1"
LOAD_NAME = "drug-vocabulary"
TRACKED_FIELDS = ["name", "drugbank_id", "mesh_id"]
# The source mixes drug classes (MeSH pharmacological actions) in with drugs: "Antineoplastic Agents",
# "Immunomodulating Agents", "Calcium Channel Blockers". They are not drugs to link an article to.
CLASS_NAME = re.compile(
    r"\b(agents|drugs|inhibitors|antagonists|agonists|blockers|modulators|compounds|derivatives|vaccines|"
    r"products|preparations|combinations)$",
    re.IGNORECASE,
)


@dataclass
class VocabularyDrug:
    key: str
    name: str
    drugbank_id: str = ""
    mesh_id: str = ""
    names: list = field(default_factory=list)  # other names, as the source writes them (lower case)

    def values(self):
        return {"name": self.name, "drugbank_id": self.drugbank_id, "mesh_id": self.mesh_id}


@dataclass
class VocabularyReport:
    drugs: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    names_added: int = 0
    mesh_ids_corrected: int = 0
    mesh_ids_filled: int = 0
    mesh_ids_dropped: int = 0
    kept_curator_values: int = 0
    classes_left_out: int = 0

    def __str__(self):
        return (
            f"{self.drugs} drugs in the vocabulary ({self.classes_left_out} drug classes left out): "
            f"{self.created} created, {self.updated} updated, "
            f"{self.unchanged} unchanged; {self.names_added} names added; MeSH ids: {self.mesh_ids_corrected} "
            f"corrected and {self.mesh_ids_dropped} left out (not the drug's own descriptor), "
            f"{self.mesh_ids_filled} found by name; "
            f"{self.kept_curator_values} curator edits kept"
        )


def source_path():
    # Found, not imported: importing the package builds its own matcher from this file (5 s).
    return Path(importlib.util.find_spec(SOURCE_PACKAGE).submodule_search_locations[0]) / SOURCE_FILE


def source_digest():
    """What a load would be made from: the dictionary, the MeSH descriptors it is checked against, the rules."""
    digest = hashlib.sha256(RULES_VERSION.encode())
    for data in (source_path(), mesh.descriptors_path()):
        with data.open("rb") as handle:
            digest.update(hashlib.file_digest(handle, "sha256").digest())
    return digest.hexdigest()


def vocabulary_is_loaded():
    """True when the drugs were last loaded from exactly the source there is now."""
    return SourceLoad.is_current(LOAD_NAME, source_digest())


def read_dictionary():
    """The source's raw dictionary: {'drug_canonical_to_data', 'drug_variant_to_canonical', ...}."""
    with source_path().open("rb") as handle, bz2.open(handle) as unpacked:
        return pickle.load(unpacked)


def checked_mesh_id(mesh_id, name, other_names, report):
    """The MeSH descriptor id of the drug itself, or ''. The descriptor must be named like the drug."""
    descriptor_names = mesh.descriptors()
    wanted = {name.casefold(), *(n.casefold() for n in other_names)}
    if mesh_id and descriptor_names.get(mesh_id, "").casefold() in wanted:
        return mesh_id
    own = mesh.ids_by_name().get(name.casefold(), "")
    if own:
        if mesh_id:
            report.mesh_ids_corrected += 1
        else:
            report.mesh_ids_filled += 1
        return own
    report.mesh_ids_dropped += bool(mesh_id)
    return ""


def vocabulary_drugs(raw, report):
    names_of = {}
    for variant, canonicals in raw["drug_variant_to_canonical"].items():
        for key in canonicals:
            names_of.setdefault(key, []).append(variant)
    drugs = []
    for key, data in raw["drug_canonical_to_data"].items():
        name = (data.get("name") or key)[:200]
        if CLASS_NAME.search(name):
            report.classes_left_out += 1
            continue
        other_names = sorted({n[:300] for n in names_of.get(key, []) if n.casefold() != name.casefold()})
        drugbank_id = data.get("drugbank_id", "")
        try:
            validate_drugbank_id(drugbank_id)
        except ValidationError:
            drugbank_id = ""  # a malformed id is left out
        mesh_id = checked_mesh_id(data.get("mesh_id", ""), name, other_names, report)
        drugs.append(VocabularyDrug(key[:300], name, drugbank_id, mesh_id, other_names))
    return drugs


@transaction.atomic
def load_drug_vocabulary(raw=None):
    """Create or update the Drug table from the vocabulary; returns a VocabularyReport."""
    report = VocabularyReport()
    entries = vocabulary_drugs(raw if raw is not None else read_dictionary(), report)
    report.drugs = len(entries)
    existing = list(Drug.objects.all())
    by_key = {drug.vocabulary_key: drug for drug in existing if drug.vocabulary_key}
    by_drugbank = {drug.drugbank_id: drug for drug in existing if drug.drugbank_id}
    by_name = {drug.name.casefold(): drug for drug in existing}
    taken_drugbank = set(by_drugbank)
    new, changed, matched, previous_names = [], [], {}, {}
    for entry in entries:
        drug = by_key.get(entry.key) or by_drugbank.get(entry.drugbank_id) or by_name.get(entry.name.casefold())
        if drug is None or drug.pk in matched:
            if entry.name.casefold() in by_name or (entry.drugbank_id and entry.drugbank_id in taken_drugbank):
                continue  # another entry already has this name or DrugBank id: the first one wins
            drug = Drug(vocabulary_key=entry.key, **entry.values())
            by_name[entry.name.casefold()] = drug
            taken_drugbank.add(entry.drugbank_id)
            new.append((drug, entry))
            continue
        matched[drug.pk] = entry
        previous_names[drug.pk] = set((drug.vocabulary_values or {}).get("names", []))
        if _merge_values(drug, entry, report):
            changed.append(drug)
        else:
            report.unchanged += 1

    for (drug, entry), slug in zip(new, unique_slugs(Drug, [d.name for d, _ in new]), strict=True):
        drug.slug = slug
        drug.vocabulary_values = {**entry.values(), "names": entry.names}
    Drug.objects.bulk_create([drug for drug, _ in new], batch_size=2000)
    report.created = len(new)
    Drug.objects.bulk_update(changed, [*TRACKED_FIELDS, "vocabulary_key", "vocabulary_values", "modified"], 2000)
    report.updated = len(changed)

    names = [DrugName(drug=drug, name=name) for drug, entry in new for name in entry.names]
    names += _names_to_add(matched, previous_names, {drug.pk: drug.name for drug in existing})
    before = DrugName.objects.count()
    DrugName.objects.bulk_create(names, batch_size=5000, ignore_conflicts=True)  # a name twice in any case
    report.names_added = DrugName.objects.count() - before
    if raw is None:  # a load from the real source (tests pass their own dictionaries)
        SourceLoad.record(LOAD_NAME, source_digest())
    refresh_planner_statistics()
    return report


def _merge_values(drug, entry, report):
    """Apply the vocabulary's values where the curator has not changed them; True if anything changed."""
    last = drug.vocabulary_values or {}
    changed = drug.vocabulary_key != entry.key
    drug.vocabulary_key = entry.key
    for name, new in entry.values().items():
        current = getattr(drug, name)
        if new == current or not new:
            continue
        if current in ("", None) or last.get(name) == current:
            setattr(drug, name, new)
            changed = True
        else:
            report.kept_curator_values += 1
    values = {**entry.values(), "names": entry.names}
    if values != last:
        drug.vocabulary_values = values
        changed = True
    return changed


def _names_to_add(matched, previous_names, drug_names):
    """Names the vocabulary has gained since it last loaded each matched drug (a name it gave before
    and a curator deleted is not brought back)."""
    have = {}
    rows = DrugName.objects.filter(drug_id__in=list(matched)).annotate(lowered=Lower("name"))
    for drug_id, lowered in rows.values_list("drug_id", "lowered"):
        have.setdefault(drug_id, set()).add(lowered.casefold())
    new = []
    for drug_id, entry in matched.items():
        skip = previous_names[drug_id] | have.get(drug_id, set()) | {drug_names[drug_id].casefold()}
        new += [DrugName(drug_id=drug_id, name=name) for name in entry.names if name.casefold() not in skip]
    return new
