"""The curators' interface, one module per part of the record; every model editable, lists that stay
fast on a large corpus, and every multi-model write through the functions of `literature.curation`."""

from django.contrib import admin

from . import access, articles, drug_links, duplicates, fingerprint, imports, vocabularies  # noqa: F401

admin.site.site_header = "Literature portal: curation"
admin.site.site_title = "Literature curation"
admin.site.index_title = "Curated record"
# The navigation sidebar would take a third of a 1024 px screen from every list; the index (with its
# dashboard) and the breadcrumbs lead everywhere it does.
admin.site.enable_nav_sidebar = False
