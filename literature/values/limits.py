"""What one record may hold: limits a curator, a script or an import file cannot exceed, each named in
its message with the setting that raises it (portal/settings.py, from the environment). Real records
stay far below them (PubMed's longest author lists are a few thousand names; titles a few hundred
characters); a 10 MB title or 10,000 authors is a broken export or an attack, and would make every
page that shows the record slow."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible


@deconstructible
class SettingMaxLength:
    """A text's length limit read from a setting when validating (so that changing it needs no migration)."""

    def __init__(self, setting):
        self.setting = setting

    def __call__(self, value):
        limit = getattr(settings, self.setting)
        if value and len(value) > limit:
            raise ValidationError(
                f"{len(value):,} characters: more than the limit of {limit:,} ({self.setting}).", code="too_long"
            )

    def __eq__(self, other):
        return isinstance(other, SettingMaxLength) and other.setting == self.setting


def check_author_count(count):
    limit = settings.MAX_AUTHORS
    if count > limit:
        raise ValidationError(f"{count:,} authors: more than the limit of {limit:,} (MAX_AUTHORS).", code="too_many")


def check_record_size(raw):
    """An import record's size as it stands in the file (UTF-8 bytes), checked before anything is made of it."""
    limit = settings.MAX_RECORD_BYTES
    size = len(raw.encode("utf-8", errors="replace")) if len(raw) * 4 > limit else len(raw)
    if size > limit:
        raise ValidationError(
            f"the record is {size / 2**20:,.1f} MB: more than the limit of {limit / 2**20:,.1f} MB (MAX_RECORD_BYTES).",
            code="too_large",
        )
