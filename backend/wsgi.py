"""WSGI entry point: ``gunicorn backend.wsgi``."""

import os

from backend.apm import enable_if_configured

enable_if_configured()
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings")

from django.core.wsgi import get_wsgi_application  # noqa: E402  (after the APM hook)

application = get_wsgi_application()
