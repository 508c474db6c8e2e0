import pytest

from backend.core.models import QuestionLog
from backend.test_common.api import create_log, create_question

LOG_FIELDS = {
    "id",
    "question",
    "title",
    "date_attempted",
    "time_spent_min",
    "outcome",
    "rating",
    "solution_approach",
    "self_notes",
}


@pytest.fixture
def question(owner):
    return create_question(owner, "Two Sum")


def logs_url(question_id, log_id=None):
    base = f"/api/questions/{question_id}/logs/"
    return f"{base}{log_id}/" if log_id else base


def test_create_a_log(owner, question):
    response = owner.post(
        logs_url(question["id"]),
        json={
            "date_attempted": "2026-11-20T10:30:00Z",
            "time_spent_min": 25,
            "outcome": "Solved",
            "solution_approach": "hash map",
            "self_notes": "one pass",
        },
    )

    assert response.status_code == 201
    log = response.json()
    assert log == {
        "id": log["id"],
        "question": question["id"],
        "title": "Two Sum",
        "date_attempted": "2026-11-20T10:30:00Z",
        "time_spent_min": 25,
        "outcome": "Solved",
        "rating": "",
        "solution_approach": "hash map",
        "self_notes": "one pass",
    }
    assert owner.get(logs_url(question["id"], log["id"])).json() == log


@pytest.mark.parametrize(
    "sent, answered",
    [
        ("2026-11-20T16:00:00+05:30", "2026-11-20T10:30:00Z"),
        ("2026-11-20T05:30:00.250000-05:00", "2026-11-20T10:30:00.250000Z"),
        ("2026-11-20T10:30:00.000001Z", "2026-11-20T10:30:00.000001Z"),
    ],
)
def test_times_are_answered_in_utc(owner, question, sent, answered):
    # The renderer writes datetimes (DATETIME_FORMAT = None): the same text as DRF's own format.
    log = create_log(owner, question["id"], date_attempted=sent)

    assert log["date_attempted"] == answered
    assert owner.get(logs_url(question["id"])).json()[0]["date_attempted"] == answered
    listed = owner.get("/api/questions/").json()[0]
    assert listed["last_attempted_at"] == answered
    assert listed["created_at"].endswith("Z")


def test_an_empty_log_defaults_to_now(owner, question):
    log = create_log(owner, question["id"])

    assert set(log) == LOG_FIELDS
    assert log["date_attempted"]
    assert log["time_spent_min"] is None
    assert log["outcome"] == log["rating"] == log["solution_approach"] == log["self_notes"] == ""


def test_body_may_repeat_the_question_from_the_url(owner, question):
    log = create_log(owner, question["id"], question=question["id"], outcome="Failed")

    assert log["question"] == question["id"]


def test_body_naming_another_question_is_400(owner, question):
    other = create_question(owner, "Other")

    response = owner.post(logs_url(question["id"]), json={"question": other["id"]})

    assert response.status_code == 400
    assert response.json() == {"question": ["Does not match the question in the URL."]}
    assert not QuestionLog.objects.exists()


def test_list_is_an_array_newest_attempt_first(owner, question):
    for day in ["2026-01-02", "2026-01-03", "2026-01-01"]:
        create_log(owner, question["id"], date_attempted=f"{day}T09:00:00Z")
    create_log(owner, create_question(owner, "Other")["id"])

    response = owner.get(logs_url(question["id"]))

    assert response.status_code == 200
    assert [log["date_attempted"][:10] for log in response.json()] == [
        "2026-01-03",
        "2026-01-02",
        "2026-01-01",
    ]


@pytest.mark.parametrize("method", ["put", "patch"])
def test_update_a_log(owner, question, method):
    log = create_log(owner, question["id"], outcome="Failed", time_spent_min=40)

    response = getattr(owner, method)(
        logs_url(question["id"], log["id"]),
        json={"outcome": "Solved", "time_spent_min": 20, "self_notes": "got it"},
    )

    assert response.status_code == 200
    body = response.json()
    assert (body["outcome"], body["time_spent_min"], body["self_notes"]) == ("Solved", 20, "got it")


def test_delete_a_log(owner, question):
    log = create_log(owner, question["id"])

    response = owner.delete(logs_url(question["id"], log["id"]))

    assert response.status_code == 204
    assert owner.get(logs_url(question["id"], log["id"])).status_code == 404
    assert not QuestionLog.objects.exists()


@pytest.mark.parametrize("method", ["get", "put", "patch", "delete"])
def test_a_log_through_the_wrong_question_is_404(owner, question, method):
    log = create_log(owner, question["id"], outcome="Solved")
    other = create_question(owner, "Other")

    response = getattr(owner, method)(logs_url(other["id"], log["id"]), json={"outcome": "Failed"})

    assert response.status_code == 404
    assert QuestionLog.objects.get(pk=log["id"]).outcome == "Solved"
