"""Rules for what exporters write where they have nothing, or write one thing as another: a rule per
kind of case, the same for every format (literature/importers/cleaning.py, record.parse_pages,
values/identifiers.normalize_doi)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from literature.importers.cleaning import PLACEHOLDERS, decode_entities, is_placeholder
from literature.importers.record import parse_pages
from literature.importers.run import import_file
from literature.models import Article
from literature.values.identifiers import normalize_doi


def ris_record(TI="Pomalidomide in relapsed myeloma", **tags):  # RIS tags are capitals
    lines = ["TY  - JOUR", f"TI  - {TI}", "AU  - Rossi, Anna", "PY  - 2019"]
    lines += [f"{tag}  - {value}" for tag, value in tags.items()]
    return "\n".join([*lines, "ER  - ", ""])


@pytest.mark.parametrize(
    ("pages", "expected"),
    [
        ("740-753", (740, 753, "")),
        ("740-53", (740, 753, "")),
        ("e0131544", (None, None, "e0131544")),
        ("N.PAG-N.PAG", (None, None, "")),
        ("No-Specified", (None, None, "")),
        ("NA", (None, None, "")),
        ("997-+", (997, None, "")),
        ("-423", (None, None, "")),
        ("026002", (None, None, "026002")),
        ("034708", (None, None, "034708")),
        ("2-xix, 225", (None, None, "")),  # front matter in roman numerals: no page number holds it
        ("xi-xv", (None, None, "")),
        ("S12-S15", (None, None, "S12-S15")),  # supplement pages are an article number, as written
    ],
)
def test_pages_versus_article_numbers(pages, expected):
    assert parse_pages(pages) == expected


@given(st.sampled_from(sorted(PLACEHOLDERS)), st.sampled_from(["{}", "[{}]", " {} ", "{}.", "({})"]), st.booleans())
def test_every_placeholder_in_any_case_and_dress_is_nothing(word, dress, upper):
    text = dress.format(word.upper() if upper else word)
    assert is_placeholder(text)


@given(st.text(alphabet=st.characters(categories=["L"]), min_size=4, max_size=30))
def test_words_are_not_placeholders(text):
    assert is_placeholder(text) == (text.strip().rstrip(".").lower() in PLACEHOLDERS)


def test_entities_are_decoded_but_not_into_markup():
    assert decode_entities("Crohn&#x27;s&nbsp;disease &amp; &lt;i&gt;not a tag&lt;/i&gt;") == (
        "Crohn's disease &amp; &lt;i&gt;not a tag&lt;/i&gt;"
    )


@pytest.mark.parametrize(
    "given",
    [
        "http://doi.acm.org/10.1145/2591062.2591147",
        "https://doi.org/10.1145/2591062.2591147",
        "info:doi/10.1145/2591062.2591147",
        "doi:10.1145/2591062.2591147",
        "https://dl.acm.org/doi/10.1145/2591062.2591147",
    ],
)
def test_a_doi_given_as_a_url_or_with_a_prefix_is_the_doi(given):
    assert normalize_doi(given) == "10.1145/2591062.2591147"


@pytest.mark.django_db
def test_placeholders_are_never_stored_and_real_values_are(tmp_path):
    path = tmp_path / "placeholders.ris"
    path.write_text(
        ris_record(AB="NA", SP="N.PAG", EP="N.PAG", VL="NA", DO="http://doi.acm.org/10.1145/2591062.2591147")
        + ris_record(TI="Thalidomide &amp; dexamethasone&nbsp;in ENL", SP="No", EP="Specified")
        + ris_record(TI="Lenalidomide maintenance", SP="026002", AB="[No abstract available]")
    )
    report = import_file(path)
    assert (report.created, report.rejected, report.warnings) == (3, 0, [])
    first, second, third = Article.objects.order_by("pk")
    assert (first.abstract, first.volume, first.first_page, first.article_number) == ("", "", None, "")
    assert first.doi == "10.1145/2591062.2591147"
    assert second.title == "Thalidomide &amp; dexamethasone in ENL"
    assert (second.first_page, second.article_number) == (None, "")
    assert (third.article_number, third.first_page, third.abstract) == ("026002", None, "")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("volume", "issue", "expected"),
    [
        ("50(2)", "", ("50", "2")),
        ("12 (Suppl 3)", "", ("12", "Suppl 3")),
        ("50(2)", "2", ("50", "2")),
        ("50(2)", "3", ("50(2)", "3")),  # the record disagrees with itself: left as it says
        ("50", "2", ("50", "2")),
    ],
)
def test_a_volume_with_its_issue_in_one_field_is_split(tmp_path, volume, issue, expected):
    path = tmp_path / "volume.ris"
    path.write_text(ris_record(VL=volume, **({"IS": issue} if issue else {})))
    assert import_file(path).created == 1
    article = Article.objects.get()
    assert (article.volume, article.issue) == expected


@pytest.mark.django_db
def test_pages_left_out_though_not_a_placeholder_are_a_warning(tmp_path):
    path = tmp_path / "pages.ris"
    path.write_text(
        ris_record(SP="2-xix, 225") + ris_record(TI="Second", EP="423") + ris_record(TI="Third", SP="N.PAG")
    )
    report = import_file(path)
    assert report.created == 3
    assert [(warning.position, warning.field_name) for warning in report.warnings] == [(1, "pages"), (2, "pages")]
    assert "roman numerals" in report.warnings[0].message
