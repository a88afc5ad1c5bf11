"""Imports: one parser module per input format, each yielding the same plain `Record`; `load.py`
matches and merges records into the database, once for every format."""
