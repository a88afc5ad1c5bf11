"""Imports: one parser module per input format (pubmed, medline, ris, bibtex, csljson), each yielding
the same plain `record.Record`; then, once for every format, a file is run chunk by chunk (run.py): each
record prepared (prepare.py), matched by the one matcher (match.py), what it names resolved per chunk
(resolve.py), and written: new articles by the chunk, existing ones merged with provenance (write.py)."""
