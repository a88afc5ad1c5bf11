"""The formats of "Cite this", in the order research portals list them, and how each is served."""

import json
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.html import escape

from literature.citations import bibtex, csl, portal, ris


@dataclass(frozen=True)
class Format:
    slug: str
    label: str
    content_type: str
    extension: str
    render: Callable  # (article, style) -> (text, html)
    preformatted: bool = False


def _csl(article, style):
    return csl.render(article, style, html=False), csl.render(article, style, html=True)


def _portal(function):
    def render(article, style=None):
        rendered = function(article)
        return rendered.text, rendered.html

    return render


def _file(function):
    def render(article, style=None):
        text = function(article)
        return text, escape(text)

    return render


FORMATS = {
    f.slug: f
    for f in [
        Format("apa", "APA", "text/plain; charset=utf-8", "txt", lambda a, s=None: _csl(a, "apa")),
        Format("author", "Author", "text/plain; charset=utf-8", "txt", _portal(portal.author)),
        Format(
            "bibtex", "BibTeX", "application/x-bibtex; charset=utf-8", "bib", _file(lambda a: bibtex.render([a])), True
        ),
        Format("harvard", "Harvard", "text/plain; charset=utf-8", "txt", _portal(portal.harvard)),
        Format("standard", "Standard", "text/plain; charset=utf-8", "txt", _portal(portal.standard)),
        Format(
            "ris",
            "RIS",
            "application/x-research-info-systems; charset=utf-8",
            "ris",
            _file(lambda a: ris.render([a])),
            True,
        ),
        Format("vancouver", "Vancouver", "text/plain; charset=utf-8", "txt", _portal(portal.vancouver)),
    ]
}
PORTAL_FORMATS = list(FORMATS)

CSL_JSON = Format(
    "csl-json",
    "CSL-JSON",
    "application/vnd.citationstyles.csl+json; charset=utf-8",
    "json",
    _file(lambda a: json.dumps([csl.csl_json(a, rich_text=True)], ensure_ascii=False, indent=2)),
    True,
)
FORMATS[CSL_JSON.slug] = CSL_JSON
ANY_CSL_STYLE = Format("csl", "CSL style", "text/plain; charset=utf-8", "txt", _csl)
FORMATS[ANY_CSL_STYLE.slug] = ANY_CSL_STYLE


def cite_all(article):
    """[(format, text, html)] for the article page's Cite this section."""
    return [(FORMATS[slug], *FORMATS[slug].render(article, None)) for slug in PORTAL_FORMATS]
