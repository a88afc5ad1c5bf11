"""The production stack, started for real from the files in deploy/: gunicorn from deploy/gunicorn.conf.py
by the command of deploy/systemd/portal-web.service, the background worker by portal-worker.service,
Redis as the shared cache, and nginx in front with deploy/nginx/portal-proxy.conf. Pages, static files,
the API and the probes are fetched through nginx, as a reader's browser and a load balancer would."""

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings

from tests.processes import fetch, free_port, production_env, server_database, unit_command, wait_until_up

BASE_DIR = Path(settings.BASE_DIR)
DEPLOY = BASE_DIR / "deploy"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
THROTTLE = 5  # anonymous API requests per minute in this stack


def static_is_collected(static_root):
    manifest = static_root / "staticfiles.json"
    if not manifest.exists():
        return False
    built = manifest.stat().st_mtime
    sources = [BASE_DIR / "requirements.txt", *(BASE_DIR / "static").rglob("*")]
    return all(source.stat().st_mtime <= built for source in sources)


def nginx_config(directory, listen, upstream):
    temp = directory / "nginx-temp"
    temp.mkdir()
    user = "user root;\n" if os.geteuid() == 0 else ""
    return f"""{user}daemon off;
worker_processes 1;
pid {directory}/nginx.pid;
error_log {directory}/nginx-error.log notice;
events {{ worker_connections 256; }}
http {{
    access_log {directory}/nginx-access.log;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    upstream portal_web {{ server 127.0.0.1:{upstream}; keepalive 16; }}
    server {{
        listen 127.0.0.1:{listen};
        server_name localhost;
        include {DEPLOY}/nginx/portal-proxy.conf;
    }}
}}
"""


@pytest.fixture(scope="module")
def stack(tmp_path_factory, redis_url):
    if not Path(NGINX).exists():
        pytest.skip(f"no nginx at {NGINX}: scripts/test.sh installs Debian's nginx as root")
    directory = tmp_path_factory.mktemp("stack")
    database_url, drop_database = server_database(directory)
    web_port, proxy_port = free_port(), free_port()
    static_root = BASE_DIR / "staticfiles"
    env = production_env(
        database_url,
        directory,
        # A Redis database of its own: the suite's tests empty theirs.
        DJANGO_CACHE_URL=redis_url.rsplit("/", 1)[0] + "/15",
        DJANGO_CACHE_KEY_PREFIX=f"serve-{uuid.uuid4().hex[:8]}",
        DJANGO_STATIC_ROOT=str(static_root),
        DJANGO_NUM_PROXIES="1",
        DJANGO_LOG_FORMAT="json",
        API_ANON_RATE=f"{THROTTLE}/minute",
        PORT=str(web_port),
        WEB_CONCURRENCY="2",
    )
    manage = [sys.executable, "manage.py"]
    for step in (["migrate", "--noinput"], ["load_demo"]):
        subprocess.run(manage + step, cwd=BASE_DIR, env=env, check=True, capture_output=True, timeout=600)
    if not static_is_collected(static_root):
        subprocess.run([*manage, "collectstatic", "--noinput", "-v0"], cwd=BASE_DIR, env=env, check=True, timeout=600)
    (directory / "nginx.conf").write_text(nginx_config(directory, proxy_port, web_port))
    logs = {name: (directory / f"{name}.log").open("w") for name in ("web", "worker", "nginx")}
    processes = [
        subprocess.Popen(
            unit_command("portal-web.service"), cwd=BASE_DIR, env=env, stderr=logs["web"], stdout=logs["web"]
        ),
        subprocess.Popen(
            unit_command("portal-worker.service"), cwd=BASE_DIR, env=env, stderr=logs["worker"], stdout=logs["worker"]
        ),
        subprocess.Popen([NGINX, "-c", str(directory / "nginx.conf")], stderr=logs["nginx"], stdout=logs["nginx"]),
    ]
    try:
        wait_until_up(f"http://127.0.0.1:{proxy_port}/healthz", processes)
        yield {
            "url": f"http://127.0.0.1:{proxy_port}",
            "direct": f"http://127.0.0.1:{web_port}",
            "logs": directory,
            "processes": processes,
        }
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        for log in logs.values():
            log.close()
        drop_database()


def test_pages_static_files_and_the_api_come_through_nginx_from_gunicorn(stack):
    status, headers, body = fetch(stack["url"] + "/")
    assert status == 200
    assert headers["Server"].startswith("nginx")
    assert "Content-Security-Policy" in headers
    page = body.decode()
    stylesheet = re.search(r'href="(/static/css/portal\.[0-9a-f]{12}\.css)"', page)
    assert stylesheet, "whitenoise's hashed file names, from collectstatic's manifest"
    status, headers, _ = fetch(stack["url"] + stylesheet.group(1), headers={"Accept-Encoding": "gzip"})
    assert (status, headers.get("Content-Encoding")) == (200, "gzip")
    assert "immutable" in headers["Cache-Control"]

    status, _, body = fetch(stack["url"] + "/articles/?q=lenalidomide")
    assert status == 200
    assert "Immunomodulatory drugs in multiple myeloma" in body.decode()
    status, _, body = fetch(stack["url"] + "/api/v1/articles/?q=pomalidomide")
    assert status == 200
    assert json.loads(body)["count"] == 1


def test_the_probes_answer_through_the_proxy_and_directly(stack):
    for base in (stack["url"], stack["direct"]):
        status, _, body = fetch(base + "/readyz", headers={"Host": "10.0.0.7"})
        assert (status, json.loads(body)["status"]) == (200, "ready")
        assert json.loads(body)["checks"] == {"database": "ok", "cache": "ok", "migrations": "ok"}


def test_one_request_id_runs_through_nginx_gunicorn_and_the_portals_log(stack):
    status, headers, _ = fetch(stack["url"] + "/articles/999999999/")
    assert status == 404
    request_id = headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", request_id), "nginx's $request_id, kept by the portal"
    time.sleep(0.5)
    web_log = (stack["logs"] / "web.log").read_text()
    access = [line for line in web_log.splitlines() if f"request_id={request_id}" in line]
    assert len(access) == 1 and '"GET /articles/999999999/ HTTP/1.1" 404' in access[0]
    portal_lines = [json.loads(line) for line in web_log.splitlines() if line.startswith("{")]
    not_found = [line for line in portal_lines if line["request_id"] == request_id]
    assert not_found and not_found[0]["logger"] == "django.request" and not_found[0]["level"] == "WARNING"


def test_the_api_throttle_is_shared_by_the_worker_processes_through_redis(stack):
    # Straight to gunicorn, as from behind one proxy: the last X-Forwarded-For entry is the client.
    # Asked until each of the two worker processes has answered more than the limit: with a cache of
    # its own, each would let the limit through; sharing one, together they let it through once.
    client, statuses, served_by = "203.0.113.77", [], {}
    while len(statuses) < 300:
        for n in range(10):
            status, headers, _ = fetch(
                stack["direct"] + "/api/v1/keywords/", headers={"X-Forwarded-For": f"10.0.0.{n}, {client}"}
            )
            statuses.append(status)
            served_by[headers["X-Request-ID"]] = None
        time.sleep(0.3)  # the access log line is written after the response
        for line in (stack["logs"] / "web.log").read_text().splitlines():
            if (match := re.search(r"pid=<(\d+)> request_id=(\w+)", line)) and match.group(2) in served_by:
                served_by[match.group(2)] = match.group(1)
        per_process = [list(served_by.values()).count(pid) for pid in set(served_by.values()) - {None}]
        if len(per_process) == 2 and min(per_process) > THROTTLE:
            break
    else:
        pytest.fail(f"requests did not reach both worker processes: {per_process}")
    assert statuses.count(200) == THROTTLE
    assert statuses[:THROTTLE] == [200] * THROTTLE
    assert set(statuses[THROTTLE:]) == {429}


def test_the_background_worker_runs_beside_the_web_server(stack):
    worker = stack["processes"][1]
    assert worker.poll() is None
    time.sleep(0.5)
    assert "Starting worker" in (stack["logs"] / "worker.log").read_text()
