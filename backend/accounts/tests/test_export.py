"""GET /api/accounts/export/: all of the caller's data, and nobody else's, streamed."""

import tempfile
import tracemalloc
from datetime import datetime, timedelta
from urllib.parse import quote

import orjson
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from backend.accounts.models import ApiToken
from backend.core.imports.models import ImportJob
from backend.core.models import DERIVED_FIELDS, Question, QuestionLog, Tag, question_slug
from backend.core.portability import export as data_export
from backend.test_common.api import create_log, create_question, create_tag

EXPORT = "/api/accounts/export/"


def without(mapping: dict, *keys) -> dict:
    return {key: value for key, value in mapping.items() if key not in keys}


@pytest.fixture
def data(owner, outsider):
    """The owner's tags, questions and logs, made through the API; the outsider's beside them."""
    graphs = create_tag(owner, "graphs", description="BFS, DFS")
    arrays = create_tag(owner, "Arrays")
    first = create_question(
        owner,
        "Two Sum",
        content="<p>Find <b>two</b> numbers.</p>",
        source="https://leetcode.com/problems/two-sum/",
        difficulty="Easy",
        tag_ids=[graphs["id"], arrays["id"]],
    )
    second = create_question(owner, "Course Schedule", difficulty="Medium", is_active=False)
    logs = [
        create_log(owner, first["id"], outcome="Failed", date_attempted="2026-01-02T10:00:00Z"),
        create_log(
            owner,
            first["id"],
            outcome="Solved",
            time_spent_min=25,
            solution_approach="hash map",
            self_notes="One pass.",
            date_attempted="2026-01-03T10:00:00Z",
        ),
    ]
    theirs = create_question(outsider, "Their question", tag_ids=[create_tag(outsider, "x")["id"]])
    create_log(outsider, theirs["id"], outcome="Solved")
    return {"tags": [arrays, graphs], "questions": [first, second], "logs": logs}


def test_export_is_an_attachment_with_all_the_callers_data(owner, data):
    job = ImportJob.objects.create(owner=owner.user, platform="codewars", username="alice")
    token = ApiToken.objects.create(
        user=owner.user, name="cron", key_hash="0" * 64, expires_at=timezone.now()
    )

    response = owner.get(EXPORT)

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json"
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="interview-questions-{owner.user.username}-'
        f'{timezone.now():%Y-%m-%d}.json"'
    )
    assert response.headers["Cache-Control"] == "no-store"
    assert "Content-Length" not in response.headers  # streamed
    document = response.json()
    user = owner.user
    user.refresh_from_db()
    assert without(document, "exported_at", "tags", "questions") == {
        "format": "interview-questions-export",
        "version": 1,
        "user": {
            "username": user.username,
            "email": user.email,
            "first_name": "",
            "last_name": "",
            "date_joined": user.date_joined.isoformat().replace("+00:00", "Z"),
            "last_login": user.last_login.isoformat().replace("+00:00", "Z"),
        },
        "import_jobs": [
            {
                "platform": "codewars",
                "username": "alice",
                "status": "queued",
                "created_at": job.created_at.isoformat().replace("+00:00", "Z"),
                "finished_at": None,
                "questions_created": 0,
                "logs_created": 0,
                "error": "",
            }
        ],
        "api_tokens": [
            {
                "name": "cron",
                "created_at": token.created_at.isoformat().replace("+00:00", "Z"),
                "expires_at": token.expires_at.isoformat().replace("+00:00", "Z"),
                "last_used_at": None,
            }
        ],
    }
    assert timezone.now() - timedelta(minutes=1) < datetime.fromisoformat(document["exported_at"])
    tag_rows = Tag.objects.filter(owner=user).values("name", "created_at", "updated_at")
    tag_times = {row["name"]: row for row in tag_rows}
    assert document["tags"] == [
        {
            "name": tag["name"],
            "description": tag["description"],
            "created_at": _iso(tag_times[tag["name"]]["created_at"]),
            "updated_at": _iso(tag_times[tag["name"]]["updated_at"]),
        }
        for tag in data["tags"]  # by name, ignoring case
    ]


def test_questions_come_oldest_first_with_tag_names_and_logs(owner, data):
    document = owner.get(EXPORT).json()

    first, second = data["questions"]
    api_questions = [owner.get(f"/api/questions/{q['id']}/").json() for q in (first, second)]
    api_logs = owner.get(f"/api/questions/{first['id']}/logs/").json()
    exported = document["questions"]
    assert [q["title"] for q in exported] == ["Two Sum", "Course Schedule"]
    for question, api in zip(exported, api_questions, strict=True):
        # Everything the API shows, except ids and what is derived from the logs,
        # plus the import's platform fields; tags by name, with the logs inside.
        shown = set(api) - {"id", "tag_ids"} - set(DERIVED_FIELDS)
        assert set(question) == shown | {"platform", "external_id", "logs"}
        assert {k: question[k] for k in shown - {"tags"}} == {k: api[k] for k in shown - {"tags"}}
        assert question["tags"] == [tag["name"] for tag in api["tags"]]
        assert question["platform"] == question["external_id"] == ""
    assert exported[0]["tags"] == ["Arrays", "graphs"]
    assert exported[1]["logs"] == []
    created = dict(
        QuestionLog.objects.filter(question_id=first["id"]).values_list("id", "created_at")
    )
    assert exported[0]["logs"] == [  # oldest attempt first
        {
            **without(log, "id", "question", "title"),
            "created_at": _iso(created[log["id"]]),
        }
        for log in reversed(api_logs)
    ]


def test_nothing_of_another_user_is_exported(data, outsider, owner):
    document = outsider.get(EXPORT).json()

    assert document["user"]["username"] == outsider.user.username
    assert [q["title"] for q in document["questions"]] == ["Their question"]
    assert [t["name"] for t in document["tags"]] == ["x"]
    text = owner.get(EXPORT).text
    assert "Their question" not in text and outsider.user.username not in text


def test_an_empty_account_exports_empty_lists(owner):
    document = owner.get(EXPORT).json()

    assert document["tags"] == document["questions"] == []
    assert document["import_jobs"] == document["api_tokens"] == []


def test_no_password_hash_or_token_secret_is_exported(owner):
    secret = owner.post("/api/accounts/tokens/", json={"name": "cron"}).json()["token"]

    text = owner.get(EXPORT).text

    assert owner.user.password not in text
    assert "pbkdf2" not in text and "password" not in text
    assert secret not in text and ApiToken.objects.get().key_hash not in text


def test_a_unicode_username_gets_an_encoded_filename(make_user, sign_in):
    client = sign_in(make_user(username="zoë"))

    response = client.get(EXPORT)

    name = f"interview-questions-zoë-{timezone.now():%Y-%m-%d}.json"
    assert response.headers["Content-Disposition"] == (
        f"attachment; filename*=utf-8''{quote(name)}"
    )


def test_signed_out_callers_get_a_403(anon):
    response = anon.get(EXPORT)

    assert response.status_code == 403


# --- Size ----------------------------------------------------------------------


def seed(owner, count: int, *, logs_every: int = 10) -> None:
    tags = Tag.objects.bulk_create(Tag(owner=owner, name=f"tag {n}") for n in range(3))
    questions = Question.objects.bulk_create(
        (
            Question(owner=owner, title=f"Question {n}", slug=question_slug("q"))
            for n in range(count)
        ),
        batch_size=1000,
    )
    Question.tags.through.objects.bulk_create(
        (Question.tags.through(question=q, tag=tags[i % 3]) for i, q in enumerate(questions)),
        batch_size=1000,
    )
    QuestionLog.objects.bulk_create(
        (QuestionLog(owner=owner, question=q, outcome="Solved") for q in questions[::logs_every]),
        batch_size=1000,
    )


def export_queries(user) -> int:
    api = APIClient()
    api.force_authenticate(user)
    with CaptureQueriesContext(connection) as queries:
        response = api.get(EXPORT)
        b"".join(response.streaming_content)
    return len(queries)


def test_queries_grow_by_two_per_chunk_of_questions(make_user, monkeypatch):
    monkeypatch.setattr(data_export, "CHUNK_SIZE", 10)
    counts = {}
    for size in (5, 10, 35):
        user = make_user()
        seed(user, size, logs_every=1)
        counts[size] = export_queries(user)

    # Tags, import jobs, tokens and the questions' cursor; then per chunk of 10
    # questions, one query for their tags and one for their logs.
    assert counts == {5: 4 + 2, 10: 4 + 2, 35: 4 + 2 * 4}


def traced_export(user) -> tuple[int, int, bytes]:
    """Stream the export in-process; return (peak traced memory, pieces, the document)."""
    api = APIClient()
    api.force_authenticate(user)
    with tempfile.TemporaryFile() as out:  # the pieces go to disk, not to traced memory
        tracemalloc.start()
        try:
            response = api.get(EXPORT)
            assert response.streaming
            pieces = 0
            for piece in response.streaming_content:
                out.write(piece)
                pieces += 1
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        out.seek(0)
        return peak, pieces, out.read()


@pytest.mark.slow
def test_memory_stays_flat_as_the_number_of_questions_grows(make_user):
    small, large = make_user(), make_user()
    seed(small, 2_000)
    seed(large, 20_000)

    traced_export(small)  # warm up: first-request imports and caches are not the export's
    small_peak, _, _ = traced_export(small)
    large_peak, pieces, body = traced_export(large)

    document = orjson.loads(body)
    assert len(document["questions"]) == 20_000
    assert sum(len(q["logs"]) for q in document["questions"]) == 2_000
    assert pieces > 20_000 // data_export.CHUNK_SIZE
    # One chunk of questions is in memory at a time: ten times the questions take
    # the same memory (about 6 MB here), and so would 100,000.
    assert large_peak < 1.25 * small_peak, (small_peak, large_peak)


def _iso(value) -> str:
    return value.isoformat().replace("+00:00", "Z")
