"""WSGI entry point for production servers (gunicorn, uWSGI, mod_wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

application = get_wsgi_application()

from portal.startup import settle_process  # noqa: E402 (needs the settings configured above)

settle_process()
