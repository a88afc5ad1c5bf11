"""RIS, as research portals export it (title and subtitle as T1 and T2, PY as YYYY/MM), written by rispy."""

import rispy

from literature.citations.csl import citation_key
from literature.models import OutputType
from literature.values.markup import plain_text
from literature.values.notices import notice_lines

RIS_TYPES = {
    OutputType.CHAPTER: "CHAP",
    OutputType.CONFERENCE_CONTRIBUTION: "CPAPER",
    OutputType.CONFERENCE_ARTICLE: "CPAPER",
    OutputType.PAPER: "CPAPER",
    OutputType.POSTER: "CPAPER",
    OutputType.ABSTRACT: "ABST",
    OutputType.BOOK: "BOOK",
    OutputType.REPORT: "RPRT",
    OutputType.DOCTORAL_THESIS: "THES",
    OutputType.MASTERS_THESIS: "THES",
    OutputType.PREPRINT: "UNPB",
}


def _ris_name(person):
    """'Family, Given'; a family name of several words alone keeps its comma ('Garcia Lopez,'), so that
    it is not read back as a name written whole (importers/record.name_in_one_field)."""
    lone_words = not person.collective_name and not person.given_names and " " in person.family_name
    return f"{person.family_name}," if lone_words else person.inverted_name


def ris_record(article, page_url=None):
    record = {
        "type_of_reference": RIS_TYPES.get(article.output_type, "JOUR"),
        "id": citation_key(article),
        "primary_title": plain_text(article.title),
        "authors": [_ris_name(person) for person in article.authors],
    }
    if article.subtitle:
        record["secondary_title"] = plain_text(article.subtitle)
    if article.journal:
        record["journal_name"] = article.journal.title
        issn = article.journal.issn_print or article.journal.issn_electronic
        if issn:
            record["issn"] = issn
        if article.journal.publisher:
            record["publisher"] = article.journal.publisher
    date = article.publication_date
    if date:
        record["year"] = f"{date.year}/{date.month:02d}" if date.month else str(date.year)
    if article.volume:
        record["volume"] = article.volume
    if article.issue:
        record["number"] = article.issue
    if article.first_page is not None:
        record["start_page"] = str(article.first_page)
        if article.last_page is not None:
            record["end_page"] = str(article.last_page)
    elif article.article_number:
        record["start_page"] = article.article_number
    if article.doi:
        record["doi"] = article.doi
    if article.language:
        record["language"] = article.language_name
    keywords = [keyword.name for keyword in article.keywords.all()]
    if keywords:
        record["keywords"] = keywords
    if article.abstract:
        record["abstract"] = plain_text(article.abstract)
    if page_url:
        record["urls"] = [page_url]
    # RIS has no tag for errata and retractions: an N1 note each, as reference managers show notes.
    if notices := notice_lines(article.relations.all()):
        record["notes"] = notices
    return record


class PortalRisWriter(rispy.RisWriter):
    """rispy's writer without the "1." line it puts before each record: portal exports have none."""

    def set_header(self, count):
        return ""


def render(articles, page_url_of=None):
    records = [ris_record(a, page_url_of(a) if page_url_of else None) for a in articles]
    return rispy.dumps(records, implementation=PortalRisWriter)
