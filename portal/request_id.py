"""A request id on every request, every log line written while serving it, and the response.

A proxy's id (X-Request-ID, as nginx's $request_id) is kept when it looks like one, so one id follows
the request from the proxy's access log through ours; otherwise a new one is made.
"""

import contextvars
import logging
import re
import uuid

from django.core.signals import request_finished, request_started

HEADER = "X-Request-ID"
_ACCEPTED = re.compile(r"^[A-Za-z0-9._:-]{8,128}$")
current_request_id = contextvars.ContextVar("request_id", default="-")


def begin(sender, environ=None, scope=None, **kwargs):
    if scope is not None:  # ASGI
        headers = dict(scope.get("headers") or [])
        given = headers.get(b"x-request-id", b"").decode("latin-1")
    else:
        given = (environ or {}).get("HTTP_X_REQUEST_ID", "")
    current_request_id.set(given if _ACCEPTED.match(given) else uuid.uuid4().hex)


def end(sender, **kwargs):
    current_request_id.set("-")


class RequestIdMiddleware:
    """Names the request's id on the request (`request.id`) and the response. The id is set when
    Django starts handling the request and cleared when it has finished, not in here: Django logs a
    4xx/5xx response (django.request) after the middleware has returned, and that line needs it too."""

    def __init__(self, get_response):
        self.get_response = get_response
        request_started.connect(begin, dispatch_uid="portal.request_id.begin")
        request_finished.connect(end, dispatch_uid="portal.request_id.end")

    def __call__(self, request):
        request.id = current_request_id.get()
        if request.id == "-":  # a handler that sends no request_started (none of Django's)
            begin(None, environ=request.META)
            request.id = current_request_id.get()
        response = self.get_response(request)
        response[HEADER] = request.id
        return response


class RequestIdFilter(logging.Filter):
    """Puts the id of the request being served (or "-") on each record as `request_id`."""

    def filter(self, record):
        record.request_id = current_request_id.get()
        return True
