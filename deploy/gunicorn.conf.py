"""gunicorn's configuration for the portal: `make serve` and deploy/systemd/portal-web.service start
gunicorn with `-c deploy/gunicorn.conf.py`. Every value can be set from the environment."""

import os

wsgi_app = "portal.wsgi:application"
bind = os.environ.get("GUNICORN_BIND") or f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
# Processes: each holds its own database connection(s) and copy of the drug-name automaton (~150 MB once
# built); 2 x cores is a fair start for a machine that does nothing else.
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
# Threads per process: a reader on a slow line, a CSV export streaming for minutes or a background
# cache refresh does not hold up the others, and the master keeps hearing from the worker meanwhile
# (a sync worker would be killed after `timeout` in the middle of a long export).
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "120"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = 5
# A worker is replaced after this many requests (0: never), so that slow leaks cannot grow forever.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "0"))
max_requests_jitter = max_requests // 10

# gunicorn's control socket (gunicornc) is not used: signals do (HUP to reload, TERM to stop), and its
# default place, the home directory, is not writable under the systemd unit's ProtectSystem=strict.
control_socket_disable = True

# The proxy in front (deploy/nginx/) talks to us on loopback and says which requests came over HTTPS.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# Logs on stderr, to the journal: one access line per request (GUNICORN_ACCESS_LOG= empty: none) with
# its id (the X-Request-ID the portal sets on every response, as in its own log lines) and time in ms.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = '%(h)s "%(r)s" %(s)s %(B)s %(M)sms pid=%(p)s request_id=%({x-request-id}o)s "%(a)s"'
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"line": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # The names of gunicorn's own default handlers, so that its defaults (root included) use these.
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "line"},
        "error_console": {"class": "logging.StreamHandler", "formatter": "line"},
    },
    "root": {"level": "INFO", "handlers": ["console"]},
    "loggers": {
        "gunicorn.error": {"handlers": ["error_console"], "level": loglevel.upper(), "propagate": False},
        # With a logging dict gunicorn always writes access lines: an empty GUNICORN_ACCESS_LOG drops them here.
        "gunicorn.access": {"handlers": ["console"] if accesslog else [], "level": "INFO", "propagate": False},
    },
}
