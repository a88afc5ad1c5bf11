"""What machines read: citation_* meta tags, JSON-LD, Atom feeds, the sitemap and robots.txt."""

import json
import re
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from literature.models import CurationState, Drug, Keyword
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def meta_tags(html):
    return re.findall(r'<meta name="(citation_[a-z_]+)" content="([^"]*)">', html)


def test_the_article_page_carries_highwire_citation_tags(client, seed_article):
    tags = meta_tags(client.get(seed_article.get_absolute_url()).content.decode())
    assert (
        "citation_title",
        "Immunomodulatory drugs in multiple myeloma: From molecular mechanisms of action to clinical practice",
    ) in tags
    assert [v for k, v in tags if k == "citation_author"] == [
        "Castelli, Roberto",
        "Cannavò, Antonino",
        "Conforti, Fabio",
        "Grava, Giovanni",
        "Cortelezzi, Agostino",
    ]
    for expected in [
        ("citation_publication_date", "2012/10"),
        ("citation_journal_title", "Immunopharmacology and Immunotoxicology"),
        ("citation_issn", "0892-3973"),
        ("citation_volume", "34"),
        ("citation_issue", "5"),
        ("citation_firstpage", "740"),
        ("citation_lastpage", "753"),
        ("citation_doi", "10.3109/08923973.2012.658921"),
    ]:
        assert expected in tags


def test_the_article_page_carries_schema_org_json_ld(client, seed_article):
    html = client.get(seed_article.get_absolute_url()).content.decode()
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert data["@type"] == "ScholarlyArticle"
    assert data["datePublished"] == "2012-10"
    assert [a["familyName"] for a in data["author"]][:2] == ["Castelli", "Cannavò"]
    assert data["sameAs"] == "https://doi.org/10.3109/08923973.2012.658921"
    assert data["isPartOf"]["issueNumber"] == "5"
    assert data["isPartOf"]["isPartOf"]["volumeNumber"] == "34"
    assert data["isPartOf"]["isPartOf"]["isPartOf"]["name"] == "Immunopharmacology and Immunotoxicology"
    assert {d["name"] for d in data["about"]} == {"Thalidomide", "Lenalidomide", "Pomalidomide"}
    assert (data["pageStart"], data["pageEnd"], data["numberOfPages"]) == ("740", "753", 14)


def test_json_ld_cannot_break_out_of_its_script_element(client):
    article = ArticleFactory(abstract="Ends the script </script><script>alert(1)</script>")
    html = client.get(article.get_absolute_url()).content.decode()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    assert "<" not in block
    assert json.loads(block)["abstract"].startswith("Ends the script")


def atom_titles(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return [entry.find(f"{ATOM}title").text for entry in ET.fromstring(response.content).iter(f"{ATOM}entry")]


def test_feeds_of_the_newest_articles_overall_per_drug_and_per_keyword(client, seed_article):
    other = ArticleFactory(title="A later study of something else")
    ArticleFactory(title="Not yet public", curation_state=CurationState.IN_REVIEW)
    overall = atom_titles(client.get(reverse("literature:article-feed")))
    assert overall == [other.title, str(seed_article)]
    thalidomide = Drug.objects.get(name="Thalidomide")
    assert atom_titles(client.get(reverse("literature:drug-feed", args=[thalidomide.slug]))) == [str(seed_article)]
    keyword = Keyword.objects.get(name="Pomalidomide")
    assert atom_titles(client.get(reverse("literature:keyword-feed", args=[keyword.slug]))) == [str(seed_article)]
    assert client.get(reverse("literature:drug-feed", args=["no-such-drug"])).status_code == 404


def test_the_sitemap_lists_public_pages_only(client, seed_article):
    hidden = ArticleFactory(curation_state=CurationState.DRAFT)
    index = ET.fromstring(client.get("/sitemap.xml").content)
    sections = [loc.text for loc in index.iter(f"{SITEMAP}loc")]
    assert any(url.endswith("/sitemap-articles.xml") for url in sections)
    articles = client.get("/sitemap-articles.xml")
    urls = [loc.text for loc in ET.fromstring(articles.content).iter(f"{SITEMAP}loc")]
    assert urls == [f"http://testserver{seed_article.get_absolute_url()}"]
    assert hidden.get_absolute_url() not in articles.content.decode()
    drugs = client.get("/sitemap-drugs.xml").content.decode()
    assert "/drugs/thalidomide/" in drugs


def test_robots_txt_points_to_the_sitemap_and_keeps_crawlers_out_of_the_admin(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    body = response.content.decode()
    assert "Disallow: /admin/" in body
    assert "Sitemap: http://testserver/sitemap.xml" in body
