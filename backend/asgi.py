"""ASGI entry point: ``uvicorn backend.asgi:application``."""

import os

from backend.apm import enable_if_configured

enable_if_configured()
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings")

from django.core.asgi import get_asgi_application  # noqa: E402  (after the APM hook)

application = get_asgi_application()
