"""PubMed / MEDLINE XML (efetch output and the annual baseline files, gzipped or not), read as a
stream with lxml's iterparse, so a 1 GB file needs no more memory than one record. DTDs are never
fetched and entities never expanded from outside the file."""

import gzip
import re

from lxml import etree

from literature.importers import mathml
from literature.importers.record import (
    PartialDateParts,
    Record,
    RecordAuthor,
    RecordError,
    parse_loose_date,
    parse_month,
    parse_pages,
)
from literature.models import OutputCategory, OutputType
from literature.values.languages import language_code
from literature.values.markup import sanitize_abstract, sanitize_title

# PubMed publication types, most specific first, to the output types of a research portal.
PUBLICATION_TYPES = [
    ("Published Erratum", OutputType.ERRATUM),
    ("Retraction of Publication", OutputType.ERRATUM),
    ("Review", OutputType.REVIEW),
    ("Systematic Review", OutputType.REVIEW),
    ("Meta-Analysis", OutputType.REVIEW),
    ("Editorial", OutputType.EDITORIAL),
    ("Letter", OutputType.LETTER),
    ("Comment", OutputType.COMMENT),
    ("Congress", OutputType.CONFERENCE_ARTICLE),
    ("Journal Article", OutputType.ARTICLE),
]
INLINE = {"i", "b", "sup", "sub", "u", "em", "strong"}
# Where a record starts, counted for a progress estimate (load.estimate_records).
RECORD_MARKER = re.compile(rb"<Pubmed(?:Book)?Article[\s>]")


def open_source(path):
    """The file as bytes, gunzipped when it is gzip (by its magic number, not its name)."""
    handle = open(path, "rb")  # noqa: SIM115 - returned to the caller, who closes it
    start = handle.read(2)
    handle.seek(0)
    if start == b"\x1f\x8b":
        return gzip.GzipFile(fileobj=handle)
    return handle


def inner_markup(element):
    """The text of an element with its inline markup (<i>, <sub>, ...) kept, MathML written as such
    markup (mathml.py), and everything else dropped."""
    if element is None:
        return ""
    parts = [element.text or ""]
    for child in element:
        tag = child.tag if isinstance(child.tag, str) else ""
        if mathml.is_math(child):
            parts.append(mathml.to_markup(child))
        else:
            inner = inner_markup(child)
            parts.append(f"<{tag.lower()}>{inner}</{tag.lower()}>" if tag.lower() in INLINE else inner)
        parts.append(child.tail or "")
    return re.sub(r"\s+", " ", "".join(parts)).strip()


def _text(element, path):
    found = element.find(path)
    if found is None:
        return ""
    text = "".join(found.itertext()) if len(found) else found.text or ""
    return " ".join(text.split())


def _date(element):
    if element is None:
        return PartialDateParts()
    medline = _text(element, "MedlineDate")
    if medline:
        return parse_loose_date(medline)
    year = _text(element, "Year")
    if not year.isdecimal():
        return PartialDateParts()
    month = parse_month(_text(element, "Month"))
    day_text = _text(element, "Day")
    day = int(day_text) if month and day_text.isdecimal() else None
    season = _text(element, "Season")  # <Year>1999</Year><Season>Spring</Season>: a season, as given
    return PartialDateParts(int(year), month, day, f"{year} {season}"[:40] if season and not month else "")


def _title(article):
    title = inner_markup(article.find("ArticleTitle"))
    if title.endswith(".") and not title.endswith(".."):
        title = title[:-1]
    if title.startswith("[") and title.endswith("]"):
        # MEDLINE brackets titles it translated into English.
        title = title[1:-1]
    return sanitize_title(title) or sanitize_title(inner_markup(article.find("VernacularTitle")))


def _abstract(article):
    paragraphs = []
    for part in article.findall("Abstract/AbstractText"):
        text = inner_markup(part)
        label = (part.get("Label") or "").strip()
        if label and label.upper() != "UNLABELLED":  # NLM's mark for an abstract it could not section
            text = f"<b>{label}:</b> {text}"
        if text:
            paragraphs.append(f"<p>{text}</p>")
    return sanitize_abstract("".join(paragraphs))


def _authors(author_elements):
    authors = []
    for author in author_elements:
        collective = _text(author, "CollectiveName")
        orcid = ""
        for identifier in author.findall("Identifier"):
            if (identifier.get("Source") or "").upper() == "ORCID":
                orcid = (identifier.text or "").strip()
        affiliation = "; ".join(_text(info, "Affiliation") for info in author.findall("AffiliationInfo"))
        family = _text(author, "LastName")
        given = _text(author, "ForeName") or _text(author, "Initials")
        if collective:
            authors.append(RecordAuthor(collective=collective, affiliation=affiliation))
        elif family:
            authors.append(RecordAuthor(family=family, given=given, affiliation=affiliation, orcid=orcid))
    return authors


def _output_type(article):
    types = {_text(t, ".") for t in article.findall("PublicationTypeList/PublicationType")}
    for name, output_type in PUBLICATION_TYPES:
        if name in types:
            return output_type
    return OutputType.ARTICLE


def parse_citation(element, source_file, position):
    citation = element.find("MedlineCitation")
    if citation is None:
        raise RecordError(source_file, position, "MedlineCitation", "the record has no MedlineCitation element")
    pmid_text = _text(citation, "PMID")
    article = citation.find("Article")
    if article is None:
        raise RecordError(source_file, position, "Article", "the record has no Article element", f"PMID {pmid_text}")
    record = Record(source_file=source_file, position=position)
    record.pmid = int(pmid_text) if pmid_text.isdecimal() else None
    record.title = _title(article)
    record.abstract = _abstract(article)
    record.authors = _authors(article.findall("AuthorList/Author"))
    journal = article.find("Journal")
    if journal is not None:
        record.journal_title = _text(journal, "Title")
        record.journal_abbreviation = _text(journal, "ISOAbbreviation")
        for issn in journal.findall("ISSN"):
            if issn.get("IssnType") == "Electronic":
                record.issn_electronic = (issn.text or "").strip()
            else:
                record.issn_print = (issn.text or "").strip()
        record.volume = _text(journal, "JournalIssue/Volume")
        record.issue = _text(journal, "JournalIssue/Issue")
        record.published = _date(journal.find("JournalIssue/PubDate"))
    record.first_page, record.last_page, record.article_number = parse_pages(
        _text(article, "Pagination/MedlinePgn"), record.notes
    )
    for location in article.findall("ELocationID"):
        kind, value = location.get("EIdType"), (location.text or "").strip()
        if kind == "doi" and not record.doi:
            record.doi = value
        elif kind == "pii" and not record.article_number and record.first_page is None:
            record.article_number = value
    for identifier in element.findall("PubmedData/ArticleIdList/ArticleId"):
        kind, value = identifier.get("IdType"), (identifier.text or "").strip()
        if kind == "doi" and not record.doi:
            record.doi = value
        elif kind == "pmc":
            record.pmcid = value
    electronic = next((d for d in article.findall("ArticleDate") if d.get("DateType") == "Electronic"), None)
    record.epublished = _date(electronic)
    record.language = language_code(_text(article, "Language")) or ""
    record.output_type = _output_type(article)
    record.mesh_headings = [
        _mesh_heading(heading)
        for heading in citation.findall("MeshHeadingList/MeshHeading")
        if heading.find("DescriptorName") is not None
    ]
    record.publication_types = _publication_types(article.findall("PublicationTypeList/PublicationType"))
    record.keywords = _keywords(citation)
    record.chemicals = [
        (_text(chemical, "NameOfSubstance"), chemical.find("NameOfSubstance").get("UI", ""))
        for chemical in citation.findall("ChemicalList/Chemical")
        if chemical.find("NameOfSubstance") is not None
    ]
    record.references = [_reference(reference) for reference in element.iterfind("PubmedData//ReferenceList/Reference")]
    record.relations = [
        ((item.get("RefType") or "").strip(), _text(item, "RefSource"), _text(item, "PMID"))
        for item in citation.findall("CommentsCorrectionsList/CommentsCorrections")
    ]
    if not record.title:
        raise RecordError(source_file, position, "ArticleTitle", "the record has no title", f"PMID {pmid_text}")
    return record


def _publication_types(elements):
    """(name, MeSH id) of PublicationType elements (an article's list, or a book document's own)."""
    return [(_text(kind, "."), (kind.get("UI") or "").strip()) for kind in elements if _text(kind, ".")]


def _keywords(element):
    """(keyword, "") of the KeywordList of a MedlineCitation or a BookDocument."""
    return [(_text(keyword, "."), "") for keyword in element.findall("KeywordList/Keyword") if _text(keyword, ".")]


def _book_authors(element):
    """The authors of a BookDocument or Book (an AuthorList without a Type lists authors), never its
    editors (Type="editors")."""
    lists = [found for found in element.findall("AuthorList") if (found.get("Type") or "authors") == "authors"]
    return _authors(author for found in lists for author in found.findall("Author"))


def parse_book(element, source_file, position):
    """A PubmedBookArticle: a chapter (BookDocument/ArticleTitle, the book as its container) or a whole
    book (only a BookTitle), e.g. a GeneReviews entry or a NICE guideline on NCBI Bookshelf."""
    document = element.find("BookDocument")
    if document is None:
        raise RecordError(source_file, position, "BookDocument", "the book record has no BookDocument element")
    pmid_text = _text(document, "PMID")
    book = document.find("Book")
    if book is None:
        book = etree.Element("Book")
    record = Record(source_file=source_file, position=position)
    record.pmid = int(pmid_text) if pmid_text.isdecimal() else None
    chapter = _title(document)
    book_title = sanitize_title(inner_markup(book.find("BookTitle")))
    if chapter:
        record.title, record.journal_title = chapter, book_title
        record.category, record.output_type = OutputCategory.CONTRIBUTION_TO_BOOK, OutputType.CHAPTER
    else:
        record.title = book_title
        record.category, record.output_type = OutputCategory.BOOK, OutputType.BOOK
    record.abstract = _abstract(document)
    record.authors = _book_authors(document) or _book_authors(book)
    record.publisher = _text(book, "Publisher/PublisherName")
    record.volume = _text(book, "Volume")
    record.published = _date(book.find("PubDate"))
    record.first_page, record.last_page, record.article_number = parse_pages(
        _text(document, "Pagination/MedlinePgn"), record.notes
    )
    record.language = language_code(_text(document, "Language")) or ""
    for location in [*book.findall("ELocationID"), *document.findall("ELocationID")]:
        if location.get("EIdType") == "doi" and not record.doi:
            record.doi = (location.text or "").strip()
    for identifier in [
        *document.findall("ArticleIdList/ArticleId"),
        *element.findall("PubmedBookData/ArticleIdList/ArticleId"),
    ]:
        kind, value = identifier.get("IdType"), (identifier.text or "").strip()
        if kind == "doi" and not record.doi:
            record.doi = value
        elif kind == "pmc" and not record.pmcid:
            record.pmcid = value
    record.publication_types = _publication_types(document.findall("PublicationType"))
    record.keywords = _keywords(document)
    record.references = [_reference(reference) for reference in document.iterfind("ReferenceList/Reference")]
    if not record.title:
        raise RecordError(source_file, position, "BookTitle", "the book record has no title", f"PMID {pmid_text}")
    return record


def _major(element):
    return (element.get("MajorTopicYN") or "N").strip().upper() == "Y"


def _mesh_heading(heading):
    """(descriptor, ui, major topic, [(qualifier, ui, major topic)]) of a MeshHeading element."""
    descriptor = heading.find("DescriptorName")
    qualifiers = [
        (_text(qualifier, "."), (qualifier.get("UI") or "").strip(), _major(qualifier))
        for qualifier in heading.findall("QualifierName")
        if _text(qualifier, ".")
    ]
    return (_text(heading, "DescriptorName"), (descriptor.get("UI") or "").strip(), _major(descriptor), qualifiers)


def _reference(reference):
    """(citation, pmid, doi, pmcid) as the ReferenceList gives them; prepare.py checks the identifiers."""
    ids = dict.fromkeys(("pubmed", "doi", "pmc"), "")
    for identifier in reference.findall("ArticleIdList/ArticleId"):
        kind = identifier.get("IdType")
        if kind in ids and not ids[kind]:
            ids[kind] = (identifier.text or "").strip()
    text = reference.find("Citation")
    citation = " ".join("".join(text.itertext()).split()) if text is not None else ""
    return (citation, ids["pubmed"], ids["doi"], ids["pmc"])


def parse(path, source_name=None):
    """Yield a Record (or a RecordError) for every PubmedArticle and PubmedBookArticle."""
    source_file = source_name or str(path)
    position = 0
    try:
        with open_source(path) as handle:
            events = etree.iterparse(
                handle,
                events=("end",),
                tag=("PubmedArticle", "PubmedBookArticle"),
                resolve_entities=False,
                no_network=True,
                load_dtd=False,
                huge_tree=True,
            )
            for _, element in events:
                position += 1
                raw = etree.tostring(element, encoding="unicode", with_tail=False)
                try:
                    read = parse_book if element.tag == "PubmedBookArticle" else parse_citation
                    record = read(element, source_file, position)
                    record.raw = raw
                    yield record
                except RecordError as error:
                    error.raw = raw
                    yield error
                finally:
                    element.clear()
                    while element.getprevious() is not None:
                        del element.getparent()[0]
    except etree.XMLSyntaxError as error:
        raise RecordError(
            source_file, 0, "XML", f"the file is not well-formed XML ({error.msg}, line {error.lineno})"
        ) from None
    except (OSError, EOFError) as error:
        raise RecordError(source_file, 0, "file", f"the file cannot be read ({error})") from None


def write_rejected(raw_records, handle):
    """The rejected records, untouched, as a file PubMed tools (and this importer) can read again."""
    handle.write('<?xml version="1.0" encoding="utf-8"?>\n<PubmedArticleSet>\n')
    for raw in raw_records:
        handle.write(raw.strip() + "\n")
    handle.write("</PubmedArticleSet>\n")
