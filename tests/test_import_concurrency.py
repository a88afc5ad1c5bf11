"""Imports beside everyone else, with real processes on a database they share (a SQLite file in the
SQLite run, a PostgreSQL database in the PostgreSQL run): curators' API writes and scripts' reads all
succeed while a large file imports, each write applied once; a killed import leaves no process behind
and is undone on the worker's next start."""

import json
import os
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from literature.devdata.synthetic_pubmed import write_pubmed_file
from tests.processes import (
    BASE_DIR,
    fetch,
    free_port,
    manage,
    production_env,
    server_database,
    unit_command,
    wait_until_up,
)

# The audit's figure is 20,000 records (about two minutes of importing here); TEST_IMPORT_RECORDS
# makes it smaller while developing.
RECORDS = int(os.environ.get("TEST_IMPORT_RECORDS", "20000"))
WRITES, READS = 50, 200

SETUP = """
import json
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from literature.devdata.corpus import generate_corpus
from literature.models import ApiToken, Article
generate_corpus(60, seed=3, batch_size=60)
curator = get_user_model().objects.create_user("curator", password="a-long-test-password", is_staff=True)
curator.groups.add(Group.objects.get(name="Curators"))
_, key = ApiToken.issue(curator, "concurrent writes")
ids = list(Article.objects.public().order_by("pk").values_list("pk", flat=True)[:50])
print(json.dumps({"token": key, "articles": ids}))
"""

STATE = """
import json
from literature.models import Article, ImportBatch
titles = dict(Article.objects.filter(title__startswith="Edited while importing").values_list("pk", "title"))
edits = Article.history.filter(title__startswith="Edited while importing").count()
print(json.dumps({"articles": Article.objects.count(), "titles": titles, "edits": edits,
                  "batches": ImportBatch.objects.count()}))
"""


@pytest.fixture(scope="module")
def shared_database(tmp_path_factory):
    directory = tmp_path_factory.mktemp("concurrent")
    url, drop = server_database(directory)
    env = production_env(url, directory, DJANGO_IMPORT_PROGRESS_DIR=str(directory / "progress"))
    manage("migrate", "--noinput", env=env)
    yield {"env": env, "directory": directory}
    drop()


def shell(code, env):
    return json.loads(manage("shell", "-c", code, env=env).stdout.strip().splitlines()[-1])


def test_api_writes_and_token_reads_all_succeed_while_a_large_file_imports(shared_database):
    env, directory = shared_database["env"], shared_database["directory"]
    made = shell(SETUP, env)
    records = directory / "large.xml"
    write_pubmed_file(records, RECORDS, seed=11)
    port = free_port()
    web_env = {**env, "PORT": str(port), "WEB_CONCURRENCY": "2", "GUNICORN_THREADS": "4"}
    log = (directory / "web.log").open("w")
    web = subprocess.Popen(unit_command("portal-web.service"), cwd=BASE_DIR, env=web_env, stdout=log, stderr=log)
    importer = None
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_up(f"{base}/healthz", [web])
        importer = subprocess.Popen(
            [sys.executable, "manage.py", "import_records", str(records), "--state", "approved"],
            cwd=BASE_DIR,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        auth = {"Authorization": f"Bearer {made['token']}", "Accept": "application/json"}
        wait_until_writing(base, auth, importer, before=60)

        def write(number):
            url = f"{base}/api/v1/articles/{made['articles'][number]}/"
            status, headers, _ = fetch(url, auth)
            assert status == 200
            change = json.dumps({"title": f"Edited while importing {number}"}).encode()
            return fetch(
                url, {**auth, "Content-Type": "application/json", "If-Match": headers["ETag"]}, change, "PATCH"
            )

        def read(number):
            return fetch(f"{base}/api/v1/articles/?page_size=5&year_from={2000 + number % 20}", auth)

        lock, statuses = threading.Lock(), []

        def run(job):
            kind, number = job
            began = time.monotonic()
            status = (write if kind == "write" else read)(number)[0]
            with lock:
                statuses.append((kind, number, status, time.monotonic() - began))

        jobs = [("write", n) for n in range(WRITES)] + [("read", n) for n in range(READS)]
        jobs.sort(key=lambda job: job[1] * (READS // WRITES) if job[0] == "write" else job[1])
        started = time.monotonic()
        with ThreadPoolExecutor(4) as pool:
            list(pool.map(run, jobs))
        print(
            f"{WRITES} writes and {READS} reads in {time.monotonic() - started:.1f} s during the import;",
            latencies(statuses),
        )
        still_importing = importer.poll() is None
        output, _ = importer.communicate(timeout=1800)
    finally:
        if importer and importer.poll() is None:
            importer.kill()
        web.send_signal(signal.SIGTERM)
        web.wait(timeout=60)
        log.close()
    failed = [entry for entry in statuses if not 200 <= entry[2] < 300]
    assert failed == [], (directory / "web.log").read_text()[-3000:]
    assert len(statuses) == WRITES + READS
    assert still_importing, "the import finished before the requests did: it proved nothing (raise the records)"
    assert importer.returncode == 0, output
    assert f"{RECORDS} created" in output.replace(",", ""), output
    state = shell(STATE, env)
    assert state["titles"] == {str(made["articles"][n]): f"Edited while importing {n}" for n in range(WRITES)}
    assert state["edits"] == WRITES  # each write applied exactly once
    assert state["articles"] == 60 + RECORDS
    assert state["batches"] == 0


def latencies(statuses):
    """p50 / p95 / max in ms of each kind of request (printed for the record, never asserted)."""
    parts = []
    for kind in ("write", "read"):
        times = sorted(1000 * entry[3] for entry in statuses if entry[0] == kind)
        parts.append(
            f"{kind}s p50 {times[len(times) // 2]:.0f} p95 {times[int(len(times) * 0.95)]:.0f} max {times[-1]:.0f} ms"
        )
    return ", ".join(parts)


def wait_until_writing(base, auth, importer, before, seconds=600):
    """Until the import's first chunk is committed (the API counts more articles than `before`)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if importer.poll() is not None:
            pytest.fail(f"the import ended before writing: {importer.communicate()[0]}")
        status, _, body = fetch(f"{base}/api/v1/articles/?page_size=1", auth)
        if status == 200 and json.loads(body).get("count", 0) > before:
            return
        time.sleep(0.5)
    pytest.fail(f"the import did not write within {seconds} s")


def process_status(pid):
    try:
        with open(f"/proc/{pid}/status") as status:
            return dict(line.split(":\t", 1) for line in status.read().splitlines() if ":\t" in line)
    except OSError:
        return None


def children_of(pid):
    return [
        int(entry)
        for entry in os.listdir("/proc")
        if entry.isdigit() and (process_status(entry) or {}).get("PPid") == str(pid)
    ]


def is_running(pid):
    """Alive and not a zombie (a dead child whose parent, here init, has not collected it yet)."""
    status = process_status(pid)
    return status is not None and not status.get("State", "").startswith("Z")


def test_a_killed_import_leaves_no_process_and_the_next_worker_start_undoes_it(shared_database):
    env, directory = shared_database["env"], shared_database["directory"]
    before = shell(STATE, env)["articles"]
    records = directory / "killed.xml"
    # Parsed by a second process, still reading when the first chunk is in; new PMIDs: new articles.
    write_pubmed_file(records, 6000, seed=12, first_pmid=50_000_000)
    importer = subprocess.Popen(
        [sys.executable, "manage.py", "import_records", str(records)],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 300
    readers = set()

    def first_chunk_committed():
        # The reader is looked for on every round, not only once the chunk is in: on a loaded machine it
        # may have parsed the whole file (and ended) before the writer committed its first chunk.
        readers.update(children_of(importer.pid))
        count = "from literature.models import ImportBatchArticle as N; print(N.objects.count())"
        return shell(count, env) != 0

    while not first_chunk_committed():
        assert importer.poll() is None and time.monotonic() < deadline, "the import never committed a chunk"
        time.sleep(0.5)
    readers.update(children_of(importer.pid))
    assert readers, "the file was not read by a second process"
    importer.send_signal(signal.SIGKILL)
    importer.wait(timeout=30)
    deadline = time.monotonic() + 10
    while any(is_running(pid) for pid in readers):
        assert time.monotonic() < deadline, f"the reader process outlived the import: {readers}"
        time.sleep(0.2)
    assert shell(STATE, env)["articles"] > before  # committed chunks of a file that is not in
    recovered = manage("recover_imports", env=env)
    assert "1 abandoned import(s) undone" in recovered.stdout
    state = shell(STATE, env)
    assert (state["articles"], state["batches"]) == (before, 0)
