"""Every endpoint runs a constant number of SQL queries, whatever the amount of data.

The live server runs in another thread, so queries are counted in-process with
DRF's APIClient, signed in with force_authenticate (no session or user lookup:
what is counted is the endpoint's own work).
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from backend.core import tallies
from backend.core.models import Question, QuestionLog, Tag, question_slug

SIZES = [5, 50]


def seed(owner, size: int) -> Question:
    """``size`` questions with 3 tags and 3 logs each; returns the newest question."""
    tags = Tag.objects.bulk_create(Tag(owner=owner, name=f"tag {n}") for n in range(5))
    questions = Question.objects.bulk_create(
        Question(owner=owner, title=f"Question {n}", slug=question_slug("q")) for n in range(size)
    )
    Question.tags.through.objects.bulk_create(
        Question.tags.through(question=question, tag=tags[(i + k) % 5])
        for i, question in enumerate(questions)
        for k in range(3)
    )
    QuestionLog.objects.bulk_create(
        QuestionLog(owner=owner, question=question, outcome="Solved", time_spent_min=10)
        for question in questions
        for _ in range(3)
    )
    Question.objects.filter(owner=owner).refresh_aggregates()
    tallies.record(tallies.contribution(question.pk for question in questions))
    return questions[-1]


@pytest.fixture
def api(make_user):
    client = APIClient()
    client.force_authenticate(make_user())
    return client


def count_queries(api, method: str, path: str, **kwargs) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = getattr(api, method)(path, format="json", **kwargs)
        if response.streaming:  # a streamed list queries as it is read
            b"".join(response.streaming_content)
    assert response.status_code < 300
    return len(queries)


def counts_for_each_size(api, make_request) -> list[int]:
    counts = []
    for size in SIZES:
        Question.objects.all().delete()
        Tag.objects.all().delete()
        question = seed(api.handler._force_user, size)
        counts.append(make_request(question))
    return counts


ENDPOINTS = {
    # name: (budget, request). Write budgets include the SAVEPOINT and RELEASE
    # that the test's own transaction turns each atomic block into; a log write
    # also recounts its question and replays its review schedule (5 queries), and
    # moves the stats' tallies (the log's share and whether its question is solved,
    # before and after; up to 4 upserts).
    "question list": (4, lambda api, q: count_queries(api, "get", "/api/questions/")),
    "question page": (4, lambda api, q: count_queries(api, "get", "/api/questions/?limit=50")),
    "question detail": (3, lambda api, q: count_queries(api, "get", f"/api/questions/{q.pk}/")),
    "log list": (3, lambda api, q: count_queries(api, "get", f"/api/questions/{q.pk}/logs/")),
    "tag list": (2, lambda api, q: count_queries(api, "get", "/api/tags/")),
    "filtered question page": (
        5,
        lambda api, q: count_queries(
            api,
            "get",
            "/api/questions/?limit=20&difficulty=Easy&difficulty=Medium&attempted=true"
            f"&due=false&search=question&ordering=-attempts_count&tag={q.tags.first().pk}",
        ),
    ),
    "review queue": (3, lambda api, q: count_queries(api, "get", "/api/review/")),
    "review forecast": (1, lambda api, q: count_queries(api, "get", "/api/review/forecast/")),
    "stats": (4, lambda api, q: count_queries(api, "get", "/api/stats/?tz=Europe/Berlin")),
    "stats for a period": (
        7,
        lambda api, q: count_queries(api, "get", "/api/stats/?tz=Europe/Berlin&since=2020-01-01"),
    ),
    "question create": (
        8,
        lambda api, q: count_queries(
            api,
            "post",
            "/api/questions/",
            data={"title": "New", "tag_ids": list(q.tags.values_list("pk", flat=True))},
        ),
    ),
    "question update": (
        12,
        lambda api, q: count_queries(
            api,
            "patch",
            f"/api/questions/{q.pk}/",
            data={"title": "Renamed", "tag_ids": list(q.tags.values_list("pk", flat=True)[:1])},
        ),
    ),
    "log create": (
        17,
        lambda api, q: count_queries(
            api, "post", f"/api/questions/{q.pk}/logs/", data={"outcome": "Solved"}
        ),
    ),
    "log update": (
        17,
        lambda api, q: count_queries(
            api,
            "patch",
            f"/api/questions/{q.pk}/logs/{q.logs.first().pk}/",
            data={"outcome": "Failed"},
        ),
    ),
    "log delete": (
        18,
        lambda api, q: count_queries(
            api, "delete", f"/api/questions/{q.pk}/logs/{q.logs.first().pk}/"
        ),
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_query_count_is_constant_and_within_budget(api, endpoint):
    budget, make_request = ENDPOINTS[endpoint]

    counts = counts_for_each_size(api, lambda question: make_request(api, question))

    assert counts[0] == counts[1], f"{endpoint}: {counts[0]} queries for 5 rows, {counts[1]} for 50"
    assert counts[0] <= budget, f"{endpoint}: {counts[0]} queries, budget {budget}"
