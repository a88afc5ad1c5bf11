#!/usr/bin/env python
"""Benchmarks: print figures, assert nothing.

    .venv/bin/python scripts/bench.py [--articles 100000] [--database bench/bench.sqlite3] [--repeat 30]

Builds (once) a SQLite database with `generate_corpus N`, timing it, then times server-side requests
through Django's test client (no network in between): median and 95th percentile in milliseconds.
Set DATABASE_URL to benchmark another database (e.g. PostgreSQL) instead.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def configure(database):
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{database}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost")
    os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")
    os.environ.setdefault("DJANGO_DEBUG", "1")
    # The benchmark is one client making many requests: no throttling.
    os.environ.setdefault("API_ANON_RATE", "1000000/minute")
    import django

    django.setup()


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def time_requests(client, label, urls, repeat, cold=False):
    """Median and 95th percentile of `repeat` requests cycling through `urls`; with cold=True the
    cache is emptied before each request, so cached aggregates (facets, profiles) are recomputed."""
    from django.core.cache import cache

    timings = []
    for i in range(repeat):
        url = urls[i % len(urls)]
        if cold:
            cache.clear()
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{label}: {url} answered {response.status_code}")
    print(f"  {label:<44} median {statistics.median(timings):7.1f} ms   p95 {percentile(timings, 0.95):7.1f} ms")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--database", type=Path, default=ROOT / "bench" / "bench.sqlite3")
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    args.database.parent.mkdir(parents=True, exist_ok=True)
    configure(args.database)

    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from literature.devdata.corpus import generate_corpus
    from literature.devdata.demo import load_demo
    from literature.models import Article, Drug, Journal, Keyword, Person

    print(f"Database: {connection.vendor} {connection.settings_dict['NAME']}")
    call_command("migrate", verbosity=0)
    load_demo()  # first, so that the corpus cites the three IMiDs as often as an IMiD portal would
    existing = Article.objects.count()
    if existing < args.articles:
        missing = args.articles - existing
        started = time.perf_counter()
        generate_corpus(missing, seed=1)
        elapsed = time.perf_counter() - started
        print(f"generate_corpus {missing}: {elapsed:.1f} s ({missing / elapsed:,.0f} articles/s)")
    print(f"Corpus: {Article.objects.count():,} articles ({Article.objects.public().count():,} public)")

    user, _ = get_user_model().objects.get_or_create(
        username="bench", defaults={"is_staff": True, "is_superuser": True}
    )
    curator = Client()
    curator.force_login(user)
    reader = Client()

    public_ids = list(Article.objects.public().order_by("?").values_list("pk", flat=True)[:50])
    article_urls = [a.get_absolute_url() for a in Article.objects.filter(pk__in=public_ids)]
    drug_urls = [d.get_absolute_url() for d in Drug.objects.all()[:20]]

    print("Curators' admin:")
    time_requests(curator, "article changelist (50 rows)", ["/admin/literature/article/"], args.repeat)
    time_requests(curator, "article changelist, title search", ["/admin/literature/article/?q=myeloma"], args.repeat)
    time_requests(
        curator,
        "article changelist, state filter",
        ["/admin/literature/article/?curation_state__exact=in_review"],
        args.repeat,
    )
    time_requests(
        curator, "article change form", [f"/admin/literature/article/{pk}/change/" for pk in public_ids], args.repeat
    )
    words = ["lenalidomide", "myeloma", "angiogenesis", "bortezomib", "survival", "toxicity", "cereblon"]
    text_urls = [f"/articles/?q={word}" for word in words]
    filtered_urls = [f"/articles/?q={word}&type=article&year_from=2015" for word in words]
    # Field tags (search/tags.py) and a brand name searched with its drug's other names (synonyms.py).
    tagged_urls = ["/articles/?q=myeloma+2015[dp]", "/articles/?q=Revlimid", "/articles/?q=survival[ti]+2018:2020[dp]"]
    # "Did you mean" (suggestions.py) for misspelt words; several values of a facet (any of them), the
    # yes/no facets.
    misspelt_urls = ["/articles/?q=lenalidomid", "/articles/?q=myelomma+survivl", "/articles/?q=bortezomb"]
    keywords = list(Keyword.objects.order_by("pk").values_list("slug", flat=True)[:6])
    any_of_urls = [
        f"/articles/?q=myeloma&keyword={a}&keyword={b}&has_abstract=true"
        for a, b in zip(keywords[::2], keywords[1::2], strict=False)
    ]
    person_urls = [p.get_absolute_url() for p in Person.objects.filter(authorships__article__in=public_ids)[:20]]
    journal_urls = [j.get_absolute_url() for j in Journal.objects.filter(articles__in=public_ids).distinct()[:20]]
    print("Reader site, cold (cache emptied before each request):")
    time_requests(reader, "search page, no query", ["/articles/"], args.repeat, cold=True)
    time_requests(reader, "search page, text query", text_urls, args.repeat, cold=True)
    time_requests(reader, "search page, text query + 2 filters", filtered_urls, args.repeat, cold=True)
    time_requests(reader, "search page, field tags or a brand name", tagged_urls, args.repeat, cold=True)
    time_requests(reader, "search page, misspelt words (did you mean)", misspelt_urls, args.repeat, cold=True)
    time_requests(reader, "search page, two keywords + has abstract", any_of_urls, args.repeat, cold=True)
    time_requests(reader, "article page", article_urls, args.repeat, cold=True)
    time_requests(reader, "drug page", drug_urls, args.repeat, cold=True)
    time_requests(reader, "person page", person_urls, args.repeat, cold=True)
    time_requests(reader, "journal page", journal_urls, args.repeat, cold=True)
    print("Reader site, warm (facets and profiles cached; the corpus version is still checked):")
    warmed = [*text_urls, *filtered_urls, *tagged_urls, *misspelt_urls, *any_of_urls, *drug_urls, *person_urls]
    for url in ["/articles/", *warmed, *journal_urls]:
        reader.get(url)
    time_requests(reader, "search page, no query", ["/articles/"], args.repeat)
    time_requests(reader, "search page, text query", text_urls, args.repeat)
    time_requests(reader, "search page, text query + 2 filters", filtered_urls, args.repeat)
    time_requests(reader, "search page, field tags or a brand name", tagged_urls, args.repeat)
    time_requests(reader, "search page, misspelt words (did you mean)", misspelt_urls, args.repeat)
    time_requests(reader, "search page, two keywords + has abstract", any_of_urls, args.repeat)
    time_requests(reader, "article page", article_urls, args.repeat)
    time_requests(reader, "drug page", drug_urls, args.repeat)
    time_requests(reader, "person page", person_urls, args.repeat)
    time_requests(reader, "journal page", journal_urls, args.repeat)

    print("Citations (1,000 public articles, APA, HTML):")
    from django.core.cache import cache

    from literature.citations import csl

    sample = list(Article.objects.public().for_detail().order_by("pk")[:1000])
    for label, clear in (("cold: style cache and citation cache empty", True), ("warm: both cached", False)):
        if clear:
            cache.clear()
            csl.load_style.cache_clear()
        started = time.perf_counter()
        for article in sample:
            csl.render(article, "apa")
        elapsed = time.perf_counter() - started
        print(f"  {label:<44} {elapsed:6.2f} s  ({elapsed / len(sample) * 1000:.2f} ms a citation)")
    started = time.perf_counter()
    time_requests(reader, "article page with Cite this (7 formats)", article_urls, args.repeat, cold=True)

    print("JSON API (anonymous):")
    api_detail = [f"/api/v1/articles/{pk}/" for pk in public_ids]
    time_requests(reader, "GET /api/v1/articles/ (25)", ["/api/v1/articles/"], args.repeat)
    time_requests(reader, "GET /api/v1/articles/?page_size=100", ["/api/v1/articles/?page_size=100"], args.repeat)
    time_requests(
        reader,
        "GET articles (25), q + 2 filters",
        [u.replace("/articles/", "/api/v1/articles/") for u in filtered_urls],
        args.repeat,
    )
    time_requests(
        reader,
        "GET articles (100), q + 2 filters",
        [u.replace("/articles/", "/api/v1/articles/") + "&page_size=100" for u in filtered_urls],
        args.repeat,
    )
    time_requests(reader, "GET articles, cursor walk (100)", ["/api/v1/articles/?cursor=&page_size=100"], args.repeat)
    time_requests(reader, "GET /api/v1/articles/<id>/", api_detail, args.repeat)


if __name__ == "__main__":
    main()
