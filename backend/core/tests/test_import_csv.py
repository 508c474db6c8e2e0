"""POST /api/import/csv/: spreadsheets in, dry runs, bad rows, encodings and limits."""

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from backend.core.imports.csv_import import parse_date
from backend.core.models import Question, QuestionLog
from backend.test_common.api import create_tag

ATTEMPTS = (
    "Title,URL,Difficulty,Tags,Date,Outcome,Minutes,Notes\n"
    "Two Sum,https://leetcode.com/problems/two-sum/,Easy,Array;Hash Table,2026-03-01,Solved,15,"
    "hash map\n"
    "Two Sum,https://leetcode.com/problems/two-sum/,Easy,Array;Hash Table,2026-03-08 09:30,"
    'failed,40,"forgot the, edge case"\n'
    'LRU Cache,,medium,"Design, Linked List",2026-03-02,Partial,,\n'
    "Word Ladder,,Hard,,,,,BFS from both ends\n"
)


def post_csv(client, body, params: str = "", content_type: str = "text/csv"):
    data = body.encode() if isinstance(body, str) else body
    return client.post(
        f"/api/import/csv/{params}", data=data, headers={"Content-Type": content_type}
    )


def post_file(client, body, params: str = "", name: str = "tracker.csv"):
    data = body.encode() if isinstance(body, str) else body
    return client.post(f"/api/import/csv/{params}", files={"file": (name, data, "text/csv")})


def questions_by_title(client) -> dict[str, dict]:
    return {question["title"]: question for question in client.get("/api/questions/").json()}


def counts(user) -> tuple[int, int]:
    return (
        Question.objects.filter(owner=user).count(),
        QuestionLog.objects.filter(owner=user).count(),
    )


# --- Importing -----------------------------------------------------------------------------


@pytest.mark.parametrize("send", [post_csv, post_file])
def test_a_sheet_of_attempts_becomes_questions_and_logs(owner, send):
    array = create_tag(owner, "ARRAY")

    response = send(owner, ATTEMPTS)

    assert response.status_code == 200, response.text
    result = response.json()
    ids = {question["title"]: question["question_id"] for question in result["questions"]}
    assert result == {
        "dry_run": False,
        "imported": True,
        "rows": 4,
        "questions_created": 3,
        "questions_matched": 0,
        "logs_created": 3,
        "questions": [
            {
                "row": 2,
                "title": "Two Sum",
                "source": "https://leetcode.com/problems/two-sum/",
                "action": "create",
                "question_id": ids["Two Sum"],
                "attempts_added": 2,
            },
            {
                "row": 4,
                "title": "LRU Cache",
                "source": "",
                "action": "create",
                "question_id": ids["LRU Cache"],
                "attempts_added": 1,
            },
            {
                "row": 5,
                "title": "Word Ladder",
                "source": "",
                "action": "create",
                "question_id": ids["Word Ladder"],
                "attempts_added": 0,
            },
        ],
        "errors": [],
    }
    questions = questions_by_title(owner)
    two_sum = questions["Two Sum"]
    assert two_sum["source"] == "https://leetcode.com/problems/two-sum/"
    assert two_sum["difficulty"] == "Easy"
    assert [tag["name"] for tag in two_sum["tags"]] == ["ARRAY", "Hash Table"]
    assert two_sum["tags"][0]["id"] == array["id"]
    assert (two_sum["attempts_count"], two_sum["solved_count"]) == (2, 1)
    logs = owner.get(f"/api/questions/{two_sum['id']}/logs/").json()
    assert [
        (log["date_attempted"], log["outcome"], log["time_spent_min"], log["self_notes"])
        for log in logs
    ] == [
        ("2026-03-08T09:30:00Z", "Failed", 40, "forgot the, edge case"),
        ("2026-03-01T12:00:00Z", "Solved", 15, "hash map"),
    ]
    lru = questions["LRU Cache"]
    assert (lru["difficulty"], [t["name"] for t in lru["tags"]]) == (
        "Medium",
        ["Design", "Linked List"],
    )
    ladder = questions["Word Ladder"]  # a question with no attempt: its notes are its content
    assert (ladder["attempts_count"], ladder["content"]) == (0, "<p>BFS from both ends</p>")


def test_importing_the_same_file_twice_adds_nothing(owner):
    post_csv(owner, ATTEMPTS)
    before = questions_by_title(owner)

    again = post_csv(owner, ATTEMPTS).json()

    assert (again["questions_created"], again["questions_matched"], again["logs_created"]) == (
        0,
        3,
        0,
    )
    assert {q["action"] for q in again["questions"]} == {"match"}
    assert questions_by_title(owner) == before


def test_rows_match_questions_by_source_url_then_by_title_and_keep_edits(owner, outsider):
    by_url = owner.post(
        "/api/questions/",
        json={"title": "My two sum", "source": "https://leetcode.com/problems/two-sum/"},
    ).json()
    by_title = owner.post("/api/questions/", json={"title": "lru cache", "difficulty": "Hard"})
    outsider.post("/api/questions/", json={"title": "Word Ladder"})

    result = post_csv(owner, ATTEMPTS).json()

    assert [(q["title"], q["action"], q["question_id"]) for q in result["questions"]] == [
        ("Two Sum", "match", by_url["id"]),
        ("LRU Cache", "match", by_title.json()["id"]),
        ("Word Ladder", "create", result["questions"][2]["question_id"]),
    ]
    mine = questions_by_title(owner)
    assert set(mine) == {"My two sum", "lru cache", "Word Ladder"}
    assert (mine["lru cache"]["difficulty"], mine["lru cache"]["attempts_count"]) == ("Hard", 1)
    assert mine["My two sum"]["attempts_count"] == 2
    assert len(outsider.get("/api/questions/").json()) == 1


def test_a_platform_imports_source_matches_its_url(owner, make_user):
    Question.objects.create(
        owner=owner.user,
        title="Two Sum (LeetCode)",
        slug="two-sum-x",
        source="https://leetcode.com/problems/two-sum/",
        platform="leetcode",
        external_id="two-sum",
    )

    result = post_csv(owner, ATTEMPTS).json()

    assert result["questions"][0]["action"] == "match"
    assert Question.objects.filter(owner=owner.user, title="Two Sum").count() == 0


@pytest.mark.parametrize(
    "header",
    [
        "Problem Name,Link,Level,Topics,Solved On,Result,Time Spent (min),Comments",
        "QUESTION,url,DIFF,tag,date_attempted,status,mins,note",
        "name,source,difficulty,categories,when,verdict,duration,remarks",
    ],
)
def test_columns_are_found_by_common_names_in_any_case(owner, header):
    body = f"{header}\nTwo Sum,https://x.example/2sum,Easy,Array,2026-03-01,no,30,tricky\n"

    result = post_csv(owner, body).json()

    assert (result["questions_created"], result["logs_created"], result["errors"]) == (1, 1, [])
    [log] = QuestionLog.objects.filter(owner=owner.user)
    assert (log.outcome, log.time_spent_min, log.self_notes) == ("Failed", 30, "tricky")
    question = log.question
    assert (question.source, question.difficulty) == ("https://x.example/2sum", "Easy")


def test_the_client_may_name_the_columns(owner):
    body = "Kata,Finished,Language,Title\nMultiply,2026-03-01,python,ignored\n"

    result = post_csv(
        owner, body, "?column_title=kata&column_date=FINISHED&column_approach=Language"
    ).json()

    assert (result["questions"][0]["title"], result["logs_created"]) == ("Multiply", 1)
    assert QuestionLog.objects.get(owner=owner.user).solution_approach == "python"


@pytest.mark.parametrize(
    "body, params, detail",
    [
        (
            "Name,Date\nx,2026-03-01\n",
            "?column_title=Problem",
            "column_title: the file has no column 'Problem'; its columns are 'Name', 'Date'.",
        ),
        (
            "Link,Date\nhttps://x.example,2026-03-01\n",
            "",
            "The file has no title column: name one Title (or Name, Problem, Question), or say "
            "which it is with column_title.",
        ),
    ],
)
def test_a_file_without_a_title_column_is_a_400(owner, body, params, detail):
    response = post_csv(owner, body, params)

    assert response.status_code == 400
    assert response.json() == {"detail": detail}


# --- Dry runs and bad rows -------------------------------------------------------------


def test_a_dry_run_answers_what_would_be_imported_and_writes_nothing(owner):
    response = post_csv(owner, ATTEMPTS, "?dry_run=true")

    assert response.status_code == 200
    result = response.json()
    assert (result["dry_run"], result["imported"]) == (True, False)
    assert (result["questions_created"], result["logs_created"]) == (3, 3)
    assert [(q["action"], q["question_id"]) for q in result["questions"]] == [("create", None)] * 3
    assert counts(owner.user) == (0, 0)
    assert owner.get("/api/tags/").json() == []


# The model's rules, as the API applies them, with the model's words.
BAD_CELLS = [
    # (column, cell, message)
    ("Title", "", "This field cannot be blank."),
    ("Title", "x" * 256, "Ensure this value has at most 255 characters (it has 256)."),
    ("URL", "javascript:alert(1)", "Only http:// and https:// links are allowed"),
    ("URL", "https://x.example/" + "a" * 2040, "Enter a valid http:// or https:// URL."),
    ("Difficulty", "Impossible", "Must be Easy, Medium or Hard"),
    (
        "Tags",
        "ok;" + "t" * 51,
        "The tag 'tttttttttttttttttttt': Ensure this value has at most 50 characters (it has 51).",
    ),
    ("Date", "yesterday", "Not a date we can read"),
    ("Date", "2026-02-30", "Not a date we can read"),
    ("Date", "13/45/2026", "Not a date we can read"),
    ("Date", "1899-12-31", "Must be from 1900-01-01 on"),
    ("Date", "2999-01-01", "Must be from 1900-01-01 on"),
    ("Outcome", "maybe", "Must be Solved, Partial or Failed"),
    ("Minutes", "a while", "Must be a whole number of minutes"),
    ("Minutes", "-5", "Must be a whole number of minutes"),
    ("Minutes", "1441", "Ensure this value is less than or equal to 1440."),
    ("Minutes", "25:00", "Ensure this value is less than or equal to 1440."),
    ("Approach", "a" * 2001, "Ensure this value has at most 2000 characters (it has 2001)."),
]
HEADER = ["Title", "URL", "Difficulty", "Tags", "Date", "Outcome", "Minutes", "Approach"]
GOOD_ROW = ["Good", "https://x.example/good", "Easy", "a;b", "2026-03-01", "Solved", "10", "dp"]


def sheet(*rows: list[str]) -> str:
    def line(cells):
        return ",".join(f'"{cell}"' for cell in cells)

    return "\n".join(line(cells) for cells in (HEADER, *rows)) + "\n"


@pytest.mark.parametrize("column, cell, message", BAD_CELLS)
def test_a_dry_run_names_each_bad_row_and_column(owner, column, cell, message):
    bad = [cell if name == column else value for name, value in zip(HEADER, GOOD_ROW)]
    bad[0] = bad[0] if column == "Title" else "Bad"

    result = post_csv(owner, sheet(GOOD_ROW, bad), "?dry_run=true").json()

    [error] = result["errors"]
    assert (error["row"], error["column"], error["header"]) == (3, column.lower(), column)
    assert error["message"].startswith(message)
    assert [q["title"] for q in result["questions"]] == ["Good"]
    assert counts(owner.user) == (0, 0)


def test_an_attempt_without_a_date_is_a_bad_row(owner):
    result = post_csv(owner, "Title,Outcome,Minutes\nA,Solved,\nB,,30\nC,,\n", "?dry_run=1").json()

    assert [(e["row"], e["column"], e["message"]) for e in result["errors"]] == [
        (2, "date", "An attempt needs a date: this row has an outcome or minutes."),
        (3, "date", "An attempt needs a date: this row has an outcome or minutes."),
    ]
    assert [q["title"] for q in result["questions"]] == ["C"]


def test_a_row_with_several_bad_cells_lists_each(owner):
    row = ["", "ftp://nope", "Easy", "", "never", "Solved", "x", ""]

    result = post_csv(owner, sheet(GOOD_ROW, GOOD_ROW, row), "?dry_run=true").json()

    assert [(e["row"], e["column"]) for e in result["errors"]] == [
        (4, "title"),
        (4, "url"),
        (4, "date"),
        (4, "minutes"),
    ]


def test_the_real_run_is_all_or_nothing(owner):
    bad = [*GOOD_ROW]
    bad[0], bad[4] = "Bad", "someday"

    response = post_csv(owner, sheet(GOOD_ROW, bad, ["Third", "", "", "", "", "", "", ""]))

    assert response.status_code == 400
    assert response.json() == {
        "detail": "1 problems in the file; nothing was imported. Fix them and send it again.",
        "errors": [
            {
                "row": 3,
                "column": "date",
                "header": "Date",
                "message": response.json()["errors"][0]["message"],
            }
        ],
    }
    assert counts(owner.user) == (0, 0)
    assert owner.get("/api/tags/").json() == []


def test_blank_lines_and_excels_trailing_separators_are_skipped(owner):
    body = "Title,Date\r\n\r\nA,2026-03-01\r\n,\r\n,,\r\nB,\r\n"

    result = post_csv(owner, body).json()

    assert (result["rows"], result["questions_created"], result["errors"]) == (2, 2, [])


def test_the_same_attempt_twice_in_a_file_is_one_log(owner):
    result = post_csv(owner, "Title,Date\nA,2026-03-01 10:00\na,2026-03-01T10:00:00\n").json()

    assert (result["questions_created"], result["logs_created"]) == (1, 1)


# --- Dates and time zones ----------------------------------------------------------------


@pytest.mark.parametrize(
    "value, day_first, expected",
    [
        ("2026-03-01", False, datetime(2026, 3, 1, 11, tzinfo=UTC)),  # noon in Berlin
        ("2026-03-01 14:30", False, datetime(2026, 3, 1, 13, 30, tzinfo=UTC)),
        ("2026-03-01T14:30:15", False, datetime(2026, 3, 1, 13, 30, 15, tzinfo=UTC)),
        ("2026-03-01T14:30:00Z", False, datetime(2026, 3, 1, 14, 30, tzinfo=UTC)),
        ("2026-03-01T14:30:00-05:00", False, datetime(2026, 3, 1, 19, 30, tzinfo=UTC)),
        ("2026/03/01", False, datetime(2026, 3, 1, 11, tzinfo=UTC)),
        ("03/01/2026", False, datetime(2026, 3, 1, 11, tzinfo=UTC)),
        ("01/03/2026", True, datetime(2026, 3, 1, 11, tzinfo=UTC)),
        ("3/1/2026 2:30 PM", False, datetime(2026, 3, 1, 13, 30, tzinfo=UTC)),
        ("01.03.2026", False, datetime(2026, 3, 1, 11, tzinfo=UTC)),
        ("01.03.2026 08:00", False, datetime(2026, 3, 1, 7, tzinfo=UTC)),
        ("1 Mar 2026", False, datetime(2026, 3, 1, 11, tzinfo=UTC)),
        ("March 1, 2026", False, datetime(2026, 3, 1, 11, tzinfo=UTC)),
        ("2026-07-01 09:00", False, datetime(2026, 7, 1, 7, tzinfo=UTC)),  # summer time
        ("01/03/2026", False, datetime(2026, 1, 3, 11, tzinfo=UTC)),
        ("yesterday", False, None),
        ("2026-13-01", False, None),
    ],
)
def test_dates_in_the_common_formats(value, day_first, expected):
    assert parse_date(value, ZoneInfo("Europe/Berlin"), day_first) == expected


def test_dates_are_read_in_the_time_zone_asked_for(owner):
    body = "Title,Date\nA,2026-03-01 00:30\n"

    post_csv(owner, body, "?tz=America/New_York")

    assert QuestionLog.objects.get(owner=owner.user).date_attempted == datetime(
        2026, 3, 1, 5, 30, tzinfo=UTC
    )


@pytest.mark.parametrize(
    "params, field",
    [("?tz=Mars/Olympus", "tz"), ("?dry_run=perhaps", "dry_run"), ("?day_first=2", "day_first")],
)
def test_bad_options_are_a_400(owner, params, field):
    response = post_csv(owner, ATTEMPTS, params)

    assert response.status_code == 400 and field in response.json()
    assert counts(owner.user) == (0, 0)


# --- Encodings and what is not CSV ---------------------------------------------------------


def test_excels_csv_utf8_export_with_a_bom_and_crlf_is_read(owner):
    body = "\ufeffTitle,Tags,Date\r\nCafé crème,Strings,2026-03-01\r\n".encode()

    result = post_file(owner, body).json()

    assert (result["questions"][0]["title"], result["errors"]) == ("Café crème", [])
    assert [tag["name"] for tag in owner.get("/api/tags/").json()] == ["Strings"]


@pytest.mark.parametrize("delimiter", [";", "\t"])
def test_semicolon_and_tab_separated_files_are_read(owner, delimiter):
    body = f"Title{delimiter}Tags{delimiter}Date\nA{delimiter}x, y{delimiter}01.03.2026\n"

    result = post_csv(owner, body).json()

    assert (result["questions_created"], result["logs_created"], result["errors"]) == (1, 1, [])
    assert sorted(tag["name"] for tag in owner.get("/api/tags/").json()) == ["x", "y"]


@pytest.mark.parametrize(
    "body, detail",
    [
        (
            "Title\nCafé\n".encode("latin-1"),
            "The file is not UTF-8 text (byte 10 is not UTF-8); save it as 'CSV UTF-8 "
            "(Comma delimited)'.",
        ),
        (
            "Title\nA\n".encode("utf-16"),
            "The file is UTF-16 text, not UTF-8; save it as 'CSV UTF-8 (Comma delimited)'.",
        ),
        (
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
            "The file is not CSV text (it holds binary data); export it as CSV.",
        ),
        (b"", "The file is empty; send a CSV file with a header row."),
        (b"\n\n", "The file is empty; send a CSV file with a header row."),
        (
            b'Title,Date\n"A,2026-03-01\n',
            "The file is not valid CSV (line 2: unexpected end of data).",
        ),
    ],
)
def test_a_file_that_is_not_utf8_csv_is_a_400_that_says_so(owner, body, detail):
    response = post_file(owner, body)

    assert response.status_code == 400
    assert response.json() == {"detail": detail}
    assert counts(owner.user) == (0, 0)


def test_a_header_only_file_imports_nothing(owner):
    result = post_csv(owner, "Title,Date\n").json()

    assert (result["rows"], result["questions"], result["errors"]) == (0, [], [])


# --- Limits and the request's shape -------------------------------------------------------


@pytest.mark.parametrize("send", [post_csv, post_file])
def test_a_file_over_the_size_limit_is_a_413_that_says_the_limit(owner, settings, send):
    settings.CSV_IMPORT_MAX_BYTES = 100

    response = send(owner, "Title\n" + "A question\n" * 20)

    assert response.status_code == 413
    assert response.json() == {
        "detail": "The CSV file is larger than the limit of 100 bytes; split it into several "
        "files."
    }


def test_a_body_over_every_limit_is_refused_before_it_is_read(owner, settings):
    settings.CSV_IMPORT_MAX_BYTES = 1024 * 1024

    response = post_csv(owner, "Title\n" + "A question\n" * 200_000)

    assert response.status_code == 413
    assert response.json() == {"detail": "Request body too large; the limit is 1114112 bytes."}


def test_too_many_rows_is_a_400_that_says_the_limit(owner, settings):
    settings.CSV_IMPORT_MAX_ROWS = 3

    response = post_csv(owner, "Title\nA\nB\nC\nD\n")

    assert response.status_code == 400
    assert response.json() == {
        "detail": "The file has more than 3 rows, the limit; split it into several files."
    }
    assert counts(owner.user) == (0, 0)


def test_a_form_without_the_file_is_a_400(owner):
    response = owner.post("/api/import/csv/", files={"other": ("x.csv", b"Title\nA\n")})

    assert response.status_code == 400
    assert response.json() == {
        "detail": "Send the CSV as the body (text/csv) or as a form field named file."
    }


def test_an_empty_csv_body_is_a_400(owner):
    response = post_csv(owner, b"")

    assert response.status_code == 400
    assert response.json() == {"detail": "The file is empty; send a CSV file with a header row."}


def test_json_is_a_415(owner):
    response = owner.post("/api/import/csv/", json={"title": "A"})

    assert response.status_code == 415


def test_signed_out_is_a_403(anon):
    assert post_csv(anon, ATTEMPTS).status_code == 403
    assert Question.objects.count() == 0


def test_other_users_writes_keep_answering_during_a_5000_row_import(owner, outsider):
    rows = [
        f"Problem {n},https://x.example/p/{n},Easy,t{n % 40};arrays,2026-03-01 10:{n % 60:02d},"
        f"Solved,{n % 90},note {n}"
        for n in range(5000)
    ]
    body = "Title,URL,Difficulty,Tags,Date,Outcome,Minutes,Notes\n" + "\n".join(rows) + "\n"
    with ThreadPoolExecutor(1) as pool:
        importing = pool.submit(post_csv, owner, body)
        answers = []
        while not importing.done() or not answers:
            answers.append(outsider.post("/api/questions/", json={"title": "Meanwhile"}))
        result = importing.result()

    assert result.status_code == 200, result.text
    assert (result.json()["questions_created"], result.json()["logs_created"]) == (5000, 5000)
    assert [answer.status_code for answer in answers] == [201] * len(answers)
    assert Question.objects.filter(owner=outsider.user).count() == len(answers)
    assert counts(owner.user) == (5000, 5000)
