"""Loading the drug vocabulary from the drug-named-entity-recognition dictionary: its MeSH ids checked
against MeSH itself, reloads idempotent, a curator's edits never overwritten."""

import copy

import pytest
from django.core.management import call_command

from literature.mining.vocabulary import load_drug_vocabulary, read_dictionary
from literature.models import Drug, DrugName


@pytest.fixture(scope="module")
def full_dictionary():
    return read_dictionary()


@pytest.fixture
def three_drugs(full_dictionary):
    """The real entries of three drugs, as the package ships them (thalidomide with a class's MeSH id)."""
    keys = ["thalidomide", "lenalidomide", "aspirin"]
    return {
        "drug_canonical_to_data": {k: copy.deepcopy(full_dictionary["drug_canonical_to_data"][k]) for k in keys},
        "drug_variant_to_canonical": {
            variant: canonicals
            for variant, canonicals in full_dictionary["drug_variant_to_canonical"].items()
            if canonicals[0] in keys
        },
    }


@pytest.mark.django_db
def test_the_whole_vocabulary_loads_with_mesh_ids_checked_and_reloads_as_unchanged(full_dictionary):
    report = load_drug_vocabulary(full_dictionary)
    assert report.created == Drug.objects.count() > 19_000
    assert DrugName.objects.count() > 80_000
    assert full_dictionary["drug_canonical_to_data"]["thalidomide"]["mesh_id"] == "D020533"  # the source's error
    assert Drug.objects.get(name="Thalidomide").mesh_id == "D013792"
    assert Drug.objects.get(name="Lenalidomide").mesh_id == "D000077269"
    assert Drug.objects.get(name="Pomalidomide").drugbank_id == "DB08910"
    assert DrugName.objects.get(name__iexact="Revlimid").drug.name == "Lenalidomide"

    again = load_drug_vocabulary(full_dictionary)
    assert (again.created, again.updated, again.names_added) == (0, 0, 0)


@pytest.mark.django_db
def test_existing_drugs_are_matched_not_duplicated(three_drugs):
    curated = Drug.objects.create(name="thalidomide", drugbank_id="DB01041", description="Curated text.")
    load_drug_vocabulary(three_drugs)
    assert Drug.objects.count() == 3
    curated.refresh_from_db()
    assert (curated.name, curated.description, curated.vocabulary_key) == (
        "thalidomide",
        "Curated text.",
        "thalidomide",
    )


@pytest.mark.django_db
def test_a_curators_edit_survives_a_reload_that_changes_the_same_field(three_drugs):
    load_drug_vocabulary(three_drugs)
    aspirin = Drug.objects.get(name="Aspirin")
    aspirin.mesh_id = "D000894"  # a curator's choice
    aspirin.save()
    changed = copy.deepcopy(three_drugs)
    changed["drug_canonical_to_data"]["aspirin"]["name"] = "Acetylsalicylic acid"
    changed["drug_canonical_to_data"]["aspirin"]["mesh_id"] = "D001241"
    report = load_drug_vocabulary(changed)
    aspirin.refresh_from_db()
    assert aspirin.mesh_id == "D000894"
    assert aspirin.name == "Acetylsalicylic acid"  # untouched by the curator, so the source's change lands
    assert report.kept_curator_values == 1


@pytest.mark.django_db
def test_a_name_a_curator_deleted_is_not_brought_back(three_drugs):
    load_drug_vocabulary(three_drugs)
    DrugName.objects.filter(name__iexact="Revlimid").delete()
    changed = copy.deepcopy(three_drugs)
    changed["drug_variant_to_canonical"]["lenalidomide new name"] = ["lenalidomide"]
    report = load_drug_vocabulary(changed)
    names = set(Drug.objects.get(name="Lenalidomide").names.values_list("name", flat=True))
    assert "revlimid" not in {name.lower() for name in names}
    assert "lenalidomide new name" in names
    assert report.names_added == 1


def test_make_runs_vocabulary_load_is_skipped_only_when_the_source_is_the_one_last_loaded(db, capsys):
    from literature.mining.vocabulary import LOAD_NAME, source_digest, vocabulary_is_loaded
    from literature.models import SourceLoad

    assert not vocabulary_is_loaded(), "never loaded"
    SourceLoad.record(LOAD_NAME, "0" * 64)
    assert not vocabulary_is_loaded(), "loaded from another release of the dictionary"
    SourceLoad.record(LOAD_NAME, source_digest())
    assert vocabulary_is_loaded()
    call_command("load_drug_vocabulary", if_changed=True)
    assert "already loaded from this source: nothing to do" in capsys.readouterr().out
    assert Drug.objects.count() == 0
