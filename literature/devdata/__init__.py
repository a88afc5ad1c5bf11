"""Data for development and benchmarks, never for production records: the reference record (demo.py),
a synthetic corpus of any size (corpus.py) and a synthetic PubMed XML file (synthetic_pubmed.py)."""
