"""What every model shares: timestamps and unique slugs."""

from itertools import count

from django.db import models
from django.utils.text import slugify


def slug_base(text, max_length=80):
    return slugify(text)[:max_length].strip("-") or "item"


def slug_candidates(base, max_length=80):
    """`base`, then base-2, base-3 ... each cut so that it fits in max_length."""
    yield base
    for counter in count(2):
        suffix = f"-{counter}"
        yield f"{base[: max_length - len(suffix)].rstrip('-')}{suffix}"


def _numbered_taken(model, base, max_length, exclude_pk=None):
    """The slugs of `model` a numbered candidate of `base` could clash with, in one query (its stem is
    the shortest cut any candidate makes, so every candidate starts with it)."""
    rows = model.objects.exclude(pk=exclude_pk) if exclude_pk else model.objects.all()
    stem = base[: max_length - 8].rstrip("-")
    return set(rows.filter(slug__startswith=stem).values_list("slug", flat=True))


def unique_slug(model, text, exclude_pk=None, max_length=80):
    """A slug for `text` not yet taken in `model` (adds -2, -3 ... on a clash)."""
    base = slug_base(text, max_length)
    taken = _numbered_taken(model, base, max_length, exclude_pk)
    return next(slug for slug in slug_candidates(base, max_length) if slug not in taken)


def unique_slugs(model, texts, max_length=80):
    """A slug for each of `texts` (for rows about to be inserted together), unique among the rows of
    `model` and among each other: one query for the usual case of no clash, one more per clashing base.
    A numbered candidate is checked against the database as well as the batch: another import may have
    taken item-2 while this batch holds item and item-3."""
    bases = [slug_base(text, max_length) for text in texts]
    taken = set(model.objects.filter(slug__in=set(bases)).values_list("slug", flat=True))
    looked_up = set()
    slugs = []
    for base in bases:
        if base in taken and base not in looked_up:
            taken |= _numbered_taken(model, base, max_length)
            looked_up.add(base)
        slug = next(slug for slug in slug_candidates(base, max_length) if slug not in taken)
        taken.add(slug)
        slugs.append(slug)
    return slugs


class RemembersLoadedValues:
    """A model mixin keeping the values of `remembered_fields` as they were read from the database, so a
    write function can tell a change of state (a withdrawal, a rejection) from a save that keeps it."""

    remembered_fields = ()

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded_values = {
            name: instance.__dict__[name] for name in cls.remembered_fields if name in instance.__dict__
        }
        return instance

    def loaded_value(self, name):
        """The value `name` had when read (None for a new row, or a field not read)."""
        return getattr(self, "_loaded_values", {}).get(name)


class TimestampedModel(models.Model):
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
