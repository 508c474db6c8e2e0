import pytest
import requests
from django.contrib.sessions.backends.db import SessionStore

from backend.test_common.fixtures import PASSWORD

LOGIN = "/api/accounts/login/"
LOGOUT = "/api/accounts/logout/"
IDENTITY = "/api/accounts/identity/"
INVALID = {"non_field_errors": ["Unable to sign in with the given username and password."]}


def test_login_returns_the_user_and_sets_session_and_csrf_cookies(anon, make_user):
    user = make_user(is_staff=True)

    response = anon.post(LOGIN, json={"username": user.username, "password": PASSWORD})

    assert response.status_code == 200
    assert response.json() == {
        "id": user.id,
        "username": user.username,
        "email": user.email,
        "is_staff": True,
        "is_superuser": False,
    }
    set_cookie = response.headers["Set-Cookie"]
    session_cookie = next(c for c in anon.cookies if c.name == "sessionid")
    assert session_cookie.has_nonstandard_attr("HttpOnly")
    assert "sessionid=" in set_cookie and "SameSite=Lax" in set_cookie
    csrf_cookie = next(c for c in anon.cookies if c.name == "csrftoken")
    assert not csrf_cookie.has_nonstandard_attr("HttpOnly")  # the SPA reads it
    assert set_cookie.count("Secure") == 2  # both cookies, in production settings


def test_login_ignores_the_case_of_the_username(anon, make_user):
    make_user(username="alice")

    response = anon.post(LOGIN, json={"username": "ALICE", "password": PASSWORD})

    assert response.status_code == 200
    assert response.json()["username"] == "alice"


def test_wrong_password_and_unknown_user_give_the_same_answer(anon, make_user):
    user = make_user()

    wrong_password = anon.post(LOGIN, json={"username": user.username, "password": "nope-nope"})
    unknown_user = anon.post(LOGIN, json={"username": "nobody-here", "password": "nope-nope"})

    assert wrong_password.status_code == unknown_user.status_code == 400
    assert wrong_password.json() == unknown_user.json() == INVALID
    assert "sessionid" not in anon.cookies


def test_inactive_user_cannot_sign_in(anon, make_user):
    user = make_user(is_active=False)

    response = anon.post(LOGIN, json={"username": user.username, "password": PASSWORD})

    assert response.status_code == 400
    assert response.json() == INVALID


@pytest.mark.parametrize(
    "payload, errors",
    [
        ({}, {"username": ["This field is required."], "password": ["This field is required."]}),
        ({"username": "ada"}, {"password": ["This field is required."]}),
        ({"username": "", "password": "x"}, {"username": ["This field may not be blank."]}),
        ({"username": "ada", "password": ""}, {"password": ["This field may not be blank."]}),
    ],
)
def test_incomplete_login_is_400(anon, payload, errors):
    response = anon.post(LOGIN, json=payload)

    assert response.status_code == 400
    assert response.json() == errors


def test_login_rotates_a_planted_session_id(anon, make_user):
    user = make_user()
    planted = SessionStore()
    planted.create()  # a real session, as an attacker could obtain and plant
    anon.cookies.set("sessionid", planted.session_key, domain="localhost.local")

    response = anon.post(LOGIN, json={"username": user.username, "password": PASSWORD})

    assert response.status_code == 200
    assert anon.cookies["sessionid"] != planted.session_key
    assert not SessionStore().exists(planted.session_key)


def test_each_login_gets_a_new_session_key(client_factory, make_user):
    user = make_user()
    first, second = client_factory(), client_factory()
    for client in (first, second):
        client.post(LOGIN, json={"username": user.username, "password": PASSWORD})

    assert first.cookies["sessionid"] != second.cookies["sessionid"]


def test_logout_ends_the_session_server_side(owner, base_url):
    stolen = owner.cookies["sessionid"]

    response = owner.post(LOGOUT)

    assert response.status_code == 204
    assert owner.get(IDENTITY).json() == {"authenticated": False, "user": None}
    replay = requests.get(base_url + IDENTITY, cookies={"sessionid": stolen}, timeout=10)
    assert replay.json() == {"authenticated": False, "user": None}


def test_logout_over_get_is_405(owner):
    response = owner.get(LOGOUT)

    assert response.status_code == 405
    assert owner.get(IDENTITY).json()["authenticated"] is True
