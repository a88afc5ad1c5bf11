"""Finding articles: the query language (query.py), the full-text index it runs on (index.py), the one
FilterSet that every face filters through (filters.py), the facet counts beside the results
(facets.py), counted over a sample past 20,000 matches (sampling.py), and relevance ranked within a
window of the newest matches (ranking.py). The index is written only through `literature.derived`."""
