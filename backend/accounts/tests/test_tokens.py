"""Personal API tokens: create, use with no CSRF header, list, revoke, expire."""

import hashlib
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from backend.accounts.models import ApiToken
from backend.core.models import Question
from backend.test_common.api import create_log, create_question, create_tag

TOKENS = "/api/accounts/tokens/"
IDENTITY = "/api/accounts/identity/"
CHALLENGE = 'Bearer realm="api"'


def create_token(client, **fields) -> dict:
    response = client.post(TOKENS, json={"name": "laptop script", **fields})
    assert response.status_code == 201, response.text
    return response.json()


@pytest.fixture
def bearer(client_factory):
    """A client that sends a token and nothing else: no cookies, no CSRF header."""

    def make(secret: str):
        client = client_factory(send_csrf=False)
        client.headers["Authorization"] = f"Bearer {secret}"
        return client

    return make


@pytest.fixture
def token(owner) -> dict:
    return create_token(owner)


# --- Creating, listing, revoking --------------------------------------------------


def test_create_answers_201_with_the_secret_once(owner):
    before = timezone.now()

    response = owner.post(TOKENS, json={"name": "laptop script", "expires_in_days": 30})

    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"id", "name", "created_at", "expires_at", "last_used_at", "token"}
    assert body["name"] == "laptop script"
    assert body["last_used_at"] is None
    assert body["token"].startswith("iq_") and len(body["token"]) >= 40
    stored = ApiToken.objects.get(pk=body["id"])
    assert stored.user_id == owner.user.pk
    assert timedelta(days=30) <= stored.expires_at - before < timedelta(days=30, minutes=1)
    assert owner.get(TOKENS).json() == [{k: v for k, v in body.items() if k != "token"}]


def test_only_a_hash_of_the_secret_is_stored(token):
    row = ApiToken.objects.values().get(pk=token["id"])

    assert row["key_hash"] == hashlib.sha256(token["token"].encode()).hexdigest()
    assert not any(token["token"] in str(value) for value in row.values())


@pytest.mark.parametrize(
    "fields, days", [({}, 90), ({"expires_in_days": None}, 90), ({"expires_in_days": 365}, 365)]
)
def test_lifetime_defaults_to_90_days_and_is_at_most_365(owner, fields, days):
    body = create_token(owner, **fields)

    stored = ApiToken.objects.get(pk=body["id"])
    assert (stored.expires_at - stored.created_at).days == days


@pytest.mark.parametrize(
    "payload, errors",
    [
        ({}, {"name": ["This field is required."]}),
        ({"name": ""}, {"name": ["This field may not be blank."]}),
        ({"name": "x" * 101}, {"name": ["Ensure this field has no more than 100 characters."]}),
        (
            {"name": "n", "expires_in_days": 0},
            {"expires_in_days": ["Ensure this value is greater than or equal to 1."]},
        ),
        (
            {"name": "n", "expires_in_days": 366},
            {"expires_in_days": ["Ensure this value is less than or equal to 365."]},
        ),
        (
            {"name": "n", "expires_in_days": "soon"},
            {"expires_in_days": ["A valid integer is required."]},
        ),
        (
            {"name": "n", "expires_in_days": 1.5},
            {"expires_in_days": ["A valid integer is required."]},
        ),
    ],
)
def test_invalid_token_requests_are_400_and_create_nothing(owner, payload, errors):
    response = owner.post(TOKENS, json=payload)

    assert response.status_code == 400
    assert response.json() == errors
    assert not ApiToken.objects.exists()


def test_list_is_newest_first_and_shows_only_the_callers_tokens(owner, outsider):
    first, second = create_token(owner, name="first"), create_token(owner, name="second")
    create_token(outsider, name="theirs")

    listed = owner.get(TOKENS).json()

    assert [t["id"] for t in listed] == [second["id"], first["id"]]
    assert all("token" not in t for t in listed)


def test_revoking_stops_the_token_at_once(owner, token, bearer):
    client = bearer(token["token"])
    assert client.get(IDENTITY).json()["authenticated"] is True

    response = owner.delete(f"{TOKENS}{token['id']}/")

    assert response.status_code == 204
    refused = client.get("/api/questions/")
    assert refused.status_code == 401
    assert refused.json() == {"detail": "Invalid token."}
    assert owner.get(TOKENS).json() == []


@pytest.mark.parametrize("method", ["get", "delete"])
def test_another_users_token_is_404_and_stays_alive(owner, outsider, token, bearer, method):
    response = getattr(outsider, method)(f"{TOKENS}{token['id']}/")

    assert response.status_code == 404
    assert bearer(token["token"]).get("/api/questions/").status_code == 200


@pytest.mark.parametrize(
    "method, path",
    [("get", TOKENS), ("post", TOKENS), ("get", TOKENS + "{id}/"), ("delete", TOKENS + "{id}/")],
)
def test_a_token_cannot_manage_tokens(token, bearer, method, path):
    response = getattr(bearer(token["token"]), method)(
        path.format(id=token["id"]), json={"name": "minted by a token"}
    )

    assert response.status_code == 403
    assert response.json() == {
        "detail": (
            "This needs a signed-in session; an API token cannot manage tokens or the account."
        )
    }
    assert ApiToken.objects.count() == 1


@pytest.mark.parametrize("method, path", [("get", TOKENS), ("post", TOKENS)])
def test_anonymous_callers_cannot_manage_tokens(anon, method, path):
    response = getattr(anon, method)(path, json={"name": "x"})

    assert response.status_code == 403
    assert response.json() == {"detail": "Authentication credentials were not provided."}


def test_creating_a_token_with_a_session_needs_the_csrf_header(owner):
    owner.send_csrf = False

    response = owner.post(TOKENS, json={"name": "x"})

    assert response.status_code == 403
    assert response.json()["detail"].startswith("CSRF Failed")


# --- Using a token -------------------------------------------------------------------


@pytest.fixture
def owned(owner):
    tag = create_tag(owner, "arrays")
    question = create_question(owner, "Two Sum", tag_ids=[tag["id"]])
    log = create_log(owner, question["id"], outcome="Solved")
    return {"tag": tag["id"], "question": question["id"], "log": log["id"]}


CORE_ROUTES = [
    ("get", "/api/questions/", None, 200),
    ("post", "/api/questions/", {"title": "From a script"}, 201),
    ("get", "/api/questions/{question}/", None, 200),
    ("put", "/api/questions/{question}/", {"title": "Renamed"}, 200),
    ("patch", "/api/questions/{question}/", {"title": "Renamed"}, 200),
    ("delete", "/api/questions/{question}/", None, 204),
    ("get", "/api/questions/{question}/logs/", None, 200),
    ("post", "/api/questions/{question}/logs/", {"outcome": "Failed"}, 201),
    ("get", "/api/questions/{question}/logs/{log}/", None, 200),
    ("put", "/api/questions/{question}/logs/{log}/", {"outcome": "Partial"}, 200),
    ("patch", "/api/questions/{question}/logs/{log}/", {"outcome": "Partial"}, 200),
    ("delete", "/api/questions/{question}/logs/{log}/", None, 204),
    ("get", "/api/tags/", None, 200),
    ("post", "/api/tags/", {"name": "graphs"}, 201),
    ("get", "/api/tags/{tag}/", None, 200),
    ("put", "/api/tags/{tag}/", {"name": "lists"}, 200),
    ("patch", "/api/tags/{tag}/", {"name": "lists"}, 200),
    ("delete", "/api/tags/{tag}/", None, 204),
    ("get", "/api/review/", None, 200),
    ("get", "/api/review/forecast/", None, 200),
    ("get", "/api/stats/", None, 200),
    ("get", "/api/import/jobs/", None, 200),
    ("get", "/api/accounts/export/", None, 200),
]


@pytest.mark.parametrize("method, template, body, expected", CORE_ROUTES)
def test_a_token_works_on_every_core_route_without_csrf(
    owner, owned, token, bearer, method, template, body, expected
):
    client = bearer(token["token"])

    response = getattr(client, method)(template.format(**owned), json=body)

    assert response.status_code == expected, response.text
    assert "Set-Cookie" not in response.headers  # no session is started for a token
    if method == "post" and template == "/api/questions/":
        assert Question.objects.get(pk=response.json()["id"]).owner_id == owner.user.pk


def test_identity_names_the_tokens_user(owner, token, bearer):
    response = bearer(token["token"]).get(IDENTITY)

    assert response.status_code == 200
    assert response.json()["authenticated"] is True
    assert response.json()["user"]["username"] == owner.user.username


def test_a_token_sees_only_its_users_data(owned, outsider, bearer):
    theirs = bearer(create_token(outsider)["token"])

    assert theirs.get("/api/questions/").json() == []
    assert theirs.get(f"/api/questions/{owned['question']}/").status_code == 404
    assert theirs.delete(f"/api/tags/{owned['tag']}/").status_code == 404


def test_the_scheme_name_is_case_insensitive(token, client_factory):
    client = client_factory(send_csrf=False)

    response = client.get(IDENTITY, headers={"Authorization": f"bearer {token['token']}"})

    assert response.json()["authenticated"] is True


# --- Refused tokens: 401 with a challenge ---------------------------------------------


@pytest.mark.parametrize(
    "header, detail",
    [
        ("Bearer", "Invalid Authorization header: send 'Bearer <token>'."),
        ("Bearer two parts", "Invalid Authorization header: send 'Bearer <token>'."),
        ("Bearer iq_not-a-token", "Invalid token."),
        ("Bearer {secret}x", "Invalid token."),
        (b"Bearer iq_\xff\xfe", "Invalid token."),
    ],
)
@pytest.mark.parametrize("path", ["/api/questions/", "/api/tags/", IDENTITY])
def test_a_bad_authorization_header_is_401_with_a_challenge(
    token, client_factory, header, detail, path
):
    if isinstance(header, str):
        header = header.format(secret=token["token"])

    response = client_factory(send_csrf=False).get(path, headers={"Authorization": header})

    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == CHALLENGE
    assert response.json() == {"detail": detail}


@pytest.mark.parametrize("header", ["Token {secret}", "Basic dXNlcjpwYXNz"])
def test_other_schemes_sign_nobody_in_and_get_the_bearer_challenge(token, client_factory, header):
    client = client_factory(send_csrf=False)
    client.headers["Authorization"] = header.format(secret=token["token"])

    response = client.get("/api/questions/")

    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == CHALLENGE
    assert response.json() == {"detail": "Authentication credentials were not provided."}
    assert client.get(IDENTITY).json() == {"authenticated": False, "user": None}


def test_an_expired_token_is_401(token, bearer):
    ApiToken.objects.filter(pk=token["id"]).update(expires_at=timezone.now())

    response = bearer(token["token"]).post("/api/tags/", json={"name": "late"})

    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == CHALLENGE
    assert response.json() == {"detail": "Token expired."}


def test_a_token_of_a_deactivated_user_is_401(owner, token, bearer):
    owner.user.is_active = False
    owner.user.save()

    response = bearer(token["token"]).get("/api/questions/")

    assert response.status_code == 401
    assert response.json() == {"detail": "User inactive."}


def test_callers_without_credentials_still_get_the_documented_403(anon):
    response = anon.get("/api/questions/")

    assert response.status_code == 403
    assert "WWW-Authenticate" not in response.headers


# --- last_used_at ------------------------------------------------------------------


def queries_of(client: APIClient, path: str) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return [query["sql"] for query in queries]


def test_last_used_at_is_written_at_most_once_a_minute(token):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token['token']}")

    first = queries_of(client, "/api/tags/")
    used = ApiToken.objects.get(pk=token["id"]).last_used_at
    again = queries_of(client, "/api/tags/")

    # The token and its user in one query; one UPDATE on the first use only.
    assert sum(sql.startswith("UPDATE") for sql in first) == 1
    assert not any(sql.startswith("UPDATE") for sql in again)
    assert len(again) == len(first) - 1
    assert ApiToken.objects.get(pk=token["id"]).last_used_at == used

    ApiToken.objects.filter(pk=token["id"]).update(last_used_at=used - timedelta(minutes=2))
    later = queries_of(client, "/api/tags/")

    assert sum(sql.startswith("UPDATE") for sql in later) == 1
    assert ApiToken.objects.get(pk=token["id"]).last_used_at > used


def test_the_list_shows_when_a_token_was_last_used(owner, token, bearer):
    bearer(token["token"]).get("/api/questions/")

    (listed,) = owner.get(TOKENS).json()

    assert listed["last_used_at"] is not None
    assert listed["created_at"] <= listed["last_used_at"] < listed["expires_at"]


# --- The schema ------------------------------------------------------------------------


def test_the_schema_offers_both_the_session_and_a_bearer_token(anon):
    schema = anon.get("/api/schema/").json()

    schemes = schema["components"]["securitySchemes"]
    assert schemes["bearerAuth"]["type"] == "http" and schemes["bearerAuth"]["scheme"] == "bearer"
    assert schemes["cookieAuth"] == {"type": "apiKey", "in": "cookie", "name": "sessionid"}
    assert {"bearerAuth": []} in schema["paths"]["/api/questions/"]["get"]["security"]
    assert schema["paths"]["/api/accounts/tokens/"]["post"]["security"] == [{"cookieAuth": []}]
