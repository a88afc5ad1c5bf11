"""BibTeX with what LaTeX needs: accents and specials encoded (pylatexenc), words whose capitals
matter protected with braces, `--` in page ranges, month macros; written by bibtexparser."""

import html
import re

import bibtexparser
from bibtexparser.model import Entry, Field
from pylatexenc.latexencode import unicode_to_latex

from literature.citations.csl import citation_key
from literature.models import OutputType
from literature.values.markup import plain_text
from literature.values.notices import notice_lines

ENTRY_TYPES = {
    OutputType.CHAPTER: "incollection",
    OutputType.CONFERENCE_CONTRIBUTION: "inproceedings",
    OutputType.CONFERENCE_ARTICLE: "inproceedings",
    OutputType.PAPER: "inproceedings",
    OutputType.BOOK: "book",
    OutputType.REPORT: "techreport",
    OutputType.DOCTORAL_THESIS: "phdthesis",
    OutputType.MASTERS_THESIS: "mastersthesis",
    OutputType.PREPRINT: "misc",
}
MONTH_MACROS = ["", "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
# A word with a capital after its first letter (IMIDs, NF-kappaB, mRNA) or mixing letters and digits
# (CD4, IL-6) keeps its case in any bibliography style.
CASE_SENSITIVE_WORD = re.compile(r"(?<![{\\\w])([A-Za-z]*[A-Z][\w-]*[A-Z0-9][\w-]*|[A-Za-z]+\d[\w-]*)(?![}\w])")


MATH = re.compile(r"(\\\(.*?\\\)|\$[^$]+\$)")


def _encode(text):
    # A straight double quote is written {"} (pylatexenc would turn it into closing quotes, '').
    parts = text.split('"')
    encoded = [unicode_to_latex(p, non_ascii_only=False, replacement_latex_protection="braces-all") for p in parts]
    return '{"}'.join(encoded)


def latex(text):
    """Text with what LaTeX needs escaped; LaTeX math already in it (\\(...\\), $...$) passes through."""
    return "".join(part if MATH.fullmatch(part) else _encode(part) for part in MATH.split(text) if part)


# A title's inline markup as the LaTeX commands BibTeX styles and our importer read back.
LATEX_COMMANDS = {
    "i": "textit",
    "em": "emph",
    "b": "textbf",
    "strong": "textbf",
    "sub": "textsubscript",
    "sup": "textsuperscript",
    "u": "underline",
}
INLINE_TAG = re.compile(r"<(/?)(i|em|b|strong|sub|sup|u)>")


def latex_markup(sanitized):
    """Sanitised title markup (models keep <i>, <b>, <sub>, <sup>, <u> only) as LaTeX: each tag its
    command, the text between escaped with latex()."""
    if "<" not in sanitized and "&" not in sanitized:
        return latex(sanitized)
    parts, position = [], 0
    for tag in INLINE_TAG.finditer(sanitized):
        parts.append(latex(html.unescape(sanitized[position : tag.start()])))
        parts.append("}" if tag.group(1) else "\\" + LATEX_COMMANDS[tag.group(2)] + "{")
        position = tag.end()
    parts.append(latex(html.unescape(sanitized[position:])))
    return "".join(part for part in parts if part)


def protect_case(encoded_title):
    return CASE_SENSITIVE_WORD.sub(lambda m: "{" + m.group(1) + "}", encoded_title)


def _author_name(person):
    if person.is_collective:
        return "{" + latex(person.collective_name) + "}"
    if person.given_names:
        return f"{latex(person.family_name)}, {latex(person.given_names)}"
    return latex(person.family_name)


def bibtex_entry(article):
    fields = [("author", " and ".join(_author_name(p) for p in article.authors))]
    fields.append(("title", protect_case(latex_markup(article.full_title))))
    if article.journal:
        fields.append(("journal", latex(article.journal.title)))
    if article.publication_year:
        fields.append(("year", str(article.publication_year)))
    if article.volume:
        fields.append(("volume", latex(article.volume)))
    if article.issue:
        fields.append(("number", latex(article.issue)))
    if article.first_page is not None:
        fields.append(("pages", article.pages.replace("-", "--")))
    elif article.article_number:
        fields.append(("eid", latex(article.article_number)))
    if article.doi:
        fields.append(("doi", article.doi))
    if article.pmid:
        fields.append(("pmid", str(article.pmid)))
    if article.journal and (article.journal.issn_print or article.journal.issn_electronic):
        fields.append(("issn", article.journal.issn_print or article.journal.issn_electronic))
    if article.language:
        fields.append(("language", article.language_name.lower()))
    keywords = [keyword.name for keyword in article.keywords.all()]
    if keywords:
        fields.append(("keywords", latex(", ".join(keywords))))
    if article.abstract:
        fields.append(("abstract", latex(plain_text(article.abstract))))
    # BibTeX has no field for errata and retractions; `note` is printed by every bibliography style.
    if notices := notice_lines(article.relations.all()):
        fields.append(("note", latex("; ".join(notices))))
    entry_fields = [Field(key, "{" + value + "}") for key, value in fields if value]
    if article.publication_month:
        entry_fields.insert(4, Field("month", MONTH_MACROS[article.publication_month]))
    return Entry(ENTRY_TYPES.get(article.output_type, "article"), citation_key(article), entry_fields)


def render(articles):
    """A .bib file for one or many articles (values already enclosed: the month stays a macro)."""
    library = bibtexparser.Library([bibtex_entry(article) for article in articles])
    return bibtexparser.write_string(library, unparse_stack=[])
