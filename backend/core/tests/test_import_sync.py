"""Keeping a platform in sync: PUT/GET/DELETE /api/import/{platform}/sync/ and sync_imports."""

import io
import threading
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from backend.core.imports.models import ImportCredential, ImportJob, ImportSync
from backend.core.imports.sync import sync_offset
from backend.core.tests.import_fakes import DATABASE_TASKS, fast_import_settings

SYNC_FIELDS = {"platform", "username", "created_at", "last_synced_at", "next_sync_at", "last_job"}


@pytest.fixture(autouse=True)
def _queued_only(settings):
    """Imports wait in the database queue: no worker runs them in these tests."""
    fast_import_settings(settings)
    settings.TASKS = DATABASE_TASKS


def sync_url(platform: str) -> str:
    return f"/api/import/{platform}/sync/"


def sync_imports() -> str:
    out = io.StringIO()
    call_command("sync_imports", stdout=out)
    return out.getvalue().strip()


def make_due(**filters) -> None:
    ImportSync.objects.filter(**filters).update(next_sync_at=timezone.now() - timedelta(minutes=1))


# --- The endpoint -------------------------------------------------------------------------


def test_put_keeps_an_account_in_sync_and_get_shows_it(owner, settings):
    before = timezone.now()

    response = owner.put(sync_url("codeforces"), json={"username": "tourist"})

    assert response.status_code == 201
    sync = response.json()
    assert set(sync) == SYNC_FIELDS
    assert (sync["platform"], sync["username"]) == ("codeforces", "tourist")
    assert (sync["last_synced_at"], sync["last_job"]) == (None, None)
    # The first sync is due within the spread window, not at once for everyone.
    due = ImportSync.objects.get().next_sync_at
    assert before <= due <= timezone.now() + timedelta(minutes=settings.IMPORT_SYNC_SPREAD_MINUTES)
    assert owner.get(sync_url("codeforces")).json() == sync
    assert ImportJob.objects.count() == 0  # PUT does not import now


def test_put_again_is_idempotent_and_another_username_replaces_it(owner):
    first = owner.put(sync_url("codewars"), json={"username": "alice"}).json()

    again = owner.put(sync_url("codewars"), json={"username": "alice"})

    assert again.status_code == 200 and again.json() == first
    other = owner.put(sync_url("codewars"), json={"username": "bob"})
    assert other.status_code == 200 and other.json()["username"] == "bob"
    assert ImportSync.objects.count() == 1


def test_delete_stops_it(owner):
    owner.put(sync_url("leetcode"), json={"username": "bob"})

    assert owner.delete(sync_url("leetcode")).status_code == 204

    response = owner.get(sync_url("leetcode"))
    assert response.status_code == 404
    assert response.json() == {"detail": "You do not keep a LeetCode account in sync."}
    assert owner.delete(sync_url("leetcode")).status_code == 404


def test_each_user_keeps_their_own(owner, outsider):
    owner.put(sync_url("codewars"), json={"username": "alice"})

    assert outsider.get(sync_url("codewars")).status_code == 404
    assert outsider.delete(sync_url("codewars")).status_code == 404
    assert owner.get(sync_url("codewars")).status_code == 200


@pytest.mark.parametrize(
    "platform, body, status, field",
    [
        ("hackerrank", {"username": "bob"}, 404, "detail"),
        ("csv", {"username": "bob"}, 404, "detail"),
        ("codewars", {}, 400, "username"),
        ("codewars", {"username": "../x"}, 400, "username"),
        ("leetcode", {"username": "bob", "session_cookie": "abc"}, 400, "session_cookie"),
    ],
)
def test_bad_requests_keep_nothing(owner, platform, body, status, field):
    response = owner.put(sync_url(platform), json=body)

    assert response.status_code == status and field in response.json()
    assert ImportSync.objects.count() == 0


def test_signed_out_is_a_403(anon):
    for method in ("get", "put", "delete"):
        assert (
            getattr(anon, method)(sync_url("codewars"), json={"username": "a"}).status_code == 403
        )


# --- The command --------------------------------------------------------------------------


def test_the_command_queues_one_import_per_due_account_and_is_idempotent(owner, outsider, settings):
    owner.put(sync_url("codewars"), json={"username": "alice"})
    owner.put(sync_url("codeforces"), json={"username": "alice_cf"})
    outsider.put(sync_url("codewars"), json={"username": "olga"})
    make_due(owner=owner.user)  # the outsider's is not due yet

    assert sync_imports() == (
        "Queued 2 imports; 0 already running, 0 blocked by another import; "
        "0 stale imports marked failed."
    )

    jobs = {(job.owner_id, job.platform, job.username) for job in ImportJob.objects.all()}
    assert jobs == {
        (owner.user.pk, "codewars", "alice"),
        (owner.user.pk, "codeforces", "alice_cf"),
    }
    assert DBTaskResult.objects.count() == 2
    kept = owner.get(sync_url("codewars")).json()
    job = ImportJob.objects.get(platform="codewars")
    assert kept["last_job"] == job.pk and kept["last_synced_at"] is not None
    sync = ImportSync.objects.get(owner=owner.user, platform="codewars")
    interval = timedelta(hours=settings.IMPORT_SYNC_INTERVAL_HOURS)
    offset = sync_offset(owner_id=owner.user.pk, platform="codewars")
    assert sync.next_sync_at - sync.last_synced_at == interval + offset

    assert sync_imports().startswith("Queued 0 imports;")
    assert ImportJob.objects.count() == 2


def test_an_import_already_under_way_is_not_queued_twice(owner):
    owner.post("/api/import/codewars/", json={"username": "alice"})
    owner.post("/api/import/leetcode/", json={"username": "someone_else"})
    owner.put(sync_url("codewars"), json={"username": "alice"})
    owner.put(sync_url("leetcode"), json={"username": "bob"})
    make_due()

    assert sync_imports().startswith(
        "Queued 0 imports; 1 already running, 1 blocked by another import;"
    )
    assert ImportJob.objects.count() == 2


def test_a_leetcode_sync_never_uses_a_cookie(owner):
    cookie = "eyJsecret.cookie.value"
    owner.post("/api/import/leetcode/", json={"username": "bob", "session_cookie": cookie})
    ImportJob.objects.update(status="succeeded")  # as if it had run
    ImportCredential.objects.all().delete()
    owner.put(sync_url("leetcode"), json={"username": "bob"})
    make_due()

    sync_imports()

    job = ImportJob.objects.latest("pk")
    assert (job.history, job.notice.startswith("Only your 20 most recent")) == ("recent", True)
    assert not ImportCredential.objects.exists()


def test_the_command_fails_stale_imports_and_wipes_their_cookies(owner, settings):
    job = owner.post(
        "/api/import/leetcode/", json={"username": "bob", "session_cookie": "eyJstale"}
    ).json()
    long_ago = timezone.now() - timedelta(minutes=settings.IMPORT_STALE_MINUTES + 1)
    ImportJob.objects.filter(pk=job["id"]).update(status="running", updated_at=long_ago)

    assert sync_imports().endswith("1 stale imports marked failed.")

    assert owner.get(f"/api/import/jobs/{job['id']}/").json()["status"] == "failed"
    assert not ImportCredential.objects.exists()


def test_offsets_are_deterministic_and_spread_accounts_over_the_window(settings):
    window = timedelta(minutes=settings.IMPORT_SYNC_SPREAD_MINUTES)
    offsets = [sync_offset(owner_id=pk, platform="leetcode") for pk in range(1, 201)]

    assert offsets == [sync_offset(owner_id=pk, platform="leetcode") for pk in range(1, 201)]
    assert all(timedelta(0) <= offset < window for offset in offsets)
    # 200 accounts over 60 minutes: every quarter of the hour gets a share.
    quarters = {int(offset / (window / 4)) for offset in offsets}
    assert quarters == {0, 1, 2, 3}
    assert len(set(offsets)) > 190


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_queue_each_account_once(make_user):
    users = [make_user() for _ in range(30)]
    now = timezone.now()
    ImportSync.objects.bulk_create(
        ImportSync(
            owner=user, platform=platform, username=f"u{user.pk}", next_sync_at=now - timedelta(1)
        )
        for user in users
        for platform in ("codewars", "codeforces")
    )
    barrier = threading.Barrier(2)
    outputs, errors = [], []

    def run():
        try:
            barrier.wait()
            outputs.append(sync_imports())
        except Exception as exc:  # reported below, with the thread's error
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    queued = [int(output.split()[1]) for output in outputs]
    assert sum(queued) == 60, outputs
    pairs = list(ImportJob.objects.values_list("owner_id", "platform"))
    assert len(pairs) == len(set(pairs)) == 60
    assert DBTaskResult.objects.count() == 60
    assert not ImportSync.objects.filter(next_sync_at__lte=now).exists()
