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


# CSL-JSON's rich text (what citeproc-js and Zotero read in a title): <i>, <b>, <sup>, <sub>; the
# portal's <em> and <strong> are written as those, <u> (which CSL cannot say) as its text.
CSL_TAGS = {"em": "i", "strong": "b", "i": "i", "b": "b", "sup": "sup", "sub": "sub"}
TITLE_TAG = re.compile(r"<(/?)([a-z]+)\s*>")


def csl_rich_text(sanitized):
    """A sanitised title as CSL-JSON rich text: its inline markup as the tags CSL-JSON knows, the rest
    as text (character references decoded, but < and > kept as references, never taken for tags)."""
    if "<" not in sanitized and "&" not in sanitized:
        return sanitized.strip()
    out, position = [], 0
    for match in TITLE_TAG.finditer(sanitized):
        out.append(_csl_text(sanitized[position : match.start()]))
        closing, tag = match.groups()
        if tag in CSL_TAGS:
            out.append(f"<{closing}{CSL_TAGS[tag]}>")
        position = match.end()
    out.append(_csl_text(sanitized[position:]))
    return "".join(out).strip()


def _csl_text(escaped):
    return html.unescape(escaped).replace("<", "&lt;").replace(">", "&gt;")


PARAGRAPH_MARK = "\ue000"  # a private-use character: no text carries it, and nh3 keeps it
PARAGRAPH_END = re.compile(r"\s*(?:</p>|<br\s*/?>)\s*", re.IGNORECASE)


def plain_text(text, paragraph_break=" "):
    """The text a reader sees, without tags: for search, citations and meta tags. Paragraphs are
    parted by `paragraph_break` (a space unless the format keeps lines), never glued together."""
    if text and "<" not in text and "&" not in text:  # most titles: nothing to parse (exports call it per row)
        return text.strip()
    text = PARAGRAPH_END.sub(lambda match: PARAGRAPH_MARK, text or "")
    parts = html.unescape(nh3.clean(text, tags=set(), attributes={})).split(PARAGRAPH_MARK)
    return paragraph_break.join(part.strip() for part in parts if part.strip())


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
