"""Importing from LeetCode end to end over the API, against a local fake of its GraphQL API."""

import json

import pytest

from backend.core.tests.import_fakes import (
    LEETCODE_PATH,
    FakeCodewars,
    FakeLeetCode,
    at,
    fast_import_settings,
    run_import,
)


@pytest.fixture(autouse=True)
def _fast(settings):
    fast_import_settings(settings)


@pytest.fixture
def leetcode(httpserver, settings) -> FakeLeetCode:
    """Bob solved Two Sum twice and LRU Cache once."""
    fake = FakeLeetCode.serve(httpserver, settings)
    fake.add_question(
        "two-sum",
        "Two Sum",
        difficulty="Easy",
        tags=("Array", "Hash Table"),
        content='<p>Find <code>two</code> numbers.</p><img src="x" onerror="alert(1)">',
    )
    fake.add_question("lru-cache", "LRU Cache", difficulty="Medium", tags=("Design",), content=None)
    fake.accept("bob", "two-sum", at(1, 9))
    fake.accept("bob", "lru-cache", at(2, 9))
    fake.accept("bob", "two-sum", at(3, 9))
    return fake


def questions_by_title(client) -> dict[str, dict]:
    return {question["title"]: question for question in client.get("/api/questions/").json()}


def test_an_import_creates_one_question_per_problem_and_one_log_per_submission(owner, leetcode):
    job = run_import(owner, "leetcode", "bob")

    assert job["status"] == "succeeded", job["error"]
    assert (job["total"], job["processed"]) == (2, 2)
    assert (job["questions_created"], job["logs_created"]) == (2, 3)
    questions = questions_by_title(owner)
    two_sum = questions["Two Sum"]
    assert two_sum["source"] == "https://leetcode.com/problems/two-sum/"
    assert two_sum["difficulty"] == "Easy"
    assert two_sum["content"] == '<p>Find <code>two</code> numbers.</p><img src="x">'
    assert [tag["name"] for tag in two_sum["tags"]] == ["Array", "Hash Table"]
    assert (two_sum["attempts_count"], two_sum["solved_count"]) == (2, 2)
    assert two_sum["last_attempted_at"] == "2026-03-03T09:00:00Z"
    logs = owner.get(f"/api/questions/{two_sum['id']}/logs/").json()
    assert [(log["date_attempted"], log["outcome"], log["self_notes"]) for log in logs] == [
        ("2026-03-03T09:00:00Z", "Solved", "Imported from LeetCode"),
        ("2026-03-01T09:00:00Z", "Solved", "Imported from LeetCode"),
    ]
    lru = questions["LRU Cache"]  # a premium question: LeetCode sends no content
    assert (lru["difficulty"], lru["content"]) == ("Medium", "")
    assert owner.get("/api/stats/").json()["totals"]["attempts"] == 3


def test_the_username_travels_as_a_graphql_variable(owner, leetcode, httpserver):
    run_import(owner, "leetcode", "bob")

    request = next(r for r, _ in httpserver.log if r.path == LEETCODE_PATH)
    body = json.loads(request.get_data())
    assert body["variables"] == {"username": "bob", "limit": 20}
    assert "bob" not in body["query"]
    assert request.headers["User-Agent"].startswith("interview-questions-api/")


def test_a_second_import_creates_nothing_new(owner, leetcode):
    run_import(owner, "leetcode", "bob")
    before = questions_by_title(owner)

    job = run_import(owner, "leetcode", "bob")

    assert (job["status"], job["questions_created"], job["logs_created"]) == ("succeeded", 0, 0)
    assert questions_by_title(owner) == before


def test_a_new_submission_upstream_is_picked_up(owner, leetcode):
    run_import(owner, "leetcode", "bob")
    leetcode.accept("bob", "lru-cache", at(9, 9))

    job = run_import(owner, "leetcode", "bob")

    assert (job["questions_created"], job["logs_created"]) == (0, 1)
    lru = questions_by_title(owner)["LRU Cache"]
    assert (lru["attempts_count"], lru["last_attempted_at"]) == (2, "2026-03-09T09:00:00Z")


def test_an_unknown_user_fails_the_job_with_a_clear_error(owner, leetcode):
    job = run_import(owner, "leetcode", "nobody")

    assert job["status"] == "failed"
    assert job["error"] == "LeetCode user 'nobody' does not exist."


def test_a_graphql_error_fails_the_job_with_its_message(owner, leetcode, httpserver):
    httpserver.expect_oneshot_request(LEETCODE_PATH).respond_with_json(
        {"errors": [{"message": "Query too complex."}], "data": None}
    )

    job = run_import(owner, "leetcode", "bob")

    assert job["status"] == "failed"
    assert job["error"] == "LeetCode refused the request (Query too complex.); try again later."


def test_codewars_and_leetcode_questions_live_side_by_side(owner, leetcode, httpserver, settings):
    codewars = FakeCodewars.serve(httpserver, settings)
    codewars.add_kata("50654ddff44f800200000004", "Two Sum", rank="7 kyu")
    codewars.complete("bob", "50654ddff44f800200000004", at(5))

    run_import(owner, "leetcode", "bob")
    run_import(owner, "codewars", "bob")

    sources = sorted(
        q["source"] for q in owner.get("/api/questions/").json() if q["title"] == "Two Sum"
    )
    assert sources == [
        "https://leetcode.com/problems/two-sum/",
        "https://www.codewars.com/kata/50654ddff44f800200000004",
    ]
