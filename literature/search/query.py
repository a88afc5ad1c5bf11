"""The search language and how it reaches the engine: a reader's query (words, "phrases", `or`,
`-exclude`, `prefix*`) made a safe FTS5 query on SQLite or a tsquery on PostgreSQL (websearch_to_tsquery,
or to_tsquery built here when a word is a prefix, which web-search syntax cannot say), the `match`
lookup and the `Relevance` of a match. The design of the index itself is in index.py."""

import re

from django.db import models

TOKEN = re.compile(r'(-?)"([^"]*)"|(-?)(\w[\w\'-]*)(\*?)', re.UNICODE)
MIN_PREFIX = 3  # "lenalid*"; shorter prefixes ("a*") would match most of the vocabulary


def parse(text):
    """(groups, excluded): every group must match (its terms are alternatives joined by `or`), no
    excluded term may. A term is (words, is_phrase, is_prefix)."""
    groups, excluded, join_next = [], [], False
    for neg_phrase, phrase, neg_word, word, star in TOKEN.findall(text or ""):
        negated = bool(neg_phrase or neg_word)
        term = (phrase or word).strip()
        if not term:
            continue
        if not phrase and not negated and not star and term.lower() in {"or", "and"}:
            join_next = term.lower() == "or" and bool(groups)
            continue
        parsed = (term.replace('"', ""), bool(phrase), bool(star) and len(term) >= MIN_PREFIX)
        if negated:
            excluded.append(parsed)
        elif join_next:
            groups[-1].append(parsed)
        else:
            groups.append([parsed])
        join_next = False
    return groups, excluded


def fts5_query(text):
    """A user's query in web-search syntax as a safe FTS5 query, meaning what PostgreSQL's
    websearch_to_tsquery makes of it: every word must occur, "quoted phrases" as phrases, `or`
    between alternatives, `-word` excludes, `word*` a prefix. Nothing else is FTS5 syntax (NEAR, ^,
    column:)."""
    groups, excluded = parse(text)
    if not groups:
        return ""

    def fts5_term(term):
        words, _, prefix = term
        return f'"{words}"' + ("*" if prefix else "")

    query = " AND ".join(
        f"({' OR '.join(map(fts5_term, group))})" if len(group) > 1 else fts5_term(group[0]) for group in groups
    )
    return " NOT ".join([query, *map(fts5_term, excluded)])


def postgres_tsquery(text):
    """(function, argument) of the tsquery for `text`: websearch_to_tsquery of the text itself, or, when
    a word is a prefix, to_tsquery of the same query written in its syntax ('lenalid':*), every word
    quoted so that nothing in it is tsquery syntax."""
    groups, excluded = parse(text)
    if not any(prefix for group in groups for _, _, prefix in group):
        return "websearch_to_tsquery", text

    def lexemes(term):
        words, phrase, prefix = term
        quoted = ["'" + word.replace("'", "''") + "'" for word in re.findall(r"\w+", words)]
        if not quoted:
            return None
        if prefix:
            quoted[-1] += ":*"
        # A phrase, or a word the parser splits ("CC-5013", "it's"): its parts in a row.
        return "(" + " <-> ".join(quoted) + ")" if phrase or len(quoted) > 1 else quoted[0]

    required = []
    for group in groups:
        alternatives = [found for found in map(lexemes, group) if found]
        if alternatives:
            required.append("(" + " | ".join(alternatives) + ")")
    required += [f"!{found}" for found in map(lexemes, excluded) if found]
    return "to_tsquery", " & ".join(required)


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
        function, argument = postgres_tsquery(rhs_params[0])
        return f"{lhs} @@ {function}('english', {rhs})", [*lhs_params, argument]


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
        function, argument = postgres_tsquery(text_params[0])
        return f"ts_rank({document}, {function}('english', {text}))", [*document_params, argument]
