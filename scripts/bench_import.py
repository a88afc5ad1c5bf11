#!/usr/bin/env python
"""Import benchmark: prints figures, asserts nothing.

    .venv/bin/python scripts/bench_import.py [--records 30000] [--file bench/pubmed-30000.xml]

Writes (once) a synthetic PubMed XML file the size of a baseline file, then times on it: a plain lxml
parse (iterparse, every record cleared), our parser alone, and import_file into a new, empty SQLite
database. Prints records per second and the import's ratio to the plain parse, and the peak memory.
"""

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup(database):
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    os.environ.setdefault("DJANGO_SECRET_KEY", "benchmark-only-" + "x" * 40)  # production settings
    import django

    django.setup()


def timed(label, count, function):
    started = time.perf_counter()
    result = function()
    seconds = time.perf_counter() - started
    print(f"  {label:<40} {seconds:7.2f} s   {count / seconds:9,.0f} records/s")
    return seconds, result


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=30_000)
    parser.add_argument("--file", type=Path, help="default: bench/pubmed-RECORDS.xml (written when missing)")
    parser.add_argument(
        "--reimport", action="store_true", help="then import the same file again, and an updated version of it"
    )
    parser.add_argument(
        "--with-vocabulary",
        action="store_true",
        help="load the full drug vocabulary first (then the database is not empty)",
    )
    parser.add_argument(
        "--profile", action="store_true", help="print the import's top functions (cProfile; BENCH_SORT, BENCH_TOP)"
    )
    options = parser.parse_args()
    path = options.file or ROOT / "bench" / f"pubmed-{options.records}.xml"

    with tempfile.TemporaryDirectory() as workdir:
        setup(Path(workdir) / "import.sqlite3")
        from django.core.management import call_command
        from lxml import etree

        from literature.devdata.synthetic_pubmed import write_pubmed_file
        from literature.importers import pubmed
        from literature.importers.run import import_file

        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            print(f"Writing {options.records:,} synthetic PubMed records to {path} ...")
            started = time.perf_counter()
            write_pubmed_file(path, options.records)
            print(f"  written in {time.perf_counter() - started:.1f} s")
        size = path.stat().st_size
        print(f"{path}: {size / 2**20:,.1f} MiB")

        def plain_parse():
            count = 0
            for _, element in etree.iterparse(str(path), events=("end",), tag="PubmedArticle"):
                count += 1
                element.clear()
                while element.getprevious() is not None:
                    del element.getparent()[0]
            return count

        records = plain_parse()
        parse_seconds, _ = timed("plain lxml parse", records, plain_parse)
        timed("our parser (records, no database)", records, lambda: sum(1 for _ in pubmed.parse(path)))

        call_command("migrate", verbosity=0)
        if options.with_vocabulary:
            from literature.mining.vocabulary import load_drug_vocabulary

            timed_vocabulary = time.perf_counter()
            load_drug_vocabulary()
            print(f"  drug vocabulary loaded in {time.perf_counter() - timed_vocabulary:.1f} s")
        if options.profile:
            import cProfile
            import pstats

            profiler = cProfile.Profile()
            profiler.enable()
        import_seconds, report = timed("import_file into empty SQLite", records, lambda: import_file(path))
        if options.profile:
            profiler.disable()
            stats = pstats.Stats(profiler).sort_stats(os.environ.get("BENCH_SORT", "tottime"))
            stats.print_stats(int(os.environ.get("BENCH_TOP", "25")))
        print(f"  {report}")
        print(f"  import / plain parse: {import_seconds / parse_seconds:.1f}x the time")
        if options.reimport:
            timed("the same file again (nothing changes)", records, lambda: import_file(path))
            updated = Path(workdir) / "updated.xml"
            updated.write_text(path.read_text(encoding="utf-8").replace("<Issue>", "<Issue>1"), encoding="utf-8")
            _, report = timed("an updated file (every issue number)", records, lambda: import_file(updated))
            print(f"  {report}")
        print(f"  peak memory (RSS): {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MiB")


if __name__ == "__main__":
    main()
