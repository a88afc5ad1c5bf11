#!/usr/bin/env python
"""Scale benchmark: every page and API call of the scale issue at 100,000 and 1,000,000 articles, on
SQLite and PostgreSQL. Prints figures, asserts nothing.

    make bench-scale                                   # both sizes, both databases
    .venv/bin/python scripts/bench_scale.py --sizes 100000 --databases sqlite --repeat 10
    .venv/bin/python scripts/bench_scale.py --sizes 1000000 --databases sqlite --rows admin,API  # some rows

Corpora are built once (`generate_corpus N --seed 1` after the demo record) and kept in bench/: SQLite
files bench/scale-N.sqlite3, PostgreSQL databases scale_N of a server whose files stay in
bench/postgres (scripts/postgres.sh serve / halt). Each request goes through Django's test client
(server time, no network):
  cold        the cache emptied before each request (a query nothing cached);
  warm        the same requests again, cached;
  after write an article saved and committed before each request (as a curator's save elsewhere);
median and p95 in ms with the number of samples (a row stops after --seconds), the SQL queries of one
request, beside a minimal view (the floor); then the raw engine figures for the same searches, and the
process's peak RSS.
"""

import argparse
import base64
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BENCH = ROOT / "bench"


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


# Orchestration: one child process per (database, size), so that each runs with its own settings. ----


def postgres_url():
    """The URL of the benchmark's own PostgreSQL server (started when not running), its files in bench/."""
    result = subprocess.run(
        [str(ROOT / "scripts" / "postgres.sh"), "serve", str(BENCH / "postgres")],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(f"No PostgreSQL server for the benchmark:\n{result.stderr}")
    return result.stdout.strip()


def ensure_postgres_database(url, name):
    base = url.rsplit("/", 1)[0]
    exists = subprocess.run(
        ["psql", f"{base}/postgres", "-tAc", f"SELECT 1 FROM pg_database WHERE datname = '{name}'"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if not exists:
        subprocess.run(["psql", f"{base}/postgres", "-qc", f"CREATE DATABASE {name}"], check=True)
    return f"{base}/{name}"


def orchestrate(args):
    BENCH.mkdir(exist_ok=True)
    for database in args.databases:
        url = postgres_url() if database == "postgresql" else None
        for size in args.sizes:
            if database == "sqlite":
                database_url = f"sqlite:///{BENCH / f'scale-{size}.sqlite3'}"
            else:
                database_url = ensure_postgres_database(url, f"scale_{size}")
            env = {**os.environ, "DATABASE_URL": database_url}
            command = [sys.executable, __file__, "--one", str(size), "--repeat", str(args.repeat)]
            command += ["--seconds", str(args.seconds), "--rows", args.rows]
            subprocess.run(command, env=env, check=True)
    if "postgresql" in args.databases and not args.keep_server:
        subprocess.run([str(ROOT / "scripts" / "postgres.sh"), "halt", str(BENCH / "postgres")], check=False)


# One database, one size. ------------------------------------------------------------------------------


def configure():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost")
    os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")
    os.environ.setdefault("DJANGO_DEBUG", "0")
    os.environ.setdefault("DJANGO_SECRET_KEY", "benchmark-only-" + "x" * 40)
    os.environ.setdefault("DJANGO_STATIC_ROOT", str(BENCH / "staticfiles"))
    os.environ.setdefault("API_ANON_RATE", "1000000/minute")  # one client, many requests
    os.environ.setdefault("API_USER_RATE", "1000000/minute")
    import django

    django.setup()
    from django.conf import settings
    from django.http import HttpResponse
    from django.urls import include, path

    def floor(request):
        return HttpResponse("ok", content_type="text/plain")

    # The floor: a view that does nothing, behind the same middleware as every page.
    module = type(sys)("bench_urls")
    module.urlpatterns = [path("bench-floor/", floor), path("", include(settings.ROOT_URLCONF))]
    settings.ROOT_URLCONF = module
    from portal.startup import settle_process

    settle_process()  # as portal/wsgi.py does in each server process


class Timer:
    def __init__(self, repeat, seconds):
        self.repeat, self.seconds = repeat, seconds

    def run(self, client, urls, before_each=None):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        timings, queries, deadline = [], None, time.perf_counter() + self.seconds
        for i in range(self.repeat):
            url = urls[i % len(urls)]
            if before_each:
                before_each()
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(url)
                timings.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                raise SystemExit(f"{url} answered {response.status_code}")
            queries = len(captured.captured_queries) if queries is None else queries
            if time.perf_counter() > deadline:
                break
        return timings, queries


def fmt(timings):
    if not timings:
        return f"{'':>22}"
    return f"{statistics.median(timings):8.1f} {percentile(timings, 0.95):8.1f} {len(timings):>4}"


def most_common(rows, field):
    """The value of `field` that most of these rows have (a link table's drug, keyword, ...)."""
    from django.db.models import Count

    return rows.values(field).annotate(n=Count("pk")).order_by("-n").values_list(field, flat=True)[0]


def requests_of_the_issue():
    """(label, client kind, [urls]) for every request the scale issue names, from the corpus itself."""
    from literature.models import Article, ArticleDrug, Journal, Keyword, Person, SubjectArea

    public = Article.objects.public()
    article_ids = list(public.order_by("?").values_list("pk", flat=True)[:20])
    articles = [a.get_absolute_url() for a in Article.objects.filter(pk__in=article_ids)]
    top_drug = most_common(ArticleDrug.objects.confirmed(), "drug__slug")
    top_keyword = Keyword.objects.get(pk=most_common(Article.keywords.through.objects, "keyword"))
    top_journal = Journal.objects.get(pk=most_common(Article.objects.exclude(journal=None), "journal"))
    people = Person.objects.filter(authorships__article__in=article_ids).distinct()[:10]
    subject = SubjectArea.objects.get(pk=most_common(Article.subject_areas.through.objects, "subjectarea"))
    middle = public.order_by("pk").values_list("pk", flat=True)[public.count() // 2]
    deep_cursor = base64.b64encode(f"p={middle}".encode()).decode()
    return [
        ("floor: a minimal view", "reader", ["/bench-floor/"]),
        ("search, no query", "reader", ["/articles/"]),
        # In the demo record's title only: the synthetic corpus never uses it.
        ("search, a rare word", "reader", ["/articles/?q=immunomodulatory"]),
        ("search, a word in most articles", "reader", ["/articles/?q=patients"]),
        ("search, phrase + year range + drug", "reader",
         [f'/articles/?q="overall survival"&year_from=2015&drug={top_drug}']),
        ("search, sort=newest", "reader", ["/articles/?sort=newest"]),
        ("search, page=2000", "reader", ["/articles/?page=2000"]),
        ("article page", "reader", articles),
        ("drug page (most-linked drug)", "reader", [f"/drugs/{top_drug}/"]),
        ("keyword page (most common keyword)", "reader", [top_keyword.get_absolute_url()]),
        ("journal page (biggest journal)", "reader", [top_journal.get_absolute_url()]),
        ("person page", "reader", [p.get_absolute_url() for p in people]),
        ("subject page (biggest code)", "reader", [subject.get_absolute_url()]),
        ("API list ?drug=", "reader", [f"/api/v1/articles/?drug={top_drug}"]),
        ("API list ?q=patients", "reader", ["/api/v1/articles/?q=patients"]),
        ("API list page_size=100", "reader", ["/api/v1/articles/?page_size=100"]),
        ("API cursor page deep in the corpus (100)", "reader",
         [f"/api/v1/articles/?cursor={deep_cursor}&page_size=100"]),
        ("admin article list", "curator", ["/admin/literature/article/"]),
        ("admin article list ?q=", "curator", ["/admin/literature/article/?q=myeloma"]),
    ]  # fmt: skip


def raw_engine_figures():
    from django.db import connection

    from literature.search.query import fts5_query

    queries = []
    if connection.vendor == "sqlite":
        match = fts5_query("patients")
        queries = [
            ("FTS5 bm25 top-20 'patients'",
             "SELECT rowid FROM literature_article_fts WHERE literature_article_fts MATCH %s ORDER BY rank LIMIT 20",
             [match]),
            ("FTS5 top-20 in rowid order",
             "SELECT rowid FROM literature_article_fts WHERE literature_article_fts MATCH %s LIMIT 20", [match]),
            ("FTS5 COUNT(*) 'patients'",
             "SELECT COUNT(*) FROM literature_article_fts WHERE literature_article_fts MATCH %s", [match]),
        ]  # fmt: skip
    else:
        tsquery = "websearch_to_tsquery('english', %s)"
        queries = [
            ("ts_rank top-20 'patients'",
             f"SELECT rowid FROM literature_article_fts WHERE literature_article_fts @@ {tsquery} "
             f"ORDER BY ts_rank(literature_article_fts, {tsquery}) DESC LIMIT 20", ["patients", "patients"]),
            ("tsvector COUNT(*) 'patients'",
             f"SELECT COUNT(*) FROM literature_article_fts WHERE literature_article_fts @@ {tsquery}", ["patients"]),
        ]  # fmt: skip
    print("Raw engine figures (ms, best of 3):")
    with connection.cursor() as cursor:
        for label, sql, params in queries:
            best = float("inf")
            for _ in range(3):
                started = time.perf_counter()
                cursor.execute(sql, params)
                cursor.fetchall()
                best = min(best, (time.perf_counter() - started) * 1000)
            print(f"  {label:<44} {best:9.1f}")


def export_throughput(client, rows=20_000, seconds=60):
    """Rows per second of the CSV export of a common-word search, over its first `rows` rows."""
    started = time.perf_counter()
    response = client.get("/articles/export/csv/", {"q": "patients"})
    streamed = 0
    try:
        for chunk in response.streaming_content:
            streamed += chunk.count(b"\n")
            if streamed > rows or time.perf_counter() - started > seconds:
                break
    finally:
        response.close()  # as a server does when a client goes away: the export's transaction ends
    elapsed, streamed = time.perf_counter() - started, streamed - 1  # the header line is not a row
    print(f"CSV export of 'patients': {streamed:,} rows in {elapsed:.1f} s ({streamed / elapsed:,.0f} rows/s)")


def one(size, repeat, seconds, only=()):
    configure()
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test import Client

    from literature.curation.articles import save_article
    from literature.devdata.corpus import generate_corpus
    from literature.devdata.demo import load_demo
    from literature.models import Article

    call_command("migrate", verbosity=0)
    # Production settings serve hashed files: collected on every run (a second, and only what changed),
    # so that a static file added since the last run is in the manifest, as a deployment would do.
    call_command("collectstatic", interactive=False, verbosity=0)
    existing = Article.objects.count()
    if existing < size:
        if existing == 0:
            load_demo()
            existing = 1
        started = time.perf_counter()
        generate_corpus(size - existing, seed=1, batch_size=5000)
        elapsed = time.perf_counter() - started
        print(f"generate_corpus {size - existing:,}: {elapsed:,.0f} s ({(size - existing) / elapsed:,.0f} articles/s)")
    print(
        f"\n=== {connection.vendor}, {Article.objects.count():,} articles ({Article.objects.public().count():,} public)"
    )

    user, _ = get_user_model().objects.get_or_create(
        username="bench", defaults={"is_staff": True, "is_superuser": True}
    )
    clients = {"reader": Client(), "curator": Client()}
    clients["curator"].force_login(user)
    written = Article.objects.public().order_by("pk").first()

    def a_write_elsewhere():
        with transaction.atomic():
            save_article(written)  # committed: the corpus version moves, as after any curator's save

    timer = Timer(repeat, seconds)
    print(f"{'request':<44} {'cold: median p95 n':>22} {'warm: median p95 n':>22} {'after write':>22} {'SQL':>4}")
    for label, kind, urls in requests_of_the_issue():
        if only and not any(word in label for word in only):
            continue
        client = clients[kind]
        cold, queries = timer.run(client, urls, before_each=cache.clear)
        for url in urls:  # fill the cache
            client.get(url)
        warm, _ = timer.run(client, urls)
        after, _ = timer.run(client, urls, before_each=a_write_elsewhere)
        print(f"{label:<44} {fmt(cold)} {fmt(warm)} {fmt(after)} {queries:>4}", flush=True)
    if not only:
        raw_engine_figures()
        export_throughput(clients["reader"])
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"Peak RSS of this process: {rss:,.0f} MiB")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=lambda v: [int(n) for n in v.split(",")], default=[100_000, 1_000_000])
    parser.add_argument("--databases", type=lambda v: v.split(","), default=["sqlite", "postgresql"])
    parser.add_argument("--repeat", type=int, default=20, help="samples per row at most")
    parser.add_argument("--seconds", type=float, default=30, help="time per row and kind at most")
    parser.add_argument("--keep-server", action="store_true", help="leave the PostgreSQL server running")
    parser.add_argument(
        "--rows",
        default="",
        help="only the requests whose label has one of these comma-separated words (and no raw figures)",
    )
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        one(args.one, args.repeat, args.seconds, [word for word in args.rows.split(",") if word])
    else:
        orchestrate(args)


if __name__ == "__main__":
    main()
