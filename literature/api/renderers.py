"""Citation formats by content negotiation (`Accept: application/x-bibtex`) or `?format=bibtex`.

On a list they stream every result of the filters (not one page); on a detail they render the one
article. The negotiated renderer is only a choice of format: the views write the bytes.
"""

from rest_framework.renderers import BaseRenderer


class ExportRenderer(BaseRenderer):
    charset = "utf-8"
    export = None  # the key of literature.citations.exports.EXPORTS (or "bibliography")

    def render(self, data, accepted_media_type=None, renderer_context=None):
        # Reached only for responses the views did not write themselves, i.e. errors, which the
        # exception handler renders as JSON.
        raise NotImplementedError("Export formats are written by the views")


class BibTeXRenderer(ExportRenderer):
    media_type = "application/x-bibtex"
    format = "bibtex"
    export = "bibtex"


class RISRenderer(ExportRenderer):
    media_type = "application/x-research-info-systems"
    format = "ris"
    export = "ris"


class CSLJSONRenderer(ExportRenderer):
    media_type = "application/vnd.citationstyles.csl+json"
    format = "csl-json"
    export = "csl-json"


class CSVRenderer(ExportRenderer):
    media_type = "text/csv"
    format = "csv"
    export = "csv"


class BibliographyRenderer(ExportRenderer):
    """`Accept: text/x-bibliography; style=apa` (as doi.org answers), or ?format=bibliography&style=apa."""

    media_type = "text/x-bibliography"
    format = "bibliography"
    export = "bibliography"


EXPORT_RENDERERS = [BibTeXRenderer, RISRenderer, CSLJSONRenderer, CSVRenderer, BibliographyRenderer]
