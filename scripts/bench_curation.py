#!/usr/bin/env python
"""Curation benchmark: prints figures, asserts nothing.

    .venv/bin/python scripts/bench_curation.py [--articles 20000]

In a new SQLite database: generates a corpus, loads the full drug vocabulary (timed), builds the
drug-name and MeSH matchers (timed), then times on every generated abstract, in one process (one core):
the mention detector and Fingerprint extraction in memory (abstracts/s), and the same end to end
with the database: detect_drugs writing links, compute_fingerprints writing Fingerprints.
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def timed(label, function, count=None):
    started = time.perf_counter()
    result = function()
    seconds = time.perf_counter() - started
    rate = f"   {count / seconds:9,.0f} abstracts/s" if count else ""
    print(f"  {label:<58} {seconds:7.2f} s{rate}")
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=20_000)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/curation.sqlite3"
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
        os.environ.setdefault("DJANGO_SECRET_KEY", "benchmark-only-" + "x" * 40)  # production settings
        import django

        django.setup()
        from django.core.management import call_command

        from literature.devdata.corpus import generate_corpus
        from literature.mining.fingerprint import ConceptExtractor, compute_fingerprints, mesh_matcher, weigh
        from literature.mining.mentions import current_matcher, detect_drugs
        from literature.mining.vocabulary import load_drug_vocabulary
        from literature.models import Article, ArticleDrug

        call_command("migrate", verbosity=0)
        print(f"Corpus of {options.articles:,} generated articles, SQLite:")
        timed("generate_corpus", lambda: generate_corpus(options.articles, seed=1))
        report = timed("load_drug_vocabulary (full dictionary)", load_drug_vocabulary)
        print(f"    {report}")
        matcher = timed("drug-name matcher (every name and synonym)", current_matcher)
        timed("MeSH matcher (every descriptor)", mesh_matcher)
        extractor = timed("Fingerprint extractor", ConceptExtractor)
        print(f"    {matcher.size:,} drug names, {mesh_matcher().size:,} MeSH names")

        texts = list(Article.objects.values_list("title", "abstract"))
        count = len(texts)

        def in_memory():
            frequencies = {}
            for title, abstract in texts:
                matcher.find(title, abstract)
                weigh(extractor.scores(title, abstract), frequencies, count)

        timed("detector + Fingerprint, in memory", in_memory, count)
        before = ArticleDrug.objects.count()
        timed(
            "detect_drugs, writing links",
            lambda: detect_drugs(Article.objects.only("title", "abstract"), matcher),
            count,
        )
        print(f"    {ArticleDrug.objects.count() - before:,} links suggested")
        timed("compute_fingerprints (two passes), writing", lambda: compute_fingerprints(extractor=extractor), count)


if __name__ == "__main__":
    main()
