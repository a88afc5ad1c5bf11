"""Plain multi-row INSERTs, for the bulk paths that write hundreds of thousands of small rows (imports,
Fingerprints), where building a model instance per row costs more than the database does."""

from django.db import connection, models
from django.utils import timezone

# Field types whose Python value, of the right type, is already what the database takes: for these the
# per-value preparation of the ORM (most of an import's article insert) is skipped. Exact types only: a
# subclass may prepare its values (IdentifierField normalises them).
PLAIN_FIELDS = {
    models.CharField,
    models.TextField,
    models.IntegerField,
    models.SmallIntegerField,
    models.BigIntegerField,
    models.PositiveIntegerField,
    models.PositiveSmallIntegerField,
    models.BooleanField,
    models.ForeignKey,
}


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


def insert_instances(model, instances):
    """Insert unsaved model instances (built with their defaults, as bulk_create takes them) in
    multi-row INSERTs and give them their ids: bulk_create's result, for a fraction of its Python time.
    Timestamps (auto_now, auto_now_add) are set to now; a field with its own preparation (a subclass
    of the plain types that overrides pre_save, a JSON or date field) goes through it as in a save."""
    if not instances:
        return []
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    getters = [_column_value(field, now) for field in fields]
    rows = [tuple(get(instance) for get in getters) for instance in instances]
    ids = insert_rows(model, [field.name for field in fields], rows, returning_ids=True)
    for instance, pk in zip(instances, ids, strict=True):
        instance.pk = pk
        instance._state.adding = False
        instance._state.db = connection.alias
    return ids


def _column_value(field, now):
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return lambda instance: now
    if type(field) in PLAIN_FIELDS:
        attname = field.attname
        return lambda instance: getattr(instance, attname)
    return lambda instance: field.get_db_prep_save(field.pre_save(instance, True), connection)


def _slices(items, size):
    return [items[start : start + size] for start in range(0, len(items), size)]


def batches(items, size=900):
    """Slices small enough for any database's limit on query parameters."""
    items = list(items)
    return [items[start : start + size] for start in range(0, len(items), size)]
