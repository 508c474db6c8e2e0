"""The import endpoints: validation, one active job per platform, scoping, the job's shape."""

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from backend.core.imports.models import ImportCredential, ImportJob, ImportSync
from backend.core.tests.import_fakes import (
    DATABASE_TASKS,
    FakeCodewars,
    fast_import_settings,
    run_import,
    start_import,
)

JOB_FIELDS = {
    "id",
    "platform",
    "username",
    "status",
    "created_at",
    "started_at",
    "finished_at",
    "total",
    "processed",
    "questions_created",
    "logs_created",
    "skipped",
    "error",
    "history",
    "notice",
}


@pytest.fixture(autouse=True)
def _fast(settings):
    fast_import_settings(settings)


@pytest.fixture
def queued_only(settings):
    """The database backend with no worker running: jobs stay queued."""
    settings.TASKS = DATABASE_TASKS


@pytest.fixture
def codewars(httpserver, settings) -> FakeCodewars:
    fake = FakeCodewars.serve(httpserver, settings)
    fake.add_user("alice")
    return fake


def test_start_answers_202_with_the_queued_job_and_its_location(owner, queued_only):
    response = owner.post("/api/import/codewars/", json={"username": "alice"})

    assert response.status_code == 202
    job = response.json()
    assert set(job) == JOB_FIELDS
    assert job["platform"] == "codewars" and job["username"] == "alice"
    assert job["status"] == "queued"
    assert job["started_at"] is job["finished_at"] is job["total"] is None
    assert job["processed"] == job["questions_created"] == job["logs_created"] == 0
    assert job["error"] == ""
    assert response.headers["Location"] == f"{owner.base_url}/api/import/jobs/{job['id']}/"
    assert owner.get(response.headers["Location"]).json() == job


def test_a_finished_job_shows_its_times(owner, codewars):
    job = run_import(owner, "codewars", "alice")

    assert job["status"] == "succeeded"
    assert job["created_at"] <= job["started_at"] <= job["finished_at"]
    assert job["total"] == job["processed"] == 0


def test_unknown_platform_is_a_404_naming_the_supported_ones(owner):
    response = owner.post("/api/import/hackerrank/", json={"username": "alice"})

    assert response.status_code == 404
    assert response.json() == {
        "detail": "Unknown platform 'hackerrank'. Supported: codeforces, codewars, leetcode."
    }


@pytest.mark.parametrize(
    "body, error",
    [
        ({}, "This field is required."),
        ({"username": ""}, "This field may not be blank."),
        ({"username": "   "}, "This field may not be blank."),
        ({"username": None}, "This field may not be null."),
        ({"username": "a" * 65}, "Ensure this field has no more than 64 characters."),
        ({"username": ".alice"}, "Not a valid Codewars username."),
        ({"username": "al ice"}, "Not a valid Codewars username."),
        ({"username": "../admin"}, "Not a valid Codewars username."),
        ({"username": "alice?page=2"}, "Not a valid Codewars username."),
        ({"username": "alice#x"}, "Not a valid Codewars username."),
        ({"username": "ålice"}, "Not a valid Codewars username."),
    ],
)
def test_bad_usernames_are_a_400_and_create_no_job(owner, body, error):
    response = owner.post("/api/import/codewars/", json=body)

    assert response.status_code == 400
    assert response.json()["username"][0].startswith(error)
    assert owner.get("/api/import/jobs/").json() == []


@pytest.mark.parametrize("platform", ["codewars", "leetcode", "codeforces"])
@pytest.mark.parametrize("username", ["a" * 64, "john.doe", "_x-", "-dash", "Alice_99"])
def test_valid_usernames_are_accepted(owner, queued_only, platform, username):
    assert start_import(owner, platform, username)["username"] == username


# Each text the import endpoints store, with the column it is stored in. A longer value
# must be a 400 naming the field: PostgreSQL would refuse it with a 500, SQLite keep it whole.
STORED_TEXTS = [
    ("POST", "/api/import/leetcode/", "username", ImportJob, "username"),
    ("POST", "/api/import/leetcode/", "csrf_token", ImportCredential, "csrf_token"),
    ("PUT", "/api/import/leetcode/sync/", "username", ImportSync, "username"),
]


@pytest.mark.parametrize("method, path, name, model, column", STORED_TEXTS)
def test_stored_texts_are_limited_by_their_columns(
    owner, queued_only, method, path, name, model, column
):
    limit = model._meta.get_field(column).max_length
    body = {"username": "alice", "session_cookie": "s3ss10n"} if name == "csrf_token" else {}

    too_long = owner.request(
        method, path, json={"username": "alice", **body, name: "a" * (limit + 1)}
    )

    assert too_long.status_code == 400, too_long.text
    assert too_long.json() == {name: [f"Ensure this field has no more than {limit} characters."]}
    assert not model.objects.exists()

    longest = owner.request(method, path, json={"username": "alice", **body, name: "a" * limit})

    assert longest.status_code in (201, 202), longest.text
    assert getattr(model.objects.get(), column) == "a" * limit


@pytest.mark.parametrize("body", [["alice"], "alice"])
def test_a_body_that_is_not_an_object_is_a_400(owner, body):
    assert owner.post("/api/import/codewars/", json=body).status_code == 400


def test_asking_again_while_queued_returns_the_same_job_with_200(owner, queued_only):
    first = start_import(owner, "codewars", "alice")

    again = owner.post("/api/import/codewars/", json={"username": "Alice"})

    assert again.status_code == 200
    assert again.json() == first
    assert again.headers["Location"].endswith(f"/api/import/jobs/{first['id']}/")
    assert len(owner.get("/api/import/jobs/").json()) == 1


def test_another_username_on_the_same_platform_is_a_409_naming_the_job(owner, queued_only):
    first = start_import(owner, "codewars", "alice")

    response = owner.post("/api/import/codewars/", json={"username": "bob"})

    assert response.status_code == 409
    assert response.json() == {
        "detail": "Your import of Codewars user 'alice' is still queued; wait for it to finish.",
        "job_id": first["id"],
    }


def test_each_platform_and_each_user_has_its_own_active_job(owner, outsider, queued_only):
    codewars = start_import(owner, "codewars", "alice")
    leetcode = start_import(owner, "leetcode", "alice")
    theirs = start_import(outsider, "codewars", "alice")

    assert len({codewars["id"], leetcode["id"], theirs["id"]}) == 3


def test_a_job_that_stopped_moving_is_replaced(owner, queued_only, settings):
    stale = start_import(owner, "codewars", "alice")
    long_ago = timezone.now() - timedelta(minutes=settings.IMPORT_STALE_MINUTES + 1)
    ImportJob.objects.filter(pk=stale["id"]).update(status="running", updated_at=long_ago)

    fresh = start_import(owner, "codewars", "bob")

    old = owner.get(f"/api/import/jobs/{stale['id']}/").json()
    assert fresh["id"] != stale["id"] and fresh["status"] == "queued"
    assert old["status"] == "failed"
    assert old["error"] == (
        "This import stopped without finishing (its worker went away); start it again."
    )


def test_a_finished_job_does_not_block_a_new_one(owner, codewars):
    first = run_import(owner, "codewars", "alice")

    second = run_import(owner, "codewars", "alice")

    assert second["id"] != first["id"]
    assert [job["id"] for job in owner.get("/api/import/jobs/").json()] == [
        second["id"],
        first["id"],
    ]


def test_jobs_are_listed_newest_first_and_pages_on_request(owner, queued_only):
    ids = [start_import(owner, platform, "alice")["id"] for platform in ("codewars", "leetcode")]

    assert [job["id"] for job in owner.get("/api/import/jobs/").json()] == ids[::-1]
    page = owner.get("/api/import/jobs/?limit=1").json()
    assert page["count"] == 2 and [job["id"] for job in page["results"]] == [ids[1]]


def test_another_users_job_is_a_404_and_never_listed(owner, outsider, queued_only):
    job = start_import(owner, "codewars", "alice")

    assert outsider.get(f"/api/import/jobs/{job['id']}/").status_code == 404
    assert outsider.get("/api/import/jobs/").json() == []
    assert owner.get(f"/api/import/jobs/{job['id']}/").status_code == 200


@pytest.mark.parametrize("path", ["/api/import/jobs/0/", "/api/import/jobs/9999999999/"])
def test_a_job_that_does_not_exist_is_a_404(owner, path):
    assert owner.get(path).status_code == 404


@pytest.mark.parametrize(
    "method, path",
    [
        ("post", "/api/import/codewars/"),
        ("get", "/api/import/jobs/"),
        ("get", "/api/import/jobs/1/"),
    ],
)
def test_signed_out_users_get_a_403(anon, method, path):
    response = getattr(anon, method)(path, json={"username": "alice"})

    assert response.status_code == 403
    assert ImportJob.objects.count() == 0


@pytest.mark.parametrize(
    "method, path",
    [
        ("get", "/api/import/codewars/"),
        ("post", "/api/import/jobs/"),
        ("delete", "/api/import/jobs/1/"),
    ],
)
def test_other_methods_are_a_405(owner, method, path):
    assert getattr(owner, method)(path).status_code == 405


def test_simultaneous_requests_queue_one_job(owner, sign_in, queued_only):
    clients = [sign_in(owner.user) for _ in range(4)]

    with ThreadPoolExecutor(len(clients)) as pool:
        responses = list(
            pool.map(lambda c: c.post("/api/import/codewars/", json={"username": "alice"}), clients)
        )

    assert sorted(response.status_code for response in responses) == [200, 200, 200, 202]
    assert len({response.json()["id"] for response in responses}) == 1
    assert ImportJob.objects.count() == 1


@pytest.mark.parametrize(
    "path, budget",
    [
        ("/api/import/jobs/", 1),  # the jobs
        ("/api/import/jobs/?limit=10", 2),  # a COUNT, then the page
    ],
)
def test_the_job_list_runs_a_constant_number_of_queries(make_user, path, budget):
    user = make_user()
    api = APIClient()
    api.force_authenticate(user)
    counts = []
    for size in (5, 50):
        ImportJob.objects.all().delete()
        ImportJob.objects.bulk_create(
            ImportJob(owner=user, platform="codewars", username="alice", status="succeeded")
            for _ in range(size)
        )
        with CaptureQueriesContext(connection) as queries:
            assert api.get(path).status_code == 200
        counts.append(len(queries))

    assert counts == [budget, budget]


def test_staff_can_look_at_jobs_in_the_admin_but_not_edit_them(admin_client, make_user):
    job = ImportJob.objects.create(owner=make_user(), platform="leetcode", username="bob")

    assert admin_client.get("/admin/core/importjob/").status_code == 200
    page = admin_client.get(f"/admin/core/importjob/{job.pk}/change/")
    assert page.status_code == 200 and b'name="_save"' not in page.content
    assert admin_client.get("/admin/core/importjob/add/").status_code == 403
