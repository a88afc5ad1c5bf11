"""The little inline markup that titles and abstracts may carry (italics for gene and species names,
sub- and superscripts in formulas, paragraphs and bold section labels in structured abstracts).

Everything else is removed by nh3 (a binding to the Rust sanitiser Ammonia), so stored text is always
safe to render as HTML.
"""

import html
import re
import unicodedata

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


def matching_title(text):
    """A title reduced to what identifies it across sources: markup, entities, accents, case and
    punctuation dropped ("<i>In vitro</i> study." and "In Vitro Study" agree), letters of any script kept."""
    text = html.unescape(re.sub(r"<[^>]+>", "", text or ""))
    if not text.isascii():
        text = "".join(char for char in unicodedata.normalize("NFKD", text) if not unicodedata.combining(char))
    text = text.casefold()
    return " ".join(re.sub(r"[\W_]+", " ", text).split())[:255]
