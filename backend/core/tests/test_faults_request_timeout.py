"""A request that runs past GUNICORN_TIMEOUT is cut off, and leaves nothing behind.

gunicorn's own timeout only notices a worker whose main loop stops; a gthread worker's
loop goes on while a thread runs a request, however long. gunicorn.conf.py therefore
ends a worker once one of its requests has run for the timeout. The server here runs
the test-only backend.test_common.pause_wsgi with a 3-second timeout: while the pause
file exists, a log's save stops inside its transaction, with the question's row locked
(and, on SQLite, the database's write lock held), for up to 30 s.
"""

import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from backend.core.models import QuestionLog
from backend.test_common.api import create_log, create_question
from backend.test_common.fixtures import PASSWORD, ApiClient
from backend.test_common.servers import gunicorn_process, wait_for_file

pytestmark = pytest.mark.slow

TIMEOUT = 3  # seconds; a worker must also boot within it (gunicorn's heartbeat)
SLACK = 5  # the watchdog's check interval, and a busy machine


@pytest.fixture
def pause_file(tmp_path) -> Path:
    return tmp_path / "pause-writes"


@pytest.fixture
def log_path(tmp_path) -> Path:
    return tmp_path / "gunicorn.log"


@pytest.fixture
def server(transactional_db, pause_file, log_path):
    with gunicorn_process(
        env={"TEST_PAUSE_IN_WRITES_FILE": str(pause_file), "GUNICORN_TIMEOUT": str(TIMEOUT)},
        wsgi_app="backend.test_common.pause_wsgi",
        log_path=log_path,
    ) as server:
        yield server


@pytest.fixture
def user(make_user):
    return make_user()


@pytest.fixture
def signed_in(server, user):
    """Sign ``user`` in on the server; each call is another client (another session)."""
    clients = []

    def sign_in() -> ApiClient:
        client = ApiClient(server.url)
        clients.append(client)
        credentials = {"username": user.username, "password": PASSWORD}
        assert client.post("/api/accounts/login/", json=credentials).status_code == 200
        return client

    yield sign_in
    for client in clients:
        client.close()


def test_a_request_past_the_timeout_is_cut_off_and_undone(server, signed_in, pause_file, log_path):
    slow, other = signed_in(), signed_in()
    question = create_question(slow)
    logs = f"/api/questions/{question['id']}/logs/"
    paused = Path(f"{pause_file}.paused")

    pause_file.touch()
    with ThreadPoolExecutor(max_workers=1) as pool:
        started = time.monotonic()
        request = pool.submit(slow.post, logs, json={"outcome": "Failed", "self_notes": "n0tes"})
        worker = int(wait_for_file(paused))

        # The pause would last 30 s; the request is cut off at the timeout instead.
        with pytest.raises(requests.ConnectionError):
            request.result(timeout=TIMEOUT + SLACK)
        elapsed = time.monotonic() - started
    pause_file.unlink()
    assert TIMEOUT <= elapsed < TIMEOUT + SLACK

    # Another session's write on the same question, right away: the cut request's
    # transaction was rolled back and its locks released (a write waiting on them
    # would be cut off in turn, or answer 503 on SQLite's busy timeout).
    assert create_log(other, question["id"], outcome="Solved")
    assert worker not in server.worker_pids()
    stored = other.get(f"/api/questions/{question['id']}/").json()
    assert (stored["attempts_count"], stored["solved_count"]) == (1, 1)
    assert [log["outcome"] for log in other.get(logs).json()] == ["Solved"]
    assert QuestionLog.objects.count() == 1

    # The log names the request by method and path, never its body.
    log = log_path.read_text()
    assert f"POST {logs}" in log and f"pid:{worker}" in log
    assert "n0tes" not in log


def test_requests_within_the_timeout_and_idle_connections_go_on(server, signed_in, pause_file):
    client = signed_in()
    question = create_question(client)
    workers = server.worker_pids()

    pause_file.touch()
    with ThreadPoolExecutor(max_workers=1) as pool:
        request = pool.submit(create_log, client, question["id"], outcome="Solved")
        wait_for_file(Path(f"{pause_file}.paused"))
        time.sleep(TIMEOUT / 2)
        pause_file.unlink()
        assert request.result(timeout=TIMEOUT + SLACK)["outcome"] == "Solved"

    # Idle time between requests on a kept-alive connection is no request's time.
    time.sleep(TIMEOUT + 1)
    assert client.get(f"/api/questions/{question['id']}/").json()["attempts_count"] == 1
    assert server.worker_pids() == workers
