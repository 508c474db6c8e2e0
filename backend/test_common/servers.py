"""Start the app (or a helper) in a separate process, for tests that need one.

The live server of pytest-django runs in a thread of the test process; tests
about several processes, tracing or a missing database start real gunicorn
servers with these helpers instead.
"""

import os
import socket
import subprocess  # nosec B404 - tests start their own servers
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import requests
from django.db import connection

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_http(url: str, process: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server process exited with {process.returncode}")
        try:
            requests.get(url, timeout=2)
            return
        except requests.ConnectionError:
            time.sleep(0.1)
    raise TimeoutError(f"{url} did not answer within {timeout} s")


def test_database_url() -> str:
    """A DATABASE_URL for the database the current test run uses."""
    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{db['NAME']}"
    user = quote(db["USER"] or "", safe="")
    password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
    host = db["HOST"] or "localhost"
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{user}{password}@{host}{port}/{db['NAME']}"


@contextmanager
def gunicorn_server(env: dict[str, str] | None = None, workers: int = 1, log_path=None):
    """Serve backend.wsgi under gunicorn on a free port; yield its base URL."""
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    full_env = {
        **os.environ,
        "DATABASE_URL": test_database_url(),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        **(env or {}),
    }
    log = open(log_path, "wb") if log_path else subprocess.DEVNULL
    process = subprocess.Popen(  # nosec B603 - fixed argv
        [
            sys.executable,
            "-m",
            "gunicorn",
            "backend.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--no-control-socket",
        ],
        cwd=PROJECT_ROOT,
        env=full_env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for_http(f"{base_url}/api/health/", process)
        yield base_url
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if log_path:
            log.close()
