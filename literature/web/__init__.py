"""The reader site: views and urls, the profiles and charts of drug and keyword pages, citation meta
tags and JSON-LD (metadata.py), Atom feeds and the sitemap. Reads only, through QuerySet verbs."""
