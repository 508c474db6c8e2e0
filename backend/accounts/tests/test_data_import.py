"""POST /api/accounts/import/: an export document back into an account, all or nothing."""

import orjson
import pytest

from backend.accounts.models import User
from backend.core.models import Question, QuestionLog, Tag
from backend.core.portability import import_ as data_import
from backend.test_common.api import create_log, create_question, create_tag
from backend.test_common.fixtures import PASSWORD

EXPORT = "/api/accounts/export/"
IMPORT = "/api/accounts/import/"
MiB = 1024 * 1024


def import_document(client, document) -> dict:
    response = client.post(IMPORT, json=document)
    assert response.status_code == 200, response.text
    return response.json()


def comparable(document: dict) -> dict:
    """What an import brings back: everything but the export's time, the user and its tokens."""
    return {
        key: value
        for key, value in document.items()
        if key not in ("exported_at", "user", "import_jobs", "api_tokens")
    }


def snapshot():
    return (
        list(Tag.objects.order_by("pk").values()),
        list(Question.objects.order_by("pk").values()),
        list(QuestionLog.objects.order_by("pk").values()),
        list(Question.tags.through.objects.order_by("pk").values()),
    )


@pytest.fixture
def rich(owner):
    """A varied account, made through the API (and the platform fields, which only imports set)."""
    arrays = create_tag(owner, "arrays", description="Contiguous memory")
    graphs = create_tag(owner, "Graphs")
    create_tag(owner, "unused")
    two_sum = create_question(
        owner,
        "Two Sum",
        content="<p>Return <em>indices</em>.</p>",
        source="https://leetcode.com/problems/two-sum/",
        difficulty="Easy",
        tag_ids=[arrays["id"], graphs["id"]],
    )
    create_question(owner, "Inactive one", is_active=False, difficulty="Hard")
    imported = create_question(owner, "Kata", tag_ids=[graphs["id"]])
    Question.objects.filter(pk=imported["id"]).update(platform="codewars", external_id="abc123")
    create_log(owner, two_sum["id"], outcome="Failed", date_attempted="2026-03-01T09:00:00Z")
    create_log(
        owner,
        two_sum["id"],
        outcome="Solved",
        time_spent_min=12,
        solution_approach="hash map",
        self_notes="Multi\nline\nnotes",
        date_attempted="2026-03-02T09:30:00.123456Z",
    )
    create_log(owner, imported["id"], outcome="Partial", date_attempted="2026-03-03T00:00:00Z")
    return owner


def test_export_delete_register_import_gives_back_the_same_data(rich, client_factory, sign_in):
    exported = rich.get(EXPORT).json()
    questions_before = rich.get("/api/questions/").json()
    username = rich.user.username
    assert rich.delete("/api/accounts/me/", json={"password": PASSWORD}).status_code == 204
    assert not Question.objects.exists()

    registered = client_factory().post(
        "/api/accounts/register/", json={"username": username, "password": PASSWORD}
    )
    assert registered.status_code == 201
    again = sign_in(User.objects.get(pk=registered.json()["id"]))
    counts = import_document(again, exported)

    assert counts == {
        "tags_created": 3,
        "tags_existing": 0,
        "questions_created": 3,
        "questions_skipped": 0,
        "logs_created": 3,
        "logs_skipped": 0,
    }
    assert comparable(again.get(EXPORT).json()) == comparable(exported)
    # The aggregates are recomputed from the imported logs.
    questions_after = again.get("/api/questions/").json()
    ignore = {"id", "tags"}
    assert [{k: v for k, v in q.items() if k not in ignore} for q in questions_after] == [
        {k: v for k, v in q.items() if k not in ignore} for q in questions_before
    ]
    assert [[t["name"] for t in q["tags"]] for q in questions_after] == [
        [t["name"] for t in q["tags"]] for q in questions_before
    ]
    assert again.get("/api/stats/").json()["totals"]["attempts"] == 3


def test_importing_into_another_account_copies_everything_as_it_is(rich, outsider):
    exported = rich.get(EXPORT).json()

    counts = import_document(outsider, exported)

    assert counts["questions_created"] == 3 and counts["logs_created"] == 3
    # Slugs included: they name the questions across accounts.
    assert comparable(outsider.get(EXPORT).json()) == comparable(exported)
    assert rich.get(EXPORT).json()["questions"] == exported["questions"]  # untouched
    assert set(
        QuestionLog.objects.filter(question__owner=outsider.user).values_list("owner_id", flat=True)
    ) == {outsider.user.pk}


def test_importing_into_another_account_twice_adds_nothing_the_second_time(rich, outsider):
    exported = rich.get(EXPORT).json()
    import_document(outsider, exported)
    theirs = outsider.get(EXPORT).json()

    counts = import_document(outsider, exported)

    assert counts == {
        "tags_created": 0,
        "tags_existing": 3,
        "questions_created": 0,
        "questions_skipped": 3,
        "logs_created": 0,
        "logs_skipped": 3,
    }
    assert comparable(outsider.get(EXPORT).json()) == comparable(theirs)
    assert len(outsider.get("/api/questions/").json()) == 3


def test_a_later_export_adds_only_the_attempts_since(rich, outsider):
    import_document(outsider, rich.get(EXPORT).json())
    two_sum = next(q for q in rich.get("/api/questions/").json() if q["title"] == "Two Sum")
    create_log(rich, two_sum["id"], outcome="Solved", date_attempted="2026-03-09T10:00:00Z")
    create_question(rich, "Added later")

    counts = import_document(outsider, rich.get(EXPORT).json())

    assert (counts["questions_created"], counts["questions_skipped"]) == (1, 3)
    assert (counts["logs_created"], counts["logs_skipped"]) == (1, 3)
    assert comparable(outsider.get(EXPORT).json()) == comparable(rich.get(EXPORT).json())
    theirs = next(q for q in outsider.get("/api/questions/").json() if q["title"] == "Two Sum")
    assert (theirs["attempts_count"], theirs["last_attempted_at"]) == (3, "2026-03-09T10:00:00Z")


def test_importing_twice_skips_what_exists(rich):
    exported = rich.get(EXPORT).json()
    before = snapshot()

    counts = import_document(rich, exported)

    assert counts == {
        "tags_created": 0,
        "tags_existing": 3,
        "questions_created": 0,
        "questions_skipped": 3,
        "logs_created": 0,
        "logs_skipped": 3,
    }
    assert snapshot() == before


def test_a_question_is_matched_by_platform_and_external_id_too(owner):
    existing = create_question(owner, "Kata")
    Question.objects.filter(pk=existing["id"]).update(platform="codewars", external_id="k1")
    document = {
        "version": 1,
        "questions": [
            {
                "title": "Kata again",
                "slug": "other-slug",
                "platform": "codewars",
                "external_id": "k1",
                # Without a time it cannot be told from one there already: not added.
                "logs": [{"outcome": "Solved"}, {"date_attempted": "2026-03-01T10:00:00Z"}],
            },
            {"title": "Same id elsewhere", "platform": "leetcode", "external_id": "k1"},
        ],
    }

    counts = import_document(owner, document)

    assert counts["questions_created"] == 1 and counts["questions_skipped"] == 1
    assert counts["logs_skipped"] == 1 and counts["logs_created"] == 1
    assert sorted(Question.objects.values_list("title", flat=True)) == ["Kata", "Same id elsewhere"]
    kata = owner.get(f"/api/questions/{existing['id']}/").json()
    assert (kata["title"], kata["attempts_count"]) == ("Kata", 1)


def test_a_repeated_question_in_one_document_is_imported_once(owner):
    question = {"title": "Twice", "slug": "twice-0000000000"}

    counts = import_document(owner, {"version": 1, "questions": [question, question]})

    assert counts["questions_created"] == 1 and counts["questions_skipped"] == 1


def test_a_question_named_twice_in_one_document_gets_each_attempt_once(owner):
    first = {
        "title": "A",
        "slug": "a-0000000000",
        "logs": [{"date_attempted": "2026-03-01T10:00Z"}],
    }
    second = {
        "title": "A again",
        "platform": "codewars",
        "external_id": "k1",
        "slug": "a-0000000000",
        "logs": [{"date_attempted": "2026-03-01T10:00Z"}, {"date_attempted": "2026-03-02T10:00Z"}],
    }
    document = {"version": 1, "questions": [first, second]}

    counts = import_document(owner, document)

    assert counts["questions_created"] == 1 and counts["questions_skipped"] == 1
    assert counts["logs_created"] == 2 and counts["logs_skipped"] == 1
    (question,) = owner.get("/api/questions/").json()
    assert (question["title"], question["attempts_count"]) == ("A", 2)
    again = import_document(owner, document)
    assert (again["questions_created"], again["logs_created"]) == (0, 0)


def test_tags_are_matched_by_name_ignoring_case(owner):
    mine = create_tag(owner, "arrays", description="mine")
    document = {
        "version": 1,
        "tags": [{"name": "Arrays", "description": "theirs"}, {"name": "heaps"}],
        "questions": [{"title": "Q", "tags": ["ARRAYS", "heaps", "trees"]}],
    }

    counts = import_document(owner, document)

    assert counts["tags_created"] == 2 and counts["tags_existing"] == 1
    assert owner.get(f"/api/tags/{mine['id']}/").json()["description"] == "mine"
    (question,) = owner.get("/api/questions/").json()
    assert [t["name"] for t in question["tags"]] == ["arrays", "heaps", "trees"]


def test_a_slug_another_user_has_is_kept_and_theirs_untouched(owner, outsider):
    theirs = create_question(outsider, "Their question")

    import_document(owner, {"version": 1, "questions": [{"title": "Mine", "slug": theirs["slug"]}]})

    (mine,) = owner.get("/api/questions/").json()
    assert (mine["title"], mine["slug"]) == ("Mine", theirs["slug"])
    assert outsider.get(f"/api/questions/{theirs['id']}/").json() == theirs


def test_a_minimal_hand_written_document_is_enough(owner):
    document = {
        "version": 1,
        "questions": [{"title": "Written by hand", "logs": [{"outcome": "Solved"}]}],
    }

    import_document(owner, document)

    (question,) = owner.get("/api/questions/").json()
    assert question["slug"].startswith("written-by-hand-")
    assert question["attempts_count"] == question["solved_count"] == 1
    assert question["last_attempted_at"] is not None


def test_imported_content_is_sanitized(owner):
    document = {
        "version": 1,
        "questions": [
            {"title": "XSS", "content": '<p onclick="x()">ok</p><script>alert(1)</script>'}
        ],
    }

    import_document(owner, document)

    assert owner.get("/api/questions/").json()[0]["content"] == "<p>ok</p>"


def test_a_token_can_import_without_csrf(owner, client_factory):
    secret = owner.post("/api/accounts/tokens/", json={"name": "backup"}).json()["token"]
    script = client_factory(send_csrf=False)
    script.headers["Authorization"] = f"Bearer {secret}"

    response = script.post(IMPORT, json={"version": 1, "questions": [{"title": "Scripted"}]})

    assert response.status_code == 200
    assert Question.objects.get().owner_id == owner.user.pk


def test_a_session_import_needs_the_csrf_header(owner):
    owner.send_csrf = False

    response = owner.post(IMPORT, json={"version": 1})

    assert response.status_code == 403


def test_signed_out_callers_cannot_import(anon):
    assert anon.post(IMPORT, json={"version": 1}).status_code == 403


# --- Malformed documents: a 400 with field errors, and nothing written -------------------

VALID_QUESTION = {"title": "Fine", "tags": ["ok"], "logs": [{"outcome": "Solved"}]}


def nth(index: int, errors: dict) -> dict[str, dict]:
    """DRF's errors for a list: keyed by the index of each item that has some."""
    return {str(index): errors}


@pytest.mark.parametrize(
    "document, errors",
    [
        ([], {"non_field_errors": ["Invalid data. Expected a dictionary, but got list."]}),
        ({}, {"version": ["This field is required."]}),
        (
            {"version": 2},
            {"version": ["Version 2 is not supported; this server reads version 1."]},
        ),
        (
            {"version": 1, "questions": "all"},
            {"questions": {"non_field_errors": ['Expected a list of items but got type "str".']}},
        ),
        (
            {"version": 1, "questions": [VALID_QUESTION, {"title": ""}]},
            {"questions": nth(1, {"title": ["This field may not be blank."]})},
        ),
        (
            {"version": 1, "questions": [VALID_QUESTION, {"content": "no title"}]},
            {"questions": nth(1, {"title": ["This field is required."]})},
        ),
        (
            {"version": 1, "questions": [{"title": "t", "logs": [{}, {"outcome": "Won"}]}]},
            {"questions": nth(0, {"logs": nth(1, {"outcome": ['"Won" is not a valid choice.']})})},
        ),
        (
            {"version": 1, "questions": [{"title": "t", "logs": [{"time_spent_min": 1441}]}]},
            {
                "questions": nth(
                    0,
                    {
                        "logs": nth(
                            0,
                            {
                                "time_spent_min": [
                                    "Ensure this value is less than or equal to 1440."
                                ]
                            },
                        )
                    },
                )
            },
        ),
        (
            {"version": 1, "questions": [{"title": "t", "tags": ["ok", "x" * 51]}]},
            {
                "questions": nth(
                    0, {"tags": {"1": ["Ensure this field has no more than 50 characters."]}}
                )
            },
        ),
        (
            {"version": 1, "questions": [{"title": "t", "slug": "not a slug"}]},
            {
                "questions": nth(
                    0,
                    {
                        "slug": [
                            'Enter a valid "slug" consisting of letters, numbers, underscores '
                            "or hyphens."
                        ]
                    },
                )
            },
        ),
        (
            {"version": 1, "questions": [{"title": "t", "platform": "codewars"}]},
            {"questions": nth(0, {"non_field_errors": ["platform and external_id go together."]})},
        ),
        (
            {"version": 1, "questions": [{"title": "t", "source": "javascript:alert(1)"}]},
            {
                "questions": nth(
                    0,
                    {
                        "source": [
                            "Only http:// and https:// links are allowed; write any other "
                            "source as plain text (e.g. 'Cracking the Coding Interview, 4.2')."
                        ]
                    },
                )
            },
        ),
        (
            {"version": 1, "tags": [{"name": "Heaps"}, {"name": "heaps"}]},
            {"tags": {"1": {"name": ["Another tag in the document has this name."]}}},
        ),
        (
            {"version": 1, "tags": [{"name": "ok", "description": None}]},
            {"tags": nth(0, {"description": ["This field may not be null."]})},
        ),
    ],
)
def test_a_malformed_document_is_400_with_field_errors(owner, document, errors):
    create_tag(owner, "existing")
    before = snapshot()

    response = owner.post(IMPORT, json=document)

    assert response.status_code == 400
    assert response.json() == errors
    assert snapshot() == before


def test_a_problem_in_the_last_question_writes_nothing_of_the_others(owner):
    questions = [dict(VALID_QUESTION, title=f"Q{n}") for n in range(300)]
    questions.append({"title": "Bad", "logs": [{"outcome": "Won"}]})
    before = snapshot()

    response = owner.post(IMPORT, json={"version": 1, "questions": questions})

    assert response.status_code == 400
    assert response.json() == {
        "questions": nth(300, {"logs": nth(0, {"outcome": ['"Won" is not a valid choice.']})})
    }
    assert snapshot() == before


def test_a_body_that_is_not_json_is_400(owner):
    response = owner.post(
        IMPORT, data=b'{"version": 1,', headers={"Content-Type": "application/json"}
    )

    assert response.status_code == 400
    assert response.json()["detail"].startswith("JSON parse error")


def test_a_conflicting_concurrent_write_is_409_and_nothing_is_written(owner, outsider, monkeypatch):
    mine = create_question(owner, "Mine")
    # As if another request created the question between the import's check and its insert.
    monkeypatch.setattr(data_import, "_questions_of", lambda user: {})
    document = {
        "version": 1,
        "tags": [{"name": "new"}],
        "questions": [{"title": "Fine"}, {"title": "Mine", "slug": mine["slug"]}],
    }
    before = snapshot()

    response = owner.post(IMPORT, json=document)

    assert response.status_code == 409
    assert response.json() == {
        "detail": "Your data changed while it was being imported; nothing was imported. Retry."
    }
    assert snapshot() == before


# --- Size ------------------------------------------------------------------------------


def sized_document(size: int) -> bytes:
    """An import document of exactly ``size`` bytes."""
    empty = orjson.dumps({"version": 1, "questions": [{"title": "Big", "content": ""}]})
    return orjson.dumps(
        {"version": 1, "questions": [{"title": "Big", "content": "x" * (size - len(empty))}]}
    )


def test_the_import_takes_bodies_above_the_global_limit_up_to_its_own(owner, settings):
    settings.DATA_IMPORT_MAX_BYTES = 3 * MiB
    body = sized_document(3 * MiB)

    response = owner.post(IMPORT, data=body, headers={"Content-Type": "application/json"})

    assert response.status_code == 200, response.text
    assert response.json()["questions_created"] == 1


def test_a_larger_body_is_413_and_nothing_is_written(owner, settings):
    settings.DATA_IMPORT_MAX_BYTES = 3 * MiB

    response = owner.post(
        IMPORT, data=sized_document(3 * MiB + 1), headers={"Content-Type": "application/json"}
    )

    assert response.status_code == 413
    assert response.json() == {"detail": f"Request body too large; the limit is {3 * MiB} bytes."}
    assert not Question.objects.exists()


def test_other_endpoints_keep_the_global_limit(owner, settings):
    settings.DATA_IMPORT_MAX_BYTES = 3 * MiB

    response = owner.post(
        "/api/questions/",
        data=sized_document(2 * MiB),
        headers={"Content-Type": "application/json"},
    )

    assert response.status_code == 413
    assert response.json() == {"detail": f"Request body too large; the limit is {MiB} bytes."}


# --- Rows ------------------------------------------------------------------------------


def test_a_document_over_the_row_limit_is_400_before_anything_is_validated(owner, settings):
    settings.DATA_IMPORT_MAX_ROWS = 6
    document = {
        "version": 1,
        "tags": [{"name": "a"}],
        "questions": [{"title": "Q", "tags": ["a", "b"], "logs": [{}, {}, {"outcome": "Won"}]}],
    }

    response = owner.post(IMPORT, json=document)

    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": [
            "The document has 7 rows (tags, questions, attempts and the questions' tag names "
            "together); an import takes at most 6. Split it into several documents."
        ]
    }
    assert not Question.objects.filter(owner=owner.user).exists()
    document["questions"][0]["logs"].pop()
    assert import_document(owner, document)["logs_created"] == 2


def test_a_megabyte_of_empty_attempts_is_refused_at_once(owner):
    body = (
        b'{"version": 1, "questions": [{"title": "Q", "logs": ['
        + b",".join([b"{}"] * 349_525)
        + b"]}]}"
    )

    response = owner.post(IMPORT, data=body, headers={"Content-Type": "application/json"})

    assert response.status_code == 400
    assert "349526 rows" in response.json()["non_field_errors"][0]
    assert not QuestionLog.objects.filter(owner=owner.user).exists()
