"""Dates known to a precision of a year, a month or a day, as bibliographic records give them.

A record that says "Oct 2012" must never turn into 1 Oct 2012, so the parts are kept apart and the
precision follows from which parts are known.
"""

import calendar
import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models

MONTH_ABBREVIATIONS = [""] + [calendar.month_abbr[i] for i in range(1, 13)]


class DatePrecision(models.TextChoices):
    YEAR = "year", "Year"
    MONTH = "month", "Month"
    DAY = "day", "Day"


@dataclass(frozen=True, order=True)
class PartialDate:
    year: int
    month: int | None = None
    day: int | None = None

    @property
    def precision(self):
        if self.day is not None:
            return DatePrecision.DAY
        if self.month is not None:
            return DatePrecision.MONTH
        return DatePrecision.YEAR

    def __str__(self):
        """Research-portal style: '2012', 'Oct 2012', '9 Mar 2012'."""
        if self.month is None:
            return str(self.year)
        if self.day is None:
            return f"{MONTH_ABBREVIATIONS[self.month]} {self.year}"
        return f"{self.day} {MONTH_ABBREVIATIONS[self.month]} {self.year}"

    def isoformat(self):
        """'2012', '2012-10' or '2012-03-09' (ISO 8601 reduced precision)."""
        parts = [f"{self.year:04d}"]
        if self.month is not None:
            parts.append(f"{self.month:02d}")
            if self.day is not None:
                parts.append(f"{self.day:02d}")
        return "-".join(parts)

    def earliest(self):
        """The first day the partial date can mean, for sorting and range filters."""
        return datetime.date(self.year, self.month or 1, self.day or 1)


def validate_date_parts(year, month, day, field_prefix=""):
    """Raise a ValidationError keyed by field name when the parts do not make a real date."""
    errors = {}
    name = f"{field_prefix}year" if field_prefix else "year"
    month_name = f"{field_prefix}month" if field_prefix else "month"
    day_name = f"{field_prefix}day" if field_prefix else "day"
    if month is not None and year is None:
        errors[month_name] = "A month needs a year: give the year too, or leave the month empty."
    if day is not None and month is None:
        errors[day_name] = "A day needs a month: give the month too, or leave the day empty."
    if month is not None and not 1 <= month <= 12:
        errors[month_name] = f"{month} is not a month: use 1 to 12."
    if year is not None and not 1000 <= year <= 9999:
        errors[name] = f"{year} is not a plausible publication year: use four digits."
    if not errors and day is not None:
        last_day = calendar.monthrange(year, month)[1]
        if not 1 <= day <= last_day:
            errors[day_name] = f"{MONTH_ABBREVIATIONS[month]} {year} has no day {day}: use 1 to {last_day}."
    if errors:
        raise ValidationError(errors)
