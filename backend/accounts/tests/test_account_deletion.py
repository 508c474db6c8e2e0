"""DELETE /api/accounts/me/: the user and everything they own go, in one transaction."""

import pytest
import requests
from django.apps import apps
from django.contrib.sessions.models import Session
from django.db import models

from backend.accounts.models import ApiToken, User
from backend.core.imports.models import ImportJob
from backend.core.models import Question, QuestionLog, Tag
from backend.test_common.api import create_log, create_question, create_tag
from backend.test_common.fixtures import PASSWORD

ME = "/api/accounts/me/"
IDENTITY = "/api/accounts/identity/"
SIGNED_OUT = {"authenticated": False, "user": None}


def fill(client) -> dict:
    """Some of everything a user can own, made through the API where the API makes it."""
    tag = create_tag(client, f"tag of {client.user.username}")
    question = create_question(client, "Two Sum", tag_ids=[tag["id"]])
    create_log(client, question["id"], outcome="Solved")
    ImportJob.objects.create(owner=client.user, platform="codewars", username="someone")
    token = client.post("/api/accounts/tokens/", json={"name": "script"}).json()
    return {"question": question, "tag": tag, "token": token["token"]}


def rows_pointing_at(user_id: int) -> dict[str, int]:
    """Rows of every model that refer to the user, found from the models themselves."""
    counts = {}
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.ForeignKey) and field.related_model is User:
                count = model.objects.filter(**{field.attname: user_id}).count()
                if count:
                    counts[f"{model._meta.label}.{field.name}"] = count
    return counts


def api_view(client) -> dict:
    """What a user sees of their data through the API."""
    return {
        path: client.get(path).json()
        for path in ["/api/questions/", "/api/tags/", "/api/import/jobs/", "/api/accounts/tokens/"]
    }


def db_rows(user) -> dict:
    return {
        "tags": list(Tag.objects.filter(owner=user).values()),
        "questions": list(Question.objects.filter(owner=user).values()),
        "logs": list(QuestionLog.objects.filter(owner=user).values()),
        "tag links": list(Question.tags.through.objects.filter(question__owner=user).values()),
        "import jobs": list(ImportJob.objects.filter(owner=user).values()),
        "tokens": list(ApiToken.objects.filter(user=user).values()),
    }


@pytest.fixture
def both(owner, outsider):
    return fill(owner), fill(outsider)


def test_deletion_removes_every_row_the_user_owned_and_nothing_of_anyone_else(
    owner, outsider, both
):
    user_id = owner.user.pk
    assert set(rows_pointing_at(user_id)) >= {
        "core.Tag.owner",
        "core.Question.owner",
        "core.QuestionLog.owner",
        "core.ImportJob.owner",
        "accounts.ApiToken.user",
    }
    question_id = both[0]["question"]["id"]
    outsider_rows, outsider_view = db_rows(outsider.user), api_view(outsider)

    response = owner.delete(ME, json={"password": PASSWORD})

    assert response.status_code == 204
    assert not User.objects.filter(pk=user_id).exists()
    assert rows_pointing_at(user_id) == {}
    assert not Question.tags.through.objects.filter(question_id=question_id).exists()
    assert not QuestionLog.objects.filter(question_id=question_id).exists()
    assert db_rows(outsider.user) == outsider_rows
    assert api_view(outsider) == outsider_view


def test_the_session_ends_and_its_cookie_is_cleared(owner):
    session_key = owner.cookies["sessionid"]

    response = owner.delete(ME, json={"password": PASSWORD})

    assert 'sessionid=""' in response.headers["Set-Cookie"]
    assert not Session.objects.filter(session_key=session_key).exists()
    assert owner.get(IDENTITY).json() == SIGNED_OUT


def test_other_sessions_and_tokens_of_the_user_are_dead(owner, sign_in, both, base_url):
    other_device = sign_in(owner.user)
    stolen_cookie = other_device.cookies["sessionid"]
    secret = both[0]["token"]

    owner.delete(ME, json={"password": PASSWORD})

    assert other_device.get(IDENTITY).json() == SIGNED_OUT
    assert other_device.get("/api/questions/").status_code == 403
    replay = requests.get(base_url + IDENTITY, cookies={"sessionid": stolen_cookie}, timeout=10)
    assert replay.json() == SIGNED_OUT
    with_token = requests.get(
        base_url + "/api/questions/", headers={"Authorization": f"Bearer {secret}"}, timeout=10
    )
    assert with_token.status_code == 401
    assert with_token.json() == {"detail": "Invalid token."}


def test_the_username_can_be_registered_again_and_starts_empty(owner, anon, base_url, both):
    username, old_cookie, secret = owner.user.username, owner.cookies["sessionid"], both[0]["token"]
    owner.delete(ME, json={"password": PASSWORD})

    registered = anon.post(
        "/api/accounts/register/", json={"username": username.upper(), "password": PASSWORD}
    )
    assert registered.status_code == 201
    signed_in = anon.post("/api/accounts/login/", json={"username": username, "password": PASSWORD})

    assert signed_in.status_code == 200
    assert anon.get("/api/questions/").json() == []
    assert anon.get("/api/tags/").json() == []
    # Neither the old session nor the old token reaches the new account.
    replay = requests.get(base_url + IDENTITY, cookies={"sessionid": old_cookie}, timeout=10)
    assert replay.json() == SIGNED_OUT
    with_token = requests.get(
        base_url + IDENTITY, headers={"Authorization": f"Bearer {secret}"}, timeout=10
    )
    assert with_token.status_code == 401


# --- Refusals: nothing happens ------------------------------------------------------------


def everything():
    return {
        "users": list(User.objects.order_by("pk").values()),
        "tags": list(Tag.objects.order_by("pk").values()),
        "questions": list(Question.objects.order_by("pk").values()),
        "logs": list(QuestionLog.objects.order_by("pk").values()),
        "jobs": list(ImportJob.objects.order_by("pk").values()),
        "tokens": list(ApiToken.objects.order_by("pk").values("pk", "key_hash")),
    }


@pytest.mark.parametrize(
    "payload, errors",
    [
        (
            {"password": "not-the-password"},  # pragma: allowlist secret
            {"password": ["The password is wrong."]},
        ),
        ({"password": ""}, {"password": ["This field may not be blank."]}),
        ({}, {"password": ["This field is required."]}),
        (None, {"password": ["This field is required."]}),
    ],
)
def test_a_missing_or_wrong_password_is_400_and_deletes_nothing(owner, both, payload, errors):
    before = everything()

    response = owner.delete(ME, json=payload)

    assert response.status_code == 400
    assert response.json() == errors
    assert everything() == before
    assert owner.get(IDENTITY).json()["authenticated"] is True


def test_another_users_password_does_not_delete_either_account(owner, outsider, make_user):
    other = make_user()
    other.set_password("other-users-password")
    other.save()
    before = everything()

    response = owner.delete(ME, json={"password": "other-users-password"})

    assert response.status_code == 400
    assert everything() == before


def test_a_token_cannot_delete_the_account(owner, both, client_factory):
    script = client_factory(send_csrf=False)
    script.headers["Authorization"] = f"Bearer {both[0]['token']}"
    before = everything()

    response = script.delete(ME, json={"password": PASSWORD})

    assert response.status_code == 403
    assert "an API token cannot manage tokens or the account" in response.json()["detail"]
    assert everything() == before


def test_deletion_needs_the_csrf_header(owner, both):
    owner.send_csrf = False
    before = everything()

    response = owner.delete(ME, json={"password": PASSWORD})

    assert response.status_code == 403
    assert response.json()["detail"].startswith("CSRF Failed")
    assert everything() == before


def test_signed_out_callers_get_a_403(anon):
    response = anon.delete(ME, json={"password": PASSWORD})

    assert response.status_code == 403
    assert response.json() == {"detail": "Authentication credentials were not provided."}


def test_wrong_passwords_count_towards_the_sign_in_limit(owner, settings):
    settings.LOGIN_FAILURE_LIMIT = 2
    for _ in range(2):
        wrong = {"password": "guess"}  # pragma: allowlist secret
        assert owner.delete(ME, json=wrong).status_code == 400

    response = owner.delete(ME, json={"password": PASSWORD})

    assert response.status_code == 429
    assert "Retry-After" in response.headers
    assert User.objects.filter(pk=owner.user.pk).exists()


def test_other_methods_are_405(owner):
    assert owner.get(ME).status_code == 405
    assert owner.post(ME, json={"password": PASSWORD}).status_code == 405
