"""Finding articles: the query language (query.py), the full-text index it runs on (index.py), the one
FilterSet that every face filters through (filters.py) and the facet counts beside the results
(facets.py). The index is written only through `literature.derived`."""
