"""Optional Datadog APM.

``enable_if_configured()`` runs in ``manage.py``, ``wsgi.py`` and ``asgi.py``
before Django loads, so ddtrace can patch Django as it is imported. With
``DD_TRACE_ENABLED`` off or ddtrace missing, nothing is imported.
"""

import logging
import os
from pathlib import Path

from dotenv import load_dotenv

logger = logging.getLogger(__name__)


def enable_if_configured() -> bool:
    load_dotenv(Path(__file__).resolve().parent.parent / ".env", override=False)
    if os.environ.get("DD_TRACE_ENABLED", "").strip().lower() not in {"1", "true", "yes", "on"}:
        return False
    try:
        import ddtrace.auto  # noqa: F401  (patches supported libraries on import)
    except ImportError:
        logger.warning("DD_TRACE_ENABLED is set but ddtrace is not installed; tracing is off.")
        return False
    return True
