"""MathML as PubMed carries it in titles and abstracts (<mml:math> inside ArticleTitle or AbstractText),
written as the inline markup the rest of a title is kept in: V̇O<sub>2max</sub>, not "V . O 2 m a x".

The rule per element: tokens (mi, mn, mo, mtext, ms) are their text; scripts (msub, msup, msubsup, and
munder, mover, munderover, whose limits read as scripts inline) become <sub>/<sup>; a fraction a/b, with
parentheses around a part longer than one token; a root √(x); fences their delimiters; a table its rows
separated by "; "; semantics its presentation child; annotations and phantoms nothing. An element not
in MathML's presentation vocabulary is its children, so nothing a record says is dropped.
"""

from html import escape

MATHML_NAMESPACE = "http://www.w3.org/1998/Math/MathML"
TOKENS = {"mi", "mn", "mo", "mtext", "ms"}
SKIPPED = {"annotation", "annotation-xml", "mphantom", "none", "mprescripts"}
# An accent written over a single letter (mover accent="true"): the Unicode combining character.
COMBINING_ACCENTS = {
    "˙": "\u0307",
    ".": "\u0307",
    "¯": "\u0304",
    "‾": "\u0305",
    "^": "\u0302",
    "~": "\u0303",
    "→": "\u20d7",
}


def local_name(element):
    tag = element.tag if isinstance(element.tag, str) else ""
    return tag.rsplit("}", 1)[-1].lower()


def is_math(element):
    return local_name(element) == "math"


def _children(element):
    return [child for child in element if isinstance(child.tag, str)]


def _token_text(element):
    return escape(" ".join("".join(element.itertext()).split()), quote=False)


def _grouped(markup):
    """A fraction's part, in parentheses when it is more than one letter or number."""
    plain = markup.replace("<sub>", "").replace("</sub>", "").replace("<sup>", "").replace("</sup>", "")
    return markup if len(plain) <= 1 or plain.isalnum() else f"({markup})"


def to_markup(element):
    """The inline markup (text with <sub>, <sup> and <i> only) for a MathML element."""
    name = local_name(element)
    if name in SKIPPED:
        return ""
    if name in TOKENS:
        return _token_text(element)
    if name == "mspace":
        return " "
    parts = [to_markup(child) for child in _children(element)]
    if name == "semantics":
        return parts[0] if parts else ""
    if name in {"msub", "munder"} and len(parts) == 2:
        return f"{parts[0]}<sub>{parts[1]}</sub>"
    if name == "mover" and len(parts) == 2:
        accent = COMBINING_ACCENTS.get(parts[1].strip())
        base = parts[0]
        if accent and len(base) == 1:
            return base + accent
        return f"{base}<sup>{parts[1]}</sup>"
    if name == "msup" and len(parts) == 2:
        return f"{parts[0]}<sup>{parts[1]}</sup>"
    if name in {"msubsup", "munderover"} and len(parts) == 3:
        return f"{parts[0]}<sub>{parts[1]}</sub><sup>{parts[2]}</sup>"
    if name == "mfrac" and len(parts) == 2:
        return f"{_grouped(parts[0])}/{_grouped(parts[1])}"
    if name == "msqrt":
        inner = "".join(parts)
        return f"√{_grouped(inner)}"
    if name == "mroot" and len(parts) == 2:
        return f"<sup>{parts[1]}</sup>√{_grouped(parts[0])}"
    if name == "mfenced":
        separators = (element.get("separators") or ",").split() or [","]
        separator = separators[0] if separators else ","
        return f"{element.get('open', '(')}{separator.join(parts)}{element.get('close', ')')}"
    if name == "mtable":
        return "; ".join(part for part in parts if part)
    if name in {"mtr", "mlabeledtr"}:
        return " ".join(part for part in parts if part)
    # math, mrow, mstyle, mpadded, menclose, merror, mtd and anything else: its children in order.
    return "".join(parts)
