"""OAI-PMH 2.0 requests as the protocol defines them: which arguments each verb takes, the protocol's
errors, datestamps and resumption tokens. Nothing here knows about articles (see repository.py).
The specification: https://www.openarchives.org/OAI/openarchivesprotocol.html"""

import datetime
import re
from dataclasses import dataclass

from django.core import signing

# verb: (required arguments, optional arguments). A resumptionToken, where a verb takes one, is
# exclusive: it carries every other argument of the list it continues.
VERBS = {
    "Identify": (set(), set()),
    "ListMetadataFormats": (set(), {"identifier"}),
    "ListSets": (set(), set()),
    "GetRecord": ({"identifier", "metadataPrefix"}, set()),
    "ListIdentifiers": ({"metadataPrefix"}, {"from", "until", "set"}),
    "ListRecords": ({"metadataPrefix"}, {"from", "until", "set"}),
}
RESUMABLE_VERBS = {"ListSets", "ListIdentifiers", "ListRecords"}

# The forms the protocol's schema gives these arguments (a request echoed must still be valid).
ARGUMENT_FORMS = {
    "metadataPrefix": re.compile(r"^[A-Za-z0-9\-_.!~*'()]+$"),
    "set": re.compile(r"^[A-Za-z0-9\-_.!~*'()]+(:[A-Za-z0-9\-_.!~*'()]+)*$"),
    "identifier": re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:\S+$"),
}
DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
SECONDS = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
TOKEN_SALT = "literature.oai.resumption"


class OAIError(Exception):
    """One of the protocol's error conditions (its `code`), with a message for people."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class OAIRequest:
    verb: str
    arguments: dict  # as sent (the response echoes them), the resumptionToken included


def read_request(params):
    """The verb and arguments of a request (a QueryDict of GET or POST), or an OAIError saying what is
    wrong with it: no or an unknown verb, a repeated, unknown or missing argument."""
    verbs = params.getlist("verb")
    if len(verbs) != 1 or verbs[0] not in VERBS:
        given = ", ".join(verbs) or "none"
        raise OAIError("badVerb", f"The verb must be one of {', '.join(VERBS)} (given: {given}).")
    verb = verbs[0]
    arguments = {}
    for name in params:
        if name == "verb":
            continue
        values = params.getlist(name)
        if len(values) > 1:
            raise OAIError("badArgument", f"The argument {name} is repeated.")
        arguments[name] = values[0]
    required, optional = VERBS[verb]
    if "resumptionToken" in arguments and verb in RESUMABLE_VERBS:
        others = sorted(set(arguments) - {"resumptionToken"})
        if others:
            raise OAIError("badArgument", f"resumptionToken is exclusive; also given: {', '.join(others)}.")
        return OAIRequest(verb, arguments)
    unknown = sorted(set(arguments) - required - optional)
    if unknown:
        accepted = ", ".join(sorted(required | optional | ({"resumptionToken"} & set(arguments)))) or "none"
        raise OAIError("badArgument", f"{verb} does not take {', '.join(unknown)} (it takes: {accepted}).")
    missing = sorted(required - set(arguments))
    if missing:
        raise OAIError("badArgument", f"{verb} needs {', '.join(missing)}.")
    for name, form in ARGUMENT_FORMS.items():
        if name in arguments and not form.match(arguments[name]):
            raise OAIError("badArgument", f"{name} is not in the form the protocol gives it.")
    return OAIRequest(verb, arguments)


def datestamp(moment):
    """A datestamp at the repository's granularity (seconds, UTC): '2026-12-02T08:15:03Z'."""
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def date_range(arguments):
    """The `from` and `until` arguments as a half-open range of moments [start, end) (either None),
    each at the granularity it was given in (a day or a second): until=2026-12-02 takes the whole day."""
    given = {name: arguments[name] for name in ("from", "until") if name in arguments}
    granularities = set()
    bounds = {}
    for name, value in given.items():
        if DAY.match(value):
            granularities.add("day")
            moment, step = _parse(value, "%Y-%m-%d", name), datetime.timedelta(days=1)
        elif SECONDS.match(value):
            granularities.add("seconds")
            moment, step = _parse(value, "%Y-%m-%dT%H:%M:%SZ", name), datetime.timedelta(seconds=1)
        else:
            raise OAIError("badArgument", f"{name}={value} is not a date (YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ).")
        bounds[name] = moment + step if name == "until" else moment
    if len(granularities) > 1:
        raise OAIError("badArgument", "from and until must have the same granularity.")
    start, end = bounds.get("from"), bounds.get("until")
    if start is not None and end is not None and start >= end:
        raise OAIError("badArgument", "from is later than until.")
    return start, end


def _parse(value, pattern, name):
    try:
        return datetime.datetime.strptime(value, pattern).replace(tzinfo=datetime.UTC)
    except ValueError:
        raise OAIError("badArgument", f"{name}={value} is not a valid date.") from None


def make_token(verb, state):
    """An opaque resumption token carrying a list's arguments and where the next response starts.
    Signed, so that one altered or made up is told apart (badResumptionToken) rather than obeyed;
    it holds a position, not a page number, so records added meanwhile neither shift nor repeat it."""
    return signing.dumps({"verb": verb, **state}, salt=TOKEN_SALT, compress=True)


def read_token(verb, token):
    try:
        state = signing.loads(token, salt=TOKEN_SALT)
    except signing.BadSignature:
        raise OAIError("badResumptionToken", "This resumption token is not one this repository gave.") from None
    if not isinstance(state, dict) or state.pop("verb", None) != verb:
        raise OAIError("badResumptionToken", f"This resumption token does not continue a {verb} list.")
    return state
