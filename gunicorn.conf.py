"""gunicorn settings: ``gunicorn backend.wsgi`` reads this file from the project root."""

import gc
import json
import os

import gunicorn.util

bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))


def _default_threads() -> int:
    """4 threads per worker, but 1 on SQLite.

    SQLite lets one writer in at a time, and a thread waiting for its lock
    sleeps in SQLite's busy handler (up to 100 ms a try, woken in no order):
    with 4 threads per worker a few writes under load waited over a second. With
    one, waiting requests queue in gunicorn in order (docs/performance.md).
    """
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings")
    from django.conf import settings  # reads .env, as the app does

    return 1 if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3" else 4


# gthread even with one thread: it keeps connections alive, where the sync worker would not.
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS") or _default_threads())
timeout = 30
graceful_timeout = 30
keepalive = 5
accesslog = "-"
# One control socket per machine is gunicorn's default; several instances
# (tests, benchmarks, side-by-side deployments) must not fight over it.
control_socket_disable = True


def post_worker_init(worker):
    """The objects made while loading the app live as long as the worker: frozen, the
    garbage collector's full collections stop walking them on every request."""
    gc.freeze()


# gunicorn answers some requests itself, before Django sees them: a request line longer
# than limit_request_line (414), too many or too large headers (431), a malformed request
# (400). Its page for those is HTML; the API promises JSON, so they get the API's error body.


def _write_json_error(sock, status_int, reason, mesg):
    body = json.dumps({"detail": f"{reason}: {mesg}" if mesg else reason}).encode()
    head = (
        f"HTTP/1.1 {status_int} {reason}\r\nConnection: close\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    gunicorn.util.write_nonblock(sock, head.encode("latin-1") + body)


gunicorn.util.write_error = _write_json_error
