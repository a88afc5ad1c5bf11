"""Cite this: the seven research-portal formats on the seed article, character for character, the
edge cases of each convention, BibTeX and RIS that parse back to the same fields, and the downloads.

The expected strings are written from the conventions (APA 7th edition; NLM's Citing Medicine for
Vancouver; the Harvard, Author and Standard layouts of research portals), not copied from our output.
"""

import bibtexparser
import pytest
import rispy
from django.urls import reverse

from literature.citations import bibtex, csl, portal, ris
from literature.curation.articles import set_authors
from literature.models import Article, OutputType, Person
from tests.factories import ArticleFactory, JournalFactory, PersonFactory

pytestmark = pytest.mark.django_db

TITLE = "Immunomodulatory drugs in multiple myeloma: From molecular mechanisms of action to clinical practice"
JOURNAL = "Immunopharmacology and Immunotoxicology"


@pytest.fixture
def seed(seed_article):
    return Article.objects.for_detail().get(pk=seed_article.pk)


def test_apa_follows_the_7th_edition(seed):
    # Initials with full stops, "&" before the last author, (year), sentence-case title as given,
    # journal and volume in italics, issue in parentheses, en dash in the page range, DOI as URL.
    assert csl.render(seed, "apa", html=False) == (
        "Castelli, R., Cannavò, A., Conforti, F., Grava, G., & Cortelezzi, A. (2012). "
        f"{TITLE}. {JOURNAL}, 34(5), 740–753. https://doi.org/10.3109/08923973.2012.658921"
    )
    assert csl.render(seed, "apa", html=True) == (
        "Castelli, R., Cannavò, A., Conforti, F., Grava, G., &amp; Cortelezzi, A. (2012). "
        f"{TITLE}. <i>{JOURNAL}</i>, <i>34</i>(5), 740–753. https://doi.org/10.3109/08923973.2012.658921"
    )


def test_vancouver_follows_citing_medicine(seed):
    # Family name and initials without stops, title, journal, "2012 Oct;34(5):740-753", DOI.
    assert portal.vancouver(seed).text == (
        f"Castelli R, Cannavò A, Conforti F, Grava G, Cortelezzi A. {TITLE}. {JOURNAL}. "
        "2012 Oct;34(5):740-753. doi: 10.3109/08923973.2012.658921"
    )


def test_harvard_follows_the_research_portal_layout(seed):
    expected_start = "Castelli, R, Cannavò, A, Conforti, F, Grava, G & Cortelezzi, A 2012, "
    assert portal.harvard(seed).text == (
        f"{expected_start}'{TITLE}', {JOURNAL}, vol. 34, no. 5, pp. 740-753. "
        "https://doi.org/10.3109/08923973.2012.658921"
    )
    assert f", <i>{JOURNAL}</i>, vol. 34" in portal.harvard(seed).html


def test_standard_and_author_follow_the_research_portal_layouts(seed):
    names = "Castelli, Roberto; Cannavò, Antonino; Conforti, Fabio; Grava, Giovanni; Cortelezzi, Agostino"
    assert portal.standard(seed).text == f"{TITLE} / {names}. In: {JOURNAL}, Vol. 34, No. 5, 10.2012, p. 740-753."
    assert portal.author(seed).text == (
        f"{names.replace('; ', ' ; ')}. / {TITLE}. In: {JOURNAL}. 2012 ; Vol. 34, No. 5. pp. 740-753."
    )


def authors_article(count, **kwargs):
    article = ArticleFactory(authors=0, **kwargs)
    set_authors(article, [PersonFactory(family_name=f"Author{i}", given_names="Anna Maria") for i in range(count)])
    return Article.objects.for_detail().get(pk=article.pk)


def test_more_than_six_authors_become_et_al_in_vancouver_and_apa_lists_up_to_twenty():
    article = authors_article(30, title="Big trial")
    vancouver = portal.vancouver(article).text
    assert vancouver.startswith(
        "Author0 AM, Author1 AM, Author2 AM, Author3 AM, Author4 AM, Author5 AM, et al. Big trial."
    )
    apa = csl.render(article, "apa", html=False)
    # APA 7: up to 20 authors; with 21 or more, the first 19, an ellipsis, then the last.
    assert apa.startswith("Author0, A. M., Author1, A. M.,")
    assert "Author18, A. M., . . . Author29, A. M. (2020)." in apa
    # The research-portal Harvard lists up to ten authors, then the first "et al.".
    assert portal.harvard(article).text.startswith("Author0, AM et al. 2020, 'Big trial'")
    ten = authors_article(10, title="Ten")
    assert portal.harvard(ten).text.startswith("Author0, AM, Author1, AM, Author2, AM,")
    assert "Author8, AM & Author9, AM 2020" in portal.harvard(ten).text


def test_one_author_and_no_doi():
    article = authors_article(1, title="Solo work", doi="")
    assert portal.harvard(article).text.startswith("Author0, AM 2020, 'Solo work'")
    assert "doi" not in portal.vancouver(article).text
    assert not portal.harvard(article).text.endswith("https://doi.org/")


def test_an_article_number_stands_in_for_pages():
    article = ArticleFactory(first_page=None, article_number="e0131544", volume="10", issue="7", authors=1)
    article = Article.objects.for_detail().get(pk=article.pk)
    assert portal.vancouver(article).text.endswith("2020 May;10(7):e0131544.")
    assert ", e0131544." in portal.harvard(article).text


def test_group_authors_are_written_as_names_not_inverted():
    article = ArticleFactory(authors=0, title="Consensus statement")
    group = Person.objects.create(collective_name="International Myeloma Working Group")
    set_authors(article, [group])
    article = Article.objects.for_detail().get(pk=article.pk)
    assert portal.vancouver(article).text.startswith("International Myeloma Working Group. Consensus statement.")
    assert csl.render(article, "apa", html=False).startswith("International Myeloma Working Group. (2020).")
    assert "author = {{International Myeloma Working Group}}" in bibtex.render([article])


def test_year_only_and_day_precision_dates():
    year_only = ArticleFactory(published=(2012, None), authors=1)
    year_only = Article.objects.for_detail().get(pk=year_only.pk)
    journal = year_only.journal.title
    assert portal.vancouver(year_only).text.endswith(f"{journal}. 2012.")
    assert portal.standard(year_only).text.endswith(f"In: {journal}, 2012.")
    day = ArticleFactory(authors=1, volume="3")
    PublicationStateFactory = day.publication_states.model
    PublicationStateFactory.objects.filter(article=day).update(day=9)
    day.refresh_publication_status()
    day = Article.objects.for_detail().get(pk=day.pk)
    assert portal.vancouver(day).text.endswith(f"{day.journal.title}. 2020 May 9;3.")
    assert "month" not in bibtex.render([year_only])


def test_bibtex_escapes_latex_and_protects_capitals(seed):
    article = ArticleFactory(title="IMIDs and CD4 T cells in NF-kappaB signalling: 50% of cases & more", authors=0)
    set_authors(article, [PersonFactory(family_name="Cannavò", given_names="Antonino")])
    article = Article.objects.for_detail().get(pk=article.pk)
    text = bibtex.render([article])
    assert "{IMIDs} and {CD4} T cells in {NF-kappaB} signalling: 50{\\%} of cases {\\&} more" in text
    assert "Cannav{\\`o}, Antonino" in text
    assert "pages = {740--753}" in bibtex.render([seed])
    assert "month = oct," in bibtex.render([seed])


def test_bibtex_parses_back_to_the_same_fields(seed):
    library = bibtexparser.parse_string(bibtex.render([seed]))
    assert not library.failed_blocks
    (entry,) = library.entries
    fields = {field.key: field.value for field in entry.fields}
    assert entry.entry_type == "article"
    assert entry.key == csl.citation_key(seed)
    assert fields["journal"] == JOURNAL
    assert (fields["year"], fields["volume"], fields["number"], fields["pages"]) == ("2012", "34", "5", "740--753")
    assert fields["doi"] == "10.3109/08923973.2012.658921"
    assert fields["author"].split(" and ")[1] == "Cannav{\\`o}, Antonino"


def test_ris_parses_back_to_the_same_fields(seed):
    (record,) = rispy.loads(ris.render([seed]))
    assert record["type_of_reference"] == "JOUR"
    assert record["primary_title"] == "Immunomodulatory drugs in multiple myeloma"
    assert record["secondary_title"] == "From molecular mechanisms of action to clinical practice"
    assert record["authors"][:2] == ["Castelli, Roberto", "Cannavò, Antonino"]
    assert (record["year"], record["volume"], record["number"]) == ("2012/10", "34", "5")
    assert (record["start_page"], record["end_page"]) == ("740", "753")
    assert record["doi"] == "10.3109/08923973.2012.658921"
    assert len(record["keywords"]) == 6


def test_citation_keys_are_stable_and_unique():
    first = ArticleFactory(authors=0)
    second = ArticleFactory(authors=0)
    person = PersonFactory(family_name="Müller-Lüdenscheidt")
    set_authors(first, [person])
    set_authors(second, [person])
    keys = {csl.citation_key(Article.objects.get(pk=a.pk)) for a in (first, second)}
    assert keys == {f"mllerldenscheidt2020-{first.pk}", f"mllerldenscheidt2020-{second.pk}"}


# Downloads and the article page -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content_type", "extension", "expected"),
    [
        ("bibtex", "application/x-bibtex", "bib", "@article{castelli2012-"),
        ("ris", "application/x-research-info-systems", "ris", "TY  - JOUR"),
        ("csl-json", "application/vnd.citationstyles.csl+json", "json", '"container-title": "Immunopharmacology'),
        ("apa", "text/plain", "txt", "Castelli, R., Cannavò, A."),
        ("vancouver", "text/plain", "txt", "Castelli R, Cannavò A"),
    ],
)
def test_each_format_downloads_with_its_content_type_and_file_name(
    client, seed, name, content_type, extension, expected
):
    response = client.get(reverse("literature:article-cite", args=[seed.pk, name]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith(content_type)
    assert response["Content-Disposition"] == f'attachment; filename="{csl.citation_key(seed)}.{extension}"'
    assert expected in response.content.decode()


def test_any_csl_style_by_name(client, seed):
    response = client.get(reverse("literature:article-cite", args=[seed.pk, "csl"]), {"style": "nature"})
    assert response.content.decode().startswith("Castelli, R., Cannavò, A., Conforti, F., Grava, G. & Cortelezzi, A.")


@pytest.mark.parametrize(
    ("name", "params", "message"),
    [
        ("csl", {"style": "no-such-style"}, "No CSL style named 'no-such-style'"),
        ("csl", {"style": "../../etc/passwd"}, "No CSL style named"),
        ("word", {}, "No citation format 'word'. Formats: apa, author, bibtex"),
    ],
)
def test_unknown_styles_and_formats_are_a_clear_404(client, seed, name, params, message):
    response = client.get(reverse("literature:article-cite", args=[seed.pk, name]), params)
    assert response.status_code == 404
    assert message in response.content.decode()


def test_citations_of_unpublished_articles_are_not_public(client):
    draft = ArticleFactory(curation_state="draft")
    assert client.get(reverse("literature:article-cite", args=[draft.pk, "apa"])).status_code == 404


def test_the_article_page_offers_all_seven_formats(client, seed):
    page = client.get(seed.get_absolute_url()).content.decode()
    summaries = ["APA", "Author", "BibTeX", "Harvard", "Standard", "RIS", "Vancouver"]
    positions = [page.index(f"<summary>{label}</summary>") for label in summaries]
    assert positions == sorted(positions)
    assert "2012 Oct;34(5):740-753" in page
    assert "download>Download BibTeX</a>" in page


def test_a_rendered_citation_is_cached_until_the_article_changes(seed, django_assert_num_queries):
    csl.render(seed, "apa")
    with django_assert_num_queries(0):
        csl.render(seed, "apa")
    seed.volume = "35"
    seed.save()
    assert "35(5)" in csl.render(seed, "apa", html=False)


def test_a_journal_without_volume_or_issue_and_a_book_chapter_type(seed):
    chapter = ArticleFactory(
        category="book_part", output_type=OutputType.CHAPTER, journal=JournalFactory(title="Handbook of Myeloma")
    )
    chapter = Article.objects.for_detail().get(pk=chapter.pk)
    assert bibtex.render([chapter]).startswith("@incollection{")
    assert rispy.loads(ris.render([chapter]))[0]["type_of_reference"] == "CHAP"
    assert csl.csl_json(chapter)["type"] == "chapter"


def test_html_citations_escape_the_record_and_keep_the_style_markup():
    article = ArticleFactory(title="Risk & reward <b>of</b> IL-6", volume="<script>alert(1)</script>", authors=1)
    article = Article.objects.for_detail().get(pk=article.pk)
    html = csl.render(article, "apa", html=True)
    assert "<script>" not in html
    assert "<i>&lt;script&gt;alert(1)&lt;/script&gt;</i>" in html
    assert "Risk &amp; reward of IL-6." in html
    assert "<script>" not in portal.harvard(article).html
