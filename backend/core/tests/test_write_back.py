"""What the API returns can be written back unchanged, whoever wrote it: the API, a
platform import, a CSV file, a data import. A PUT of a question or an attempt exactly
as it was read is a 200 and changes nothing."""

import pytest

from backend.core.imports.codeforces import Codeforces
from backend.core.tests.import_fakes import (
    FakeCodeforces,
    FakeCodewars,
    FakeLeetCode,
    at,
    fast_import_settings,
    run_import,
)
from backend.test_common.api import assert_written_back_unchanged, create_log, create_question


@pytest.fixture(autouse=True)
def _fast(settings, monkeypatch):
    fast_import_settings(settings)
    monkeypatch.setattr(Codeforces, "call_interval", 0)


def test_platform_imports_store_the_problems_url_and_write_back(owner, httpserver, settings):
    codewars = FakeCodewars.serve(httpserver, settings)
    codewars.add_kata("5266876b8f4bf2da9b000362", "Who likes it?", rank="6 kyu", tags=("Strings",))
    codewars.complete("ann", "5266876b8f4bf2da9b000362", at(2), languages=("python", "go"))
    leetcode = FakeLeetCode.serve(httpserver, settings)
    leetcode.add_question("two-sum", "Two Sum", difficulty="Easy", tags=("Array",))
    leetcode.accept("ann", "two-sum", at(3))
    codeforces = FakeCodeforces.serve(httpserver, settings)
    codeforces.add_problem(4, "A", "Watermelon", rating=800, tags=("math",))
    codeforces.submit("ann", "4A", at(4, 9), verdict="WRONG_ANSWER")
    codeforces.submit("ann", "4A", at(4, 10))

    for platform in ("codewars", "leetcode", "codeforces"):
        assert run_import(owner, platform, "ann")["status"] == "succeeded"

    sources = {q["title"]: q["source"] for q in owner.get("/api/questions/").json()}
    assert sources == {
        "Who likes it?": "https://www.codewars.com/kata/5266876b8f4bf2da9b000362",
        "Two Sum": "https://leetcode.com/problems/two-sum/",
        "Watermelon": "https://codeforces.com/contest/4/problem/A",
    }
    assert assert_written_back_unchanged(owner) == 3 + 4


def test_csv_and_data_imports_write_back(owner):
    csv = (
        "Title,Source,Difficulty,Tags,Date,Result,Minutes,Notes,Approach\n"
        "Two Sum,https://leetcode.com/problems/two-sum/,Easy,Array,2026-03-01,yes,15,,hash\n"
        'LRU cache,"Cracking the Coding Interview, p. 90",,,2026-03-02 09:30,no,,tricky,\n'
    )
    response = owner.post(
        "/api/import/csv/", data=csv.encode(), headers={"Content-Type": "text/csv"}
    )
    assert response.status_code == 200, response.text
    document = {
        "version": 1,
        "questions": [
            {
                "title": "From a document",
                "source": "leetcode.com/problems/two-sum",
                "content": "<p>a<br>b</p>",
                "logs": [{"date_attempted": "2026-03-03T10:20:30.123456Z", "rating": "good"}],
            }
        ],
    }
    assert owner.post("/api/accounts/import/", json=document).status_code == 200

    assert assert_written_back_unchanged(owner) == 3 + 3


@pytest.mark.parametrize(
    "source",
    [
        "",
        "https://leetcode.com/problems/two-sum/",
        "Cracking the Coding Interview, p. 90",
        "leetcode.com/problems/two-sum",
        "//evil.example/login",
    ],
)
def test_questions_made_through_the_api_write_back(owner, source):
    question = create_question(owner, "Q", source=source, content="<p>x</p>")
    create_log(owner, question["id"], date_attempted="2026-11-10T14:30:15.5Z", self_notes="n")
    create_log(owner, question["id"])

    assert assert_written_back_unchanged(owner) == 3
