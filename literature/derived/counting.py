"""Result counts of paginated lists, counted once per corpus version: a COUNT(*) over a common word is
seconds at a million articles, and a walk through the pages (API, admin) repeats it on each."""

from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.utils.functional import cached_property

from .cache import cached_for_corpus


class CachedCountPaginator(Paginator):
    """Counts the results once per corpus version (stale-while-revalidate, as the facets), keyed by the
    query itself, so what a client may see (drafts for curators) is part of the key. The pages may be
    read from another form of the same results (a rank window, a walked filter) than the one best
    counted: that one is given as `counted`, or named by the pages' queryset as its `counted_as`."""

    def __init__(self, object_list, per_page, *args, counted=None, **kwargs):
        super().__init__(object_list, per_page, *args, **kwargs)
        self.counted = counted

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
