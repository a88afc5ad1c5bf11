"""The search language and how it reaches the engine: a reader's query (words, "phrases", `or`,
`-exclude`) made a safe FTS5 query on SQLite or websearch_to_tsquery on PostgreSQL, the `match` lookup
and the `Relevance` of a match. The design of the index itself is in index.py."""

import re

from django.db import models

TOKEN = re.compile(r'(-?)"([^"]*)"|(-?)(\w[\w\'-]*)', re.UNICODE)


def fts5_query(text):
    """A user's query in web-search syntax as a safe FTS5 query, meaning what PostgreSQL's
    websearch_to_tsquery makes of it: every word must occur, "quoted phrases" as phrases, `or`
    between alternatives, `-word` excludes. Nothing else is FTS5 syntax (NEAR, *, ^, column:)."""
    groups, excluded, join_next = [], [], False
    for neg_phrase, phrase, neg_word, word in TOKEN.findall(text or ""):
        negated = bool(neg_phrase or neg_word)
        term = (phrase or word).strip()
        if not term:
            continue
        if not phrase and not negated and term.lower() in {"or", "and"}:
            join_next = term.lower() == "or" and bool(groups)
            continue
        quoted = '"' + term.replace('"', "") + '"'
        if negated:
            excluded.append(quoted)
        elif join_next:
            groups[-1].append(quoted)
        else:
            groups.append([quoted])
        join_next = False
    if not groups:
        return ""
    query = " AND ".join(f"({' OR '.join(group)})" if len(group) > 1 else group[0] for group in groups)
    return " NOT ".join([query, *excluded])


def has_search_terms(text):
    return bool(fts5_query(text))


class SearchDocumentField(models.TextField):
    """The FTS5 table's hidden column named after the table (SQLite), or the tsvector (PostgreSQL)."""


@SearchDocumentField.register_lookup
class Match(models.Lookup):
    lookup_name = "match"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} MATCH {rhs}", [*lhs_params, *(fts5_query(p) for p in rhs_params)]

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} @@ websearch_to_tsquery('english', {rhs})", [*lhs_params, *rhs_params]


class Relevance(models.Func):
    """How well an article matches the search (higher is better); valid only beside a `match` filter."""

    output_field = models.FloatField()

    def __init__(self, text):
        super().__init__(models.F("search_entry__document"), models.Value(text), models.F("search_entry__rank"))

    def as_sql(self, compiler, connection):
        # FTS5's rank column is bm25 with the weights set when the table was made: negative, lower is better.
        rank, params = compiler.compile(self.source_expressions[2])
        return f"(-{rank})", params

    def as_postgresql(self, compiler, connection):
        document, document_params = compiler.compile(self.source_expressions[0])
        text, text_params = compiler.compile(self.source_expressions[1])
        return (
            f"ts_rank({document}, websearch_to_tsquery('english', {text}))",
            [*document_params, *text_params],
        )
