"""Importing from Codewars end to end over the API, against a local fake of its API."""

import pytest

from backend.core.imports.codewars import difficulty_from_rank
from backend.core.tests.import_fakes import (
    CODEWARS_PREFIX,
    FakeCodewars,
    at,
    fast_import_settings,
    run_import,
)
from backend.test_common.api import create_tag


@pytest.fixture(autouse=True)
def _fast(settings):
    fast_import_settings(settings)


@pytest.fixture
def codewars(httpserver, settings) -> FakeCodewars:
    """Alice completed three katas, listed on two pages."""
    fake = FakeCodewars.serve(httpserver, settings)
    fake.add_kata(
        "5266876b8f4bf2da9b000362",
        "Who likes it?",
        rank="6 kyu",
        tags=("Fundamentals", "Strings"),
        description=(
            "# Likes\n\nReturn `text`.<script>alert(1)</script>\n\n```python\nlikes([])\n```"
        ),
    )
    fake.add_kata("50654ddff44f800200000004", "Multiply", rank="8 kyu", tags=("fundamentals",))
    fake.add_kata(
        "52b7ed099cdc285c300001cd", "Sum of Intervals", rank="4 kyu", tags=("Algorithms",)
    )
    fake.complete("alice", "50654ddff44f800200000004", at(1), languages=("python",))
    fake.complete("alice", "5266876b8f4bf2da9b000362", at(2), languages=("python", "javascript"))
    fake.complete("alice", "52b7ed099cdc285c300001cd", at(3), languages=("rust",))
    return fake


def questions_by_title(client) -> dict[str, dict]:
    return {question["title"]: question for question in client.get("/api/questions/").json()}


def detail_requests(httpserver) -> int:
    return sum(
        request.path.startswith(f"{CODEWARS_PREFIX}/code-challenges/")
        for request, _ in httpserver.log
    )


def test_a_multi_page_import_creates_questions_logs_and_tags(owner, codewars, httpserver):
    fundamentals = create_tag(owner, "FUNDAMENTALS")

    job = run_import(owner, "codewars", "alice")

    assert job["status"] == "succeeded", job["error"]
    assert (job["total"], job["processed"]) == (3, 3)
    assert (job["questions_created"], job["logs_created"]) == (3, 3)
    list_pages = [r.args["page"] for r, _ in httpserver.log if r.path.endswith("/completed")]
    assert list_pages == ["0", "1"]

    questions = questions_by_title(owner)
    assert set(questions) == {"Who likes it?", "Multiply", "Sum of Intervals"}
    likes = questions["Who likes it?"]
    assert likes["source"] == "https://www.codewars.com/kata/5266876b8f4bf2da9b000362"
    assert likes["difficulty"] == "Medium"
    assert likes["content"].startswith("<h1>Likes</h1>\n<p>Return <code>text</code>.")
    assert "<script>" not in likes["content"] and "alert" not in likes["content"]
    assert "<pre><code" in likes["content"]
    assert [tag["name"] for tag in likes["tags"]] == ["FUNDAMENTALS", "Strings"]
    assert likes["tags"][0]["id"] == fundamentals["id"]
    assert (likes["attempts_count"], likes["solved_count"]) == (1, 1)
    assert likes["last_attempted_at"] == "2026-03-02T12:00:00Z"
    assert questions["Multiply"]["difficulty"] == "Easy"
    assert questions["Sum of Intervals"]["difficulty"] == "Hard"
    # "fundamentals" reuses the user's "FUNDAMENTALS" too: no duplicate tags.
    assert sorted(tag["name"] for tag in owner.get("/api/tags/").json()) == [
        "Algorithms",
        "FUNDAMENTALS",
        "Strings",
    ]

    logs = owner.get(f"/api/questions/{likes['id']}/logs/").json()
    assert logs == [
        {
            "id": logs[0]["id"],
            "question": likes["id"],
            "title": "Who likes it?",
            "date_attempted": "2026-03-02T12:00:00Z",
            "time_spent_min": None,
            "outcome": "Solved",
            "rating": "",
            "solution_approach": "python, javascript",
            "self_notes": "Imported from Codewars",
        }
    ]


def test_a_second_import_creates_nothing_and_asks_only_for_the_list(owner, codewars, httpserver):
    run_import(owner, "codewars", "alice")
    before = questions_by_title(owner)
    details_before = detail_requests(httpserver)

    job = run_import(owner, "codewars", "alice")

    assert job["status"] == "succeeded"
    assert (job["total"], job["processed"]) == (3, 3)
    assert (job["questions_created"], job["logs_created"]) == (0, 0)
    assert questions_by_title(owner) == before
    assert detail_requests(httpserver) == details_before
    assert len(owner.get("/api/tags/").json()) == 3


def test_new_completions_upstream_are_picked_up(owner, codewars):
    run_import(owner, "codewars", "alice")
    codewars.add_kata("5a8d2bf60025e9163c0000bc", "Balanced Parens", rank="5 kyu", tags=())
    codewars.complete("alice", "5a8d2bf60025e9163c0000bc", at(10))
    codewars.complete("alice", "50654ddff44f800200000004", at(11), languages=("go",))

    job = run_import(owner, "codewars", "alice")

    assert (job["questions_created"], job["logs_created"]) == (1, 2)
    questions = questions_by_title(owner)
    assert len(questions) == 4
    assert questions["Balanced Parens"]["difficulty"] == "Medium"
    assert questions["Balanced Parens"]["tags"] == []
    multiply = questions["Multiply"]
    assert (multiply["attempts_count"], multiply["solved_count"]) == (2, 2)
    assert multiply["last_attempted_at"] == "2026-03-11T12:00:00Z"
    approaches = [
        log["solution_approach"]
        for log in owner.get(f"/api/questions/{multiply['id']}/logs/").json()
    ]
    assert approaches == ["go", "python"]


def test_a_re_import_keeps_the_users_edits_and_extra_logs(owner, codewars):
    run_import(owner, "codewars", "alice")
    multiply = questions_by_title(owner)["Multiply"]
    owner.patch(f"/api/questions/{multiply['id']}/", json={"title": "My multiply", "tag_ids": []})
    owner.post(f"/api/questions/{multiply['id']}/logs/", json={"outcome": "Failed"})

    job = run_import(owner, "codewars", "alice")

    assert (job["questions_created"], job["logs_created"]) == (0, 0)
    mine = owner.get(f"/api/questions/{multiply['id']}/").json()
    assert mine["title"] == "My multiply" and mine["tags"] == []
    assert (mine["attempts_count"], mine["solved_count"]) == (2, 1)


def test_each_user_gets_their_own_questions(owner, outsider, codewars):
    run_import(owner, "codewars", "alice")

    job = run_import(outsider, "codewars", "alice")

    assert job["questions_created"] == 3
    assert len(owner.get("/api/questions/").json()) == len(outsider.get("/api/questions/").json())


def test_an_unknown_user_fails_the_job_with_a_clear_error(owner, codewars):
    job = run_import(owner, "codewars", "ghost")

    assert job["status"] == "failed"
    assert job["error"] == "Codewars user 'ghost' does not exist."
    assert job["total"] is None and job["processed"] == 0
    assert owner.get("/api/questions/").json() == []


def test_a_user_with_no_completions_imports_nothing(owner, codewars):
    codewars.add_user("newbie")

    job = run_import(owner, "codewars", "newbie")

    assert (job["status"], job["total"], job["questions_created"]) == ("succeeded", 0, 0)


def test_a_kata_gone_from_codewars_keeps_the_name_from_the_list(owner, codewars):
    del codewars.katas["52b7ed099cdc285c300001cd"]

    job = run_import(owner, "codewars", "alice")

    assert job["status"] == "succeeded"
    gone = questions_by_title(owner)["Sum of Intervals"]
    assert (gone["content"], gone["difficulty"], gone["tags"]) == ("", "", [])


def test_only_max_pages_of_the_list_are_read(owner, codewars, settings):
    settings.IMPORT_MAX_PAGES = 1

    job = run_import(owner, "codewars", "alice")

    assert (job["status"], job["total"]) == ("succeeded", 2)
    assert set(questions_by_title(owner)) == {"Sum of Intervals", "Who likes it?"}


@pytest.mark.parametrize(
    "rank, difficulty",
    [
        ({"id": -8, "name": "8 kyu"}, "Easy"),
        ({"id": -7, "name": "7 kyu"}, "Easy"),
        ({"id": -6, "name": "6 kyu"}, "Medium"),
        ({"id": -5, "name": "5 kyu"}, "Medium"),
        ({"id": -4, "name": "4 kyu"}, "Hard"),
        ({"id": -1, "name": "1 kyu"}, "Hard"),
        ({"id": None, "name": None}, ""),  # beta katas have no rank yet
        (None, ""),
        ({"id": 2, "name": "2 dan"}, ""),
        ("6 kyu", ""),
    ],
)
def test_ranks_map_to_difficulties(rank, difficulty):
    assert difficulty_from_rank(rank) == difficulty
