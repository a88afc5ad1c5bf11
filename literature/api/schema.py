"""OpenAPI generation tuned to how the API really behaves: optional authentication for reads, and
every error response it can give documented with the one error body they share."""

from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers
from rest_framework.permissions import SAFE_METHODS

from literature.api.renderers import EXPORT_RENDERERS


class ErrorDetailSerializer(serializers.Serializer):
    status = serializers.IntegerField(help_text="The HTTP status code.")
    code = serializers.CharField(help_text="A stable, machine-readable reason, e.g. invalid, not_found.")
    message = serializers.CharField()
    fields = serializers.JSONField(required=False, help_text="For validation errors: the messages per field.")


class ErrorSerializer(serializers.Serializer):
    error = ErrorDetailSerializer()


ERRORS = {
    "400": "Invalid parameters or body; `fields` says which and why.",
    "401": "No valid token (writes need one).",
    "403": "The token's user lacks the permission.",
    "404": "No such record (or not public), or no such page.",
    "406": "A format the request cannot be answered in: an unknown `format`, or any `format` on a write "
    "(writes answer in JSON only; nothing was written).",
    "409": "Other records still refer to this one.",
    "412": "If-Match does not match the record's current ETag.",
    "428": "No If-Match: send the ETag of the record as you read it.",
    "429": "Too many requests; try again later.",
}


class PortalAutoSchema(AutoSchema):
    def get_auth(self):
        # Anyone may read (the public record); a token only widens what is visible. Declaring the
        # empty requirement tells clients that authentication is optional for reads.
        auth = super().get_auth()
        if self.method in SAFE_METHODS and {} not in auth:
            auth.append({})
        return auth

    def error_codes(self):
        codes = ["400", "404", "406", "429"]
        if self.method not in SAFE_METHODS:
            codes += ["401", "403"]
        if self.method in {"PUT", "PATCH", "DELETE"}:
            codes += ["412", "428"]
        if self.method == "DELETE":
            codes.append("409")
        return codes

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        export_types = {renderer.media_type for renderer in EXPORT_RENDERERS}
        for response in responses.values():
            for media_type, content in response.get("content", {}).items():
                if media_type in export_types:
                    # Citation formats are text (BibTeX, RIS, CSV, a bibliography) or a list of CSL-JSON
                    # items, never the JSON shape of the API.
                    content["schema"] = (
                        {"type": "array", "items": {"type": "object"}}
                        if media_type.endswith("+json")
                        else {"type": "string"}
                    )
        if direction == "response":
            for code in self.error_codes():
                if code not in responses:
                    response = self._get_response_for_code(ErrorSerializer, code, direction=direction)
                    responses[code] = {**response, "description": ERRORS[code]}
        return responses
