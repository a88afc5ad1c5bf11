"""The full-text index over titles, abstracts, keywords (with the MeSH descriptors) and author names.

SQLite uses an FTS5 table (bm25 ranking, diacritics folded, so "Cannavo" finds "Cannavò"; words stemmed
by the Porter stemmer, so "patient" finds "patients" as PostgreSQL's `english` configuration does);
PostgreSQL a tsvector column with a GIN index (weights: title A, keywords and authors B, abstract C).
Both live in the table `literature_article_fts`, keyed by article id and mapped by the unmanaged
`ArticleSearchEntry` model, so querysets read the same on both: `Article.objects.search("lenalidomide")`.

The index is written through `literature.derived.refresh_derived` only, in the same transaction as
the record (never on commit), so it can never disagree with what a rolled-back write left behind.
"""

from django.db import connections

FTS_TABLE = "literature_article_fts"
# bm25 weights per FTS5 column: title, abstract, keywords, authors.
SQLITE_RANK = "bm25(10.0, 1.0, 5.0, 3.0)"


SQLITE_DOCUMENTS = """
    SELECT a.id,
           a.title || ' ' || a.subtitle,
           a.abstract,
           COALESCE((SELECT group_concat(k.name, ' ')
                       FROM literature_article_keywords ak
                       JOIN literature_keyword k ON k.id = ak.keyword_id
                      WHERE ak.article_id = a.id), '')
           || ' ' || COALESCE((SELECT group_concat(m.descriptor, ' ')
                                 FROM literature_meshheading m
                                WHERE m.article_id = a.id), ''),
           COALESCE((SELECT group_concat(p.given_names || ' ' || p.family_name || ' ' || p.collective_name, ' ')
                       FROM literature_authorship au
                       JOIN literature_person p ON p.id = au.person_id
                      WHERE au.article_id = a.id), '')
      FROM literature_article a
     WHERE a.id IN ({ids})
"""

POSTGRES_DOCUMENTS = """
    SELECT a.id,
           setweight(to_tsvector('english', a.title || ' ' || a.subtitle), 'A')
        || setweight(to_tsvector('english', COALESCE(kw.names, '') || ' ' || COALESCE(mh.names, '')), 'B')
        || setweight(to_tsvector('simple', COALESCE(au.names, '')), 'B')
        || setweight(to_tsvector('english', a.abstract), 'C')
      FROM literature_article a
      LEFT JOIN (SELECT ak.article_id, string_agg(k.name, ' ') AS names
                   FROM literature_article_keywords ak JOIN literature_keyword k ON k.id = ak.keyword_id
                  WHERE ak.article_id IN ({ids}) GROUP BY ak.article_id) kw ON kw.article_id = a.id
      LEFT JOIN (SELECT m.article_id, string_agg(m.descriptor, ' ') AS names
                   FROM literature_meshheading m
                  WHERE m.article_id IN ({ids}) GROUP BY m.article_id) mh ON mh.article_id = a.id
      LEFT JOIN (SELECT au.article_id,
                        string_agg(p.given_names || ' ' || p.family_name || ' ' || p.collective_name, ' ') AS names
                   FROM literature_authorship au JOIN literature_person p ON p.id = au.person_id
                  WHERE au.article_id IN ({ids}) GROUP BY au.article_id) au ON au.article_id = a.id
     WHERE a.id IN ({ids})
"""

CHUNK = 500
SQLITE_TOKENIZER = "porter unicode61 remove_diacritics 2"


def index_articles(article_ids, using=None):
    """(Re)write the search entries of these articles; those that no longer exist are dropped. Called
    by `literature.derived.refresh_derived` (and the migration that made the table), nobody else."""
    conn = connections[using or "default"]
    ids = sorted({int(pk) for pk in article_ids})
    with conn.cursor() as cursor:
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            placeholders = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid IN ({placeholders})", chunk)
            if conn.vendor == "postgresql":
                sql = POSTGRES_DOCUMENTS.format(ids=placeholders)
                cursor.execute(f"INSERT INTO {FTS_TABLE} (rowid, {FTS_TABLE}) {sql}", chunk * 4)
            else:
                sql = SQLITE_DOCUMENTS.format(ids=placeholders)
                cursor.execute(f"INSERT INTO {FTS_TABLE} (rowid, title, abstract, keywords, authors) {sql}", chunk)


def refresh_planner_statistics(using=None):
    """SQLite plans the search join well only with table statistics (without them it probes the
    full-text index once per article: a second instead of milliseconds on 100,000 articles), so
    ANALYZE runs after migrations and bulk loads. PostgreSQL's autovacuum keeps its own."""
    conn = connections[using or "default"]
    with conn.cursor() as cursor:
        cursor.execute("ANALYZE")


def create_index_table(schema_editor):
    """DDL for the search table (called by a migration), per database."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE TABLE {FTS_TABLE} (rowid bigint PRIMARY KEY "
            f"REFERENCES literature_article (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED, "
            f"{FTS_TABLE} tsvector NOT NULL)"
        )
        schema_editor.execute(f"CREATE INDEX {FTS_TABLE}_gin ON {FTS_TABLE} USING gin ({FTS_TABLE})")
    elif schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(
            f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(title, abstract, keywords, authors, "
            f"tokenize = '{SQLITE_TOKENIZER}')"
        )
        schema_editor.execute(f"INSERT INTO {FTS_TABLE} ({FTS_TABLE}, rank) VALUES ('rank', '{SQLITE_RANK}')")
    else:
        raise NotImplementedError(f"No full-text search for {schema_editor.connection.vendor}")


def drop_index_table(schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
