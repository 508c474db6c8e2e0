"""Importing from Codeforces end to end over the API, against a local fake of user.status."""

import pytest

from backend.core.imports.codeforces import Codeforces, difficulty_from_rating
from backend.core.tests.import_fakes import (
    CODEFORCES_STATUS_PATH,
    FakeCodeforces,
    at,
    fast_import_settings,
    run_import,
)


@pytest.fixture(autouse=True)
def _fast(settings, monkeypatch):
    fast_import_settings(settings)
    monkeypatch.setattr(Codeforces, "page_size", 2)  # the real one is 1000
    monkeypatch.setattr(Codeforces, "call_interval", 0)


@pytest.fixture
def codeforces(httpserver, settings) -> FakeCodeforces:
    """Carol's history: Watermelon solved twice after a wrong answer, Theatre Square solved,
    a gym problem solved, and a problem she never got accepted."""
    fake = FakeCodeforces.serve(httpserver, settings)
    fake.add_problem(4, "A", "Watermelon", rating=800, tags=("brute force", "math"))
    fake.add_problem(1, "A", "Theatre Square", rating=1000, tags=("math",))
    fake.add_problem(1791, "F", "Range Update Point Query", rating=1500, tags=("data structures",))
    fake.add_problem(100001, "B", "Gym Problem", rating=None, tags=())
    fake.add_problem(2000, "H", "Never Solved", rating=3000)
    fake.submit("carol", "4A", at(1, 9), verdict="WRONG_ANSWER", language="GNU C++17")
    fake.submit("carol", "4A", at(1, 10), verdict="COMPILATION_ERROR")
    fake.submit("carol", "4A", at(1, 11), language="GNU C++17")
    fake.submit("carol", "1A", at(2, 9))
    fake.submit("carol", "1791F", at(3, 9), verdict="TIME_LIMIT_EXCEEDED")
    fake.submit("carol", "1791F", at(3, 10))
    fake.submit("carol", "100001B", at(4, 9), verdict=None)  # still being judged
    fake.submit("carol", "100001B", at(4, 10))
    fake.submit("carol", "2000H", at(5, 9), verdict="WRONG_ANSWER")
    fake.submit("carol", "4A", at(6, 9), language="Python 3")
    return fake


def questions_by_title(client) -> dict[str, dict]:
    return {question["title"]: question for question in client.get("/api/questions/").json()}


def logs_of(client, question: dict) -> list[tuple[str, str, str]]:
    return [
        (log["date_attempted"], log["outcome"], log["solution_approach"])
        for log in client.get(f"/api/questions/{question['id']}/logs/").json()
    ]


def test_the_whole_history_is_read_page_by_page(owner, codeforces, httpserver):
    job = run_import(owner, "codeforces", "carol")

    assert job["status"] == "succeeded", job["error"]
    pages = [
        (r.args["handle"], r.args["from"], r.args["count"])
        for r, _ in httpserver.log
        if r.path == CODEFORCES_STATUS_PATH
    ]
    assert pages == [("carol", str(start), "2") for start in (1, 3, 5, 7, 9, 11)]
    assert (job["total"], job["processed"], job["skipped"]) == (4, 4, 0)
    assert (job["questions_created"], job["logs_created"]) == (4, 7)


def test_each_accepted_problem_becomes_a_question_with_solved_and_failed_logs(owner, codeforces):
    run_import(owner, "codeforces", "carol")

    questions = questions_by_title(owner)
    assert set(questions) == {
        "Watermelon",
        "Theatre Square",
        "Range Update Point Query",
        "Gym Problem",
    }
    watermelon = questions["Watermelon"]
    assert watermelon["source"] == "https://codeforces.com/contest/4/problem/A"
    assert watermelon["difficulty"] == "Easy"
    assert watermelon["content"] == ""
    assert [tag["name"] for tag in watermelon["tags"]] == ["brute force", "math"]
    assert (watermelon["attempts_count"], watermelon["solved_count"]) == (3, 2)
    assert logs_of(owner, watermelon) == [
        ("2026-03-06T09:00:00Z", "Solved", "Python 3"),
        ("2026-03-01T11:00:00Z", "Solved", "GNU C++17"),
        ("2026-03-01T09:00:00Z", "Failed", "GNU C++17"),
    ]
    range_query = questions["Range Update Point Query"]
    assert range_query["difficulty"] == "Medium"
    assert [outcome for _, outcome, _ in logs_of(owner, range_query)] == ["Solved", "Failed"]
    gym = questions["Gym Problem"]
    assert gym["source"] == "https://codeforces.com/gym/100001/problem/B"
    assert (gym["difficulty"], gym["tags"], gym["attempts_count"]) == ("", [], 1)


def test_a_second_import_adds_nothing_and_a_new_submission_adds_one_log(owner, codeforces):
    run_import(owner, "codeforces", "carol")
    before = questions_by_title(owner)

    again = run_import(owner, "codeforces", "carol")

    assert (again["questions_created"], again["logs_created"]) == (0, 0)
    assert questions_by_title(owner) == before

    codeforces.submit("carol", "1A", at(9, 9), verdict="RUNTIME_ERROR")
    codeforces.submit("carol", "2000H", at(9, 10))  # finally accepted

    later = run_import(owner, "codeforces", "carol")

    assert (later["questions_created"], later["logs_created"]) == (1, 3)
    questions = questions_by_title(owner)
    assert [o for _, o, _ in logs_of(owner, questions["Theatre Square"])] == ["Failed", "Solved"]
    assert questions["Never Solved"]["difficulty"] == "Hard"
    assert [o for _, o, _ in logs_of(owner, questions["Never Solved"])] == ["Solved", "Failed"]


def test_a_re_import_keeps_the_users_edits(owner, codeforces):
    run_import(owner, "codeforces", "carol")
    square = questions_by_title(owner)["Theatre Square"]
    owner.patch(
        f"/api/questions/{square['id']}/",
        json={"title": "Square tiles", "difficulty": "Hard", "tag_ids": []},
    )

    run_import(owner, "codeforces", "carol")

    mine = owner.get(f"/api/questions/{square['id']}/").json()
    assert (mine["title"], mine["difficulty"], mine["tags"]) == ("Square tiles", "Hard", [])
    assert len(questions_by_title(owner)) == 4


def test_an_unknown_handle_fails_the_job_with_a_clear_error(owner, codeforces):
    job = run_import(owner, "codeforces", "nobody")

    assert (job["status"], job["error"]) == ("failed", "Codeforces user 'nobody' does not exist.")


def test_a_handle_with_no_submissions_imports_nothing(owner, codeforces):
    codeforces.add_user("newcomer")

    job = run_import(owner, "codeforces", "newcomer")

    assert (job["status"], job["total"], job["questions_created"]) == ("succeeded", 0, 0)


def test_names_and_tags_lose_their_html(owner, codeforces):
    codeforces.add_problem(
        5, "C", "<b>Bold</b> &amp; <script>x()</script>brave", tags=("<i>dp</i>",)
    )
    codeforces.submit("dave", "5C", at(1))

    run_import(owner, "codeforces", "dave")

    [question] = owner.get("/api/questions/").json()
    assert question["title"] == "Bold & x()brave"
    assert [tag["name"] for tag in question["tags"]] == ["dp"]


GOOD_PROBLEM = {"contestId": 7, "index": "A", "name": "Fine", "tags": []}
WHEN = 1772366400  # 2026-03-01


def accepted(problem=None, **fields) -> dict:
    """An accepted submission of GOOD_PROBLEM, with some fields changed."""
    return {"verdict": "OK", "creationTimeSeconds": WHEN, "problem": problem, **fields}


@pytest.mark.parametrize(
    "item",
    [
        "a string",
        None,
        {"verdict": "OK", "creationTimeSeconds": WHEN},
        accepted("4A"),
        accepted(GOOD_PROBLEM, creationTimeSeconds="yesterday"),
        accepted(GOOD_PROBLEM, creationTimeSeconds=99999999999),
        {"verdict": "OK", "problem": GOOD_PROBLEM},
        accepted({**GOOD_PROBLEM, "contestId": "7"}),
        accepted({**GOOD_PROBLEM, "contestId": None}),
        accepted({**GOOD_PROBLEM, "index": "../x"}),
        accepted({**GOOD_PROBLEM, "name": 42}),
        accepted({**GOOD_PROBLEM, "name": "<p> </p>"}),
        accepted({**GOOD_PROBLEM, "tags": "dp"}),
        accepted({**GOOD_PROBLEM, "tags": [None]}),
        accepted(GOOD_PROBLEM, programmingLanguage=["c"]),
    ],
)
def test_a_malformed_submission_is_skipped_and_counted(owner, codeforces, item):
    codeforces.add_problem(1, "B", "Readable")
    codeforces.submit("erin", "1B", at(1))
    codeforces.add_raw("erin", item)

    job = run_import(owner, "codeforces", "erin")

    assert job["status"] == "succeeded", job["error"]
    assert (job["skipped"], job["total"], job["questions_created"]) == (1, 1, 1)
    assert [q["title"] for q in owner.get("/api/questions/").json()] == ["Readable"]


@pytest.mark.parametrize(
    "status, body, error",
    [
        (200, "<html>Codeforces is temporarily unavailable</html>", "Codeforces sent the list"),
        (200, "[]", "Codeforces sent the list of submissions in a form we could not read"),
        (200, '{"status": "OK"}', "Codeforces sent the list of submissions in a form"),
        (200, '{"status": "OK", "result": {"0": 1}}', "Codeforces sent the list of"),
        (200, '{"status": "WHAT", "result": []}', "Codeforces sent the list of submissions"),
        (403, "<html>Forbidden</html>", "Codeforces answered HTTP 403 for the list of submissions"),
        (
            400,
            '{"status": "FAILED", "comment": "count: <b>Field</b> should be at most 10000"}',
            "Codeforces refused the request (count: Field should be at most 10000)",
        ),
        (400, '{"status": "FAILED"}', "Codeforces refused the request; try again later."),
    ],
)
def test_a_malformed_answer_fails_the_job_with_a_sentence(
    owner, codeforces, httpserver, status, body, error
):
    httpserver.expect_oneshot_request(CODEFORCES_STATUS_PATH).respond_with_data(
        body, status=status, content_type="application/json"
    )

    job = run_import(owner, "codeforces", "carol")

    assert job["status"] == "failed"
    assert job["error"].startswith(error) and job["error"].endswith("try again later.")
    assert owner.get("/api/questions/").json() == []


def test_a_429_with_retry_after_is_waited_out(owner, codeforces, httpserver):
    httpserver.expect_oneshot_request(CODEFORCES_STATUS_PATH).respond_with_data(
        '{"status": "FAILED", "comment": "Call limit exceeded"}',
        status=429,
        headers={"Retry-After": "1"},
    )

    job = run_import(owner, "codeforces", "carol")

    assert (job["status"], job["questions_created"]) == ("succeeded", 4)
    first, second = [r for r, _ in httpserver.log if r.path == CODEFORCES_STATUS_PATH][:2]
    assert first.args["from"] == second.args["from"] == "1"


def test_a_redirect_to_another_host_is_not_followed(owner, codeforces, httpserver):
    httpserver.expect_oneshot_request(CODEFORCES_STATUS_PATH).respond_with_data(
        "", status=302, headers={"Location": "http://203.0.113.1/steal"}
    )

    job = run_import(owner, "codeforces", "carol")

    assert job["error"] == (
        "Codeforces answered HTTP 302 for the list of submissions; try again later."
    )


def test_the_list_is_cut_at_max_pages(owner, codeforces, settings):
    settings.IMPORT_MAX_PAGES = 2

    job = run_import(owner, "codeforces", "carol")

    # The four newest submissions: Watermelon (Python), Never Solved (failed only),
    # and the gym problem's accepted and still-judged ones.
    assert (job["status"], job["total"]) == ("succeeded", 2)
    assert set(questions_by_title(owner)) == {"Watermelon", "Gym Problem"}


@pytest.mark.parametrize(
    "rating, difficulty",
    [
        (800, "Easy"),
        (1300, "Easy"),
        (1400, "Medium"),
        (1999, "Medium"),
        (2000, "Hard"),
        (3500, "Hard"),
        (None, ""),
        ("1500", ""),
        (True, ""),
    ],
)
def test_ratings_map_to_difficulties(rating, difficulty):
    assert difficulty_from_rating(rating) == difficulty
