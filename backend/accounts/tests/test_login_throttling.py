import os
import time
from datetime import timedelta

import pytest
import redis

from backend.accounts.ratelimit import RedisEventStore
from backend.test_common.fixtures import PASSWORD, ApiClient
from backend.test_common.servers import gunicorn_server

LOGIN = "/api/accounts/login/"
LIMIT = 3
# A Redis database of the tests' own; a run beside another (CI runs SQLite and PostgreSQL at
# once) names its own, since each test clears the counts it leaves there.
REDIS_TEST_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture(params=["database", "redis"])
def store(request, settings):
    """Run each throttling test with the counts in the database and in Redis."""
    settings.LOGIN_FAILURE_LIMIT = LIMIT
    if request.param == "redis":
        client = redis.Redis.from_url(REDIS_TEST_URL)
        try:
            client.ping()
        except redis.ConnectionError:
            message = (
                "Redis is not running on 127.0.0.1:6379 (start it: redis-server --daemonize yes)"
            )
            if os.environ.get("CI"):
                pytest.fail(message)
            pytest.skip(message)
        settings.REDIS_URL = REDIS_TEST_URL
        yield request.param
        for key in client.scan_iter(RedisEventStore.prefix + "*"):
            client.delete(key)
    else:
        yield request.param


def fail_logins(client, username, times):
    for _ in range(times):
        response = client.post(LOGIN, json={"username": username, "password": "wrong-password"})
        assert response.status_code == 400


def test_username_is_locked_after_the_limit_even_with_the_right_password(store, anon, make_user):
    user = make_user()
    fail_logins(anon, user.username, LIMIT)

    response = anon.post(LOGIN, json={"username": user.username, "password": PASSWORD})

    assert response.status_code == 429
    assert 0 < int(response.headers["Retry-After"]) <= 15 * 60
    assert response.json()["detail"].startswith("Too many failed sign-in attempts.")
    assert "sessionid" not in anon.cookies


def test_lock_ignores_the_case_of_the_username(store, anon, make_user):
    user = make_user(username="alice")
    fail_logins(anon, "ALICE", LIMIT)

    response = anon.post(LOGIN, json={"username": user.username, "password": PASSWORD})

    assert response.status_code == 429


def test_other_users_are_not_affected(store, anon, make_user):
    victim, bystander = make_user(), make_user()
    fail_logins(anon, victim.username, LIMIT)

    response = anon.post(LOGIN, json={"username": bystander.username, "password": PASSWORD})

    assert response.status_code == 200


def test_below_the_limit_the_right_password_works(store, anon, make_user):
    user = make_user()
    fail_logins(anon, user.username, LIMIT - 1)

    response = anon.post(LOGIN, json={"username": user.username, "password": PASSWORD})

    assert response.status_code == 200


def test_successful_logins_do_not_count(store, client_factory, make_user):
    user = make_user()
    for _ in range(LIMIT + 1):
        client = client_factory()
        assert client.post(LOGIN, json={"username": user.username, "password": PASSWORD}).ok


def test_lock_ends_when_the_window_has_passed(store, anon, make_user, settings):
    settings.LOGIN_FAILURE_WINDOW = timedelta(seconds=2)
    user = make_user()
    fail_logins(anon, user.username, LIMIT)
    response = anon.post(LOGIN, json={"username": user.username, "password": PASSWORD})
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) <= 2

    time.sleep(2.1)
    response = anon.post(LOGIN, json={"username": user.username, "password": PASSWORD})

    assert response.status_code == 200


def test_one_address_spraying_many_usernames_is_locked(store, anon, make_user, settings):
    settings.LOGIN_IP_FAILURE_LIMIT = 5
    user = make_user()
    for n in range(5):
        fail_logins(anon, f"guess-{n}", 1)

    response = anon.post(LOGIN, json={"username": user.username, "password": PASSWORD})

    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) > 15 * 60


@pytest.mark.slow
def test_failures_on_one_server_process_lock_the_username_on_another(
    store, anon, make_user, settings
):
    user = make_user()
    env = {"LOGIN_FAILURE_LIMIT": str(LIMIT), "REDIS_URL": settings.REDIS_URL}
    with gunicorn_server(env=env) as other_server, ApiClient(other_server) as other:
        fail_logins(other, user.username, LIMIT)

    response = anon.post(LOGIN, json={"username": user.username, "password": PASSWORD})

    assert response.status_code == 429


def test_admin_login_shares_the_limits(store, client_factory, make_user, base_url):
    staff = make_user(is_staff=True, is_superuser=True)
    admin = client_factory(send_csrf=False)

    def admin_login(password):
        admin.get("/admin/login/")
        return admin.post(
            "/admin/login/?next=/admin/",
            data={
                "username": staff.username,
                "password": password,
                "csrfmiddlewaretoken": admin.cookies["csrftoken"],
                "next": "/admin/",
            },
            headers={"Referer": base_url + "/admin/login/"},
            allow_redirects=False,
        )

    for _ in range(LIMIT):
        assert admin_login("wrong-password").status_code == 200  # the form again, with an error

    assert admin_login(PASSWORD).status_code == 200  # locked: no redirect into the admin
    assert "sessionid" not in admin.cookies
    api = client_factory()
    response = api.post(LOGIN, json={"username": staff.username, "password": PASSWORD})
    assert response.status_code == 429


def test_admin_login_works_below_the_limit(store, client_factory, make_user, base_url):
    staff = make_user(is_staff=True)
    admin = client_factory(send_csrf=False)
    admin.get("/admin/login/")

    response = admin.post(
        "/admin/login/?next=/admin/",
        data={
            "username": staff.username,
            "password": PASSWORD,
            "csrfmiddlewaretoken": admin.cookies["csrftoken"],
            "next": "/admin/",
        },
        allow_redirects=False,
    )

    assert response.status_code == 302
    assert "sessionid" in admin.cookies
