"""Page numbers with a total count by default; a cursor (`?cursor=`, empty to start) for scripts that
walk the whole corpus, so that deep pages never become deep OFFSET scans."""

from django.conf import settings
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import CursorPagination, PageNumberPagination

from literature.derived.counting import CachedCountPaginator

MAX_PAGE_SIZE = settings.MAX_PAGE_SIZE  # PORTAL_MAX_PAGE_SIZE


class CheckedPageSize:
    """A page size out of range is refused, naming the range, rather than quietly capped: a script
    asking for 1,000 per page would otherwise walk a tenth of what it thinks it has."""

    def get_page_size(self, request):
        value = request.query_params.get(self.page_size_query_param)
        if value is None or value == "":
            return self.page_size
        if not value.isdecimal() or not 1 <= int(value) <= self.max_page_size:
            message = f"{value}: give a whole number from 1 to {self.max_page_size} (MAX_PAGE_SIZE)."
            raise ValidationError({self.page_size_query_param: [message]})
        return int(value)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1, "maximum": self.max_page_size}
                parameter["description"] = f"Results per page: 1 to {self.max_page_size} (default {self.page_size})."
        return parameters


class NumberedPages(CheckedPageSize, PageNumberPagination):
    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    django_paginator_class = CachedCountPaginator


class CursorPages(CheckedPageSize, CursorPagination):
    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    ordering = "pk"

    def decode_cursor(self, request):
        refused = ValidationError(
            {"cursor": ["This cursor is not one the API gave out: start again with an empty cursor."]}
        )
        try:
            cursor = super().decode_cursor(request)
        except NotFound:
            raise refused from None
        # A walk is in id order: the position is an id. Anything else would reach the database as one.
        if cursor is not None and cursor.position is not None and not str(cursor.position).isdecimal():
            raise refused
        return cursor


class HybridPagination:
    """Delegates to cursor pagination when the request has a `cursor` parameter, else to numbered pages.
    A cursor walk is always in id order (the `sort` parameter then does not apply)."""

    def __init__(self):
        self.numbered = NumberedPages()
        self.cursor = CursorPages()
        self.active = self.numbered

    def paginate_queryset(self, queryset, request, view=None):
        # An empty cursor decodes to the first position, so `?cursor=` starts a walk.
        self.active = self.cursor if "cursor" in request.query_params else self.numbered
        return self.active.paginate_queryset(queryset, request, view)

    def get_paginated_response(self, data):
        return self.active.get_paginated_response(data)

    def get_paginated_response_schema(self, schema):
        numbered = self.numbered.get_paginated_response_schema(schema)
        numbered["properties"]["count"]["description"] = "Total number of results (numbered pages only)."
        numbered["required"] = ["results"]
        numbered["properties"]["group_by"] = {
            "type": "array",
            "description": "With ?group_by= only: the counts by that field.",
            "items": {
                "type": "object",
                "required": ["key", "key_display_name", "count"],
                "properties": {
                    "key": {"type": "string", "description": "The value, as the filter of that field takes it."},
                    "key_display_name": {"type": "string"},
                    "count": {
                        "type": "integer",
                        "description": "Exact, or an estimate from a sample when group_by_approximate is true.",
                    },
                },
            },
        }
        numbered["properties"]["ranked_within"] = {
            "type": "integer",
            "description": "Only on a search by relevance with no other filter and more matches than this: its "
            "pages are ranked among this many most recently added matches (count covers all of them; sort by "
            "newest or oldest, add a filter, or walk with a cursor to reach every match in order).",
        }
        numbered["properties"]["group_by_approximate"] = {
            "type": "boolean",
            "description": "With ?group_by= only: true when the counts are estimated from a sample (more than "
            "20,000 results; within 2% of the result count), false when they are exact.",
        }
        return numbered

    def get_schema_operation_parameters(self, view):
        parameters = self.numbered.get_schema_operation_parameters(view)
        parameters.append(
            {
                "name": "cursor",
                "required": False,
                "in": "query",
                "description": "Walk the results in id order with cursors: give an empty value to start, "
                "then follow `next`.",
                "schema": {"type": "string"},
            }
        )
        return parameters

    def to_html(self):
        return ""
