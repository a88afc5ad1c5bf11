"""`make loadtest`: the production stack under mixed traffic, on loopback only, for a bounded time.

For each database (SQLite, PostgreSQL): the corpus of bench/ (the one `make bench-scale` builds, made
here when missing), a throwaway Redis as the shared cache, gunicorn from deploy/gunicorn.conf.py with
WEB_CONCURRENCY workers and the background worker; then locust (scripts/locustfile.py), headless, for
--seconds: readers searching with common words, opening article and drug pages, listing the API, and
a curator editing through the API. Prints requests/s, p50/p95/p99 and errors per kind of request.

    make loadtest                                     # 10,000 articles, SQLite and PostgreSQL, 60 s
    make loadtest LOADTEST_ARGS="--articles 100000 --databases sqlite"
"""

import argparse
import csv
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT / "scripts"))

from bench_scale import ensure_postgres_database, postgres_url  # noqa: E402


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_env(database_url, redis_url, port, workers):
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "loadtest-only-" + "x" * 40,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_SESSION_COOKIE_SECURE": "0",
        "DJANGO_CSRF_COOKIE_SECURE": "0",
        "DJANGO_STATIC_ROOT": str(BENCH / "staticfiles"),
        "DATABASE_URL": database_url,
        "DJANGO_CACHE_URL": redis_url,
        # Every simulated reader comes from 127.0.0.1: the per-address API limit would answer them 429.
        "API_ANON_RATE": "1000000/minute",
        "API_USER_RATE": "1000000/minute",
        "DJANGO_LOG_LEVEL": "WARNING",
        "GUNICORN_ACCESS_LOG": "",  # off: a line per request is work the figures should not include
        "PORT": str(port),
        "WEB_CONCURRENCY": str(workers),
    }


PREPARE = """
import json, sys
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from literature.devdata.demo import load_demo
from literature.models import ApiToken, Article, ArticleDrug, Drug
size = int(sys.argv[1])
existing = Article.objects.count()
if existing < size:
    if existing == 0:
        load_demo()
        existing = 1
    from literature.devdata.corpus import generate_corpus
    generate_corpus(size - existing, seed=1, batch_size=5000)
user, _ = get_user_model().objects.get_or_create(username="loadtest-curator", defaults={"is_staff": True})
user.groups.add(Group.objects.get(name="Curators"))
ApiToken.objects.filter(user=user).delete()
_, key = ApiToken.issue(user, "make loadtest")
sample = Article.objects.public().order_by("?")[:500]
articles = [{"pk": article.pk, "url": article.get_absolute_url()} for article in sample]
drugs = list(Drug.objects.filter(articles__isnull=False).distinct().values_list("slug", flat=True)[:200])
print(json.dumps({"token": key, "articles": articles, "drugs": drugs}))
"""


def prepare(env, articles):
    manage = [str(BIN / "python"), "manage.py"]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    # Every run, as a deployment does: a static file added since the last run must be in the manifest.
    subprocess.run([*manage, "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    out = subprocess.run(
        [*manage, "shell", "-c", f"import sys; sys.argv = ['', '{articles}']\n{PREPARE}"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def wait_ready(url, processes, seconds=120):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if any(process.poll() is not None for process in processes):
            raise SystemExit("a server process ended before it was ready")
        try:
            with urllib.request.urlopen(url + "/readyz", timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit(f"{url}/readyz did not answer within {seconds} s")


def run_locust(url, data_file, args, out_dir):
    command = [
        str(BIN / "locust"),
        "-f",
        str(ROOT / "scripts" / "locustfile.py"),
        "--headless",
        "--users",
        str(args.users),
        "--spawn-rate",
        str(max(1, args.users // 5)),
        "--run-time",
        f"{args.seconds}s",
        "--host",
        url,
        "--csv",
        str(out_dir / "run"),
        "--only-summary",
        "--loglevel",
        "WARNING",
    ]
    subprocess.run(command, env={**os.environ, "LOADTEST_DATA": str(data_file)}, check=False, capture_output=True)
    with open(out_dir / "run_stats.csv", newline="") as handle:
        return list(csv.DictReader(handle))


def report(database, articles, args, rows):
    print(
        f"\n=== {database}, {articles:,} articles, {args.workers} gunicorn workers x "
        f"{os.environ.get('GUNICORN_THREADS', '4')} threads, Redis cache, {args.users} users, {args.seconds} s"
    )
    print(f"{'request':<28} {'requests':>9} {'errors':>7} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7}")
    for row in rows:
        name = "all" if row["Name"] == "Aggregated" else row["Name"]
        print(
            f"{name:<28} {int(row['Request Count']):>9,} {int(row['Failure Count']):>7,} "
            f"{float(row['Requests/s']):>7.1f} {row['50%']:>7} {row['95%']:>7} {row['99%']:>7}"
        )


def one_database(database, args):
    BENCH.mkdir(exist_ok=True)
    if database == "sqlite":
        database_url = f"sqlite:///{BENCH / f'scale-{args.articles}.sqlite3'}"
    else:
        database_url = ensure_postgres_database(postgres_url(), f"scale_{args.articles}")
    with tempfile.TemporaryDirectory(prefix="portal-loadtest-") as scratch:
        scratch = Path(scratch)
        redis = subprocess.run(
            [str(ROOT / "scripts" / "redis.sh"), "start", str(scratch / "redis")], capture_output=True, text=True
        )
        if redis.returncode != 0:
            raise SystemExit(f"No Redis for the load test:\n{redis.stderr}")
        port = free_port()
        env = server_env(database_url, redis.stdout.strip(), port, args.workers)
        processes = []
        try:
            data = prepare(env, args.articles)
            (scratch / "data.json").write_text(json.dumps(data))
            processes = [
                subprocess.Popen([str(BIN / "gunicorn"), "-c", "deploy/gunicorn.conf.py"], cwd=ROOT, env=env),
                subprocess.Popen([str(BIN / "python"), "manage.py", "db_worker", "--no-reload"], cwd=ROOT, env=env),
            ]
            url = f"http://127.0.0.1:{port}"
            wait_ready(url, processes)
            report(database, args.articles, args, run_locust(url, scratch / "data.json", args, scratch))
        finally:
            for process in processes:
                process.send_signal(signal.SIGTERM)
            for process in processes:
                process.wait(timeout=60)
            subprocess.run([str(ROOT / "scripts" / "redis.sh"), "stop", str(scratch / "redis")], check=False)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=10_000, help="corpus size (bench/scale-N)")
    parser.add_argument("--databases", type=lambda v: v.split(","), default=["sqlite", "postgresql"])
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--users", type=int, default=40, help="simulated people at once (1 in 21 a curator)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes (WEB_CONCURRENCY)")
    args = parser.parse_args()
    for database in args.databases:
        one_database(database, args)
    if "postgresql" in args.databases:
        subprocess.run([str(ROOT / "scripts" / "postgres.sh"), "halt", str(BENCH / "postgres")], check=False)


if __name__ == "__main__":
    main()
