"""What every model shares: timestamps and unique slugs."""

from itertools import count

from django.db import models
from django.utils.text import slugify


def unique_slug(model, text, exclude_pk=None, max_length=80):
    """A slug for `text` not yet taken in `model` (adds -2, -3 ... on a clash)."""
    base = slugify(text)[:max_length].strip("-") or "item"
    slug, counter = base, 1
    taken = model.objects.exclude(pk=exclude_pk) if exclude_pk else model.objects.all()
    while taken.filter(slug=slug).exists():
        counter += 1
        slug = f"{base[: max_length - len(str(counter)) - 1]}-{counter}"
    return slug


def unique_slugs(model, texts, max_length=80):
    """A slug for each of `texts` (for rows about to be inserted together), unique among the rows of
    `model` and among each other, in one query for the usual case of no clash."""
    bases = [slugify(text)[:max_length].strip("-") or "item" for text in texts]
    taken = set(model.objects.filter(slug__in=set(bases)).values_list("slug", flat=True))
    slugs = []
    for text, base in zip(texts, bases, strict=True):
        slug = base if base not in taken else unique_slug(model, text, max_length=max_length)
        if slug in taken:  # another text of this batch took it
            stem = base[: max_length - 8]
            slug = next(f"{stem}-{n}" for n in count(2) if f"{stem}-{n}" not in taken)
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
