"""Two app server processes on one database behave as one service.

Sessions, aggregates and failed-sign-in counts live in the database, so any
server sees what another wrote at once; an import job queued through either
server is run by exactly one of two concurrent ``db_worker`` processes. Runs on
the test run's database: the shared SQLite file, or PostgreSQL on the CI's second run.
"""

import os
import re
import signal
import subprocess  # nosec B404 - the test starts the project's own workers
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from copy import copy
from pathlib import Path

import pytest
from django_tasks_db.models import DBTaskResult
from requests.adapters import HTTPAdapter

from backend.core.imports.models import ImportJob
from backend.core.models import Question, QuestionLog
from backend.core.tests.import_fakes import CODEWARS_PREFIX, FINISHED, FakeCodewars, at
from backend.test_common import servers
from backend.test_common.api import create_log, create_question
from backend.test_common.fixtures import PASSWORD, ApiClient

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

LOGIN = "/api/accounts/login/"
LOGIN_FAILURE_LIMIT = 3


@pytest.fixture(scope="module")
def two_servers(django_db_setup):
    """Servers A and B: separate gunicorn processes on the test database."""
    env = {"LOGIN_FAILURE_LIMIT": str(LOGIN_FAILURE_LIMIT), "TASKS_BACKEND": "database"}
    with servers.gunicorn_server(env=env) as a, servers.gunicorn_server(env=env) as b:
        yield a, b


@pytest.fixture
def clients(two_servers):
    with ApiClient(two_servers[0]) as on_a, ApiClient(two_servers[1]) as on_b:
        yield on_a, on_b


def sign_in(client: ApiClient, user) -> ApiClient:
    credentials = {"username": user.username, "password": PASSWORD}
    assert client.post(LOGIN, json=credentials).status_code == 200
    return client


def aggregates(client: ApiClient, question_id: int) -> tuple[int, int]:
    question = client.get(f"/api/questions/{question_id}/").json()
    return question["attempts_count"], question["solved_count"]


# --- Sessions, aggregates, sign-in limits ----------------------------------------


def test_a_session_made_on_one_server_is_valid_on_the_other(clients, make_user):
    on_a, on_b = clients
    user = make_user()
    sign_in(on_a, user)
    # What a browser behind a load balancer does: the same cookies, to whichever server.
    for cookie in on_a.cookies:  # sessionid and csrftoken
        on_b.cookies.set_cookie(copy(cookie))

    identity = on_b.get("/api/accounts/identity/").json()
    assert (identity["authenticated"], identity["user"]["username"]) == (True, user.username)
    assert on_b.post("/api/tags/", json={"name": "heaps"}).status_code == 201
    assert [tag["name"] for tag in on_a.get("/api/tags/").json()] == ["heaps"]

    assert on_b.post("/api/accounts/logout/").status_code == 204
    assert on_a.get("/api/accounts/identity/").json()["authenticated"] is False


def test_a_log_written_through_one_server_is_seen_at_once_through_the_other(clients, make_user):
    on_a, on_b = clients
    user = make_user()
    sign_in(on_a, user), sign_in(on_b, user)
    question = create_question(on_a)["id"]

    expected = (0, 0)
    for writer, reader, outcome in [
        (on_a, on_b, "Solved"),
        (on_b, on_a, "Failed"),
        (on_a, on_b, "Solved"),
        (on_b, on_a, "Partial"),
    ]:
        create_log(writer, question, outcome=outcome)
        expected = (expected[0] + 1, expected[1] + (outcome == "Solved"))
        assert aggregates(reader, question) == expected

    # Concurrent writers on both servers: every log counted, on both.
    def post(n: int):
        client = (on_a, on_b)[n % 2]
        outcome = "Solved" if n % 4 < 2 else "Failed"
        return client.post(f"/api/questions/{question}/logs/", json={"outcome": outcome})

    for client in clients:
        client.mount("http://", HTTPAdapter(pool_maxsize=8))
    with ThreadPoolExecutor(max_workers=16) as pool:
        statuses = [response.status_code for response in pool.map(post, range(16))]

    assert statuses == [201] * 16
    assert aggregates(on_a, question) == aggregates(on_b, question) == (20, 10)
    stored = Question.objects.get(pk=question)
    assert (stored.attempts_count, stored.solved_count) == (20, 10)


def test_failed_sign_ins_count_across_servers(clients, make_user):
    on_a, on_b = clients
    user = make_user()
    wrong = {"username": user.username, "password": "wrong-password"}  # pragma: allowlist secret
    for client in (on_a, on_b, on_a):  # LOGIN_FAILURE_LIMIT failures, spread over both
        assert client.post(LOGIN, json=wrong).status_code == 400

    right = {"username": user.username, "password": PASSWORD}
    assert on_b.post(LOGIN, json=right).status_code == 429
    assert on_a.post(LOGIN, json=right).status_code == 429


# --- Import jobs and two workers -------------------------------------------------


class CountingCodewars(FakeCodewars):
    """The fake Codewars, a little slow (so jobs overlap), counting list reads per user."""

    delay = 0.1

    def __init__(self):
        super().__init__()
        self.listings = Counter()

    def handle(self, request):
        time.sleep(self.delay)
        if match := re.search(r"/users/([^/]+)/code-challenges/completed", request.path):
            self.listings[match.group(1)] += 1
        return super().handle(request)


@contextmanager
def db_worker(worker_id: str, env: dict[str, str], log_path: Path):
    """A long-running ``manage.py db_worker`` that polls every 0.1 s."""
    with open(log_path, "wb") as log:
        process = subprocess.Popen(  # nosec B603 - fixed argv
            [
                sys.executable,
                "manage.py",
                "db_worker",
                "--worker-id",
                worker_id,
                "--interval",
                "0.1",
                "--no-startup-delay",
                "--no-reload",
            ],
            cwd=servers.PROJECT_ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            yield process
        finally:
            process.send_signal(signal.SIGTERM)  # a graceful stop between tasks
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def wait_until_started(process: subprocess.Popen, log_path: Path, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while b"Starting worker" not in log_path.read_bytes():
        assert process.poll() is None, log_path.read_text()
        assert time.monotonic() < deadline, f"the worker did not start within {timeout} s"
        time.sleep(0.05)


def wait_for_jobs(count: int, timeout: float = 60) -> list[ImportJob]:
    deadline = time.monotonic() + timeout
    while True:
        jobs = list(ImportJob.objects.order_by("pk"))
        if len(jobs) == count and all(job.status in FINISHED for job in jobs):
            return jobs
        assert time.monotonic() < deadline, [(job.pk, job.status) for job in jobs]
        time.sleep(0.1)


def test_each_import_job_is_run_by_exactly_one_of_two_workers(
    clients, make_user, httpserver, tmp_path
):
    codewars = CountingCodewars()
    httpserver.expect_request(re.compile(f"^{CODEWARS_PREFIX}/.*")).respond_with_handler(
        codewars.handle
    )
    codewars.add_kata("50654ddff44f800200000004", "Multiply", rank="8 kyu")
    codewars.add_kata("5266876b8f4bf2da9b000362", "Who likes it?", rank="6 kyu")
    accounts = [f"coder{n}" for n in range(6)]
    for account in accounts:
        for day, kata in enumerate(codewars.katas, start=1):
            codewars.complete(account, kata, at(day))
    env = {
        **os.environ,
        "DATABASE_URL": servers.test_database_url(),
        "TASKS_BACKEND": "database",
        "CODEWARS_API_URL": httpserver.url_for(CODEWARS_PREFIX),
        "IMPORT_RETRY_BACKOFF": "0",
    }

    with ExitStack() as stack:
        # One user per account, signed in on server A or B in turn.
        users = [
            sign_in(stack.enter_context(ApiClient(clients[n % 2].base_url)), make_user())
            for n in range(len(accounts))
        ]
        logs = {worker_id: tmp_path / f"{worker_id}.log" for worker_id in ("worker-a", "worker-b")}
        workers = [(stack.enter_context(db_worker(w, env, log)), log) for w, log in logs.items()]
        for process, log in workers:
            wait_until_started(process, log)
        # Queued back to back, so that both workers find work while the other is busy.
        for user, account in zip(users, accounts, strict=True):
            response = user.post("/api/import/codewars/", json={"username": account})
            assert response.status_code == 202, response.text
        jobs = wait_for_jobs(len(accounts))

    assert {
        (job.status, job.processed, job.questions_created, job.logs_created) for job in jobs
    } == {("succeeded", 2, 2, 2)}
    # Nothing imported twice: each user has each kata once, with one log.
    assert Question.objects.count() == QuestionLog.objects.count() == 2 * len(accounts)
    assert codewars.listings == Counter(accounts)
    # One claim per task (a second claim would append a second worker id), and both
    # workers took tasks: they really ran side by side.
    tasks = list(DBTaskResult.objects.all())
    assert len(tasks) == len(accounts)
    assert {(task.status, len(task.worker_ids)) for task in tasks} == {("SUCCESSFUL", 1)}
    assert {task.worker_ids[0] for task in tasks} == {"worker-a", "worker-b"}
