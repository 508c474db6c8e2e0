"""The real queue: jobs wait in the database until a separate db_worker process runs them."""

import os
import subprocess  # nosec B404 - the test starts the project's own worker
import sys

import pytest
from django_tasks_db.models import DBTaskResult

from backend.core.tests.import_fakes import (
    DATABASE_TASKS,
    FakeCodewars,
    FakeLeetCode,
    at,
    fast_import_settings,
    start_import,
)
from backend.test_common import servers

pytestmark = pytest.mark.slow


@pytest.fixture(autouse=True)
def _database_queue(settings):
    fast_import_settings(settings)
    settings.TASKS = DATABASE_TASKS


def run_worker(settings) -> subprocess.CompletedProcess:
    """``manage.py db_worker --batch``: run every queued task, then exit."""
    env = {
        **os.environ,
        "DATABASE_URL": servers.test_database_url(),
        "TASKS_BACKEND": "database",
        "CODEWARS_API_URL": settings.CODEWARS_API_URL,
        "LEETCODE_GRAPHQL_URL": settings.LEETCODE_GRAPHQL_URL,
        "IMPORT_RETRY_BACKOFF": "0",
    }
    return subprocess.run(  # nosec B603 - fixed argv
        [sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay", "--no-reload"],
        cwd=servers.PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_worker_process_runs_queued_imports_start_to_finish(owner, httpserver, settings):
    codewars = FakeCodewars.serve(httpserver, settings)
    codewars.add_kata("50654ddff44f800200000004", "Multiply", rank="8 kyu")
    codewars.add_kata("5266876b8f4bf2da9b000362", "Who likes it?", rank="6 kyu")
    codewars.add_kata("52b7ed099cdc285c300001cd", "Sum of Intervals", rank="4 kyu")
    for day, kata in enumerate(codewars.katas, start=1):
        codewars.complete("alice", kata, at(day))
    FakeLeetCode.serve(httpserver, settings)  # knows no users

    imported = start_import(owner, "codewars", "alice")
    unknown = start_import(owner, "leetcode", "ghost")

    assert imported["status"] == unknown["status"] == "queued"
    assert owner.get("/api/questions/").json() == []
    assert DBTaskResult.objects.filter(status="READY").count() == 2

    worker = run_worker(settings)

    assert worker.returncode == 0, worker.stdout + worker.stderr
    imported = owner.get(f"/api/import/jobs/{imported['id']}/").json()
    assert imported["status"] == "succeeded", imported["error"]
    assert (imported["total"], imported["processed"], imported["questions_created"]) == (3, 3, 3)
    titles = {question["title"] for question in owner.get("/api/questions/").json()}
    assert titles == {"Multiply", "Who likes it?", "Sum of Intervals"}
    # A failed import is an outcome, not a crash: the worker went on to the next task.
    unknown = owner.get(f"/api/import/jobs/{unknown['id']}/").json()
    assert (unknown["status"], unknown["error"]) == (
        "failed",
        "LeetCode user 'ghost' does not exist.",
    )
    results = {result.task_result.args[0]: result for result in DBTaskResult.objects.all()}
    assert {job_id: result.status for job_id, result in results.items()} == {
        imported["id"]: "SUCCESSFUL",
        unknown["id"]: "SUCCESSFUL",
    }
    assert results[imported["id"]].task_result.return_value == "succeeded"
    assert results[unknown["id"]].task_result.return_value == "failed"


def test_a_job_and_its_task_are_queued_together(owner, settings):
    job = start_import(owner, "codewars", "alice")

    [task] = DBTaskResult.objects.all()
    assert task.task_path == "backend.core.imports.tasks.run_import_job"
    assert task.args_kwargs == {"args": [job["id"]], "kwargs": {}}
    assert owner.post("/api/import/codewars/", json={"username": ".bad"}).status_code == 400
    assert DBTaskResult.objects.count() == 1
