"""Normalising and validating the identifiers a record carries: DOI, PMID, PMCID, ORCID, ISSN, and the
drug identifiers (ATC, DrugBank, MeSH, ChEBI, InChIKey, CAS, UNII).

Each `normalize_*` is lenient (it tidies what it can and never raises), so it can run on every save;
each `validate_*` is strict and says in words what is wrong, for model and form validation.
"""

import re
from urllib.parse import unquote

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from stdnum import casrn, issn
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.iso7064 import mod_11_2

DOI_PATTERN = re.compile(r"^10\.\d{4,9}/\S+$")
DOI_PREFIXES = re.compile(r"^(?:doi:\s*|info:doi/|https?://(?:dx\.)?doi\.org/)", re.IGNORECASE)
# A DOI inside another resolver's or a publisher's URL: http://doi.acm.org/10.1145/..., https://x.org/doi/10.1/...
DOI_IN_URL = re.compile(r"^https?://[^/]+/(?:.*?/)?(10\.\d{4,9}/.+)$", re.IGNORECASE)
PMCID_PATTERN = re.compile(r"^PMC\d{1,9}$")
ORCID_PATTERN = re.compile(r"^\d{4}-\d{4}-\d{4}-\d{3}[\dX]$")
ORCID_PREFIX = re.compile(r"^https?://(?:www\.)?orcid\.org/", re.IGNORECASE)
ATC_PATTERN = re.compile(r"^[A-Z]\d{2}[A-Z]{2}\d{2}$")
DRUGBANK_PATTERN = re.compile(r"^DB\d{5}$")
MESH_PATTERN = re.compile(r"^[CD]\d{6}(?:\d{3})?$")
INCHIKEY_PATTERN = re.compile(r"^[A-Z]{14}-[A-Z]{10}-[A-Z]$")
UNII_PATTERN = re.compile(r"^[A-Z0-9]{10}$")


def normalize_doi(value):
    """'https://doi.org/10.3109/ABC%2F1 ' -> '10.3109/ABC/1'. DOIs compare case-insensitively, so the
    case is kept as given and uniqueness is enforced on the lower-cased value."""
    # Exports sometimes carry HTML pasted into the field ("10.1186/x<br />").
    value = re.sub(r"<[^>]*>", "", value or "").strip()
    value = DOI_PREFIXES.sub("", value)
    if in_url := DOI_IN_URL.match(value):
        value = in_url.group(1)
    if "%" in value:
        value = unquote(value)
    return value.strip()


def validate_doi(value):
    if not DOI_PATTERN.match(value):
        raise ValidationError(
            "%(value)s is not a DOI: a DOI starts with '10.', a registrant code of 4-9 digits, "
            "a slash and a suffix without spaces (e.g. 10.3109/08923973.2012.658921).",
            code="invalid_doi",
            params={"value": repr(value)},
        )


def normalize_pmcid(value):
    value = (value or "").strip().upper().replace(" ", "")
    if value.isdecimal():
        value = "PMC" + value
    return value


def validate_pmcid(value):
    if not PMCID_PATTERN.match(value):
        raise ValidationError(
            "%(value)s is not a PubMed Central id: it must be 'PMC' followed by digits (e.g. PMC3531190).",
            code="invalid_pmcid",
            params={"value": repr(value)},
        )


def normalize_orcid(value):
    value = ORCID_PREFIX.sub("", (value or "").strip()).upper()
    digits = value.replace("-", "")
    if len(digits) == 16:
        value = "-".join(digits[i : i + 4] for i in range(0, 16, 4))
    return value


def validate_orcid(value):
    if not ORCID_PATTERN.match(value):
        raise ValidationError(
            "%(value)s is not an ORCID iD: it must be four groups of four digits (the last may be X), "
            "e.g. 0000-0002-1825-0097.",
            code="invalid_orcid",
            params={"value": repr(value)},
        )
    if not mod_11_2.is_valid(value.replace("-", "")):
        raise ValidationError(
            "%(value)s is not a valid ORCID iD: its check digit is wrong.",
            code="invalid_orcid_checksum",
            params={"value": repr(value)},
        )


def normalize_issn(value):
    value = (value or "").strip().upper()
    compact = issn.compact(value) if value else ""
    return issn.format(compact) if len(compact) == 8 else value


def validate_issn(value):
    try:
        issn.validate(value)
    except StdnumError as error:
        raise ValidationError(
            "%(value)s is not a valid ISSN (%(reason)s); an ISSN is 8 characters such as 0892-3973, "
            "the last one a check digit.",
            code="invalid_issn",
            params={"value": repr(value), "reason": str(error).rstrip(".").lower()},
        ) from None


def normalize_code(value):
    """Upper-case, trimmed: for the identifiers written in capitals (ATC, DrugBank, MeSH, InChIKey, UNII)."""
    return (value or "").strip().upper()


def _pattern_validator(pattern, what, example, code):
    return RegexValidator(
        pattern,
        message=f"'%(value)s' is not a {what} (expected something like {example}).",
        code=code,
    )


validate_atc_code = _pattern_validator(ATC_PATTERN, "level-5 ATC code", "L04AX02", "invalid_atc_code")
validate_drugbank_id = _pattern_validator(DRUGBANK_PATTERN, "DrugBank id", "DB01041", "invalid_drugbank_id")
validate_mesh_id = _pattern_validator(MESH_PATTERN, "MeSH unique id", "D013792 or C000601183", "invalid_mesh_id")
validate_inchikey = _pattern_validator(
    INCHIKEY_PATTERN, "standard InChIKey", "UEJJHQNACJXSKW-UHFFFAOYSA-N", "invalid_inchikey"
)
validate_unii = _pattern_validator(UNII_PATTERN, "FDA UNII", "4Z8R6ORS6L", "invalid_unii")


def validate_cas_number(value):
    try:
        casrn.validate(value)
    except StdnumError as error:
        raise ValidationError(
            "%(value)s is not a valid CAS Registry Number (%(reason)s); e.g. 50-35-1.",
            code="invalid_cas_number",
            params={"value": repr(value), "reason": str(error).rstrip(".").lower()},
        ) from None


def validate_atc_codes(values):
    if not isinstance(values, list):
        raise ValidationError("ATC codes must be a list of codes.", code="atc_codes_not_list")
    for value in values:
        validate_atc_code(value)
