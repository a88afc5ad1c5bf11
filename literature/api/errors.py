"""One JSON error body for every 4xx and 5xx under /api/:

{"error": {"status": 400, "code": "invalid", "message": "...", "fields": {"doi": ["..."]}}}
"""

from django.core.exceptions import PermissionDenied
from django.db.models import ProtectedError
from django.http import Http404, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions
from rest_framework.renderers import JSONRenderer
from rest_framework.views import exception_handler


def _flatten(detail):
    if isinstance(detail, list):
        return [str(item) for item in detail]
    if isinstance(detail, dict):
        return {key: _flatten(value) for key, value in detail.items()}
    return [str(detail)]


def api_exception_handler(exc, context):
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, ProtectedError):
        exc = Conflict(
            f"Other records still refer to this one ({len(exc.protected_objects)}); remove those links first."
        )
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is None:
        return None
    request = context.get("request")
    if request is not None:
        # Errors are JSON whatever format was asked for (a BibTeX client still gets a readable 404).
        request.accepted_renderer = JSONRenderer()
        request.accepted_media_type = JSONRenderer.media_type
    body = {"status": response.status_code, "code": getattr(exc, "default_code", "error")}
    if isinstance(exc, exceptions.ValidationError):
        fields = _flatten(exc.detail)
        if isinstance(fields, list):
            fields = {"non_field_errors": fields}
        body["code"] = "invalid"
        body["message"] = "Some values are not valid; see `fields`."
        body["fields"] = fields
    else:
        detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
        body["code"] = getattr(detail, "code", body["code"])
        body["message"] = str(detail)
    response.data = {"error": body}
    return response


def json_error(status, code, message):
    return JsonResponse({"error": {"status": status, "code": code, "message": message}}, status=status)


class PreconditionRequired(exceptions.APIException):
    status_code = 428
    default_code = "precondition_required"
    default_detail = (
        "Send If-Match with the ETag of the record as you read it (GET it first), so that a change made "
        "since is not overwritten: a stale ETag gets 412 and changes nothing. If-Match: * writes over "
        "whatever is there."
    )


class PreconditionFailed(exceptions.APIException):
    status_code = 412
    default_code = "precondition_failed"
    default_detail = "The record changed since you read it (If-Match does not match its ETag): read it again."


class Conflict(exceptions.APIException):
    status_code = 409
    default_code = "conflict"
    default_detail = "The request conflicts with the current state of the record."


@csrf_exempt  # nothing here to protect: a write to no resource is a 404, not a CSRF failure page
def not_found(request, exception=None):
    """404 for the whole site: JSON under /api/, the normal page elsewhere."""
    if request.path.startswith("/api/"):
        return json_error(404, "not_found", "Not found.")
    from django.views.defaults import page_not_found

    return page_not_found(request, exception)


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: the API's error body under /api/, Django's page elsewhere."""
    if request.path.startswith("/api/"):
        return json_error(403, "csrf_failed", f"CSRF verification failed: {reason}")
    from django.views.csrf import csrf_failure as default_csrf_failure

    return default_csrf_failure(request, reason)


def server_error(request):
    if request.path.startswith("/api/"):
        return json_error(500, "server_error", "Something went wrong on our side; it has been logged.")
    from django.views.defaults import server_error as default_server_error

    return default_server_error(request)
