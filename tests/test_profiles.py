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
    assert tallest.height == chart.baseline
    assert chart.bars[0].height == pytest.approx(chart.baseline / 2)
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
