"""A gunicorn worker killed in the middle of a write leaves nothing half-written.

The server runs the test-only backend.test_common.pause_wsgi with
TEST_PAUSE_IN_WRITES_FILE: while that file exists, a multi-row write stops inside
its transaction and writes its process id next to the file. The test SIGKILLs exactly that
process, lets gunicorn start a new worker, and checks through the API and the
database that the write left no rows behind.
"""

import os
import signal
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from backend.core.models import Question, QuestionLog
from backend.test_common.api import create_log, create_question, create_tag
from backend.test_common.fixtures import PASSWORD, ApiClient
from backend.test_common.servers import GunicornServer, gunicorn_process, wait_for_file

pytestmark = pytest.mark.slow


@pytest.fixture
def pause_file(tmp_path) -> Path:
    return tmp_path / "pause-writes"


@pytest.fixture
def server(transactional_db, pause_file):
    with gunicorn_process(
        env={"TEST_PAUSE_IN_WRITES_FILE": str(pause_file)},
        wsgi_app="backend.test_common.pause_wsgi",
    ) as server:
        yield server


@pytest.fixture
def client(server, make_user):
    user = make_user()
    with ApiClient(server.url) as client:
        credentials = {"username": user.username, "password": PASSWORD}
        assert client.post("/api/accounts/login/", json=credentials).status_code == 200
        yield client


def kill_mid_write(server: GunicornServer, client, pause_file: Path, path: str, body: dict):
    """POST ``body``; SIGKILL the worker while it is inside the write's transaction."""
    paused = Path(f"{pause_file}.paused")
    pause_file.touch()
    with ThreadPoolExecutor(max_workers=1) as pool:
        request = pool.submit(client.post, path, json=body, timeout=30)
        worker = int(wait_for_file(paused))
        assert worker in server.worker_pids()

        os.kill(worker, signal.SIGKILL)

        with pytest.raises(requests.ConnectionError):
            request.result(timeout=30)
    pause_file.unlink()
    paused.unlink()
    # The master starts a new worker; requests wait in the listen queue meanwhile.
    assert client.get("/api/health/", timeout=30).status_code == 200
    assert worker not in server.worker_pids()


def test_a_question_with_tags_is_all_or_nothing(server, client, pause_file):
    tags = [create_tag(client, "graphs")["id"], create_tag(client, "bfs")["id"]]
    question = {"title": "Word Ladder", "tag_ids": tags}

    kill_mid_write(server, client, pause_file, "/api/questions/", question)

    assert client.get("/api/questions/").json() == []
    assert not Question.objects.exists()
    assert not Question.tags.through.objects.exists()
    # The new worker writes normally.
    created = create_question(client, **question)
    assert sorted(tag["id"] for tag in created["tags"]) == sorted(tags)


def test_a_log_and_its_question_aggregates_are_all_or_nothing(server, client, pause_file):
    question = create_question(client)
    first = create_log(client, question["id"], outcome="Solved")

    kill_mid_write(
        server, client, pause_file, f"/api/questions/{question['id']}/logs/", {"outcome": "Failed"}
    )

    logs = client.get(f"/api/questions/{question['id']}/logs/").json()
    assert [log["id"] for log in logs] == [first["id"]]
    stored = client.get(f"/api/questions/{question['id']}/").json()
    assert (stored["attempts_count"], stored["solved_count"]) == (1, 1)
    assert QuestionLog.objects.count() == 1
    # The new worker writes normally, and the aggregates stay exact.
    create_log(client, question["id"], outcome="Failed")
    stored = client.get(f"/api/questions/{question['id']}/").json()
    assert (stored["attempts_count"], stored["solved_count"]) == (2, 1)
