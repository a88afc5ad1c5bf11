"""The OAI-PMH endpoint, /oai/: one URL, GET or POST, the verb in the arguments; every answer (errors
included) is an OAI-PMH document with status 200, as the protocol wants."""

import datetime

from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from lxml import etree

from . import repository
from .formats import DC, FORMATS, OAI_DC, SCHEMA_LOCATION, XSI, xml_maker
from .protocol import OAIError, date_range, datestamp, make_token, read_request, read_token

OAI_NS = "http://www.openarchives.org/OAI/2.0/"
OAI = xml_maker(OAI_NS, {None: OAI_NS, "xsi": XSI})
IDENTIFIER_NS = "http://www.openarchives.org/OAI/2.0/oai-identifier"
IDENTIFIER = xml_maker(IDENTIFIER_NS, {None: IDENTIFIER_NS, "xsi": XSI})


@csrf_exempt  # harvesters POST without a session; nothing here writes
@require_http_methods(["GET", "HEAD", "POST"])
def oai_pmh(request):
    base_url = request.build_absolute_uri(reverse("oai"))
    params = request.POST if request.method == "POST" else request.GET
    try:
        oai_request = read_request(params)
        echoed = {"verb": oai_request.verb, **oai_request.arguments}
        body = VERB_HANDLERS[oai_request.verb](request, oai_request.arguments)
    except OAIError as error:
        if error.code in {"badVerb", "badArgument"}:  # the protocol: echo such a request without arguments
            echoed = {}
        body = [_error(error)]
    return _response(base_url, echoed, body)


def _response(base_url, echoed, body):
    root = OAI("OAI-PMH")
    root.set(SCHEMA_LOCATION, f"{OAI_NS} http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd")
    root.append(OAI.responseDate(datestamp(timezone.now())))
    root.append(OAI.request(base_url, echoed))
    root.extend(body)
    return HttpResponse(
        etree.tostring(root, xml_declaration=True, encoding="UTF-8"), content_type="text/xml; charset=utf-8"
    )


def _error(error):
    return OAI.error(error.message, code=error.code)


def identify(request, arguments):
    earliest = repository.earliest_datestamp() or timezone.now()
    identifier_scheme = IDENTIFIER(
        "oai-identifier",
        IDENTIFIER.scheme("oai"),
        IDENTIFIER.repositoryIdentifier(settings.PORTAL_OAI_NAMESPACE),
        IDENTIFIER.delimiter(":"),
        IDENTIFIER.sampleIdentifier(repository.oai_identifier(1)),
    )
    identifier_scheme.set(SCHEMA_LOCATION, f"{IDENTIFIER_NS} http://www.openarchives.org/OAI/2.0/oai-identifier.xsd")
    return [
        OAI.Identify(
            OAI.repositoryName(settings.PORTAL_NAME),
            OAI.baseURL(request.build_absolute_uri(reverse("oai"))),
            OAI.protocolVersion("2.0"),
            OAI.adminEmail(settings.PORTAL_ADMIN_EMAIL),
            OAI.earliestDatestamp(datestamp(earliest)),
            OAI.deletedRecord("transient"),
            OAI.granularity("YYYY-MM-DDThh:mm:ssZ"),
            OAI.description(identifier_scheme),
        )
    ]


def list_metadata_formats(request, arguments):
    if "identifier" in arguments and repository.record(arguments["identifier"]) is None:
        raise _no_such_record(arguments["identifier"])
    formats = [
        OAI.metadataFormat(
            OAI.metadataPrefix(metadata_format.prefix),
            OAI.schema(metadata_format.schema),
            OAI.metadataNamespace(metadata_format.namespace),
        )
        for metadata_format in FORMATS.values()
    ]
    return [OAI.ListMetadataFormats(*formats)]


def list_sets(request, arguments):
    start = None
    if "resumptionToken" in arguments:
        state = read_token("ListSets", arguments["resumptionToken"])
        start = (state["kind"], state["after"])
    page, next_start = repository.sets_page(start=start, size=settings.OAI_PAGE_SIZE)
    sets = []
    for spec, name, description in page:
        entry = OAI.set(OAI.setSpec(spec), OAI.setName(name))
        if description:
            entry.append(OAI.setDescription(OAI_DC.dc(DC.description(description))))
        sets.append(entry)
    element = OAI.ListSets(*sets)
    if next_start is not None or start is not None:
        token = make_token("ListSets", {"kind": next_start[0], "after": next_start[1]}) if next_start else ""
        element.append(OAI.resumptionToken(token))
    return [element]


def get_record(request, arguments):
    metadata_format = _format(arguments["metadataPrefix"])
    article = repository.record(arguments["identifier"])
    if article is None:
        raise _no_such_record(arguments["identifier"])
    return [OAI.GetRecord(_record_element(request, article, metadata_format))]


def list_identifiers(request, arguments):
    return _list(request, arguments, "ListIdentifiers")


def list_records(request, arguments):
    return _list(request, arguments, "ListRecords")


def _list(request, arguments, verb):
    """ListIdentifiers and ListRecords: one page of records in datestamp order, and a token for the next."""
    cursor, after = 0, None
    if "resumptionToken" in arguments:
        state = read_token(verb, arguments["resumptionToken"])
        arguments = state["arguments"]
        cursor = state["cursor"]
        after = (datetime.datetime.fromisoformat(state["modified"]), state["id"])
    metadata_format = _format(arguments["metadataPrefix"])
    start, end = date_range(arguments)
    size = settings.OAI_PAGE_SIZE
    page = repository.records_page(start=start, end=end, set_spec=arguments.get("set"), after=after, size=size)
    if not page:  # also when the records a token pointed to left the repository since
        raise OAIError("noRecordsMatch", "No records match these arguments.")
    more, page = len(page) > size, page[:size]
    if verb == "ListIdentifiers":
        items = [_header(article) for article in page]
    else:
        items = [_record_element(request, article, metadata_format) for article in page]
    element = OAI(verb, *items)
    if more:
        last = page[-1]
        state = {
            "arguments": arguments,
            "cursor": cursor + len(page),
            "modified": last.modified.isoformat(),
            "id": last.pk,
        }
        element.append(OAI.resumptionToken(make_token(verb, state), cursor=str(cursor)))
    elif after is not None:
        element.append(OAI.resumptionToken("", cursor=str(cursor)))  # the list is complete
    return [element]


def _format(prefix):
    if prefix not in FORMATS:
        raise OAIError("cannotDisseminateFormat", f"No metadata format {prefix}; see ListMetadataFormats.")
    return FORMATS[prefix]


def _no_such_record(identifier):
    return OAIError("idDoesNotExist", f"No record {identifier} in this repository.")


def _header(article):
    header = OAI.header(
        OAI.identifier(repository.oai_identifier(article.pk)), OAI.datestamp(datestamp(article.modified))
    )
    if repository.is_deleted(article):
        header.set("status", "deleted")
    header.extend(OAI.setSpec(spec) for spec in repository.set_specs(article))
    return header


def _record_element(request, article, metadata_format):
    element = OAI.record(_header(article))
    if not repository.is_deleted(article):
        page_url = request.build_absolute_uri(article.get_absolute_url())
        element.append(OAI.metadata(metadata_format.write(article, page_url)))
    return element


VERB_HANDLERS = {
    "Identify": identify,
    "ListMetadataFormats": list_metadata_formats,
    "ListSets": list_sets,
    "GetRecord": get_record,
    "ListIdentifiers": list_identifiers,
    "ListRecords": list_records,
}
