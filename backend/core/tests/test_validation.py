"""Bad input is a 400 (or 404/415) with a JSON error, never a 500, and writes nothing."""

from datetime import timedelta

import pytest
from django.utils import timezone

from backend.core.models import Question, QuestionLog
from backend.test_common.api import create_log, create_question

VALID_QUESTION = {"title": "Two Sum"}


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"title": None}, "title"),
        ({"title": ""}, "title"),
        ({"title": "   "}, "title"),
        ({"title": "x" * 256}, "title"),
        ({"title": ["Two Sum"]}, "title"),
        ({"title": {"text": "Two Sum"}}, "title"),
        ({"title": "Two\x00Sum"}, "title"),
        ({"content": None}, "content"),
        ({"content": 12}, "content"),  # the schema says string: no numbers as text
        ({"title": 12}, "title"),
        ({"source": True}, "source"),
        ({"content": ["<p>"]}, "content"),
        ({"source": "x" * 2049}, "source"),
        ({"difficulty": "Impossible"}, "difficulty"),
        ({"difficulty": "easy"}, "difficulty"),
        ({"difficulty": None}, "difficulty"),
        ({"is_active": "maybe"}, "is_active"),
        ({"is_active": None}, "is_active"),
        ({"is_active": 0}, "is_active"),  # JSON booleans only
        ({"is_active": "true"}, "is_active"),
        ({"tag_ids": "1,2"}, "tag_ids"),
        ({"tag_ids": [0]}, "tag_ids"),
        ({"tag_ids": [-1]}, "tag_ids"),
        ({"tag_ids": ["one"]}, "tag_ids"),
        ({"tag_ids": [2**63]}, "tag_ids"),
        ({"tag_ids": [10**30]}, "tag_ids"),
        ({"tag_ids": [None]}, "tag_ids"),
        ({"tag_ids": [1.5]}, "tag_ids"),
    ],
)
def test_invalid_question_is_400_naming_the_field(owner, changes, field):
    response = owner.post("/api/questions/", json={**VALID_QUESTION, **changes})

    if field is None:
        assert response.status_code == 201
        return
    assert response.status_code == 400, response.text
    assert field in response.json()
    assert not Question.objects.filter(owner=owner.user).exists()


def test_invalid_update_changes_nothing(owner):
    question = create_question(owner, "Keep", difficulty="Easy")

    response = owner.patch(
        f"/api/questions/{question['id']}/", json={"title": "Changed", "difficulty": "Nope"}
    )

    assert response.status_code == 400
    assert owner.get(f"/api/questions/{question['id']}/").json() == question


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"time_spent_min": -1}, "time_spent_min"),
        ({"time_spent_min": 1441}, "time_spent_min"),
        ({"time_spent_min": 10**12}, "time_spent_min"),
        ({"time_spent_min": 2.5}, "time_spent_min"),
        ({"time_spent_min": "ten"}, "time_spent_min"),
        ({"outcome": "Won"}, "outcome"),
        ({"outcome": None}, "outcome"),
        ({"date_attempted": "yesterday"}, "date_attempted"),
        ({"date_attempted": "2026-13-45T00:00:00Z"}, "date_attempted"),
        ({"date_attempted": "0001-01-01T00:00:00+05:00"}, "date_attempted"),
        ({"date_attempted": "9999-12-31T23:59:59-05:00"}, "date_attempted"),
        ({"date_attempted": "1899-12-31T23:59:59Z"}, "date_attempted"),
        ({"date_attempted": "1900-01-01T00:59:59+01:00"}, "date_attempted"),
        ({"date_attempted": "2999-01-01T00:00:00Z"}, "date_attempted"),
        ({"date_attempted": None}, "date_attempted"),
        ({"date_attempted": 1700000000}, "date_attempted"),
        ({"solution_approach": "x" * 2001}, "solution_approach"),
        ({"self_notes": "a\x00b"}, "self_notes"),
        ({"question": "abc"}, "question"),
        ({"question": 2**70}, "question"),
    ],
)
def test_invalid_log_is_400_naming_the_field(owner, payload, field):
    question = create_question(owner)

    response = owner.post(f"/api/questions/{question['id']}/logs/", json=payload)

    assert response.status_code == 400, response.text
    assert field in response.json()
    assert not QuestionLog.objects.exists()
    assert owner.get(f"/api/questions/{question['id']}/").json()["attempts_count"] == 0


@pytest.mark.parametrize("minutes", [0, 1440, None])
def test_minutes_at_the_bounds_are_accepted(owner, minutes):
    question = create_question(owner)

    log = create_log(owner, question["id"], time_spent_min=minutes)

    assert log["time_spent_min"] == minutes


def test_attempts_may_be_dated_from_1900_to_a_day_from_now(owner):
    question = create_question(owner)
    tomorrow = timezone.now() + timedelta(hours=23)

    first = create_log(owner, question["id"], date_attempted="1900-01-01T00:00:00Z")
    latest = create_log(owner, question["id"], date_attempted=tomorrow.isoformat())

    assert first["date_attempted"] == "1900-01-01T00:00:00Z"
    assert latest["date_attempted"].startswith(f"{tomorrow:%Y-%m-%dT%H:%M}")


def test_a_naive_date_is_taken_as_utc(owner):
    question = create_question(owner)

    log = create_log(owner, question["id"], date_attempted="2026-05-01T12:00:00")

    assert log["date_attempted"] == "2026-05-01T12:00:00Z"


@pytest.fixture
def paths(owner):
    question = create_question(owner)
    log = create_log(owner, question["id"])
    return {
        "/api/questions/": "post",
        f"/api/questions/{question['id']}/": "put",
        f"/api/questions/{question['id']}/logs/": "post",
        f"/api/questions/{question['id']}/logs/{log['id']}/": "patch",
        "/api/tags/": "post",
    }


@pytest.mark.parametrize(
    "body, status",
    [
        ("{not json", 400),
        ("[1, 2, 3]", 400),
        ('"a string"', 400),
        ("42", 400),
        ("null", 400),
    ],
)
def test_bodies_that_are_not_a_json_object_are_400(owner, paths, body, status):
    for path, method in paths.items():
        response = getattr(owner, method)(
            path, data=body, headers={"Content-Type": "application/json"}
        )
        assert response.status_code == status, (path, response.text)
        assert response.json()


def test_wrong_content_type_is_415(owner, paths):
    for path, method in paths.items():
        response = getattr(owner, method)(
            path, data="title=x", headers={"Content-Type": "text/plain"}
        )
        assert response.status_code == 415, path
        assert "detail" in response.json()


@pytest.mark.parametrize(
    "path",
    [
        "/api/questions/abc/",
        "/api/questions/-1/",
        "/api/questions/1.5/",
        "/api/questions/99999999999999999999999/",
        "/api/questions/9223372036854775808/logs/",
        "/api/questions/abc/logs/",
        "/api/questions/1/logs/abc/",
        "/api/questions/1/logs/99999999999999999999999/",
        "/api/tags/abc/",
        "/api/tags/99999999999999999999999/",
        "/api/tags/999999999999999999/",
    ],
)
@pytest.mark.parametrize("method", ["get", "put", "patch", "delete"])
def test_ids_that_do_not_parse_or_overflow_are_404_json(owner, path, method):
    response = getattr(owner, method)(path, json={})

    assert response.status_code == 404
    assert list(response.json()) == ["detail"]
