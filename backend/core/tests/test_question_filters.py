"""Find, filter and sort: GET /api/questions/ with filters, search and ordering."""

from datetime import timedelta

import pytest
from django.utils import timezone

from backend.core.models import Question
from backend.test_common.api import create_log, create_question, create_tag


@pytest.fixture
def library(owner):
    """Five questions with known properties; returns their ids by name."""
    arrays, graphs = create_tag(owner, "arrays"), create_tag(owner, "graphs")
    ids = {
        "two_sum": create_question(
            owner,
            "Two Sum",
            difficulty="Easy",
            source="LeetCode",
            content="<p>hash map</p>",
            tag_ids=[arrays["id"]],
        )["id"],
        "islands": create_question(
            owner,
            "Number of Islands",
            difficulty="Medium",
            source="https://leetcode.com/problems/number-of-islands/",
            tag_ids=[arrays["id"], graphs["id"]],
        )["id"],
        "dijkstra": create_question(
            owner, "Dijkstra", difficulty="Hard", source="Codewars", tag_ids=[graphs["id"]]
        )["id"],
        "kata": create_question(owner, "Kata", source="codewars kata", is_active=False)["id"],
        "fresh": create_question(owner, "Fresh question", difficulty="Easy")["id"],
    }
    create_log(owner, ids["two_sum"], outcome="Failed", date_attempted="2026-01-01T10:00:00Z")
    create_log(owner, ids["two_sum"], outcome="Solved", date_attempted="2026-01-02T10:00:00Z")
    create_log(owner, ids["islands"], outcome="Solved", date_attempted="2026-01-01T10:00:00Z")
    create_log(owner, ids["islands"], outcome="Failed", date_attempted="2026-01-03T10:00:00Z")
    create_log(owner, ids["dijkstra"], outcome="Partial", date_attempted="2026-01-04T10:00:00Z")
    return {"tags": {"arrays": arrays["id"], "graphs": graphs["id"]}, **ids}


def titles(client, query: str) -> set[str]:
    response = client.get(f"/api/questions/?{query}")
    assert response.status_code == 200, response.text
    return {question["title"] for question in response.json()}


@pytest.mark.parametrize(
    "query, expected",
    [
        ("difficulty=Easy", {"Two Sum", "Fresh question"}),
        ("difficulty=Easy&difficulty=Hard", {"Two Sum", "Fresh question", "Dijkstra"}),
        ("source=leetcode", {"Two Sum", "Number of Islands"}),
        ("source=CODEWARS", {"Dijkstra", "Kata"}),
        ("is_active=false", {"Kata"}),
        ("outcome=Failed", {"Number of Islands"}),  # its latest attempt; Two Sum's is Solved
        ("outcome=Solved", {"Two Sum"}),
        ("outcome=Partial", {"Dijkstra"}),
        ("attempted=false", {"Kata", "Fresh question"}),
        ("attempted=true", {"Two Sum", "Number of Islands", "Dijkstra"}),
        ("search=island", {"Number of Islands"}),
        ("search=hash map", {"Two Sum"}),  # words may match in content
        ("search=problems", {"Number of Islands"}),  # or in source
        ("search=two sum", {"Two Sum"}),
        ("difficulty=Easy&attempted=true&search=sum", {"Two Sum"}),
    ],
)
def test_filters_and_search(owner, library, query, expected):
    assert titles(owner, query) == expected


def test_tag_filter_needs_every_given_tag(owner, library):
    arrays, graphs = library["tags"]["arrays"], library["tags"]["graphs"]

    assert titles(owner, f"tag={arrays}") == {"Two Sum", "Number of Islands"}
    assert titles(owner, f"tag={graphs}") == {"Number of Islands", "Dijkstra"}
    assert titles(owner, f"tag={arrays}&tag={graphs}") == {"Number of Islands"}


def schedule(library, **days_from_now):
    """Set next_review_at directly (it is derived from the logs, dated 2026-01 here)."""
    now = timezone.now()
    for name, days in days_from_now.items():
        Question.objects.filter(pk=library[name]).update(next_review_at=now + timedelta(days=days))


def test_due_means_due_for_review_now(owner, library):
    schedule(library, dijkstra=-0.1, two_sum=3, islands=1)

    assert titles(owner, "due=true") == {"Dijkstra"}
    assert "Dijkstra" not in titles(owner, "due=false")
    assert {"Two Sum", "Fresh question"} <= titles(owner, "due=false")


@pytest.mark.parametrize(
    "ordering, expected",
    [
        ("title", ["Dijkstra", "Fresh question", "Kata", "Number of Islands", "Two Sum"]),
        ("-title", ["Two Sum", "Number of Islands", "Kata", "Fresh question", "Dijkstra"]),
        (
            "-attempts_count,title",
            ["Number of Islands", "Two Sum", "Dijkstra", "Fresh question", "Kata"],
        ),
        (
            "solved_count,title",
            ["Dijkstra", "Fresh question", "Kata", "Number of Islands", "Two Sum"],
        ),
        (
            "-last_attempted_at",
            ["Dijkstra", "Number of Islands", "Two Sum", "Fresh question", "Kata"],
        ),
        (
            "last_attempted_at",
            ["Two Sum", "Number of Islands", "Dijkstra", "Fresh question", "Kata"],
        ),
        ("created_at", ["Two Sum", "Number of Islands", "Dijkstra", "Kata", "Fresh question"]),
    ],
)
def test_ordering(owner, library, ordering, expected):
    response = owner.get(f"/api/questions/?ordering={ordering}")

    assert [question["title"] for question in response.json()] == expected


def test_default_order_stays_newest_first(owner, library):
    response = owner.get("/api/questions/")

    assert [question["title"] for question in response.json()][:2] == ["Fresh question", "Kata"]


def test_ordering_by_next_review_puts_unscheduled_last(owner, library):
    schedule(library, islands=1, two_sum=2, dijkstra=3)

    ascending = [q["title"] for q in owner.get("/api/questions/?ordering=next_review_at").json()]
    descending = [q["title"] for q in owner.get("/api/questions/?ordering=-next_review_at").json()]

    assert ascending == ["Number of Islands", "Two Sum", "Dijkstra", "Fresh question", "Kata"]
    assert descending == ["Dijkstra", "Two Sum", "Number of Islands", "Fresh question", "Kata"]


def test_filters_work_with_pages(owner, library):
    page = owner.get("/api/questions/?difficulty=Easy&ordering=title&limit=1&offset=1").json()

    assert page["count"] == 2
    assert [question["title"] for question in page["results"]] == ["Two Sum"]


def test_filters_only_see_the_callers_questions(owner, outsider, library):
    create_question(outsider, "Two Sum", difficulty="Easy")

    assert titles(owner, "search=two sum") == {"Two Sum"}
    assert len(owner.get("/api/questions/?search=two sum").json()) == 1


@pytest.mark.parametrize(
    "query, field",
    [
        ("difficulty=Impossible", "difficulty"),
        ("difficulty=easy", "difficulty"),
        ("tag=abc", "tag"),
        ("tag=999999", "tag"),
        ("tag=-5", "tag"),
        ("tag=122689475670673620992", "tag"),  # past a bigint: a 400, not a crash
        ("is_active=maybe", "is_active"),
        ("is_active=1", "is_active"),
        ("attempted=yes", "attempted"),
        ("due=soon", "due"),
        ("outcome=Won", "outcome"),
        ("ordering=password", "ordering"),
        ("ordering=-owner__password", "ordering"),
        ("ordering=", None),  # empty: the default order
    ],
)
def test_invalid_filter_values_are_400_naming_the_field(owner, library, query, field):
    response = owner.get(f"/api/questions/?{query}")

    if field is None:
        assert response.status_code == 200
        return
    assert response.status_code == 400, response.text
    assert list(response.json()) == [field]


def test_another_users_tag_is_not_a_valid_filter(owner, outsider, library):
    their_tag = create_tag(outsider, "secret")

    response = owner.get(f"/api/questions/?tag={their_tag['id']}")

    assert response.status_code == 400
    assert list(response.json()) == ["tag"]


def test_search_takes_up_to_ten_words(owner, library):
    ten = " ".join(["two"] * 9 + ["sum"])

    assert titles(owner, f"search={ten}") == {"Two Sum"}

    response = owner.get(f"/api/questions/?search={ten} more")
    assert response.status_code == 400
    assert response.json() == {"search": ["Use at most 10 words, not 11."]}
