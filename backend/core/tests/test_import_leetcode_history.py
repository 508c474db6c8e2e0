"""LeetCode's whole history with the user's session cookie, and the cookie kept secret."""

import io
import json
import logging
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from backend.core.imports.models import ImportCredential, ImportJob
from backend.core.tests.import_fakes import (
    DATABASE_TASKS,
    LEETCODE_PATH,
    FakeLeetCode,
    at,
    fast_import_settings,
    wait_for_job,
)

RECENT_NOTICE = (
    "Only your 20 most recent accepted submissions are imported; add your LeetCode session "
    "cookie to import your whole history."
)
COOKIE_REFUSED = (
    "LeetCode did not accept your session cookie (it may have expired or been mistyped): "
    "sign in on leetcode.com, copy LEETCODE_SESSION again and start a new import."
)

CSRF_TOKEN = "abcDEF123"  # pragma: allowlist secret - a made-up csrftoken cookie


@pytest.fixture(autouse=True)
def _fast(settings):
    fast_import_settings(settings)


@pytest.fixture
def leetcode(httpserver, settings) -> FakeLeetCode:
    """Bob accepted 30 problems, one a day (so 2 pages of his history), and failed some."""
    fake = FakeLeetCode.serve(httpserver, settings)
    for day in range(1, 31):
        fake.add_question(f"problem-{day}", f"Problem {day}", difficulty="Medium", tags=("Math",))
        fake.submit("bob", f"problem-{day}", at(day, 8), "Wrong Answer", "cpp")
        fake.accept("bob", f"problem-{day}", at(day, 9), lang="python3")
    fake.submit("bob", "problem-1", at(1, 10), "Time Limit Exceeded")
    fake.accept("bob", "problem-1", at(2, 11), lang="rust")
    return fake


@pytest.fixture
def cookie(leetcode) -> str:
    return leetcode.sign_in("bob")


def start(client, **body):
    response = client.post("/api/import/leetcode/", json={"username": "bob", **body})
    assert response.status_code == 202, response.text
    return response


def run(client, **body) -> dict:
    return wait_for_job(client, start(client, **body).json()["id"])


def graphql_bodies(httpserver) -> list[dict]:
    return [json.loads(r.get_data()) for r, _ in httpserver.log if r.path == LEETCODE_PATH]


def database_dump() -> str:
    out = io.StringIO()
    call_command("dumpdata", stdout=out)
    return out.getvalue()


# --- Without the cookie: as before, and the job says so -------------------------------


def test_without_a_cookie_the_20_latest_are_imported_and_the_job_says_so(owner, leetcode):
    job = run(owner)

    assert job["status"] == "succeeded", job["error"]
    assert (job["history"], job["notice"]) == ("recent", RECENT_NOTICE)
    assert (job["total"], job["questions_created"]) == (20, 20)


@pytest.mark.parametrize("platform", ["codewars", "codeforces"])
def test_other_platforms_import_everything_and_say_nothing(owner, platform, settings):
    settings.TASKS = DATABASE_TASKS
    job = owner.post(f"/api/import/{platform}/", json={"username": "bob"}).json()

    assert (job["history"], job["notice"]) == ("full", "")


# --- With the cookie: the whole history -----------------------------------------------


def test_with_a_cookie_every_accepted_submission_is_imported_page_by_page(
    owner, leetcode, cookie, httpserver
):
    job = run(owner, session_cookie=cookie)

    assert job["status"] == "succeeded", job["error"]
    assert (job["history"], job["notice"]) == ("full", "")
    assert (job["total"], job["processed"], job["skipped"]) == (30, 30, 0)
    assert (job["questions_created"], job["logs_created"]) == (30, 31)
    pages = [
        body["variables"]
        for body in graphql_bodies(httpserver)
        if "submissionList(" in body["query"]
    ]
    assert [(p["offset"], p["limit"], p["lastKey"]) for p in pages] == [
        (0, 20, None),
        (20, 20, "key-20"),
        (40, 20, "key-40"),
        (60, 20, "key-60"),
    ]
    questions = {q["title"]: q for q in owner.get("/api/questions/").json()}
    first = questions["Problem 1"]
    assert (first["difficulty"], [t["name"] for t in first["tags"]]) == ("Medium", ["Math"])
    assert first["content"] == "<p>Given an array...</p>"
    assert first["source"] == "https://leetcode.com/problems/problem-1/"
    logs = owner.get(f"/api/questions/{first['id']}/logs/").json()
    assert [(log["date_attempted"], log["outcome"], log["solution_approach"]) for log in logs] == [
        ("2026-03-02T11:00:00Z", "Solved", "rust"),
        ("2026-03-01T09:00:00Z", "Solved", "python3"),
    ]


def test_the_cookie_and_csrf_token_travel_as_cookies_to_the_configured_host(
    owner, leetcode, cookie, httpserver
):
    leetcode.csrf_required = True

    job = run(owner, session_cookie=cookie, csrf_token=CSRF_TOKEN)

    assert job["status"] == "succeeded", job["error"]
    for request, _ in httpserver.log:
        assert dict(request.cookies) == {"LEETCODE_SESSION": cookie, "csrftoken": CSRF_TOKEN}
        assert request.headers["X-CSRFToken"] == CSRF_TOKEN


def test_a_cookie_pasted_with_its_name_is_accepted(owner, leetcode, cookie):
    job = run(owner, session_cookie=f"LEETCODE_SESSION={cookie}")

    assert (job["status"], job["total"]) == ("succeeded", 30)


def test_a_second_import_with_the_cookie_adds_nothing(owner, leetcode, cookie):
    run(owner, session_cookie=cookie)

    again = run(owner, session_cookie=cookie)

    assert (again["status"], again["questions_created"], again["logs_created"]) == (
        "succeeded",
        0,
        0,
    )


def test_a_malformed_submission_is_skipped_and_counted(owner, leetcode, cookie):
    leetcode.add_raw("bob", {"statusDisplay": "Accepted", "titleSlug": 7, "timestamp": "99"})
    leetcode.add_raw("bob", {"statusDisplay": "Accepted", "timestamp": "1772366400"})
    leetcode.add_raw("bob", "nonsense")

    job = run(owner, session_cookie=cookie)

    assert (job["status"], job["skipped"], job["total"]) == ("succeeded", 3, 30)


# --- A cookie that does not work ---------------------------------------------------------


def test_an_expired_cookie_fails_the_job_with_a_clear_error(owner, leetcode):
    job = run(owner, session_cookie="eyJexpired.value.sig")

    assert (job["status"], job["error"]) == ("failed", COOKIE_REFUSED)
    assert owner.get("/api/questions/").json() == []


def test_another_accounts_cookie_fails_the_job(owner, leetcode):
    job = run(owner, session_cookie=leetcode.sign_in("mallory"))

    assert job["status"] == "failed"
    assert job["error"] == (
        "That session cookie signs in LeetCode user 'mallory', not 'bob': import that user, "
        "or use bob's cookie."
    )


def test_a_missing_csrf_token_that_leetcode_wants_fails_the_job(owner, leetcode, cookie):
    leetcode.csrf_required = True

    job = run(owner, session_cookie=cookie)

    assert (job["status"], job["error"]) == ("failed", COOKIE_REFUSED)


def test_a_session_that_ends_while_the_list_is_read_fails_the_job(
    owner, leetcode, cookie, httpserver
):
    def signed_out_now(request):
        if "submissionList(" in request.get_json()["query"]:
            leetcode.sessions.clear()
        return leetcode.handle(request)

    httpserver.expect_oneshot_request(LEETCODE_PATH).respond_with_handler(leetcode.handle)
    httpserver.expect_oneshot_request(LEETCODE_PATH).respond_with_handler(leetcode.handle)
    httpserver.expect_oneshot_request(LEETCODE_PATH).respond_with_handler(signed_out_now)

    job = run(owner, session_cookie=cookie)

    assert (job["status"], job["error"]) == ("failed", COOKIE_REFUSED)


@pytest.mark.parametrize(
    "platform, body, field, error",
    [
        ("codewars", {"session_cookie": "abc"}, "session_cookie", "Codewars imports take no"),
        ("codeforces", {"csrf_token": "abc"}, "csrf_token", "Codeforces imports take no"),
        ("leetcode", {"csrf_token": "abc"}, "csrf_token", "Send it with session_cookie"),
        ("leetcode", {"session_cookie": "a b"}, "session_cookie", "Not a valid LEETCODE_SESSION"),
        ("leetcode", {"session_cookie": "a;b=c"}, "session_cookie", "Not a valid LEETCODE_SES"),
        ("leetcode", {"session_cookie": "a\r\nX: y"}, "session_cookie", "Not a valid LEETCODE"),
        ("leetcode", {"session_cookie": 12}, "session_cookie", "Not a valid string."),
        ("leetcode", {"session_cookie": "x" * 4097}, "session_cookie", "Ensure this field"),
        (
            "leetcode",
            {"session_cookie": "s", "csrf_token": "a,b"},
            "csrf_token",
            "Not a valid csrf",
        ),
    ],
)
def test_bad_cookies_are_a_400_that_does_not_repeat_them(owner, platform, body, field, error):
    response = owner.post(f"/api/import/{platform}/", json={"username": "bob", **body})

    assert response.status_code == 400
    [message] = response.json()[field]
    assert message.startswith(error)
    assert str(body[field])[:20] not in message
    assert ImportJob.objects.count() == 0


# --- The cookie is a secret ---------------------------------------------------------------


def test_the_cookie_is_never_returned_logged_or_exported(owner, leetcode, cookie, caplog):
    with caplog.at_level(logging.DEBUG):
        response = start(owner, session_cookie=cookie, csrf_token="csrfSECRET9")
        job = wait_for_job(owner, response.json()["id"])
        answers = [
            response.text,
            owner.get(f"/api/import/jobs/{job['id']}/").text,
            owner.get("/api/import/jobs/").text,
            owner.get("/api/accounts/export/").text,
            owner.get("/api/schema/").text,
        ]

    assert job["status"] == "succeeded", job["error"]
    for secret in (cookie, "csrfSECRET9"):
        assert all(secret not in answer for answer in answers)
        assert secret not in caplog.text
    assert "session_cookie" not in response.json()


def test_the_cookie_is_not_in_the_export_or_admin_while_the_job_waits(
    owner, admin_client, cookie, settings
):
    settings.TASKS = DATABASE_TASKS
    job = start(owner, session_cookie=cookie).json()

    assert ImportCredential.objects.filter(job_id=job["id"]).exists()
    assert cookie not in owner.get("/api/accounts/export/").text
    page = admin_client.get(f"/admin/core/importjob/{job['id']}/change/")
    assert page.status_code == 200 and cookie.encode() not in page.content
    assert admin_client.get("/admin/core/importcredential/").status_code == 404


def test_the_cookie_is_wiped_when_the_job_succeeds(owner, leetcode, cookie):
    job = run(owner, session_cookie=cookie)

    assert job["status"] == "succeeded"
    assert ImportCredential.objects.count() == 0 and cookie not in database_dump()


def test_the_cookie_is_wiped_when_the_job_fails(owner, leetcode):
    job = run(owner, session_cookie="eyJwrong")

    assert job["status"] == "failed"
    assert ImportCredential.objects.count() == 0 and "eyJwrong" not in database_dump()


def test_the_cookie_is_wiped_when_the_job_fails_unexpectedly(owner, leetcode, cookie, monkeypatch):
    from backend.core.imports import mapping

    def broken(**kwargs):
        raise RuntimeError("bug")

    monkeypatch.setattr(mapping, "solved_save", broken)

    job = run(owner, session_cookie=cookie)

    assert job["status"] == "failed"
    assert ImportCredential.objects.count() == 0


def test_the_cookie_is_wiped_when_the_job_is_cancelled(owner, cookie, settings):
    settings.TASKS = DATABASE_TASKS
    job = start(owner, session_cookie=cookie).json()

    assert owner.post(f"/api/import/jobs/{job['id']}/cancel/").status_code == 200

    assert ImportCredential.objects.count() == 0 and cookie not in database_dump()


def test_the_cookie_is_wiped_when_a_running_job_is_cancelled(
    owner, sign_in, leetcode, cookie, httpserver
):
    canceller = sign_in(owner.user)

    def cancel_then_answer(request):
        [job] = canceller.get("/api/import/jobs/").json()
        canceller.post(f"/api/import/jobs/{job['id']}/cancel/")
        return leetcode.handle(request)

    httpserver.expect_oneshot_request(LEETCODE_PATH).respond_with_handler(leetcode.handle)
    httpserver.expect_oneshot_request(LEETCODE_PATH).respond_with_handler(cancel_then_answer)

    job = run(owner, session_cookie=cookie)

    assert job["status"] == "cancelled"
    assert ImportCredential.objects.count() == 0 and cookie not in database_dump()


def test_the_cookie_is_wiped_when_the_job_goes_stale(owner, cookie, settings):
    settings.TASKS = DATABASE_TASKS
    stale = start(owner, session_cookie=cookie).json()
    long_ago = timezone.now() - timedelta(minutes=settings.IMPORT_STALE_MINUTES + 1)
    ImportJob.objects.filter(pk=stale["id"]).update(status="running", updated_at=long_ago)

    start(owner)  # the next request finds it stale

    assert owner.get(f"/api/import/jobs/{stale['id']}/").json()["status"] == "failed"
    assert ImportCredential.objects.count() == 0 and cookie not in database_dump()


def test_asking_again_while_queued_drops_the_new_cookie(owner, cookie, settings):
    settings.TASKS = DATABASE_TASKS
    first = start(owner).json()

    again = owner.post("/api/import/leetcode/", json={"username": "bob", "session_cookie": cookie})

    assert again.status_code == 200 and again.json()["id"] == first["id"]
    assert ImportCredential.objects.count() == 0
