"""gunicorn settings: ``gunicorn backend.wsgi`` reads this file from the project root."""

import os

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
