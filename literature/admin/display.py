"""How curator pages show long values: cut to fit a column, with the whole text on hover (so a list
fits the screen at 1024 px, and nothing is lost to the cut)."""

import html

from django.utils.html import format_html, format_html_join

from literature.values.markup import plain_text


def truncated(text, length):
    """`text` (plain) cut at `length` characters with an ellipsis; the whole text as its tooltip."""
    text = text or ""
    if len(text) <= length:
        return text
    return format_html('<span title="{}">{}…</span>', text, text[: length - 1].rstrip())


def truncated_markup(markup, length):
    """A title's markup, shown as the text a reader sees, cut as `truncated` cuts."""
    return truncated(plain_text(markup), length)


def evidence_html(evidence):
    """A drug link's evidence (escaped text with the match in <mark>, as mining/mentions.py stores it),
    rendered once: the text unescaped and escaped again, so "Crohn's" is not shown as "Crohn&#x27;s"."""
    parts = (evidence or "").replace("</mark>", "<mark>").split("<mark>")
    return format_html_join(
        "", "{}", ((format_html("<mark>{}</mark>", html.unescape(part)) if index % 2 else html.unescape(part),)
                   for index, part in enumerate(parts))
    )  # fmt: skip
