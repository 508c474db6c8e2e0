"""gunicorn settings: ``gunicorn backend.wsgi`` reads this file from the project root."""

import json
import os

import gunicorn.util

bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = 30
graceful_timeout = 30
keepalive = 5
accesslog = "-"
# One control socket per machine is gunicorn's default; several instances
# (tests, benchmarks, side-by-side deployments) must not fight over it.
control_socket_disable = True

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
