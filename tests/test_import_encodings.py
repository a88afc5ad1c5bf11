"""Files come in the encodings their tools write: UTF-8, UTF-16 with a byte-order mark, Windows-1252,
Latin-1. Each is read (the report says which, when not UTF-8); text in any of them imports the same."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from literature.importers.record import text_encoding
from literature.importers.run import import_file
from literature.models import Article, Person

RIS = (
    "TY  - JOUR\n"
    "TI  - Lenalidomide – a “second-generation” immunomodulator in Münster’s cohort\n"
    "AU  - Müller, Jürgen\n"
    "AU  - Gómez, Inés\n"
    "PY  - 2019\n"
    "DO  - 10.1000/encoding.1\n"
    "ER  - \n"
)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("encoding", "reported"),
    [("utf-8", ""), ("utf-8-sig", ""), ("utf-16", " (read as UTF-16)"), ("cp1252", " (read as Windows-1252)")],
)
def test_a_ris_file_in_each_encoding_imports_the_same_record(tmp_path, encoding, reported):
    path = tmp_path / "export.ris"
    path.write_bytes(RIS.encode(encoding))
    report = import_file(path)
    assert str(report).startswith(f"{path}{reported}: 1 created"), str(report)
    article = Article.objects.get()
    assert article.title == "Lenalidomide – a “second-generation” immunomodulator in Münster’s cohort"
    assert sorted(Person.objects.values_list("family_name", flat=True)) == ["Gómez", "Müller"]


@pytest.mark.django_db
def test_latin_1_text_that_windows_1252_does_not_define_is_read_as_latin_1(tmp_path):
    path = tmp_path / "old.ris"
    path.write_bytes(
        RIS.replace("–", "-").replace("“", '"').replace("”", '"').replace("’", "'").encode("latin-1")
        + b"N1  - control \x81 byte\n"
    )
    assert text_encoding(path) == "latin-1"


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.characters(codec="cp1252", exclude_categories=["Cs", "Cc"]), min_size=1, max_size=200))
def test_any_windows_1252_text_not_valid_as_utf_8_is_read_as_windows_1252(tmp_path_factory, text):
    raw = text.encode("cp1252")
    path = tmp_path_factory.mktemp("enc") / "file.txt"
    path.write_bytes(raw)
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        assert text_encoding(path) == "cp1252"
        assert path.read_text(encoding="cp1252") == text
    else:
        assert text_encoding(path) == "utf-8-sig"
