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


# Ranges and seasons, as the source gives them ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "start", "as_given"),
    [
        ("2019 Sep-Oct", (2019, 9), "2019 Sep-Oct"),
        ("2019 Apr-Jun", (2019, 4), "2019 Apr-Jun"),
        ("2000 Dec-2001 Jan", (2000, 12), "2000 Dec-2001 Jan"),
        ("1999 Spring", (1999, None), "1999 Spring"),
        ("1998 Winter-Spring", (1998, None), "1998 Winter-Spring"),
        ("2011-2012", (2011, None), "2011-2012"),
        ("2012 Oct", (2012, 10), ""),  # a plain date is not a stretch of time
        ("2012/03/09", (2012, 3), ""),
    ],
)
def test_a_range_or_a_season_keeps_its_start_and_the_text_the_source_wrote(text, start, as_given):
    from literature.importers.record import parse_loose_date

    parts = parse_loose_date(text)
    assert ((parts.year, parts.month), parts.as_given) == (start, as_given)
    assert parts.day is None or not as_given  # never a made-up day


@pytest.mark.django_db
def test_a_medline_date_range_is_shown_on_the_article_page_and_in_the_api_as_given(client, tmp_path):
    from rest_framework.test import APIClient

    from literature.importers.run import import_file
    from literature.models import Article, CurationState

    path = tmp_path / "range.xml"
    path.write_text(
        "<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>5</PMID><Article><Journal><JournalIssue>"
        "<PubDate><MedlineDate>2019 Sep-Oct</MedlineDate></PubDate></JournalIssue></Journal>"
        "<ArticleTitle>Bimonthly.</ArticleTitle></Article></MedlineCitation></PubmedArticle>"
        "<PubmedArticle><MedlineCitation><PMID>6</PMID><Article><Journal><JournalIssue>"
        "<PubDate><Year>1999</Year><Season>Spring</Season></PubDate></JournalIssue></Journal>"
        "<ArticleTitle>Quarterly.</ArticleTitle></Article></MedlineCitation></PubmedArticle></PubmedArticleSet>",
        encoding="utf-8",
    )
    import_file(path, curation_state=CurationState.APPROVED)
    bimonthly, quarterly = Article.objects.get(pmid=5), Article.objects.get(pmid=6)
    assert (bimonthly.publication_year, bimonthly.publication_month) == (2019, 9)  # sorted and filtered by its start
    assert bimonthly.publication_status_line == "Published - 2019 Sep-Oct"
    assert quarterly.publication_status_line == "Published - 1999 Spring"
    assert "Published - 2019 Sep-Oct" in client.get(bimonthly.get_absolute_url()).content.decode()
    (state,) = APIClient().get(f"/api/v1/articles/{bimonthly.pk}/").json()["publication_history"]
    assert (state["as_given"], state["date"]) == ("2019 Sep-Oct", "2019-09")
