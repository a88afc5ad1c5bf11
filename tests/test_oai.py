"""OAI-PMH 2.0 at /oai/: an outside harvester (Sickle) gets every approved article and nothing else,
withdrawn articles as deleted records; every response, errors included, is valid against the
protocol's XML schema; lists resume across new records; selective harvesting by date and set finds
exactly the changed records."""

import datetime
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from literature.curation.drugs import decide_drug_links
from literature.models import Article, ArticleDrug, CurationState, LinkStatus
from literature.oai.formats import DC_NS
from tests.factories import ArticleFactory, DrugFactory, KeywordFactory

pytestmark = pytest.mark.django_db

SCHEMA = etree.XMLSchema(etree.parse(Path(__file__).parent / "schemas" / "OAI-PMH.xsd"))
NS = {"oai": "http://www.openarchives.org/OAI/2.0/", "dc": DC_NS, "mods": "http://www.loc.gov/mods/v3"}
DUBLIN_CORE = {
    "title", "creator", "subject", "description", "publisher", "contributor", "date", "type", "format",
    "identifier", "source", "language", "relation", "coverage", "rights",
}  # fmt: skip


@pytest.fixture
def repository(seed_article, settings):
    """The seed (approved), four more approved, a draft, one in review and a withdrawn article."""
    settings.OAI_PAGE_SIZE = 2  # so that every list needs resumption tokens
    approved = [seed_article, *ArticleFactory.create_batch(4)]
    hidden = [
        ArticleFactory(title="A draft", curation_state=CurationState.DRAFT),
        ArticleFactory(title="In review", curation_state=CurationState.IN_REVIEW),
    ]
    withdrawn = ArticleFactory(title="Withdrawn after approval", curation_state=CurationState.WITHDRAWN)
    return {"approved": approved, "hidden": hidden, "withdrawn": withdrawn}


def oai(client, **arguments):
    """One request, checked against the OAI-PMH schema; returns the parsed document."""
    response = client.get("/oai/", arguments)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    document = etree.fromstring(response.content)
    SCHEMA.assertValid(document)
    return document


def error_code(document):
    errors = document.findall("oai:error", NS)
    return errors[0].get("code") if errors else None


def walk(client, verb, **arguments):
    """Every page of a list, each validated; returns the pages."""
    pages = [oai(client, verb=verb, **arguments)]
    while (token := pages[-1].findtext(".//oai:resumptionToken", namespaces=NS)) not in (None, ""):
        pages.append(oai(client, verb=verb, resumptionToken=token))
    return pages


def identifiers_in(pages):
    return [
        (header.findtext("oai:identifier", namespaces=NS), header.get("status"))
        for page in pages
        for header in page.iter(f"{{{NS['oai']}}}header")
    ]


def oai_id(article):
    return f"oai:literature-portal.invalid:{article.pk}"


def test_an_outside_harvester_gets_every_approved_article_and_the_withdrawn_as_deleted(repository, live_server):
    sickle = pytest.importorskip("sickle")
    harvester = sickle.Sickle(f"{live_server.url}/oai/", max_retries=0)
    for prefix in ("oai_dc", "mods"):
        records = list(harvester.ListRecords(metadataPrefix=prefix, ignore_deleted=False))
        public = {record.header.identifier for record in records if not record.deleted}
        deleted = {record.header.identifier for record in records if record.deleted}
        assert public == {oai_id(article) for article in repository["approved"]}
        assert deleted == {oai_id(repository["withdrawn"])}
        assert len(records) == 6  # each once, over three pages of two
    identify = harvester.Identify()
    assert identify.protocolVersion == "2.0"
    assert identify.deletedRecord == "transient"
    assert {fmt.metadataPrefix for fmt in harvester.ListMetadataFormats()} == {"oai_dc", "mods"}
    seed = harvester.GetRecord(identifier=oai_id(repository["approved"][0]), metadataPrefix="oai_dc")
    assert seed.metadata["title"] == [
        "Immunomodulatory drugs in multiple myeloma: From molecular mechanisms of action to clinical practice"
    ]
    assert seed.metadata["creator"][0] == "Castelli, Roberto"


def test_every_verb_and_every_page_is_valid_against_the_protocol_schema(client, repository):
    oai(client, verb="Identify")
    oai(client, verb="ListMetadataFormats")
    oai(client, verb="ListMetadataFormats", identifier=oai_id(repository["approved"][0]))
    walk(client, "ListSets")
    for prefix in ("oai_dc", "mods"):
        pages = walk(client, "ListRecords", metadataPrefix=prefix)
        assert len(pages) == 3
        walk(client, "ListIdentifiers", metadataPrefix=prefix)
        for article in [*repository["approved"], repository["withdrawn"]]:
            oai(client, verb="GetRecord", identifier=oai_id(article), metadataPrefix=prefix)


def test_drafts_and_articles_in_review_are_not_in_the_repository(client, repository):
    harvested = identifiers_in(walk(client, "ListIdentifiers", metadataPrefix="oai_dc"))
    for article in repository["hidden"]:
        assert (oai_id(article), None) not in harvested
        document = oai(client, verb="GetRecord", identifier=oai_id(article), metadataPrefix="oai_dc")
        assert error_code(document) == "idDoesNotExist"
        assert error_code(oai(client, verb="ListMetadataFormats", identifier=oai_id(article))) == "idDoesNotExist"


def test_a_withdrawn_article_is_a_deleted_record_without_metadata(client, repository):
    document = oai(client, verb="GetRecord", identifier=oai_id(repository["withdrawn"]), metadataPrefix="mods")
    (record,) = document.findall(".//oai:record", NS)
    assert record.find("oai:header", NS).get("status") == "deleted"
    assert record.find("oai:metadata", NS) is None


def test_a_list_resumes_where_it_stopped_although_articles_were_added_and_changed_meanwhile(client, repository):
    first = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc")
    token = first.findtext(".//oai:resumptionToken", namespaces=NS)
    added = ArticleFactory(title="Approved during the harvest")
    changed = repository["approved"][0]  # already given on the first page, changed again: given again at the end
    changed.save()
    pages = [first]
    while token:
        pages.append(oai(client, verb="ListIdentifiers", resumptionToken=token))
        token = pages[-1].findtext(".//oai:resumptionToken", namespaces=NS)
    harvested = [identifier for identifier, _ in identifiers_in(pages)]
    expected = {oai_id(a) for a in [*repository["approved"], repository["withdrawn"], added]}
    assert set(harvested) == expected
    assert len(harvested) == len(expected) + 1  # only the changed one twice
    assert harvested[-2:] == [oai_id(added), oai_id(changed)]
    cursors = [page.find(".//oai:resumptionToken", NS).get("cursor") for page in pages]
    assert cursors == ["0", "2", "4", "6"]


def test_selective_harvesting_by_date_takes_whole_seconds_and_whole_days(client, repository):
    target = repository["approved"][1]
    moment = timezone.now().replace(microsecond=0) + datetime.timedelta(days=3)
    Article.objects.filter(pk=target.pk).update(modified=moment + datetime.timedelta(microseconds=500_000))
    stamp = moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    day = moment.strftime("%Y-%m-%d")

    def harvested(**dates):
        document = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc", **dates)
        return error_code(document) or [identifier for identifier, _ in identifiers_in([document])]

    assert harvested(**{"from": stamp}) == [oai_id(target)]
    assert harvested(**{"from": stamp, "until": stamp}) == [oai_id(target)]
    assert harvested(**{"from": day, "until": day}) == [oai_id(target)]
    earlier = (moment - datetime.timedelta(seconds=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert oai_id(target) not in harvested(until=earlier)
    later = (moment + datetime.timedelta(seconds=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert harvested(**{"from": later}) == "noRecordsMatch"


def test_sets_per_drug_keyword_and_subject_hold_their_articles(client, repository):
    seed = repository["approved"][0]
    other = repository["approved"][1]
    keyword = KeywordFactory(name="Harvested keyword")
    other.keywords.add(keyword)

    def members(spec):
        pages = walk(client, "ListIdentifiers", metadataPrefix="oai_dc", set=spec)
        return error_code(pages[0]) or {identifier for identifier, _ in identifiers_in(pages)}

    assert members("drug:lenalidomide") == {oai_id(seed)}
    assert members(f"keyword:{keyword.slug}") == {oai_id(other)}
    assert oai_id(seed) in members("subject:2723")
    assert members("drug") == {oai_id(seed)}  # the kind holds every article with a confirmed drug
    assert members("drug:no-such-drug") == "noRecordsMatch"
    specs = {spec.text for page in walk(client, "ListSets") for spec in page.iter(f"{{{NS['oai']}}}setSpec")}
    assert {"drug", "keyword", "subject", "drug:lenalidomide", f"keyword:{keyword.slug}", "subject:2723"} <= specs


def test_a_drug_link_decision_moves_the_datestamp_so_set_harvests_see_it(client, repository, curator):
    article = repository["approved"][2]
    drug = DrugFactory(name="Harvestamide", slug="harvestamide")
    link = ArticleDrug.objects.create(article=article, drug=drug, status=LinkStatus.SUGGESTED)
    before = Article.objects.get(pk=article.pk).modified
    assert error_code(oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc", set="drug:harvestamide")) == (
        "noRecordsMatch"
    )
    decide_drug_links(ArticleDrug.objects.filter(pk=link.pk), LinkStatus.CONFIRMED, curator)
    assert Article.objects.get(pk=article.pk).modified > before
    since = before.strftime("%Y-%m-%dT%H:%M:%SZ")
    document = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc", set="drug:harvestamide", **{"from": since})
    assert identifiers_in([document]) == [(oai_id(article), None)]


def test_dublin_core_and_mods_carry_the_reference_record(client, repository):
    identifier = oai_id(repository["approved"][0])
    dc = oai(client, verb="GetRecord", identifier=identifier, metadataPrefix="oai_dc")
    (root,) = dc.find(".//oai:metadata", NS)
    assert {etree.QName(child).localname for child in root} <= DUBLIN_CORE
    assert all(etree.QName(child).namespace == DC_NS for child in root)
    values = [(etree.QName(child).localname, child.text) for child in root]
    assert ("identifier", "https://doi.org/10.3109/08923973.2012.658921") in values
    assert ("type", "info:eu-repo/semantics/article") in values
    assert ("source", "Immunopharmacology and Immunotoxicology, 34(5), 2012, 740-753") in values
    assert ("date", "2012-10") in values
    assert ("language", "eng") in values
    assert ("subject", "Lenalidomide") in values
    mods = oai(client, verb="GetRecord", identifier=identifier, metadataPrefix="mods")
    (record,) = mods.find(".//oai:metadata", NS)
    names = record.findall("mods:name", NS)
    assert names[0].findtext("mods:namePart[@type='family']", namespaces=NS) == "Castelli"
    host = record.find("mods:relatedItem[@type='host']", NS)
    assert host.findtext("mods:titleInfo/mods:title", namespaces=NS) == "Immunopharmacology and Immunotoxicology"
    assert host.findtext("mods:part/mods:extent/mods:start", namespaces=NS) == "740"
    assert host.findtext("mods:part/mods:extent/mods:end", namespaces=NS) == "753"
    assert record.find("mods:originInfo/mods:dateIssued", NS).text == "2012-10"
    assert record.findtext("mods:abstract", namespaces=NS).startswith("Multiple myeloma (MM) is a clonal")


RECORDS = {"verb": "ListRecords", "metadataPrefix": "oai_dc"}
NAMESPACE = "oai:literature-portal.invalid"


@pytest.mark.parametrize(
    ("arguments", "code"),
    [
        ({}, "badVerb"),
        ({"verb": "Harvest"}, "badVerb"),
        ({"verb": "ListRecords"}, "badArgument"),  # no metadataPrefix
        ({"verb": "Identify", "set": "drug"}, "badArgument"),
        ({**RECORDS, "from": "2026-13-45"}, "badArgument"),
        ({**RECORDS, "from": "yesterday"}, "badArgument"),
        ({**RECORDS, "from": "2026-01-01", "until": "2026-01-02T00:00:00Z"}, "badArgument"),
        ({**RECORDS, "from": "2026-02-01", "until": "2026-01-01"}, "badArgument"),
        ({"verb": "ListRecords", "resumptionToken": "abc", "metadataPrefix": "oai_dc"}, "badArgument"),
        ({"verb": "ListRecords", "resumptionToken": "made-up"}, "badResumptionToken"),
        ({**RECORDS, "set": "drug lenalidomide"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "marc 21"}, "badArgument"),
        ({"verb": "GetRecord", "metadataPrefix": "oai_dc", "identifier": "no uri"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "marc21"}, "cannotDisseminateFormat"),
        ({"verb": "GetRecord", "metadataPrefix": "oai_dc", "identifier": "oai:elsewhere.org:1"}, "idDoesNotExist"),
        ({"verb": "GetRecord", "metadataPrefix": "oai_dc", "identifier": f"{NAMESPACE}:²"}, "idDoesNotExist"),
        ({**RECORDS, "set": "subject:99999"}, "noRecordsMatch"),
        ({**RECORDS, "set": "journal:lancet"}, "noRecordsMatch"),
        ({**RECORDS, "until": "1990-01-01"}, "noRecordsMatch"),
    ],
)  # fmt: skip
def test_each_protocol_error_is_named_and_valid(client, repository, arguments, code):
    document = oai(client, **arguments)
    assert error_code(document) == code
    request = document.find("oai:request", NS)
    if code in {"badVerb", "badArgument"}:
        assert request.attrib == {}  # the protocol: such a request is echoed without its arguments
    else:
        assert request.get("verb") == arguments["verb"]


def test_a_repeated_argument_or_a_token_of_another_verb_is_refused(client, repository):
    response = client.get("/oai/?verb=ListRecords&metadataPrefix=oai_dc&metadataPrefix=mods")
    assert error_code(etree.fromstring(response.content)) == "badArgument"
    token = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc").findtext(
        ".//oai:resumptionToken", namespaces=NS
    )
    assert error_code(oai(client, verb="ListRecords", resumptionToken=token)) == "badResumptionToken"
    assert error_code(oai(client, verb="ListRecords", resumptionToken=token[:-3] + "xyz")) == "badResumptionToken"


def test_harvesters_may_post_their_requests(client, repository):
    response = client.post("/oai/", {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc"})
    document = etree.fromstring(response.content)
    SCHEMA.assertValid(document)
    assert len(identifiers_in([document])) == 2
    assert client.put("/oai/").status_code == 405


def test_a_page_of_records_is_read_in_a_fixed_number_of_queries(client, repository, django_assert_num_queries):
    with django_assert_num_queries(10):  # articles (one more than the page: is there a next?), authors,
        # references, MeSH headings, publication types, relations, keywords, subject areas, publication states,
        # confirmed drug links
        oai(client, verb="ListRecords", metadataPrefix="mods")


ARGUMENT_NAMES = ["verb", "metadataPrefix", "identifier", "set", "from", "until", "resumptionToken", "other"]
VALUES = st.one_of(
    st.sampled_from(
        ["Identify", "ListRecords", "ListSets", "GetRecord", "oai_dc", "mods", "drug", "2026-01-01", "oai:x:1"]
    ),
    st.text(max_size=40),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(ARGUMENT_NAMES), VALUES), max_size=5))
def test_any_request_gets_a_valid_oai_document(client, seed_article, arguments):
    query = urlencode([(name, value.replace("\x00", "")) for name, value in arguments])
    response = client.get(f"/oai/?{query}")
    assert response.status_code == 200
    SCHEMA.assertValid(etree.fromstring(response.content))
