"""The metadata formats the repository disseminates, each an article (read with for_detail()) written
as one XML element: Dublin Core (`oai_dc`, which OAI-PMH requires, following the OpenAIRE/DRIVER
guidelines' use of it) and MODS 3.7 (`mods`), which keeps what Dublin Core flattens: author order and
name parts, ORCID iDs, the journal with its ISSN, volume, issue and pages, the date's precision, and
MeSH terms as MeSH."""

import re
from collections.abc import Callable
from dataclasses import dataclass

from lxml.builder import ElementMaker

from literature.models import OutputType
from literature.values.markup import plain_text

# What XML 1.0 cannot carry (most control characters): a record or a request holding one must still
# give a well-formed document, so these are dropped from every text and attribute written.
NOT_IN_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_safe(text):
    return NOT_IN_XML.sub("", str(text))


def _add_text(element, text):
    text = xml_safe(text)
    if len(element):
        element[-1].tail = (element[-1].tail or "") + text
    else:
        element.text = (element.text or "") + text


def _set_attributes(element, attributes):
    for name, value in attributes.items():
        element.set(name, xml_safe(value))


def xml_maker(namespace, nsmap=None):
    """An lxml ElementMaker whose texts and attributes are made XML-safe."""
    return ElementMaker(namespace=namespace, nsmap=nsmap, typemap={str: _add_text, dict: _set_attributes})


XSI = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_LOCATION = f"{{{XSI}}}schemaLocation"

DC_NS = "http://purl.org/dc/elements/1.1/"
OAI_DC_NS = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC = xml_maker(DC_NS)
OAI_DC = xml_maker(OAI_DC_NS, {"oai_dc": OAI_DC_NS, "dc": DC_NS, "xsi": XSI})
MODS_NS = "http://www.loc.gov/mods/v3"
MODS = xml_maker(MODS_NS, {None: MODS_NS, "xsi": XSI})

# The info:eu-repo publication types that OpenAIRE and BASE read from dc:type.
EU_REPO_TYPES = {
    OutputType.ARTICLE: "article",
    OutputType.REVIEW: "review",
    OutputType.SHORT_SURVEY: "review",
    OutputType.LETTER: "contributionToPeriodical",
    OutputType.EDITORIAL: "contributionToPeriodical",
    OutputType.COMMENT: "contributionToPeriodical",
    OutputType.ERRATUM: "annotation",
    OutputType.CONFERENCE_ARTICLE: "conferenceObject",
    OutputType.CONFERENCE_CONTRIBUTION: "conferenceObject",
    OutputType.PAPER: "conferenceObject",
    OutputType.POSTER: "conferenceObject",
    OutputType.ABSTRACT: "conferenceObject",
    OutputType.CHAPTER: "bookPart",
    OutputType.ENTRY_FOR_ENCYCLOPEDIA: "bookPart",
    OutputType.BOOK: "book",
    OutputType.ANTHOLOGY: "book",
    OutputType.REPORT: "report",
    OutputType.DOCTORAL_THESIS: "doctoralThesis",
    OutputType.MASTERS_THESIS: "masterThesis",
    OutputType.PREPRINT: "preprint",
    OutputType.WORKING_PAPER: "workingPaper",
}


@dataclass(frozen=True)
class MetadataFormat:
    prefix: str
    schema: str
    namespace: str
    write: Callable  # (article, page_url) -> lxml element


def identifiers(article, page_url):
    """(MODS identifier type, value) of every identifier the article has, its page last."""
    found = [("doi", article.doi), ("pmid", article.pmid and str(article.pmid)), ("pmc", article.pmcid)]
    return [(kind, value) for kind, value in found if value] + [("uri", page_url)]


def journal_source(article):
    """'Expert Opinion on Pharmacotherapy, 13(14), 2012, 2069-2080': where the article appeared."""
    journal = article.journal
    if journal is None:
        return ""
    parts = [journal.title]
    if article.volume:
        parts.append(f"{article.volume}({article.issue})" if article.issue else article.volume)
    if article.publication_year:
        parts.append(str(article.publication_year))
    if article.pages:
        parts.append(article.pages)
    return ", ".join(parts)


def write_oai_dc(article, page_url):
    root = OAI_DC.dc()
    root.set(SCHEMA_LOCATION, f"{OAI_DC_NS} http://www.openarchives.org/OAI/2.0/oai_dc.xsd")
    children = [DC.title(plain_text(article.full_title))]
    children += [DC.creator(person.inverted_name) for person in article.authors]
    children += [DC.subject(keyword.name) for keyword in article.keywords.all()]
    children += [DC.subject(heading.descriptor) for heading in article.mesh_headings.all()]
    children += [DC.subject(link.drug.name) for link in article.confirmed_drug_links]
    children += [DC.subject(area.name) for area in article.subject_areas.all()]
    if article.abstract:
        children.append(DC.description(plain_text(article.abstract, paragraph_break="\n\n")))
    if article.journal and article.journal.publisher:
        children.append(DC.publisher(article.journal.publisher))
    if article.publication_date:
        children.append(DC.date(article.publication_date.isoformat()))
    children.append(DC.type(f"info:eu-repo/semantics/{EU_REPO_TYPES.get(article.output_type, 'other')}"))
    children.append(DC.type(article.get_output_type_display()))
    for kind, value in identifiers(article, page_url):
        prefixed = {"doi": f"https://doi.org/{value}", "pmid": f"pmid:{value}", "pmc": f"pmcid:{value}"}
        children.append(DC.identifier(prefixed.get(kind, value)))
    if source := journal_source(article):
        children.append(DC.source(source))
    if article.language:
        children.append(DC.language(article.language))
    root.extend(children)
    return root


def write_mods(article, page_url):
    root = MODS.mods(version="3.7")
    root.set(SCHEMA_LOCATION, f"{MODS_NS} http://www.loc.gov/standards/mods/v3/mods-3-7.xsd")
    title = MODS.titleInfo(MODS.title(plain_text(article.title)))
    if article.subtitle:
        title.append(MODS.subTitle(plain_text(article.subtitle)))
    root.append(title)
    for authorship in article.ordered_authorships:
        root.append(_mods_name(authorship))
    root.append(MODS.typeOfResource("text"))
    root.append(MODS.genre(article.get_output_type_display(), authority="local"))
    for kind in article.publication_types.all():  # PubMed's publication types are MeSH terms
        root.append(_with_mesh_uri(MODS.genre(kind.name, authority="mesh"), kind.ui))
    if article.publication_date:
        root.append(
            MODS.originInfo(MODS.dateIssued(article.publication_date.isoformat(), encoding="w3cdtf", keyDate="yes"))
        )
    if article.language:
        root.append(MODS.language(MODS.languageTerm(article.language, type="code", authority="iso639-3")))
    if article.abstract:
        root.append(MODS.abstract(plain_text(article.abstract, paragraph_break="\n\n")))
    for keyword in article.keywords.all():
        subject = MODS.subject(MODS.topic(keyword.name))
        if keyword.mesh_id:
            subject.set("authority", "mesh")
            subject.set("valueURI", f"https://id.nlm.nih.gov/mesh/{keyword.mesh_id}")
        root.append(subject)
    for heading in article.mesh_headings.all():
        topics = [MODS.topic(heading.descriptor)] + [MODS.topic(q["name"]) for q in heading.qualifiers]
        root.append(_with_mesh_uri(MODS.subject(*topics, authority="mesh"), heading.descriptor_ui))
    for link in article.confirmed_drug_links:
        root.append(MODS.subject(MODS.topic(link.drug.name), displayLabel="Drug"))
    for area in article.subject_areas.all():
        root.append(MODS.classification(str(area.code), authority="asjc", displayLabel=area.name))
    if article.journal is not None:
        root.append(_mods_host(article))
    for kind, value in identifiers(article, page_url):
        root.append(MODS.identifier(value, type=kind))
    root.append(MODS.location(MODS.url(page_url, usage="primary display")))
    return root


def _mods_name(authorship):
    person = authorship.person
    if person.is_collective:
        name = MODS.name(MODS.namePart(person.collective_name), type="corporate")
    else:
        name = MODS.name(MODS.namePart(person.family_name, type="family"), type="personal")
        if person.given_names:
            name.append(MODS.namePart(person.given_names, type="given"))
        if person.orcid:
            name.append(MODS.nameIdentifier(person.orcid, type="orcid"))
    if authorship.affiliation:
        name.append(MODS.affiliation(authorship.affiliation))
    name.append(MODS.role(MODS.roleTerm("author", type="text", authority="marcrelator")))
    return name


def _with_mesh_uri(element, ui):
    if ui:
        element.set("valueURI", f"https://id.nlm.nih.gov/mesh/{ui}")
    return element


def _mods_host(article):
    journal = article.journal
    host = MODS.relatedItem(MODS.titleInfo(MODS.title(journal.title)), type="host")
    if journal.iso_abbreviation:
        host.append(MODS.titleInfo(MODS.title(journal.iso_abbreviation), type="abbreviated"))
    if journal.publisher:
        host.append(MODS.originInfo(MODS.publisher(journal.publisher)))
    for issn in (journal.issn_print, journal.issn_electronic):
        if issn:
            host.append(MODS.identifier(issn, type="issn"))
    part = MODS.part()
    for kind, number in (("volume", article.volume), ("issue", article.issue)):
        if number:
            part.append(MODS.detail(MODS.number(number), type=kind))
    if article.first_page is not None:
        extent = MODS.extent(MODS.start(str(article.first_page)), unit="pages")
        if article.last_page is not None:
            extent.append(MODS.end(str(article.last_page)))
        part.append(extent)
    elif article.article_number:
        part.append(MODS.detail(MODS.number(article.article_number), type="article-number"))
    if article.publication_date:
        part.append(MODS.date(article.publication_date.isoformat(), encoding="w3cdtf"))
    if len(part):
        host.append(part)
    return host


FORMATS = {
    "oai_dc": MetadataFormat("oai_dc", "http://www.openarchives.org/OAI/2.0/oai_dc.xsd", OAI_DC_NS, write_oai_dc),
    "mods": MetadataFormat("mods", "http://www.loc.gov/standards/mods/v3/mods-3-7.xsd", MODS_NS, write_mods),
}
