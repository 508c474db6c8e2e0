"""Cancelling an import: queued or mid-run, what was saved stays, finished jobs are a 409."""

import pytest

from backend.core.imports.models import ImportJob
from backend.core.imports.tasks import run_import_job
from backend.core.models import Question
from backend.core.tests.import_fakes import (
    CODEWARS_PREFIX,
    DATABASE_TASKS,
    FakeCodewars,
    at,
    fast_import_settings,
    run_import,
    start_import,
    wait_for_job,
)

LIKES_PATH = f"{CODEWARS_PREFIX}/code-challenges/5266876b8f4bf2da9b000362"
MULTIPLY_PATH = f"{CODEWARS_PREFIX}/code-challenges/50654ddff44f800200000004"


@pytest.fixture(autouse=True)
def _fast(settings):
    fast_import_settings(settings)


@pytest.fixture
def queued_only(settings):
    settings.TASKS = DATABASE_TASKS


@pytest.fixture
def codewars(httpserver, settings) -> FakeCodewars:
    """Alice completed three katas; the import reads them newest first."""
    fake = FakeCodewars.serve(httpserver, settings)
    fake.add_kata("50654ddff44f800200000004", "Multiply", rank="8 kyu")
    fake.add_kata("5266876b8f4bf2da9b000362", "Who likes it?", rank="6 kyu")
    fake.add_kata("52b7ed099cdc285c300001cd", "Sum of Intervals", rank="4 kyu")
    fake.complete("alice", "50654ddff44f800200000004", at(1))
    fake.complete("alice", "5266876b8f4bf2da9b000362", at(2))
    fake.complete("alice", "52b7ed099cdc285c300001cd", at(3))
    return fake


def cancel(client, job_id: int):
    return client.post(f"/api/import/jobs/{job_id}/cancel/")


def test_a_queued_job_is_cancelled_and_its_task_then_does_nothing(owner, queued_only):
    job = start_import(owner, "codewars", "alice")

    response = cancel(owner, job["id"])

    assert response.status_code == 200
    cancelled = response.json()
    assert cancelled == {
        **job,
        "status": "cancelled",
        "finished_at": cancelled["finished_at"],
    }
    assert cancelled["finished_at"] is not None
    assert owner.get(f"/api/import/jobs/{job['id']}/").json() == cancelled
    assert run_import_job.call(job["id"]) == "skipped"
    assert owner.get(f"/api/import/jobs/{job['id']}/").json() == cancelled


def test_cancelling_twice_answers_the_cancelled_job_again(owner, queued_only):
    job = start_import(owner, "codewars", "alice")
    first = cancel(owner, job["id"]).json()

    again = cancel(owner, job["id"])

    assert again.status_code == 200 and again.json() == first


def test_a_cancelled_job_makes_room_for_a_new_import(owner, queued_only):
    job = start_import(owner, "codewars", "alice")
    cancel(owner, job["id"])

    other = start_import(owner, "codewars", "bob")

    assert other["id"] != job["id"] and other["status"] == "queued"


@pytest.mark.parametrize("username, status", [("alice", "succeeded"), ("ghost", "failed")])
def test_a_finished_job_is_a_409_that_says_so(owner, codewars, username, status):
    job = run_import(owner, "codewars", username)
    assert job["status"] == status

    response = cancel(owner, job["id"])

    assert response.status_code == 409
    assert response.json() == {
        "detail": f"This import has already {status}; there is nothing to cancel."
    }
    assert owner.get(f"/api/import/jobs/{job['id']}/").json() == job


def test_another_users_job_is_a_404_and_stays_queued(owner, outsider, queued_only):
    job = start_import(owner, "codewars", "alice")

    response = cancel(outsider, job["id"])

    assert response.status_code == 404
    assert owner.get(f"/api/import/jobs/{job['id']}/").json()["status"] == "queued"


@pytest.mark.parametrize("job_id", [0, 9999999999])
def test_a_job_that_does_not_exist_is_a_404(owner, job_id):
    assert cancel(owner, job_id).status_code == 404


def test_signed_out_is_a_403_and_get_is_a_405(owner, anon, queued_only):
    job = start_import(owner, "codewars", "alice")

    assert cancel(anon, job["id"]).status_code == 403
    assert owner.get(f"/api/import/jobs/{job['id']}/cancel/").status_code == 405
    assert ImportJob.objects.get(pk=job["id"]).status == "queued"


def test_a_running_import_stops_at_the_next_problem_and_keeps_what_it_saved(
    owner, sign_in, codewars, httpserver
):
    canceller = sign_in(owner.user)
    cancels = []

    def cancel_while_fetching(request):
        # The second problem's details are being fetched: the user presses cancel.
        [job] = canceller.get("/api/import/jobs/").json()
        cancels.append(cancel(canceller, job["id"]))
        return codewars.handle(request)

    httpserver.expect_oneshot_request(LIKES_PATH).respond_with_handler(cancel_while_fetching)

    job = run_import(owner, "codewars", "alice")

    assert [response.status_code for response in cancels] == [200]
    assert job["status"] == "cancelled" and job["error"] == ""
    # The problem in hand when the cancel came is finished; the next one is never asked for.
    assert (job["total"], job["processed"], job["questions_created"]) == (3, 2, 2)
    assert sorted(Question.objects.filter(owner=owner.user).values_list("title", flat=True)) == [
        "Sum of Intervals",
        "Who likes it?",
    ]
    assert not any(request.path == MULTIPLY_PATH for request, _ in httpserver.log)

    rerun = wait_for_job(owner, start_import(owner, "codewars", "alice")["id"])

    assert (rerun["status"], rerun["questions_created"], rerun["logs_created"]) == (
        "succeeded",
        1,
        1,
    )
    assert Question.objects.filter(owner=owner.user).count() == 3


def test_a_list_read_page_by_page_stops_between_pages(owner, sign_in, codewars, httpserver):
    canceller = sign_in(owner.user)
    list_path = f"{CODEWARS_PREFIX}/users/alice/code-challenges/completed"

    def cancel_on_the_first_page(request):
        [job] = canceller.get("/api/import/jobs/").json()
        cancel(canceller, job["id"])
        return codewars.handle(request)

    httpserver.expect_oneshot_request(list_path).respond_with_handler(cancel_on_the_first_page)

    job = run_import(owner, "codewars", "alice")

    assert (job["status"], job["total"], job["processed"]) == ("cancelled", None, 0)
    assert [r.args["page"] for r, _ in httpserver.log if r.path == list_path] == ["0"]
    assert Question.objects.filter(owner=owner.user).count() == 0
