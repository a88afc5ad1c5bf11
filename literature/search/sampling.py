"""Counting over a large result set from a systematic sample of it, as search engines report "about
820,000 results": facet counts and the number of results of a query never seen before cost a grouped
scan of every match, seconds at a million articles, however the tables are indexed.

The sample is the matches whose slot, id * 633 % 1024, is below k (k chosen so that about SAMPLE_SIZE
public articles are in it), read through an index on (curation_state, slot): about 5,000 rows whatever
the size of the corpus. Their ids are read once, and every facet is counted over them and scaled by
1024 / k. Each run of 1024 consecutive ids takes every slot once, and 633 (1024 over the golden ratio)
spreads the slots of a shorter run evenly too, so the newest ids, short of a whole run, are sampled
like the rest (with id % 1024 they were over-sampled by up to 1024 ids). It is a systematic sample in
the order articles were added, which no facet follows; for a value holding a share p of the n matches
sampled, the error is about sqrt(p(1-p)/n) of the result count: under 0.7% with 5,000 sampled.

Up to EXACT_UP_TO estimated matches, or when the whole public corpus is no larger than the sample,
everything is counted exactly: estimates are for large numbers only, and labelled as such."""

import json
import math
from dataclasses import dataclass

from django.db import connection, models
from django.db.models.expressions import RawSQL

# Imported by the models (the index is built on SampleSlot): nothing here may import them.

SAMPLE_SLOTS = 1024  # fine enough that the sample stays near SAMPLE_SIZE up to 10 million articles
SAMPLE_SIZE = 5_000  # public articles sampled, whatever the corpus size
EXACT_UP_TO = 20_000  # estimated matches counted exactly (twice the deepest page: no empty last page)


SLOT_STEP = 633


class SampleSlot(models.Func):
    """`id * 633 % 1024`, the expression of the sample index (Article.Meta.indexes). The numbers are
    written into the SQL, not bound as parameters: a database uses an index on an expression only for
    that very expression, and `id * ? % ?` is not `id * 633 % 1024`."""

    template = f"((%(expressions)s * {SLOT_STEP}) %%%% {SAMPLE_SLOTS})"  # "%%" once formatted: a literal %
    arity = 1
    output_field = models.IntegerField()


def slots_to_sample(public_count):
    """How many of the SAMPLE_SLOTS residues hold about SAMPLE_SIZE of `public_count` articles."""
    if public_count <= SAMPLE_SIZE:
        return SAMPLE_SLOTS
    return min(SAMPLE_SLOTS, math.ceil(SAMPLE_SIZE * SAMPLE_SLOTS / public_count))


def id_list(ids):
    """The right-hand side of an `__in` holding `ids` as one bound parameter (a JSON array on SQLite, an
    array on PostgreSQL), not one parameter per id: each of a search's twelve facet queries is given
    the 5,000 ids of its sample, and Django spent 0.9 s preparing 60,000 parameters (SQLite as long
    parsing them)."""
    ids = [int(pk) for pk in ids]
    if connection.vendor == "postgresql":
        return RawSQL("SELECT unnest(%s::bigint[])", [ids], output_field=models.BigIntegerField())
    return RawSQL("SELECT value FROM json_each(%s)", [json.dumps(ids)], output_field=models.BigIntegerField())


@dataclass
class Counting:
    """What to count over for a set of articles, and by how much to scale what is counted."""

    articles: models.QuerySet
    scale: float = 1.0
    estimated_total: int | None = None

    @property
    def approximate(self):
        return self.scale != 1.0

    @classmethod
    def over(cls, articles, slots):
        """The articles themselves (exact) or their sample, whichever the estimated size asks for."""
        if slots >= SAMPLE_SLOTS:
            return cls(articles)
        # Read once: each facet then counts over a list of ids, not over the search again.
        sample = list(articles.in_sample(slots).order_by().values_list("pk", flat=True))
        scale = SAMPLE_SLOTS / slots
        estimated = round(len(sample) * scale)
        if estimated <= EXACT_UP_TO:
            return cls(articles)
        return cls(articles.model.objects.filter(pk__in=id_list(sample)), scale, estimated)

    def scaled(self, rows):
        """(value, label, count) rows counted over `articles`, as estimates of the whole set."""
        if not self.approximate:
            return rows
        return [(value, label, round(count * self.scale)) for value, label, count in rows]

    def total(self):
        return self.estimated_total if self.approximate else self.articles.count()
