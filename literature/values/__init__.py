"""The value types of the record, each normalised and validated in one place: identifiers (DOI, PMID,
PMCID, ORCID, ISSN, drug codes), partial dates ("Oct 2012"), the inline markup of titles and abstracts,
ISO 639 languages, and the model fields that store them."""
