"""The curators' pages in a real browser (Playwright, Debian's Chromium) at 1280x900 and 1024x768: no
page scrolls sideways, the review buttons are on screen, the keyboard reviews the queue."""

import pytest

from literature.devdata.demo import load_demo
from literature.models import CurationState, ImportJob, ImportStatus, LinkSource, LinkStatus
from tests.factories import ArticleDrugFactory, ArticleFactory
from tests.test_browser import CHROMIUM, CHROMIUM_ARGS

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"no Chromium at {CHROMIUM} (scripts/chromium.sh installs it)"),
]

SCREENS = [(1280, 900), (1024, 768)]
LONG_JOURNAL = "Journal of the International Society for the Study of Immunopharmacology and Clinical Immunotoxicology"


@pytest.fixture
def workbench(transactional_db, django_user_model):
    article, _ = load_demo()
    # A superuser: a transactional test flushes the Curators group its migration made.
    user = django_user_model.objects.create_superuser("curator", password="a-long-test-password")
    waiting = [
        ArticleFactory(
            title=f"Lenalidomide and dexamethasone in relapsed and refractory multiple myeloma: cohort {n} "
            "of a very long multicentre observational study with an equally long subtitle",
            journal__title=LONG_JOURNAL,
            curation_state=CurationState.IN_REVIEW,
        )
        for n in range(8)
    ]
    for _ in range(3):
        ArticleDrugFactory(
            status=LinkStatus.SUGGESTED,
            source=LinkSource.TEXT_MINING,
            evidence="…patients with Crohn&#x27;s disease were given <mark>thalidomide</mark> at doses up to 300 mg "
            "daily for twelve weeks in an open-label, single-centre study of refractory disease…",
        )
    job = ImportJob.objects.create(
        original_name="pubmed-export.xml", size=1000, status=ImportStatus.IMPORTED, uploaded_by=user
    )
    return {"article": article, "job": job, "in_review": waiting[0].get_absolute_url()}


@pytest.fixture(params=SCREENS, ids=lambda size: f"{size[0]}x{size[1]}")
def curator_page(request, workbench, live_server):
    sync_api = pytest.importorskip("playwright.sync_api")
    width, height = request.param
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_context(viewport={"width": width, "height": height}).new_page()
        page.goto(live_server.url + "/admin/login/")
        page.fill("#id_username", "curator")
        page.fill("#id_password", "a-long-test-password")
        page.click("input[type=submit]")
        page.wait_for_url(live_server.url + "/admin/")
        yield page, workbench, width
        browser.close()


def overflow(page):
    """How far the page is wider than the window, in CSS pixels (0: no sideways scrolling)."""
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


def test_no_curator_page_scrolls_sideways(curator_page, live_server):
    page, workbench, width = curator_page
    pages = {
        "dashboard": "/admin/",
        "article list": "/admin/literature/article/",
        "review queue": "/admin/literature/drugsuggestion/",
        "article change form": f"/admin/literature/article/{workbench['article'].pk}/change/",
        "import upload": "/admin/literature/importjob/add/",
        "import report": f"/admin/literature/importjob/{workbench['job'].pk}/change/",
        "import list": "/admin/literature/importjob/",
        "likely duplicates": "/admin/literature/duplicatecandidate/",
    }
    too_wide = {}
    for name, path in pages.items():
        assert page.goto(live_server.url + path).status == 200, path
        if overflow(page) > 0:
            too_wide[name] = overflow(page)
    assert too_wide == {}, f"pages wider than {width} px by (px): {too_wide}"


def test_confirm_and_reject_are_on_screen_and_the_title_column_is_readable(curator_page, live_server):
    page, _, width = curator_page
    page.goto(live_server.url + "/admin/literature/drugsuggestion/")
    for name in ("Confirm", "Reject"):
        box = page.get_by_role("button", name=name).first.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width, (name, box)
    assert page.get_by_role("heading", name="Drug suggestions to review").is_visible()
    assert "Crohn's disease" in page.locator("#result_list").inner_text()

    page.goto(live_server.url + "/admin/literature/article/")
    title_cell = page.locator("#result_list tbody .field-short_title").first.bounding_box()
    assert title_cell["width"] >= 150
    for header in ("Curation state", "Modified"):
        box = page.locator("#result_list thead th", has_text=header).first.bounding_box()
        assert box["x"] + box["width"] <= width, header


def test_the_review_queue_works_from_the_keyboard(curator_page, live_server):
    page, _, _ = curator_page
    page.goto(live_server.url + "/admin/literature/drugsuggestion/")
    rows = page.locator("#result_list tbody tr")
    waiting = rows.count()
    page.keyboard.press("j")
    # Each decision posts the queue's form and loads the queue again: wait for that page, not the old one.
    with page.expect_navigation():
        page.keyboard.press("c")
    assert "confirmed for article" in page.locator(".messagelist").inner_text()
    assert rows.count() == waiting - 1

    page.keyboard.press("r")  # no reason typed: the reason field asks for one, nothing is rejected
    assert page.evaluate("document.activeElement.name") == "reason"
    page.keyboard.type("Mentioned only in the discussion.")
    page.keyboard.press("Escape")
    with page.expect_navigation():
        page.keyboard.press("r")
    assert "rejected for article" in page.locator(".messagelist").inner_text()
    assert rows.count() == waiting - 2


def test_a_curator_previews_an_article_in_review_that_an_anonymous_reader_cannot_open(curator_page, live_server):
    page, workbench, _ = curator_page
    response = page.goto(live_server.url + workbench["in_review"])
    assert response.status == 200
    assert page.get_by_role("status").filter(has_text="Preview: not public.").is_visible()
    assert overflow(page) == 0
    anonymous = page.context.browser.new_context().new_page()
    assert anonymous.goto(live_server.url + workbench["in_review"]).status == 404
