"""Plain multi-row INSERTs, for the bulk paths that write hundreds of thousands of small rows (imports,
Fingerprints), where building a model instance per row costs more than the database does."""

from django.db import connection


def insert_rows(model, field_names, rows, returning_ids=False):
    """Plain INSERTs of ready values: for the twenty-odd rows an imported article brings, building a
    model instance per row (bulk_create) costs more than the database does. Only for rows that need
    no field logic (defaults, timestamps and JSON are given ready). With returning_ids, multi-row
    INSERT ... RETURNING (SQLite 3.35+ and PostgreSQL both return the ids in row order, which
    bulk_create relies on too) gives the new ids."""
    if not rows:
        return []
    quote = connection.ops.quote_name
    columns = ", ".join(quote(model._meta.get_field(name).column) for name in field_names)
    placeholders = "(" + ", ".join(["%s"] * len(field_names)) + ")"
    insert = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES "
    with connection.cursor() as cursor:
        if not returning_ids:
            cursor.executemany(insert + placeholders, rows)
            return []
        ids = []
        for batch in _slices(rows, max(1, 900 // len(field_names))):
            cursor.execute(
                f"{insert}{', '.join([placeholders] * len(batch))} RETURNING {quote(model._meta.pk.column)}",
                [value for row in batch for value in row],
            )
            ids += [row[0] for row in cursor.fetchall()]
        return ids


def _slices(items, size):
    return [items[start : start + size] for start in range(0, len(items), size)]


def batches(items, size=900):
    """Slices small enough for any database's limit on query parameters."""
    items = list(items)
    return [items[start : start + size] for start in range(0, len(items), size)]
