"""Ranking that stops early: a word in most articles matches 800,000 of a million, and ranking them all
(bm25 on SQLite, ts_rank on PostgreSQL) costs most of a second however the page is cached. A search
by relevance with no other filter is ranked among its RANK_WINDOW most recently added matches (found
in the full-text index in rowid order, which both engines walk without scoring), and the page says so.

Only numbered pages are ranked this way: they stop at 10,000 results, half the window, so every page
a reader can reach is full. The count, the facets, a search with filters (whose window could be
smaller than its pages) and the API's cursor (which walks every match) are never bounded."""

from django.db import connection

from .filters import SortChoices
from .index import FTS_TABLE
from .query import fts5_query, has_search_terms, postgres_tsquery

RANK_WINDOW = 20_000


def newest_match_floor(text):
    """The article id of the RANK_WINDOW-th most recently added match of `text`, or None when there are
    not that many (everything is ranked)."""
    if not has_search_terms(text):  # matches nothing (search() says so without asking the engine)
        return None
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            function, argument = postgres_tsquery(text)
            cursor.execute(
                f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} @@ {function}('english', %s) "
                f"ORDER BY rowid DESC LIMIT 1 OFFSET %s",
                [argument, RANK_WINDOW - 1],
            )
        else:
            cursor.execute(
                f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s ORDER BY rowid DESC LIMIT 1 OFFSET %s",
                [fts5_query(text), RANK_WINDOW - 1],
            )
        row = cursor.fetchone()
    return row[0] if row else None


def in_rank_window(filterset, queryset):
    """(queryset, window): `queryset` (the filterset's results, in its order) limited to the newest
    RANK_WINDOW matches when it is a search by relevance with no other filter, and that number (else
    None: nothing was left out)."""
    cleaned = filterset.in_force()
    if filterset.active_sort != SortChoices.RELEVANCE or set(cleaned) - {"q", "sort"}:
        return queryset, None
    # The query as searched (ArticleFilterSet.prepared_search, worked out once): tagged terms filter, so
    # such a query is not a plain search; the words are ranked with the drug synonyms they were given.
    tagged, text = filterset.prepared_search(cleaned["q"])
    if tagged.tags:
        return queryset, None
    floor = newest_match_floor(text)
    if floor is None:
        return queryset, None
    return queryset.filter(search_entry__pk__gte=floor), RANK_WINDOW
