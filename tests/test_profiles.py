"""Drug and keyword pages: publications per year as SVG, what co-occurs, in a bounded number of queries."""

import pytest

from literature.curation.articles import set_authors
from literature.models import ArticleDrug, Drug, Keyword
from literature.web.charts import publications_per_year
from tests.factories import ArticleFactory, DrugFactory

pytestmark = pytest.mark.django_db


def test_the_year_chart_spans_first_to_last_year_with_gaps_for_empty_years():
    chart = publications_per_year({2010: 2, 2013: 4})
    assert [(bar.label, bar.value) for bar in chart.bars] == [("2010", 2), ("2011", 0), ("2012", 0), ("2013", 4)]
    tallest = chart.bars[-1]
    assert tallest.height == chart.plot_height  # the axis ends on a level line at the tallest (4)
    assert chart.bars[0].height == pytest.approx(chart.plot_height / 2)
    assert [label for label, _ in chart.levels] == ["0", "1", "2", "3", "4"]
    assert publications_per_year({}) is None


def test_a_drug_page_shows_its_years_and_what_co_occurs(client, seed_article):
    thalidomide = Drug.objects.get(name="Thalidomide")
    bortezomib = DrugFactory(name="Bortezomib", slug="bortezomib")
    later = ArticleFactory(published=(2015, 1))
    for drug in (thalidomide, bortezomib):
        ArticleDrug.objects.create(article=later, drug=drug, status="confirmed")
    html = client.get(thalidomide.get_absolute_url()).content.decode()
    assert "<svg" in html
    assert "<title>2012: 1</title>" in html
    assert "<title>2015: 1</title>" in html
    assert "2 publications from 2012 to 2015" in html
    co_drugs = html[html.index('id="co-drugs"') :]
    assert co_drugs.index("Bortezomib") > 0
    assert "Lenalidomide" in co_drugs
    assert "Multiple myeloma" in html[html.index('id="co-keywords"') :]


@pytest.mark.parametrize("page", ["drug", "keyword", "journal", "person", "subject"])
def test_detail_pages_need_no_more_queries_for_more_articles(client, seed_article, page, django_assert_max_num_queries):
    keyword = Keyword.objects.get(name="Thalidomide")
    drug = Drug.objects.get(name="Thalidomide")
    person = seed_article.authors[0]
    for _ in range(30):
        article = ArticleFactory(journal=seed_article.journal, authors=4)
        article.keywords.add(keyword)
        article.subject_areas.add(*seed_article.subject_areas.all())
        ArticleDrug.objects.create(article=article, drug=drug, status="confirmed")
        set_authors(article, [person, *article.authors])
    url = {
        "drug": drug.get_absolute_url(),
        "keyword": keyword.get_absolute_url(),
        "journal": seed_article.journal.get_absolute_url(),
        "person": person.get_absolute_url(),
        "subject": "/subjects/3005/",
    }[page]
    # The object (and a drug's names), the count and page of articles, their authors; for drugs and
    # keywords the cached profile (corpus version, years, co-occurring keywords and their names,
    # co-occurring drugs, the page's own Fingerprint concept, the summed Fingerprint and its concepts);
    # for people their co-authors.
    with django_assert_max_num_queries(14):
        response = client.get(url)
    assert response.status_code == 200
    assert len(response.context["articles"]) == 25


def test_a_person_page_shows_outputs_per_year_co_authors_orcid_and_what_they_write_on(client, seed_article):
    person = seed_article.authors[0]
    person.orcid = "0000-0002-1825-0097"
    person.save()
    later = ArticleFactory(published=(2016, 5), authors=2)
    later.keywords.add(Keyword.objects.get(name="Thalidomide"))
    set_authors(later, [person, *later.authors])
    html = client.get(person.get_absolute_url()).content.decode()
    assert "2 publications from 2012 to 2016" in html
    assert '<a href="https://orcid.org/0000-0002-1825-0097">' in html
    coauthors = html[html.index('id="coauthors"') :]
    assert later.authors[1].display_name in coauthors and seed_article.authors[1].display_name in coauthors
    assert "Thalidomide" in html[html.index('id="co-keywords"') :]


def test_a_journal_page_shows_outputs_per_year_issns_and_its_top_keywords_and_drugs(client, seed_article):
    journal = seed_article.journal
    html = client.get(journal.get_absolute_url()).content.decode()
    assert "1 publications from 2012 to 2012" in html
    assert journal.issn_print in html or journal.issn_electronic in html
    assert "Multiple myeloma" in html[html.index('id="co-keywords"') :]
    assert "Lenalidomide" in html[html.index('id="co-drugs"') :]


@pytest.mark.parametrize("scale", [1, 37, 2_600])
def test_every_label_of_a_chart_lies_inside_its_box(scale):
    chart = publications_per_year({1990 + n: n * scale for n in range(40)})
    # Year labels are centred on their x (about 14 px each side at 11 px type), y labels end at left - 4.
    assert all(14 <= x <= chart.width - 14 for _, x in chart.ticks)
    assert chart.left >= 4 + 7 * len(chart.levels[-1][0])  # the widest y label fits left of the axis
    assert all(chart.top <= y <= chart.baseline for _, y in chart.levels)
    assert chart.levels[-1][1] == chart.top and chart.levels[0] == ("0", chart.baseline)
    assert int(chart.levels[-1][0].replace(",", "")) >= chart.maximum
