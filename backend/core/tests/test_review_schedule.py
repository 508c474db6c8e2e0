"""The FSRS review schedule, the review queue and the forecast."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone
from fsrs import Card, Rating, Scheduler

from backend.core.models import Question
from backend.test_common.api import create_log, create_question


def expected_schedule(question_id, reviews):
    """What the fsrs package itself computes for these (iso date, Rating) reviews."""
    scheduler = Scheduler(enable_fuzzing=False)
    card = Card(card_id=question_id)
    for when, rating in reviews:
        moment = datetime.fromisoformat(when.replace("Z", "+00:00")).astimezone(UTC)
        card, _ = scheduler.review_card(card, rating, review_datetime=moment)
    state = {1: "learning", 2: "review", 3: "relearning"}[card.state]
    return card.due.isoformat().replace("+00:00", "Z"), state


def schedule_of(client, question_id):
    question = client.get(f"/api/questions/{question_id}/").json()
    return question["next_review_at"], question["review_state"]


def test_a_new_question_has_no_schedule(owner):
    question = create_question(owner)

    assert schedule_of(owner, question["id"]) == (None, "new")


@pytest.mark.parametrize(
    "logs, ratings",
    [
        ([{"outcome": "Solved"}], [Rating.Good]),
        ([{"outcome": "Partial"}], [Rating.Hard]),
        ([{"outcome": "Failed"}], [Rating.Again]),
        (
            [{"outcome": "Failed"}, {"outcome": "Partial"}, {"outcome": "Solved"}],
            [Rating.Again, Rating.Hard, Rating.Good],
        ),
        ([{"outcome": "Failed", "rating": "easy"}], [Rating.Easy]),  # an explicit rating wins
        ([{"rating": "hard"}], [Rating.Hard]),
        ([{"outcome": "Solved"}, {}, {"outcome": "Solved"}], [Rating.Good, Rating.Good]),
        (
            [{"outcome": "Solved"}, {"outcome": "Solved"}, {"outcome": "Failed"}],
            [Rating.Good, Rating.Good, Rating.Again],
        ),
    ],
)
def test_schedule_matches_fsrs_for_known_histories(owner, logs, ratings):
    question = create_question(owner, difficulty="Medium")
    dates = [f"2026-0{n + 1}-10T09:00:00Z" for n in range(len(logs))]
    for when, log in zip(dates, logs):
        create_log(owner, question["id"], date_attempted=when, **log)
    reviews = [
        (when, rating) for when, rating in zip([d for d, log in zip(dates, logs) if log], ratings)
    ]

    assert schedule_of(owner, question["id"]) == expected_schedule(question["id"], reviews)


def test_a_log_without_outcome_or_rating_is_not_a_review(owner):
    question = create_question(owner)

    create_log(owner, question["id"], self_notes="just read it")

    assert schedule_of(owner, question["id"]) == (None, "new")


def test_solving_in_under_half_the_median_minutes_is_easy(owner):
    for minutes in (40, 50, 60):  # the median of Medium solves is 50
        other = create_question(owner, difficulty="Medium")
        create_log(owner, other["id"], outcome="Solved", time_spent_min=minutes)
    fast, slow = (create_question(owner, difficulty="Medium") for _ in range(2))
    when = "2026-03-01T08:00:00Z"

    create_log(owner, fast["id"], outcome="Solved", time_spent_min=20, date_attempted=when)
    create_log(owner, slow["id"], outcome="Solved", time_spent_min=30, date_attempted=when)

    assert schedule_of(owner, fast["id"]) == expected_schedule(fast["id"], [(when, Rating.Easy)])
    assert schedule_of(owner, slow["id"]) == expected_schedule(slow["id"], [(when, Rating.Good)])


def test_the_median_is_per_difficulty(owner):
    hard = create_question(owner, difficulty="Hard")
    create_log(owner, hard["id"], outcome="Solved", time_spent_min=100)
    easy = create_question(owner, difficulty="Easy")
    when = "2026-03-01T08:00:00Z"

    # 20 minutes is under half the Hard median, but no Easy solve has a time yet.
    create_log(owner, easy["id"], outcome="Solved", time_spent_min=20, date_attempted=when)

    assert schedule_of(owner, easy["id"]) == expected_schedule(easy["id"], [(when, Rating.Good)])


def test_editing_or_deleting_a_past_log_reschedules(owner):
    question = create_question(owner)
    first = create_log(
        owner, question["id"], outcome="Failed", date_attempted="2026-01-01T09:00:00Z"
    )
    second = create_log(
        owner, question["id"], outcome="Solved", date_attempted="2026-01-05T09:00:00Z"
    )
    logs = f"/api/questions/{question['id']}/logs/"

    owner.patch(f"{logs}{first['id']}/", json={"outcome": "Solved"})
    assert schedule_of(owner, question["id"]) == expected_schedule(
        question["id"],
        [("2026-01-01T09:00:00Z", Rating.Good), ("2026-01-05T09:00:00Z", Rating.Good)],
    )

    owner.delete(f"{logs}{second['id']}/")
    assert schedule_of(owner, question["id"]) == expected_schedule(
        question["id"], [("2026-01-01T09:00:00Z", Rating.Good)]
    )

    owner.delete(f"{logs}{first['id']}/")
    assert schedule_of(owner, question["id"]) == (None, "new")


def test_the_list_shows_the_schedule_too(owner):
    question = create_question(owner)
    create_log(owner, question["id"], outcome="Solved", date_attempted="2026-02-01T09:00:00Z")

    listed = owner.get("/api/questions/").json()[0]

    assert (listed["next_review_at"], listed["review_state"]) == schedule_of(owner, question["id"])


# --- The review queue -----------------------------------------------------------------


def set_due(question_id, days_from_now):
    Question.objects.filter(pk=question_id).update(
        next_review_at=timezone.now() + timedelta(days=days_from_now), attempts_count=1
    )


@pytest.fixture
def queue(owner):
    names = ["overdue_most", "overdue_less", "not_due", "new_old", "new_recent", "inactive"]
    ids = {name: create_question(owner, name)["id"] for name in names}
    set_due(ids["overdue_most"], -5)
    set_due(ids["overdue_less"], -1)
    set_due(ids["not_due"], 2)
    set_due(ids["inactive"], -9)
    Question.objects.filter(pk=ids["inactive"]).update(is_active=False)
    return ids


def test_review_queue_is_due_first_most_overdue_first_then_never_attempted(owner, outsider, queue):
    create_question(outsider, "someone else's")

    response = owner.get("/api/review/")

    assert response.status_code == 200
    assert [question["title"] for question in response.json()] == [
        "overdue_most",
        "overdue_less",
        "new_old",
        "new_recent",
    ]


@pytest.mark.parametrize(
    "limit, expected", [(1, ["overdue_most"]), (3, ["overdue_most", "overdue_less", "new_old"])]
)
def test_review_queue_limit(owner, queue, limit, expected):
    response = owner.get(f"/api/review/?limit={limit}")

    assert [question["title"] for question in response.json()] == expected


@pytest.mark.parametrize("query", ["limit=0", "limit=abc", "limit=1001", "limit=-2"])
def test_review_queue_invalid_limit_is_400(owner, query):
    response = owner.get(f"/api/review/?{query}")

    assert response.status_code == 400
    assert list(response.json()) == ["limit"]


def test_forecast_counts_questions_due_each_day(owner, outsider, queue):
    other = create_question(outsider, "theirs")
    set_due(other["id"], 1)
    today = timezone.now().date()

    response = owner.get("/api/review/forecast/?days=3")

    assert response.status_code == 200
    assert response.json() == [
        {"date": today.isoformat(), "due": 2},  # the two overdue ones (not the inactive one)
        {"date": (today + timedelta(days=1)).isoformat(), "due": 0},
        {"date": (today + timedelta(days=2)).isoformat(), "due": 1},
    ]


def test_forecast_defaults_to_fourteen_days(owner):
    assert len(owner.get("/api/review/forecast/").json()) == 14


@pytest.mark.parametrize("query", ["days=0", "days=366", "days=two"])
def test_forecast_invalid_days_is_400(owner, query):
    response = owner.get(f"/api/review/forecast/?{query}")

    assert response.status_code == 400
    assert list(response.json()) == ["days"]
