"""The little inline markup that titles and abstracts may carry (italics for gene and species names,
sub- and superscripts in formulas, paragraphs and bold section labels in structured abstracts).

Everything else is removed by nh3 (a binding to the Rust sanitiser Ammonia), so stored text is always
safe to render as HTML.
"""

import html

import nh3

ABSTRACT_TAGS = {"p", "br", "i", "em", "b", "strong", "sup", "sub", "u"}
TITLE_TAGS = {"i", "em", "b", "strong", "sup", "sub", "u"}


def sanitize_abstract(text):
    return nh3.clean(text or "", tags=ABSTRACT_TAGS, attributes={}, link_rel=None).strip()


def sanitize_title(text):
    return nh3.clean(text or "", tags=TITLE_TAGS, attributes={}, link_rel=None).strip()


def plain_text(text):
    """The text a reader sees, without tags: for search, citations and meta tags."""
    return html.unescape(nh3.clean(text or "", tags=set(), attributes={})).strip()


def abstract_html(sanitized):
    """Paragraphs for display: abstracts that carry <p> keep them; plain text is split on blank lines."""
    if "<p>" in sanitized:
        return sanitized
    paragraphs = [part.strip() for part in sanitized.replace("\r\n", "\n").split("\n\n") if part.strip()]
    return "".join(f"<p>{paragraph}</p>" for paragraph in paragraphs)
