"""Every endpoint runs an exact number of SQL queries, whatever the amount of data.

Each budget names its queries, so that a new one is a visible change. The
live server runs in another thread, so queries are counted in-process with
DRF's APIClient, signed in with force_authenticate (no session or user lookup:
what is counted is the endpoint's own work).
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from backend.core.models import Question, QuestionLog, Tag, question_slug

SIZES = [5, 50]


def seed(owner, size: int) -> Question:
    """``size`` questions of every difficulty with 3 tags and 3 logs each; returns
    the newest question."""
    tags = Tag.objects.bulk_create(Tag(owner=owner, name=f"tag {n}") for n in range(5))
    questions = Question.objects.bulk_create(
        Question(
            owner=owner,
            title=f"Question {n}",
            slug=question_slug("q"),
            difficulty=["Easy", "Medium", "Hard"][n % 3],
        )
        for n in range(size)
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
    return questions[-1]


@pytest.fixture
def api(make_user):
    client = APIClient()
    client.force_authenticate(make_user())
    return client


def count_queries(api, method: str, path: str, **kwargs) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        response = getattr(api, method)(path, format="json", **kwargs)
    assert response.status_code < 300
    return [query["sql"] for query in queries]


def queries_for_each_size(api, make_request) -> list[list[str]]:
    queries = []
    for size in SIZES:
        Question.objects.all().delete()
        Tag.objects.all().delete()
        question = seed(api.handler._force_user, size)
        queries.append(make_request(api, question))
    return queries


# Queries that several endpoints run.
TRANSACTION = ["SAVEPOINT", "RELEASE SAVEPOINT"]  # the test's transaction nests atomic blocks
REFRESH_AGGREGATES = [
    "SELECT the questions to refresh",
    "SELECT the median minutes of the owner's latest solves",
    "SELECT the questions' logs",
    "UPDATE the question's counts and review schedule",
]
LOG_WRITE = [
    "SELECT the question in the URL",
    "SELECT the log",
    TRANSACTION[0],
    "SELECT the question FOR UPDATE",
]
# SQLite has no time zones: the zone's offsets are computed for the logs' span.
LOGS_SPAN = (
    ["SELECT the first log's time", "SELECT the last log's time"]
    if connection.vendor == "sqlite"
    else []
)


def wrap(queries: list[str]) -> list[str]:
    return [TRANSACTION[0], *queries, TRANSACTION[1]]


ENDPOINTS = {
    # name: (the queries it runs, in order; request)
    "question list": (
        ["SELECT questions", "SELECT their tags"],
        lambda api, q: count_queries(api, "get", "/api/questions/"),
    ),
    "question page": (
        ["SELECT COUNT questions", "SELECT the page's questions", "SELECT their tags"],
        lambda api, q: count_queries(api, "get", "/api/questions/?limit=50"),
    ),
    "question detail": (
        ["SELECT the question", "SELECT its tags"],
        lambda api, q: count_queries(api, "get", f"/api/questions/{q.pk}/"),
    ),
    "log list": (
        ["SELECT the question in the URL", "SELECT its logs"],
        lambda api, q: count_queries(api, "get", f"/api/questions/{q.pk}/logs/"),
    ),
    "tag list": (["SELECT tags"], lambda api, q: count_queries(api, "get", "/api/tags/")),
    "filtered question page": (
        [
            "SELECT the tags filtered by (are they yours?)",
            "SELECT COUNT matching questions",
            "SELECT the page's questions",
            "SELECT their tags",
        ],
        lambda api, q: count_queries(
            api,
            "get",
            "/api/questions/?limit=20&difficulty=Easy&difficulty=Medium&attempted=true"
            f"&due=false&search=question&ordering=-attempts_count&tag={q.tags.first().pk}",
        ),
    ),
    "review queue": (
        # Nothing is due and everything attempted: no tags to read.
        ["SELECT due questions", "SELECT never-attempted questions"],
        lambda api, q: count_queries(api, "get", "/api/review/"),
    ),
    "review forecast": (
        ["SELECT due questions per day"],
        lambda api, q: count_queries(api, "get", "/api/review/forecast/"),
    ),
    "stats": (
        [
            "SELECT questions' aggregates summed per difficulty",
            "SELECT questions' aggregates summed per tag",
            "SELECT the most failed questions",
            *LOGS_SPAN,
            "SELECT logs per day in the zone",
        ],
        lambda api, q: count_queries(api, "get", "/api/stats/?tz=Europe/Berlin"),
    ),
    "stats for a period": (
        [
            "SELECT COUNT questions",
            "SELECT the period's logs counted per difficulty",
            "SELECT the period's logs counted per tag",
            "SELECT the period's most failed questions",
            *LOGS_SPAN,
            "SELECT the period's logs per day in the zone",
        ],
        lambda api, q: count_queries(api, "get", "/api/stats/?tz=Europe/Berlin&since=2020-01-01"),
    ),
    "question create": (
        [
            "SELECT the tags in tag_ids (are they yours?)",
            *wrap(
                [
                    "INSERT the question",
                    "SELECT the tags FOR UPDATE (none deleted meanwhile)",
                    "SELECT its tag links",
                    "INSERT its tag links",
                ]
            ),
            "SELECT its tags for the response",
        ],
        lambda api, q: count_queries(
            api,
            "post",
            "/api/questions/",
            data={"title": "New", "tag_ids": list(q.tags.values_list("pk", flat=True))},
        ),
    ),
    "question update": (
        [
            "SELECT the question",
            "SELECT the tags in tag_ids (are they yours?)",
            *wrap(
                [
                    "UPDATE the question",
                    "SELECT the tags FOR UPDATE (none deleted meanwhile)",
                    "SELECT its tag links",
                    "DELETE the dropped links",
                ]
            ),
            "SELECT its tags for the response",
        ],
        lambda api, q: count_queries(
            api,
            "patch",
            f"/api/questions/{q.pk}/",
            data={"title": "Renamed", "tag_ids": list(q.tags.values_list("pk", flat=True)[:1])},
        ),
    ),
    "log create": (
        [
            "SELECT the question in the URL",
            *wrap(["SELECT the question FOR UPDATE", "INSERT the log", *REFRESH_AGGREGATES]),
        ],
        lambda api, q: count_queries(
            api, "post", f"/api/questions/{q.pk}/logs/", data={"outcome": "Solved"}
        ),
    ),
    "log update": (
        [*LOG_WRITE, "UPDATE the log", *REFRESH_AGGREGATES, TRANSACTION[1]],
        lambda api, q: count_queries(
            api,
            "patch",
            f"/api/questions/{q.pk}/logs/{q.logs.first().pk}/",
            data={"outcome": "Failed"},
        ),
    ),
    "log delete": (
        [*LOG_WRITE, "DELETE the log", *REFRESH_AGGREGATES, TRANSACTION[1]],
        lambda api, q: count_queries(
            api, "delete", f"/api/questions/{q.pk}/logs/{q.logs.first().pk}/"
        ),
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_each_endpoint_runs_exactly_its_named_queries(api, endpoint):
    expected, make_request = ENDPOINTS[endpoint]

    for size, queries in zip(SIZES, queries_for_each_size(api, make_request), strict=True):
        ran = "\n".join(sql[:120] for sql in queries)
        assert len(queries) == len(expected), f"{endpoint}, {size} questions, ran:\n{ran}"
