"""The citation formats research portals (Elsevier Pure) print under "Cite this", beyond CSL styles:
Author, Standard, Harvard and Vancouver, each as plain text and as HTML (italics where the format
sets the journal in italics).

    Harvard:   Castelli, R, Cannavò, A, ... & Cortelezzi, A 2012, 'Title', Journal, vol. 34, no. 5,
               pp. 740-753. https://doi.org/...
    Vancouver: Castelli R, Cannavò A, ... Cortelezzi A. Title. Journal. 2012 Oct;34(5):740-753.
               doi: 10.3109/...
    Author:    Castelli, Roberto ; Cannavò, Antonino ; ... / Title. In: Journal. 2012 ; Vol. 34, No. 5.
               pp. 740-753.
    Standard:  Title / Castelli, Roberto; Cannavò, Antonino; ... In: Journal, Vol. 34, No. 5, 10.2012,
               p. 740-753.
"""

from dataclasses import dataclass

from django.utils.html import escape

from literature.values.dates import MONTH_ABBREVIATIONS
from literature.values.markup import plain_text

VANCOUVER_MAX_AUTHORS = 6  # Citing Medicine: list the first six, then "et al."
HARVARD_MAX_AUTHORS = 10


@dataclass(frozen=True)
class Rendered:
    text: str
    html: str


def _italic(text):
    return Rendered(text, f"<i>{escape(text)}</i>")


def _plain(text):
    return Rendered(text, escape(text))


def _join(parts):
    return Rendered("".join(p.text for p in parts), "".join(p.html for p in parts))


def _title(article):
    return plain_text(article.full_title)


def _initials(person, separator=""):
    return separator.join(person.initials)


def _pages_range(article):
    if article.first_page is not None and article.last_page is not None and article.last_page != article.first_page:
        return f"{article.first_page}-{article.last_page}"
    if article.first_page is not None:
        return str(article.first_page)
    return ""


def _doi_url(article):
    return f"https://doi.org/{article.doi}" if article.doi else ""


def harvard(article):
    people = article.authors
    names = [p.collective_name if p.is_collective else f"{p.family_name}, {_initials(p)}".rstrip(", ") for p in people]
    if len(names) > HARVARD_MAX_AUTHORS:
        authors = f"{names[0]} et al."
    elif len(names) > 1:
        authors = ", ".join(names[:-1]) + " & " + names[-1]
    else:
        authors = "".join(names)
    year = str(article.publication_year) if article.publication_year else "n.d."
    parts = [_plain(f"{authors} {year}, '{_title(article)}'".strip())]
    if article.journal:
        parts += [_plain(", "), _italic(article.journal.title)]
    details = []
    if article.volume:
        details.append(f"vol. {article.volume}")
    if article.issue:
        details.append(f"no. {article.issue}")
    pages = _pages_range(article)
    if pages:
        details.append(("pp. " if "-" in pages else "p. ") + pages)
    elif article.article_number:
        details.append(article.article_number)
    if details:
        parts.append(_plain(", " + ", ".join(details)))
    parts.append(_plain("."))
    if article.doi:
        parts.append(_plain(" " + _doi_url(article)))
    return _join(parts)


def vancouver(article):
    people = article.authors
    names = [p.collective_name if p.is_collective else f"{p.family_name} {_initials(p)}".strip() for p in people]
    if len(names) > VANCOUVER_MAX_AUTHORS:
        names = [*names[:VANCOUVER_MAX_AUTHORS], "et al"]
    text = ", ".join(names) + ". " if names else ""
    text += f"{_title(article)}. "
    if article.journal:
        text += f"{article.journal.title}. "
    date = article.publication_date
    if date:
        text += str(date.year)
        if date.month:
            text += f" {MONTH_ABBREVIATIONS[date.month]}"
            if date.day:
                text += f" {date.day}"
    if article.volume:
        text += f";{article.volume}"
        if article.issue:
            text += f"({article.issue})"
    pages = _pages_range(article) or article.article_number
    if pages:
        text += f":{pages}"
    text += "."
    if article.doi:
        text += f" doi: {article.doi}"
    return _plain(text)


def _full_names(article, separator):
    return separator.join(p.inverted_name for p in article.authors)


def author(article):
    """Pure's "Author" format: full names first, then the title and where it appeared."""
    text = _full_names(article, " ; ")
    text += f". / {_title(article)}."
    if article.journal:
        text += f" In: {article.journal.title}."
    if article.publication_year:
        text += f" {article.publication_year}"
    details = []
    if article.volume:
        details.append(f"Vol. {article.volume}")
    if article.issue:
        details.append(f"No. {article.issue}")
    if details:
        text += " ; " + ", ".join(details) + "."
    elif article.publication_year:
        text += "."
    pages = _pages_range(article)
    if pages:
        text += (" pp. " if "-" in pages else " p. ") + pages + "."
    elif article.article_number:
        text += f" {article.article_number}."
    return _plain(text.strip())


def standard(article):
    """Pure's "Standard" format: the title first, then full names, then the source with MM.YYYY."""
    text = f"{_title(article)} / {_full_names(article, '; ')}."
    source = []
    if article.journal:
        source.append(f"In: {article.journal.title}")
    if article.volume:
        source.append(f"Vol. {article.volume}")
    if article.issue:
        source.append(f"No. {article.issue}")
    date = article.publication_date
    if date:
        source.append(f"{date.month:02d}.{date.year}" if date.month else str(date.year))
    pages = _pages_range(article)
    if pages:
        source.append(f"p. {pages}")
    elif article.article_number:
        source.append(article.article_number)
    if source:
        text += " " + ", ".join(source) + "."
    return _plain(text)
