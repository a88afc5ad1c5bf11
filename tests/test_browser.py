"""What a reader sees, in a real browser: Playwright driving Debian's Chromium against a live server."""

import os
import re
from pathlib import Path

import pytest
from django.conf import settings

from literature.devdata.demo import load_demo
from literature.models import Keyword
from tests.factories import ArticleFactory

CHROMIUM = Path(os.environ.get("PORTAL_CHROMIUM", "/usr/bin/chromium"))
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"
# Chromium's background services try the network at start; this machine has none to offer.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"no Chromium at {CHROMIUM} (scripts/chromium.sh installs it)"),
]


@pytest.fixture
def page(transactional_db, live_server):
    # The database is requested first so that it is torn down after the (session-wide) live server.
    sync_api = pytest.importorskip("playwright.sync_api")
    # Playwright's synchronous API runs an event loop in this thread, and Django gives code under a
    # running loop a connection of its own: so tests ask for their data fixtures before `page`, and
    # touch the database only before the browser starts.
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        # A script or style the Content Security Policy refused: a feature silently broken.
        page.on(
            "console",
            lambda message: "Content Security Policy" in message.text and errors.append(f"{page.url}: {message.text}"),
        )
        yield page
        browser.close()
    assert errors == [], f"JavaScript errors or refused by the Content Security Policy: {errors}"


@pytest.fixture
def reading_list(transactional_db):
    article, _ = load_demo()
    other_keyword = Keyword.objects.create(name="Pharmacokinetics")
    for title in ("Lenalidomide dosing in renal impairment", "Lenalidomide and warfarin interactions"):
        ArticleFactory(title=title, abstract="Lenalidomide exposure was measured.").keywords.add(other_keyword)
    return article


def test_a_reader_searches_narrows_by_keyword_and_opens_the_seed_article(
    reading_list, page, live_server, record_artifact
):
    page.goto(live_server.url + "/")
    page.get_by_role("searchbox", name="Search articles").fill("lenalidomide")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url(re.compile(r"/articles/\?q=lenalidomide"))
    assert page.get_by_role("heading", name="3 results").is_visible()

    page.get_by_role("complementary", name="Refine results").get_by_role("link", name="Multiple myeloma").click()
    page.wait_for_url(re.compile(r"keyword=multiple-myeloma"))
    assert page.get_by_role("heading", name="1 result").is_visible()
    assert page.get_by_role("link", name=re.compile("Remove filter Keyword: Multiple myeloma")).is_visible()

    page.get_by_role("link", name=re.compile("^Immunomodulatory drugs in multiple myeloma")).click()
    page.wait_for_url(re.compile(r"/articles/\d+/immunomodulatory-drugs-in-multiple-myeloma/"))
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Immunomodulatory drugs in multiple myeloma: From molecular mechanisms of action to clinical practice"
    )
    authors = page.locator(".research-output .authors a").all_inner_texts()
    assert authors == [
        "Roberto Castelli",
        "Antonino Cannavò",
        "Fabio Conforti",
        "Giovanni Grava",
        "Agostino Cortelezzi",
    ]
    details = dict(
        zip(
            page.locator("table.metadata th").all_inner_texts(),
            page.locator("table.metadata td").all_inner_texts(),
            strict=True,
        )
    )
    assert details["Publication status"] == "Published - Oct 2012"
    assert details["Pages (from-to)"] == "740-753"
    assert details["Number of pages"] == "14"
    assert details["Original language"] == "English"

    fingerprint = page.get_by_role("region", name="Fingerprint")
    assert fingerprint.get_by_role("heading", name="Drugs").is_visible()
    assert fingerprint.locator("li").first.inner_text().startswith("Thalidomide")
    assert fingerprint.locator("meter").first.get_attribute("value") == "100"
    fingerprint.get_by_role("link", name="Lenalidomide").click()
    page.wait_for_url(re.compile(r"/articles/\?concept=\d+"))
    assert page.get_by_role("link", name=re.compile("Remove filter Fingerprint concept: Lenalidomide")).is_visible()
    page.go_back()

    ARTIFACTS.mkdir(exist_ok=True)
    screenshot = ARTIFACTS / "article-page.png"
    page.screenshot(path=str(screenshot), full_page=True)
    assert screenshot.stat().st_size > 10_000
    record_artifact("screenshot of the seed article page", screenshot)


def test_a_reader_finds_the_seed_by_pubmed_field_tags(reading_list, page, live_server):
    page.goto(live_server.url + "/")
    page.get_by_role("searchbox", name="Search articles").fill("castelli[au] 2012[dp]")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url(re.compile(r"/articles/\?q=castelli"))
    assert page.get_by_role("heading", name="1 result").is_visible()
    assert page.get_by_role("link", name=re.compile("^Immunomodulatory drugs in multiple myeloma")).is_visible()
    page.get_by_role("searchbox", name="Search articles").fill("castelli[au] 2011[dp]")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url(re.compile(r"2011"))
    assert page.get_by_role("heading", name="0 results").is_visible()


def test_a_reader_searching_a_brand_name_finds_the_drugs_articles_and_sees_the_synonyms(
    reading_list, page, live_server
):
    page.goto(live_server.url + "/articles/?q=Revlimid")
    assert page.get_by_role("link", name=re.compile("^Immunomodulatory drugs in multiple myeloma")).is_visible()
    assert "also searched: Lenalidomide" in page.locator(".also-searched").inner_text()
    page.get_by_role("link", name="Search “Revlimid” only").click()
    page.wait_for_url(re.compile(r"q=%22Revlimid%22"))
    assert page.get_by_role("heading", name="0 results").is_visible()


def test_a_doi_in_the_box_lands_on_its_article(reading_list, page, live_server):
    page.goto(live_server.url + "/")
    page.get_by_role("searchbox", name="Search articles").fill("https://doi.org/10.3109/08923973.2012.658921")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url(re.compile(r"/articles/\d+/immunomodulatory-drugs-in-multiple-myeloma/"))
    assert page.get_by_role("heading", level=1).inner_text().startswith("Immunomodulatory drugs in multiple myeloma")


def test_a_misspelt_drug_name_offers_the_name_and_following_it_finds_the_seed(reading_list, page, live_server):
    page.goto(live_server.url + "/articles/?q=lenalidomid")
    offer = page.locator(".did-you-mean")
    assert offer.inner_text() == "Did you mean: lenalidomide?"
    offer.get_by_role("link", name="lenalidomide").click()
    page.wait_for_url(re.compile(r"q=lenalidomide$"))
    assert page.get_by_role("link", name=re.compile("^Immunomodulatory drugs in multiple myeloma")).is_visible()


def test_a_result_shows_its_matching_passage_marked_and_the_article_marks_it_too(reading_list, page, live_server):
    page.goto(live_server.url + "/articles/?q=pomalidomide")
    row = page.locator(".article-row").first
    marked = row.locator(".snippet mark")
    assert marked.count() >= 1 and {text.lower() for text in marked.all_inner_texts()} == {"pomalidomide"}
    row.get_by_role("link", name=re.compile("^Immunomodulatory drugs")).click()
    page.wait_for_url(re.compile(r"\?hl=pomalidomide"))
    assert page.locator(".abstract mark").first.inner_text().lower() == "pomalidomide"


def test_the_year_histogram_narrows_the_results(reading_list, page, live_server, record_artifact):
    page.goto(live_server.url + "/articles/?q=lenalidomide")
    assert page.get_by_role("heading", name="3 results").is_visible()
    histogram = page.locator(".year-histogram svg")
    assert histogram.is_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    screenshot = ARTIFACTS / "search-page.png"
    page.screenshot(path=str(screenshot), full_page=True)
    record_artifact("screenshot of a search with snippets and the year histogram", screenshot)
    histogram.locator("a.bar-link[aria-label^='2012:']").click()
    page.wait_for_url(re.compile(r"year_from=2012&year_to=2012"))
    assert page.get_by_role("heading", name="1 result").is_visible()
    assert page.locator(".year-histogram a.bar-link.selected").get_attribute("aria-label").startswith("2012: 1")


def test_a_search_feed_is_atom_with_the_pages_first_results(reading_list, page, live_server):
    from xml.etree import ElementTree

    page.goto(live_server.url + "/articles/?q=lenalidomide&sort=newest")
    shown = page.locator(".article-row h3").all_inner_texts()
    feed_url = page.locator("link[rel=alternate][title='This search as a feed']").get_attribute("href")
    response = page.request.get(live_server.url + feed_url)
    assert response.headers["content-type"].startswith("application/atom+xml")
    atom = ElementTree.fromstring(response.body())
    namespace = {"atom": "http://www.w3.org/2005/Atom"}
    entries = [entry.findtext("atom:title", namespaces=namespace) for entry in atom.findall("atom:entry", namespace)]
    assert entries[: len(shown)] == shown


def test_the_drug_list_finds_lenalidomide_by_part_of_its_name(reading_list, page, live_server):
    page.goto(live_server.url + "/drugs/")
    page.get_by_role("searchbox", name="Find a drug").fill("lenal")
    page.get_by_role("button", name="Find").click()
    page.wait_for_url(re.compile(r"/drugs/\?q=lenal"))
    first = page.locator("table.drug-list tbody tr").first
    assert first.get_by_role("link").inner_text() == "Lenalidomide"


@pytest.fixture
def public_paths(reading_list):
    """A URL of every kind of public page, worked out before the browser starts."""
    article = reading_list
    drug = article.drug_links.filter(status="confirmed").first().drug
    return [
        "/",
        "/articles/",
        "/articles/?q=lenalidomide",
        article.get_absolute_url(),
        article.get_absolute_url() + "?hl=lenalidomide",
        "/drugs/",
        drug.get_absolute_url(),
        article.keywords.first().get_absolute_url(),
        article.journal.get_absolute_url(),
        article.authorships.first().person.get_absolute_url(),
        "/subjects/",
        "/subjects/3005/",
    ]


def test_no_public_page_scrolls_sideways_at_360_pixels(public_paths, page, live_server, record_artifact):
    page.set_viewport_size({"width": 360, "height": 780})
    overflowing = {}
    for path in public_paths:
        page.goto(live_server.url + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 360:
            overflowing[path] = width
    assert overflowing == {}, f"pages wider than a 360 px phone: {overflowing}"
    ARTIFACTS.mkdir(exist_ok=True)
    page.goto(live_server.url + public_paths[3])
    screenshot = ARTIFACTS / "article-page-360.png"
    page.screenshot(path=str(screenshot), full_page=True)
    record_artifact("screenshot of the seed article page at 360 px", screenshot)


def test_the_search_page_works_on_a_phone(reading_list, page, live_server, record_artifact):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + "/articles/?q=lenalidomide")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "the page scrolls sideways on a phone"
    ARTIFACTS.mkdir(exist_ok=True)
    screenshot = ARTIFACTS / "search-page-phone.png"
    page.screenshot(path=str(screenshot), full_page=True)
    record_artifact("screenshot of the search page on a phone", screenshot)


def test_cite_this_shows_each_format_and_copies_it(reading_list, page, live_server):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page.goto(live_server.url + reading_list.get_absolute_url())
    section = page.get_by_role("region", name="Cite this")
    section.get_by_text("Vancouver", exact=True).click()
    vancouver = page.locator("#cite-vancouver-text")
    assert vancouver.is_visible()
    assert "2012 Oct;34(5):740-753" in vancouver.inner_text()
    page.locator("#cite-vancouver button.copy").click()
    page.wait_for_function("document.querySelector('#cite-vancouver button.copy').textContent === 'Copied'")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("Castelli R, Cannavò A, Conforti F, Grava G, Cortelezzi A.")
    section.get_by_text("BibTeX", exact=True).click()
    with page.expect_download() as download:
        page.locator("#cite-bibtex").get_by_text("Download BibTeX").click()
    assert download.value.suggested_filename.endswith(".bib")


@pytest.fixture
def every_kind_of_page(reading_list):
    drug = reading_list.drug_links.first().drug
    return {
        "reader": ["/", "/articles/?q=lenalidomide", reading_list.get_absolute_url(), drug.get_absolute_url()],
        "curator": ["/admin/literature/article/", f"/admin/literature/article/{reading_list.pk}/change/"],
    }


def test_no_page_of_the_site_the_admin_or_the_api_docs_needs_what_the_policy_refuses(
    every_kind_of_page, admin_user, page, live_server
):
    # Every kind of page a reader or a curator opens; the page fixture fails on any refusal.
    for path in [*every_kind_of_page["reader"], "/api/docs/"]:
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        assert "script-src 'self'" in response.headers["content-security-policy"]
    page.goto(live_server.url + "/api/docs/")
    page.wait_for_selector(".swagger-ui .info", timeout=15_000)  # the UI was built by its (external) script

    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", "password")
    page.click("input[type=submit]")
    page.wait_for_url(live_server.url + "/admin/")
    for path in every_kind_of_page["curator"]:
        assert page.goto(live_server.url + path).status == 200, path
    page.click("a.historylink")  # a page that runs the admin's own scripts
    assert page.locator("#change-history").count() == 1
