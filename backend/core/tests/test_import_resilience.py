"""When a platform fails, is slow or sends nonsense: retries, clear errors, no duplicates."""

import logging
import time
from datetime import timedelta

import pytest
from django.utils import timezone
from werkzeug import Response

from backend.core.imports import mapping
from backend.core.imports.codewars import Codewars
from backend.core.imports.http import retry_after
from backend.core.imports.models import ImportJob
from backend.core.imports.services import UNEXPECTED_ERROR
from backend.core.imports.tasks import run_import_job
from backend.core.models import Question, QuestionLog
from backend.core.tests.import_fakes import (
    CODEWARS_PREFIX,
    LEETCODE_PATH,
    FakeCodewars,
    FakeLeetCode,
    at,
    fast_import_settings,
    run_import,
)
from backend.test_common.servers import free_port

LIST_PATH = f"{CODEWARS_PREFIX}/users/alice/code-challenges/completed"
LIKES_PATH = f"{CODEWARS_PREFIX}/code-challenges/5266876b8f4bf2da9b000362"


@pytest.fixture(autouse=True)
def _fast(settings):
    fast_import_settings(settings)


@pytest.fixture
def codewars(httpserver, settings) -> FakeCodewars:
    """Alice completed three katas, listed newest first on two pages."""
    fake = FakeCodewars.serve(httpserver, settings)
    fake.add_kata("50654ddff44f800200000004", "Multiply", rank="8 kyu")
    fake.add_kata("5266876b8f4bf2da9b000362", "Who likes it?", rank="6 kyu")
    fake.add_kata("52b7ed099cdc285c300001cd", "Sum of Intervals", rank="4 kyu")
    fake.complete("alice", "50654ddff44f800200000004", at(1))
    fake.complete("alice", "5266876b8f4bf2da9b000362", at(2))
    fake.complete("alice", "52b7ed099cdc285c300001cd", at(3))
    return fake


@pytest.fixture
def leetcode(httpserver, settings) -> FakeLeetCode:
    fake = FakeLeetCode.serve(httpserver, settings)
    fake.add_question("two-sum", "Two Sum")
    fake.accept("bob", "two-sum", at(1))
    return fake


def requests_to(httpserver, path: str) -> int:
    return sum(request.path == path for request, _ in httpserver.log)


def assert_counts(owner, questions: int, logs: int) -> None:
    assert Question.objects.filter(owner=owner.user).count() == questions
    assert QuestionLog.objects.filter(owner=owner.user).count() == logs


# --- Retries ---------------------------------------------------------------------


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_a_server_error_is_retried_and_the_import_succeeds(owner, codewars, httpserver, status):
    httpserver.expect_oneshot_request(LIST_PATH).respond_with_data("Bad gateway", status=status)

    job = run_import(owner, "codewars", "alice")

    assert job["status"] == "succeeded", job["error"]
    assert job["questions_created"] == 3
    assert requests_to(httpserver, LIST_PATH) == 3  # the error, then pages 0 and 1


def test_429_waits_as_long_as_retry_after_asks(owner, codewars, httpserver):
    httpserver.expect_oneshot_request(LIST_PATH).respond_with_data(
        "Too many requests", status=429, headers={"Retry-After": "1"}
    )
    started = time.monotonic()

    job = run_import(owner, "codewars", "alice")

    assert job["status"] == "succeeded", job["error"]
    assert time.monotonic() - started >= 1
    assert requests_to(httpserver, LIST_PATH) == 3


def test_retry_after_longer_than_the_budget_fails_at_once(owner, codewars, httpserver, settings):
    httpserver.expect_oneshot_request(LIST_PATH).respond_with_data(
        "Too many requests", status=429, headers={"Retry-After": "120"}
    )

    job = run_import(owner, "codewars", "alice")

    assert job["status"] == "failed"
    assert job["error"] == (
        "Codewars asked us to wait 120 seconds before trying again; try again later."
    )
    assert requests_to(httpserver, LIST_PATH) == 1


def test_a_platform_that_keeps_failing_fails_the_job_after_the_retries(owner, leetcode, httpserver):
    for _ in range(3):
        httpserver.expect_oneshot_request(LEETCODE_PATH).respond_with_data("", status=503)

    job = run_import(owner, "leetcode", "bob")

    assert job["status"] == "failed"
    assert job["error"] == "LeetCode kept failing (HTTP 503) after 3 tries; try again later."
    assert requests_to(httpserver, LEETCODE_PATH) == 3


def test_429_without_retry_after_backs_off_and_gives_up(owner, codewars, httpserver, settings):
    settings.IMPORT_MAX_RETRIES = 1
    for _ in range(2):
        httpserver.expect_oneshot_request(LIST_PATH).respond_with_data("", status=429)

    job = run_import(owner, "codewars", "alice")

    assert job["error"] == (
        "Codewars kept answering 'too many requests' after 2 tries; try again later."
    )


def test_a_slow_platform_times_out_and_fails_the_job(owner, leetcode, httpserver, settings):
    settings.IMPORT_READ_TIMEOUT = 0.2
    settings.IMPORT_MAX_RETRIES = 1

    def slow(request):
        time.sleep(0.5)
        return Response("{}", mimetype="application/json")

    for _ in range(2):
        httpserver.expect_oneshot_request(LEETCODE_PATH).respond_with_handler(slow)

    job = run_import(owner, "leetcode", "bob")

    assert job["status"] == "failed"
    assert job["error"] == "LeetCode did not answer after 2 tries; try again later."


def test_a_platform_that_cannot_be_reached_fails_the_job(owner, settings, caplog):
    settings.CODEWARS_API_URL = f"http://127.0.0.1:{free_port()}/api/v1"

    with caplog.at_level(logging.INFO, logger="backend.core.imports.http"):
        job = run_import(owner, "codewars", "alice")

    assert job["status"] == "failed"
    assert job["error"] == "Codewars did not answer after 3 tries; try again later."
    # The operator learns why, once: here the connection was refused.
    [warning] = [record for record in caplog.records if record.levelno == logging.WARNING]
    assert warning.getMessage().startswith(
        "Import call to Codewars gave up: Codewars did not answer after 3 tries; last cause: "
        "NewConnectionError: "
    )
    assert "Connection refused" in warning.getMessage()


def test_an_unknown_host_is_logged_as_a_name_resolution_failure(owner, settings, caplog):
    settings.CODEWARS_API_URL = "http://no-such-host.invalid/api/v1"
    settings.IMPORT_MAX_RETRIES = 0

    with caplog.at_level(logging.WARNING, logger="backend.core.imports.http"):
        job = run_import(owner, "codewars", "alice")

    assert job["status"] == "failed"
    [warning] = caplog.records
    assert "last cause: NameResolutionError: " in warning.getMessage()


def test_redirects_are_not_followed(owner, codewars, httpserver):
    httpserver.expect_oneshot_request(LIST_PATH).respond_with_data(
        "", status=302, headers={"Location": httpserver.url_for("/elsewhere")}
    )

    job = run_import(owner, "codewars", "alice")

    assert job["error"] == (
        "Codewars answered HTTP 302 for the list of completed katas; try again later."
    )
    assert requests_to(httpserver, "/elsewhere") == 0


@pytest.mark.parametrize(
    "value, seconds",
    [("7", 7), ("0", 0), ("", None), ("soon", None), ("Wed, 21 Oct 2015 07:28:00 GMT", 0)],
)
def test_retry_after_reads_seconds_and_http_dates(value, seconds):
    assert retry_after(Response(headers={"Retry-After": value})) == seconds


def test_retry_after_in_the_future_as_a_date():
    when = timezone.now() + timedelta(seconds=30)
    header = when.strftime("%a, %d %b %Y %H:%M:%S GMT")

    assert 25 < retry_after(Response(headers={"Retry-After": header})) <= 30


# --- Answers too large or too slow -----------------------------------------------------


@pytest.mark.parametrize("streamed", [False, True])
def test_an_enormous_answer_stops_the_import(owner, codewars, httpserver, settings, streamed):
    settings.IMPORT_MAX_RESPONSE_BYTES = 1000
    body = '{"totalPages": 1, "data": [' + " " * 2000 + "]}"
    # Streamed: no Content-Length, so the limit is found while reading.
    response = Response(iter([body[:500], body[500:]]) if streamed else body)
    httpserver.expect_oneshot_request(LIST_PATH).respond_with_response(response)

    job = run_import(owner, "codewars", "alice")

    assert job["status"] == "failed"
    assert job["error"] == (
        "Codewars sent an answer larger than 1000 bytes, more than we read; the import stopped."
    )
    assert_counts(owner, questions=0, logs=0)


def test_an_answer_that_drips_in_stops_the_import(owner, codewars, httpserver, settings):
    settings.IMPORT_RESPONSE_SECONDS = 1

    def drip():
        yield '{"totalPages": 1, "data": ['
        for _ in range(16):  # each byte well within the read timeout, the whole well beyond
            time.sleep(0.25)
            yield " "
        yield "]}"

    httpserver.expect_oneshot_request(LIST_PATH).respond_with_response(
        Response(drip(), mimetype="application/json")
    )

    job = run_import(owner, "codewars", "alice")

    assert job["status"] == "failed"
    assert job["error"] == (
        "Codewars sent its answer too slowly (still incomplete after 1 s); try again later."
    )


# --- Payloads we cannot read -------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "<html>Maintenance</html>",
        "[]",
        '{"totalPages": 1}',
        '{"totalPages": 1, "data": "none"}',
        '{"totalPages": 1, "data": [{"id": 5, "completedAt": "2026-03-01T00:00:00Z"}]}',
        '{"totalPages": 1, "data": [{"id": "abc"}]}',
        '{"totalPages": 1, "data": [{"id": "abc", "completedAt": "yesterday"}]}',
        '{"totalPages": 1, "data": [{"id": "abc", "completedAt": "1899-12-31T23:59:59Z"}]}',
        '{"totalPages": 1, "data": [{"id": "abc", "completedAt": "9999-12-31T23:59:59Z"}]}',
        '{"totalPages": "many", "data": []}',
    ],
)
def test_a_malformed_list_fails_the_job_with_a_clear_error(owner, codewars, httpserver, body):
    httpserver.expect_oneshot_request(LIST_PATH).respond_with_data(
        body, content_type="application/json"
    )

    job = run_import(owner, "codewars", "alice")

    assert job["status"] == "failed"
    assert job["error"] == (
        "Codewars sent the list of completed katas in a form we could not read; try again later."
    )
    assert_counts(owner, questions=0, logs=0)


@pytest.mark.parametrize(
    "body",
    [
        "not json",
        '{"name": "Who likes it?", "description": 42}',
        '{"name": "Who likes it?", "tags": [null]}',
        '{"name": ["x"]}',
    ],
)
def test_malformed_details_fail_the_job_with_a_clear_error(owner, codewars, httpserver, body):
    httpserver.expect_oneshot_request(LIKES_PATH).respond_with_data(
        body, content_type="application/json"
    )

    job = run_import(owner, "codewars", "alice")

    assert job["status"] == "failed"
    assert job["error"] == (
        "Codewars sent a kata's details in a form we could not read; try again later."
    )


@pytest.mark.parametrize(
    "status, body, error",
    [
        (
            200,
            "<html>Just a moment...</html>",
            "LeetCode sent the list of accepted submissions in ",
        ),
        (403, "<html>Forbidden</html>", "LeetCode answered HTTP 403 for the list of accepted "),
        (200, '{"data": {"matchedUser": {}, "recentAcSubmissionList": "x"}}', "LeetCode sent "),
        (200, '{"data": {"matchedUser": {}, "recentAcSubmissionList": [{}]}}', "LeetCode sent "),
        (200, '{"data": [], "errors": []}', "LeetCode sent the list"),
    ],
)
def test_a_malformed_leetcode_answer_fails_the_job(
    owner, leetcode, httpserver, status, body, error
):
    httpserver.expect_oneshot_request(LEETCODE_PATH).respond_with_data(
        body, status=status, content_type="application/json"
    )

    job = run_import(owner, "leetcode", "bob")

    assert job["status"] == "failed"
    assert job["error"].startswith(error) and job["error"].endswith("; try again later.")


# --- Escaping ------------------------------------------------------------------------


def test_usernames_and_ids_are_escaped_as_path_segments(httpserver, settings):
    FakeCodewars.serve(httpserver, settings)

    with Codewars() as client:
        with pytest.raises(Exception, match="does not exist"):
            client.solved("a/../b?page=9#x")

    (request, response), *_ = httpserver.log
    assert request.environ["RAW_URI"] == (
        f"{CODEWARS_PREFIX}/users/a%2F..%2Fb%3Fpage%3D9%23x/code-challenges/completed?page=0"
    )
    assert request.headers["User-Agent"].startswith("interview-questions-api/")


# --- Failing safely and finishing on a rerun ------------------------------------------


def test_an_unexpected_error_fails_the_job_and_is_logged(owner, codewars, monkeypatch, caplog):
    def broken(**kwargs):
        raise RuntimeError("bug")

    monkeypatch.setattr(mapping, "solved_save", broken)

    with caplog.at_level(logging.ERROR, logger="backend.core.imports.services"):
        job = run_import(owner, "codewars", "alice")

    assert job["status"] == "failed" and job["error"] == UNEXPECTED_ERROR
    [record] = [r for r in caplog.records if r.name == "backend.core.imports.services"]
    assert record.getMessage() == f"Import job {job['id']} failed unexpectedly."
    assert record.exc_info[0] is RuntimeError


def test_a_job_that_failed_halfway_is_finished_by_a_rerun_without_duplicates(
    owner, codewars, httpserver
):
    for _ in range(3):
        httpserver.expect_oneshot_request(LIKES_PATH).respond_with_data("", status=500)

    failed = run_import(owner, "codewars", "alice")

    assert failed["status"] == "failed"
    assert (failed["total"], failed["processed"], failed["questions_created"]) == (3, 1, 1)
    assert_counts(owner, questions=1, logs=1)

    rerun = run_import(owner, "codewars", "alice")

    assert rerun["status"] == "succeeded"
    assert (rerun["questions_created"], rerun["logs_created"]) == (2, 2)
    assert_counts(owner, questions=3, logs=3)
    for question in owner.get("/api/questions/").json():
        assert (question["attempts_count"], question["solved_count"]) == (1, 1)


def test_running_a_finished_jobs_task_again_changes_nothing(owner, codewars):
    job = run_import(owner, "codewars", "alice")

    assert run_import_job.call(job["id"]) == "skipped"

    assert owner.get(f"/api/import/jobs/{job['id']}/").json() == job
    assert_counts(owner, questions=3, logs=3)


def test_a_job_whose_worker_died_is_finished_when_its_task_runs_again(owner, codewars, httpserver):
    for _ in range(3):
        httpserver.expect_oneshot_request(LIKES_PATH).respond_with_data("", status=500)
    job = run_import(owner, "codewars", "alice")
    # As if the worker had been killed after the first problem, with the job left running.
    ImportJob.objects.filter(pk=job["id"]).update(status="running", error="", finished_at=None)

    assert run_import_job.call(job["id"]) == "succeeded"

    job = owner.get(f"/api/import/jobs/{job['id']}/").json()
    assert (job["status"], job["processed"], job["total"]) == ("succeeded", 3, 3)
    assert (job["questions_created"], job["logs_created"]) == (3, 3)
    assert_counts(owner, questions=3, logs=3)
