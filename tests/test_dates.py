"""Partial dates keep the precision a source gives and display as research portals do."""

import pytest
from django.core.exceptions import ValidationError

from literature.values.dates import DatePrecision, PartialDate, validate_date_parts


@pytest.mark.parametrize(
    ("date", "shown", "iso", "precision"),
    [
        (PartialDate(2012), "2012", "2012", DatePrecision.YEAR),
        (PartialDate(2012, 10), "Oct 2012", "2012-10", DatePrecision.MONTH),
        (PartialDate(2012, 3, 9), "9 Mar 2012", "2012-03-09", DatePrecision.DAY),
    ],
)
def test_a_partial_date_shows_only_what_is_known(date, shown, iso, precision):
    assert str(date) == shown
    assert date.isoformat() == iso
    assert date.precision == precision


def test_partial_dates_sort_by_their_earliest_day():
    assert PartialDate(2012, 3, 9) < PartialDate(2012, 10)
    assert PartialDate(2012, 10).earliest().isoformat() == "2012-10-01"


@pytest.mark.parametrize(
    ("parts", "field", "message"),
    [
        ((None, 10, None), "month", "A month needs a year"),
        ((2012, None, 9), "day", "A day needs a month"),
        ((2012, 13, None), "month", "13 is not a month"),
        ((2011, 2, 29), "day", "Feb 2011 has no day 29"),
        ((12, None, None), "year", "not a plausible publication year"),
    ],
)
def test_impossible_dates_are_refused_naming_the_field(parts, field, message):
    with pytest.raises(ValidationError) as error:
        validate_date_parts(*parts)
    assert message in error.value.message_dict[field][0]


def test_a_leap_day_is_a_real_date():
    validate_date_parts(2012, 2, 29)
