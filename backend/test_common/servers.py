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
from dataclasses import dataclass
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
        # A worker still starting up (ddtrace's first import on a busy machine)
        # may accept the connection and answer after the read timeout.
        except (requests.ConnectionError, requests.Timeout):
            time.sleep(0.1)
    raise TimeoutError(f"{url} did not answer within {timeout} s")


def wait_for_file(path: Path, timeout: float = 15) -> str:
    """The text of ``path`` once a server process has written it (pause_wsgi's pid)."""
    deadline = time.monotonic() + timeout
    while not path.exists() or not path.read_text():
        assert time.monotonic() < deadline, f"{path} did not appear within {timeout} s"
        time.sleep(0.02)
    return path.read_text()


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


@dataclass
class GunicornServer:
    """A running gunicorn: its base URL and master process."""

    url: str
    process: subprocess.Popen

    @property
    def pid(self) -> int:
        return self.process.pid

    def worker_pids(self) -> set[int]:
        """The master's children: its worker processes (Linux /proc)."""
        return child_pids(self.pid)


def child_pids(parent: int) -> set[int]:
    children = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            # "pid (comm) state ppid ...": comm may hold spaces, so split after its ")".
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):  # the process ended meanwhile
            continue
        if int(fields[1]) == parent:
            children.add(int(stat.parent.name))
    return children


@contextmanager
def gunicorn_server(env: dict[str, str] | None = None, workers: int = 1, log_path=None):
    """Serve backend.wsgi under gunicorn on a free port; yield its base URL."""
    with gunicorn_process(env=env, workers=workers, log_path=log_path) as server:
        yield server.url


@contextmanager
def gunicorn_process(
    env: dict[str, str] | None = None,
    workers: int = 1,
    log_path=None,
    wsgi_app: str = "backend.wsgi",
):
    """Like ``gunicorn_server``, but yield a ``GunicornServer`` (URL and processes).

    ``wsgi_app`` may name a test-only entry instead (e.g. backend.test_common.pause_wsgi).
    """
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
            wsgi_app,
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
        yield GunicornServer(base_url, process)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if log_path:
            log.close()
