import pytest

from backend.test_common.fixtures import PASSWORD

IDENTITY = "/api/accounts/identity/"


def test_identity_of_an_anonymous_caller_sets_the_csrf_cookie(anon):
    response = anon.get(IDENTITY)

    assert response.status_code == 200
    assert response.json() == {"authenticated": False, "user": None}
    assert response.cookies.get("csrftoken")


def test_identity_of_a_signed_in_user(owner):
    response = owner.get(IDENTITY)

    assert response.status_code == 200
    assert response.json() == {
        "authenticated": True,
        "user": {
            "id": owner.user.id,
            "username": owner.user.username,
            "email": owner.user.email,
            "is_staff": False,
            "is_superuser": False,
        },
    }


def test_identity_is_read_fresh_on_each_request(owner):
    owner.user.email = "changed@example.com"
    owner.user.is_staff = True
    owner.user.save()

    user = owner.get(IDENTITY).json()["user"]

    assert user["email"] == "changed@example.com"
    assert user["is_staff"] is True


def test_identity_of_a_deactivated_user_is_anonymous(owner):
    owner.user.is_active = False
    owner.user.save()

    assert owner.get(IDENTITY).json() == {"authenticated": False, "user": None}


def test_csrf_endpoint_returns_the_token_it_sets(anon):
    response = anon.get("/api/accounts/csrf/")

    assert response.status_code == 200
    assert response.json()["csrfToken"]
    assert response.cookies.get("csrftoken")


@pytest.mark.parametrize(
    "path, payload",
    [
        ("/api/accounts/register/", {"username": "mallory", "password": PASSWORD}),
        ("/api/accounts/login/", {"username": "mallory", "password": PASSWORD}),
        ("/api/accounts/logout/", None),
    ],
)
# pragma: allowlist nextline secret - a made-up token that must be refused
@pytest.mark.parametrize("token", [None, "wrong-token-0123456789abcdef0123456789ab"])
def test_account_writes_without_a_matching_csrf_token_are_403(
    client_factory, make_user, path, payload, token
):
    make_user(username="mallory")
    client = client_factory(send_csrf=False)
    client.get(IDENTITY)
    headers = {"X-CSRFToken": token} if token else {}

    response = client.post(path, json=payload, headers=headers)

    assert response.status_code == 403
    assert response.json()["detail"].startswith("CSRF Failed")
    assert "sessionid" not in client.cookies


def test_logout_without_csrf_keeps_the_session(sign_in, make_user):
    client = sign_in(make_user())
    client.send_csrf = False

    assert client.post("/api/accounts/logout/").status_code == 403
    assert client.get(IDENTITY).json()["authenticated"] is True
