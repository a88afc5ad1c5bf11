"""Identifiers are normalised leniently and validated strictly, with messages that say what is wrong."""

import pytest
from django.core.exceptions import ValidationError

from literature.values import identifiers


@pytest.mark.parametrize(
    "raw",
    [
        "10.3109/08923973.2012.658921",
        " https://doi.org/10.3109/08923973.2012.658921 ",
        "http://dx.doi.org/10.3109/08923973.2012.658921",
        "doi:10.3109/08923973.2012.658921",
        "DOI: 10.3109%2F08923973.2012.658921",
    ],
)
def test_doi_prefixes_and_url_encoding_are_stripped(raw):
    assert identifiers.normalize_doi(raw) == "10.3109/08923973.2012.658921"


@pytest.mark.parametrize("bad", ["10.31/short-registrant", "11.3109/x", "10.3109/has space", "10.3109", "nonsense"])
def test_malformed_dois_are_rejected_with_an_explanation(bad):
    with pytest.raises(ValidationError) as error:
        identifiers.validate_doi(bad)
    assert "is not a DOI" in error.value.messages[0]


def test_pmcid_gets_its_prefix_and_capitals():
    assert identifiers.normalize_pmcid("pmc 3531190") == "PMC3531190"
    assert identifiers.normalize_pmcid("3531190") == "PMC3531190"
    with pytest.raises(ValidationError):
        identifiers.validate_pmcid("PMCX12")


def test_orcid_is_normalised_and_its_check_digit_verified():
    assert identifiers.normalize_orcid("https://orcid.org/0000000218250097") == "0000-0002-1825-0097"
    identifiers.validate_orcid("0000-0002-1825-0097")
    identifiers.validate_orcid("0000-0002-1694-233X")
    with pytest.raises(ValidationError, match="check digit is wrong"):
        identifiers.validate_orcid("0000-0002-1825-0098")
    with pytest.raises(ValidationError, match="four groups of four digits"):
        identifiers.validate_orcid("0000-0002-1825")


def test_issn_checksum_is_verified():
    assert identifiers.normalize_issn("08923973") == "0892-3973"
    identifiers.validate_issn("0892-3973")
    identifiers.validate_issn("1532-2513")
    with pytest.raises(ValidationError, match="not a valid ISSN"):
        identifiers.validate_issn("0892-3974")


@pytest.mark.parametrize(
    ("validator", "good", "bad"),
    [
        (identifiers.validate_atc_code, "L04AX02", "L04AX"),
        (identifiers.validate_drugbank_id, "DB01041", "DB1041"),
        (identifiers.validate_mesh_id, "D000077269", "D12345"),
        (identifiers.validate_mesh_id, "D013792", "M013792"),
        (identifiers.validate_inchikey, "UEJJHQNACJXSKW-UHFFFAOYSA-N", "UEJJHQNACJXSKW-UHFFFAOYSA"),
        (identifiers.validate_unii, "4Z8R6ORS6L", "4Z8R6ORS6"),
        (identifiers.validate_cas_number, "50-35-1", "50-35-2"),
    ],
)
def test_drug_identifier_formats(validator, good, bad):
    validator(good)
    with pytest.raises(ValidationError) as error:
        validator(bad)
    assert bad in error.value.messages[0]
