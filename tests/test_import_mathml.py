"""MathML in PubMed titles and abstracts is kept readable: written as the inline markup titles are kept
in (<sub>, <sup>), never flattened into symbol soup ("V . O 2 m a x")."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from literature.importers import mathml
from literature.importers.pubmed import parse

MML = 'xmlns:mml="http://www.w3.org/1998/Math/MathML"'
# As PubMed writes it: pretty-printed, one element per line (the whitespace is what made the soup).
VO2MAX = f"""<mml:math {MML}>
  <mml:mrow>
    <mml:mover accent="true">
      <mml:mi>V</mml:mi>
      <mml:mo>˙</mml:mo>
    </mml:mover>
    <mml:msub>
      <mml:mi>O</mml:mi>
      <mml:mrow>
        <mml:mn>2</mml:mn>
        <mml:mi>max</mml:mi>
      </mml:mrow>
    </mml:msub>
  </mml:mrow>
</mml:math>"""


def record_with(title, abstract="An abstract."):
    return (
        "<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>42</PMID><Article>"
        f"<ArticleTitle>{title}</ArticleTitle><Abstract><AbstractText>{abstract}</AbstractText></Abstract>"
        "</Article></MedlineCitation></PubmedArticle></PubmedArticleSet>"
    )


def read(tmp_path, title, abstract="An abstract."):
    path = tmp_path / "math.xml"
    path.write_text(record_with(title, abstract), encoding="utf-8")
    (record,) = list(parse(path))
    return record


def test_vo2max_in_a_title_is_a_letter_with_its_dot_and_a_subscript(tmp_path):
    record = read(tmp_path, f"Peak {VO2MAX} in older adults.")
    assert record.title == "Peak V\u0307O<sub>2max</sub> in older adults"


@pytest.mark.parametrize(
    ("math", "expected"),
    [
        ("<mml:msup><mml:mi>m</mml:mi><mml:mn>2</mml:mn></mml:msup>", "m<sup>2</sup>"),
        (
            "<mml:msup><mml:mn>10</mml:mn><mml:mrow><mml:mo>−</mml:mo><mml:mn>3</mml:mn></mml:mrow></mml:msup>",
            "10<sup>−3</sup>",
        ),
        (
            "<mml:msubsup><mml:mi>x</mml:mi><mml:mi>i</mml:mi><mml:mn>2</mml:mn></mml:msubsup>",
            "x<sub>i</sub><sup>2</sup>",
        ),
        ("<mml:mfrac><mml:mn>1</mml:mn><mml:mn>2</mml:mn></mml:mfrac>", "1/2"),
        (
            "<mml:mfrac><mml:mrow><mml:mi>a</mml:mi><mml:mo>+</mml:mo><mml:mi>b</mml:mi></mml:mrow>"
            "<mml:mi>c</mml:mi></mml:mfrac>",
            "(a+b)/c",
        ),
        ("<mml:msqrt><mml:mi>n</mml:mi></mml:msqrt>", "√n"),
        ("<mml:mroot><mml:mi>x</mml:mi><mml:mn>3</mml:mn></mml:mroot>", "<sup>3</sup>√x"),
        ("<mml:mfenced><mml:mi>a</mml:mi><mml:mi>b</mml:mi></mml:mfenced>", "(a,b)"),
        ("<mml:mi>p</mml:mi><mml:mo>&lt;</mml:mo><mml:mn>0.05</mml:mn>", "p&lt;0.05"),
        (
            "<mml:semantics><mml:mi>x</mml:mi><mml:annotation encoding='TeX'>x</mml:annotation></mml:semantics>",
            "x",
        ),
    ],
)
def test_each_presentation_element_reads_as_inline_markup(tmp_path, math, expected):
    record = read(tmp_path, "Title", f"Value <mml:math {MML}>{math}</mml:math> here.")
    assert record.abstract == f"<p>Value {expected} here.</p>"


def test_an_element_outside_the_vocabulary_keeps_its_text(tmp_path):
    record = read(tmp_path, f"A <mml:math {MML}><mml:mlongdiv><mml:mn>12</mml:mn></mml:mlongdiv></mml:math> B.")
    assert record.title == "A 12 B"


names = st.sampled_from(
    [
        "mrow",
        "msub",
        "msup",
        "msubsup",
        "mfrac",
        "msqrt",
        "mroot",
        "mover",
        "munder",
        "mfenced",
        "mtable",
        "mtr",
        "mtd",
        "semantics",
        "annotation",
        "mstyle",
        "mspace",
        "mi",
        "mn",
        "mo",
    ]
)
trees = st.recursive(
    st.builds(
        lambda text: f"<mml:mi>{text}</mml:mi>",
        st.text(alphabet="xy2<&>", min_size=0, max_size=3).map(
            lambda text: text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        ),
    ),
    lambda children: st.builds(
        lambda name, parts: f"<mml:{name}>{''.join(parts)}</mml:{name}>", names, st.lists(children, max_size=4)
    ),
    max_leaves=12,
)


@given(tree=trees)
@settings(max_examples=200, deadline=None)
def test_any_mathml_tree_becomes_markup_the_title_sanitiser_keeps_whole(tree):
    element = etree.fromstring(f"<mml:math {MML}>{tree}</mml:math>")
    markup = mathml.to_markup(element)
    # Balanced: as many opening as closing script tags, and nothing but <sub>/<sup> as tags.
    for tag in ("sub", "sup"):
        assert markup.count(f"<{tag}>") == markup.count(f"</{tag}>")
    assert etree.fromstring(f"<t>{markup}</t>") is not None
