"""gunicorn settings: ``gunicorn backend.wsgi`` reads this file from the project root."""

import gc
import json
import os
import threading
import time

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
# The longest a request may run, in seconds (0: no limit); see "The request timeout" below.
timeout = int(os.environ.get("GUNICORN_TIMEOUT") or 30)
graceful_timeout = 30
keepalive = 5
accesslog = "-"
# One control socket per machine is gunicorn's default; several instances
# (tests, benchmarks, side-by-side deployments) must not fight over it.
control_socket_disable = True


def post_worker_init(worker):
    """The objects made while loading the app live as long as the worker: frozen, the
    garbage collector's full collections stop walking them on every request. Then the
    worker starts watching its requests' time."""
    gc.freeze()
    if worker.cfg.timeout:
        threading.Thread(
            target=_end_worker_past_the_timeout, args=(worker,), name="request-timeout", daemon=True
        ).start()


# --- The request timeout -------------------------------------------------------------------
# gunicorn's `timeout` ends a worker whose main loop stops beating. A gthread worker's loop
# goes on beating while its threads run requests, so on its own gunicorn never ends a long
# request. Each worker therefore watches its requests: once one has run `timeout` seconds,
# the worker logs it and exits at once, as gunicorn's timeout would end a sync worker. The
# operating system closes its connections and releases its locks: SQLite's write lock goes,
# PostgreSQL rolls the transaction back. The other requests the worker was running are cut
# off too. The arbiter starts a new worker.

_running_lock = threading.Lock()
_running: dict[int, tuple[float, str, str]] = {}  # thread -> (start, method, path)


def pre_request(worker, req):
    """Runs in the request's thread, once its head has been read."""
    worker.log.debug("%s %s", req.method, req.path)
    with _running_lock:
        _running[threading.get_ident()] = (time.monotonic(), req.method, req.path)


def post_request(worker, req, environ, resp):
    """Runs in the request's thread once the answer has been sent (or has failed)."""
    with _running_lock:
        _running.pop(threading.get_ident(), None)


def _end_worker_past_the_timeout(worker) -> None:
    limit = worker.cfg.timeout
    while True:
        time.sleep(min(1.0, limit / 4))
        now = time.monotonic()
        with _running_lock:
            running = [(now - start, method, path) for start, method, path in _running.values()]
        if running and max(running)[0] >= limit:
            ran, method, path = max(running)
            # The method and path only: a query string or a body may hold personal data.
            worker.log.critical(
                "REQUEST TIMEOUT (pid:%s): %s %s ran %.1f s, past the %s s limit; the worker "
                "exits (requests cut off: %s) and a new one takes its place.",
                os.getpid(),
                method,
                path,
                ran,
                limit,
                len(running),
            )
            os._exit(1)


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
