"""Original languages, stored as ISO 639-3 codes ('eng') and named from pycountry's ISO 639 tables.

Sources write languages many ways (PubMed 'eng' and 'ger', RIS 'English' or 'en'); `language_code`
turns any of them into the stored code.
"""

from functools import cache

import pycountry


def language_choices():
    """Every language with a two-letter code (the ~180 major languages), by name."""
    return _major_languages()


@cache
def _major_languages():
    languages = [lang for lang in pycountry.languages if hasattr(lang, "alpha_2")]
    return sorted(((lang.alpha_3, lang.name) for lang in languages), key=lambda choice: choice[1])


@cache
def _major_codes():
    return frozenset(code for code, _ in _major_languages())


def is_major_language(code):
    """Whether `code` is one of language_choices(), without building the choice list again (Django
    normalises a callable's choices on every validation: a third of a millisecond)."""
    return code in _major_codes()


@cache
def language_name(code):
    if not code:
        return ""
    language = pycountry.languages.get(alpha_3=code)
    return language.name if language else code


def language_code(value):
    """'eng', 'ENG', 'en', 'English' or PubMed's bibliographic 'ger' -> 'eng' / 'deu'; None if unknown."""
    value = (value or "").strip()
    if not value:
        return None
    lowered = value.lower()
    lookups = [("alpha_3", lowered), ("alpha_2", lowered), ("bibliographic", lowered), ("name", value.title())]
    for attribute, candidate in lookups:
        language = pycountry.languages.get(**{attribute: candidate})
        if language is not None and hasattr(language, "alpha_2"):
            return language.alpha_3
    return None
