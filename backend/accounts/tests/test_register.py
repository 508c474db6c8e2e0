import pytest

from backend.accounts.models import User
from backend.test_common.fixtures import PASSWORD

REGISTER = "/api/accounts/register/"


def test_register_creates_a_user_and_does_not_sign_in(anon):
    response = anon.post(
        REGISTER, json={"username": "ada", "password": PASSWORD, "email": "ada@example.com"}
    )

    assert response.status_code == 201
    body = response.json()
    assert body == {"id": body["id"], "username": "ada", "email": "ada@example.com"}
    assert "sessionid" not in response.cookies
    assert anon.get("/api/accounts/identity/").json() == {"authenticated": False, "user": None}
    assert User.objects.get(username="ada").check_password(PASSWORD)


def test_email_is_optional(anon):
    response = anon.post(REGISTER, json={"username": "grace", "password": PASSWORD})

    assert response.status_code == 201
    assert response.json()["email"] == ""


@pytest.mark.parametrize(
    "payload, errors",
    [
        ({}, {"username": ["This field is required."], "password": ["This field is required."]}),
        ({"username": "ada"}, {"password": ["This field is required."]}),
        ({"password": PASSWORD}, {"username": ["This field is required."]}),
        ({"username": "", "password": PASSWORD}, {"username": ["This field may not be blank."]}),
        ({"username": "   ", "password": PASSWORD}, {"username": ["This field may not be blank."]}),
        (
            {"username": "a" * 151, "password": PASSWORD},
            {"username": ["Ensure this field has no more than 150 characters."]},
        ),
        (
            {"username": "bad name!", "password": PASSWORD},
            {
                "username": [
                    "Enter a valid username. This value may contain only letters, numbers, "
                    "and @/./+/-/_ characters."
                ]
            },
        ),
        (
            {"username": "ada", "password": PASSWORD, "email": "not-an-email"},
            {"email": ["Enter a valid email address."]},
        ),
        (
            {"username": "ada", "password": "password"},  # pragma: allowlist secret
            {"password": ["This password is too common."]},
        ),
        (
            {"username": "ada", "password": "x7!k"},  # pragma: allowlist secret
            {"password": ["This password is too short. It must contain at least 8 characters."]},
        ),
        (
            {"username": "ada", "password": "83749201657"},
            {"password": ["This password is entirely numeric."]},
        ),
        (
            {"username": "adalovelace", "password": "adalovelace1"},  # pragma: allowlist secret
            {"password": ["The password is too similar to the username."]},
        ),
        ({"username": ["ada"], "password": PASSWORD}, {"username": ["Not a valid string."]}),
    ],
)
def test_invalid_registration_is_400_with_field_errors(anon, payload, errors):
    response = anon.post(REGISTER, json=payload)

    assert response.status_code == 400
    assert response.json() == errors
    assert not User.objects.exists()


@pytest.mark.parametrize("taken", ["alice", "Alice", "ALICE"])
def test_username_is_taken_whatever_its_case(anon, make_user, taken):
    make_user(username="alice")

    response = anon.post(REGISTER, json={"username": taken, "password": PASSWORD})

    assert response.status_code == 400
    assert response.json() == {"username": ["A user with that username already exists."]}
    assert User.objects.count() == 1


@pytest.mark.parametrize("body", ["not json", "[1, 2]", '"text"'])
def test_malformed_body_is_400(anon, body):
    response = anon.post(REGISTER, data=body, headers={"Content-Type": "application/json"})

    assert response.status_code == 400
    assert "detail" in response.json() or "non_field_errors" in response.json()


def test_registration_is_limited_per_client_address(anon, settings):
    settings.REGISTER_RATE = "3/hour"
    for n in range(3):
        assert anon.post(REGISTER, json={"username": f"u{n}", "password": PASSWORD}).ok

    response = anon.post(REGISTER, json={"username": "u3", "password": PASSWORD})

    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) > 3000
    assert not User.objects.filter(username="u3").exists()
