"""Result counts and pages of paginated lists, computed once per corpus version: a COUNT(*) over a
common word is seconds at a million articles, and a walk through the pages (API, admin) repeats it on
each; ranking a page of a common word, or of a phrase under filters, costs a tenth to a third of a second
at a million, and a page is asked for again and again (a reader going back, a shared link, a script's
poll) as a search engine's result cache serves it."""

from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.utils.functional import cached_property

from .cache import cached_for_corpus


def cached_page(page_queryset, rows_of):
    """The rows of one page (a sliced queryset), best first: its ids found once per corpus version
    (stale-while-revalidate, as the facets; keyed by the query itself, so what a client may see is part
    of the key) and the rows read by id through `rows_of(ids)`, which says what a client may see now:
    an article withdrawn since the ids were found is left out, never shown from the cache."""
    ids_of_page = page_queryset.values_list("pk", flat=True)
    try:
        sql, params = ids_of_page.query.sql_with_params()
    except EmptyResultSet:  # a condition that matches nothing
        return []
    ids = cached_for_corpus("list-page", (sql, params), lambda: list(ids_of_page))
    rows = {row.pk: row for row in rows_of(ids)} if ids else {}
    return [rows[pk] for pk in ids if pk in rows]


class CachedCountPaginator(Paginator):
    """Counts the results once per corpus version (stale-while-revalidate, as the facets), keyed by the
    query itself, so what a client may see (drafts for curators) is part of the key. The pages may be
    read from another form of the same results (a rank window, a walked filter) than the one best
    counted: that one is given as `counted`, or named by the pages' queryset as its `counted_as`. With
    `rows_of` (given, or the pages' queryset's `rows_of`), each page is a cached_page."""

    def __init__(self, object_list, per_page, *args, counted=None, rows_of=None, **kwargs):
        super().__init__(object_list, per_page, *args, **kwargs)
        self.counted = counted
        self.rows_of = rows_of or getattr(object_list, "rows_of", None)

    @cached_property
    def count(self):
        counted = self.counted
        if counted is None:
            counted = getattr(self.object_list, "counted_as", self.object_list)
        try:
            sql, params = counted.query.sql_with_params()
        except EmptyResultSet:  # a condition that matches nothing (a query without a searchable word)
            return 0
        return cached_for_corpus("list-count", (sql, params), counted.count)

    def _get_page(self, object_list, *args, **kwargs):
        # Django's hook for the Page made of each slice that page() cuts.
        if self.rows_of is not None:
            object_list = cached_page(object_list, self.rows_of)
        return super()._get_page(object_list, *args, **kwargs)
