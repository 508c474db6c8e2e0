"""The admin: staff only; every log written there keeps its question's aggregates exact."""

import re
from datetime import UTC, datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from backend.core.models import Question, QuestionLog, Tag
from backend.core.practice.selectors import practice_stats
from backend.core.questions.services import question_create, question_log_save
from backend.test_common.fixtures import PASSWORD, ApiClient

CHANGELISTS = ["/admin/core/tag/", "/admin/core/question/", "/admin/core/questionlog/"]
LOG_ADD = "/admin/core/questionlog/add/"
MARCH_1 = datetime(2026, 3, 1, 10, 0, tzinfo=UTC)
MARCH_5 = datetime(2026, 3, 5, 10, 0, tzinfo=UTC)


def admin_post(browser: ApiClient, url: str, **fields) -> None:
    """Submit an admin form as a browser does; a saved form answers with a redirect."""
    data = {"csrfmiddlewaretoken": browser.cookies["csrftoken"], **fields}
    response = browser.post(url, data=data, allow_redirects=False)
    errors = re.findall(r'<ul class="errorlist.*?</ul>', response.text, re.DOTALL)
    assert response.status_code == 302, errors or response.status_code


def log_fields(when: datetime, outcome: str = "Solved", prefix: str = "") -> dict:
    """A log's form fields; the admin splits date_attempted into a date and a time."""
    return {
        f"{prefix}date_attempted_0": f"{when:%Y-%m-%d}",
        f"{prefix}date_attempted_1": f"{when:%H:%M:%S}",
        f"{prefix}time_spent_min": "25",
        f"{prefix}outcome": outcome,
        f"{prefix}solution_approach": "flood fill",
        f"{prefix}self_notes": "",
    }


def question_fields(question: Question, *, logs: int = 0, saved_logs: int = 0) -> dict:
    """The question change form, with the management form of its log inline."""
    return {
        "title": question.title,
        "source": question.source,
        "content": question.content,
        "difficulty": question.difficulty,
        "is_active": "on",
        "logs-TOTAL_FORMS": str(logs),
        "logs-INITIAL_FORMS": str(saved_logs),
        "logs-MIN_NUM_FORMS": "0",
        "logs-MAX_NUM_FORMS": "1000",
    }


def aggregates(question: Question) -> tuple:
    question.refresh_from_db()
    return question.attempts_count, question.solved_count, question.last_attempted_at


def log_create(question: Question, when: datetime, outcome: str = "Solved") -> QuestionLog:
    return question_log_save(QuestionLog(question=question, date_attempted=when, outcome=outcome))


@pytest.fixture
def staff_browser(client_factory, make_user) -> ApiClient:
    """A staff superuser signed in through the admin's own login form."""
    staff = make_user(is_staff=True, is_superuser=True)
    browser = client_factory(send_csrf=False)
    browser.get("/admin/login/")
    admin_post(browser, "/admin/login/", username=staff.username, password=PASSWORD, next="/admin/")
    return browser


@pytest.fixture
def question(make_user) -> Question:
    owner = make_user()
    tag = Tag.objects.create(owner=owner, name="graphs")
    return question_create(owner=owner, title="Number of Islands", difficulty="Medium", tags=[tag])


@pytest.mark.parametrize("url", CHANGELISTS)
def test_staff_see_every_changelist_with_its_rows(staff_browser, question, url):
    log_create(question, MARCH_1)

    response = staff_browser.get(url)

    assert response.status_code == 200
    shown = {"/admin/core/tag/": "graphs"}.get(url, "Number of Islands")
    assert shown in response.text
    assert question.owner.username in response.text


@pytest.mark.parametrize("url", ["/admin/", *CHANGELISTS, LOG_ADD])
def test_non_staff_are_sent_to_the_admin_login(sign_in, make_user, url):
    user = sign_in(make_user())

    response = user.get(url, allow_redirects=False)

    assert response.status_code == 302
    assert response.headers["Location"] == f"/admin/login/?next={url}"


def test_a_log_added_in_the_admin_updates_its_question(staff_browser, question):
    assert 'name="date_attempted_0"' in staff_browser.get(LOG_ADD).text

    admin_post(staff_browser, LOG_ADD, question=question.pk, **log_fields(MARCH_1))

    log = QuestionLog.objects.get()
    assert log.owner == question.owner
    assert aggregates(question) == (1, 1, MARCH_1)


def test_a_log_moved_to_another_question_updates_both(staff_browser, question):
    other = question_create(owner=question.owner, title="Word Ladder")
    log = log_create(question, MARCH_5)
    log_create(question, MARCH_1, outcome="Failed")

    admin_post(
        staff_browser,
        f"/admin/core/questionlog/{log.pk}/change/",
        question=other.pk,
        **log_fields(MARCH_5),
    )

    assert aggregates(question) == (1, 0, MARCH_1)
    assert aggregates(other) == (1, 1, MARCH_5)


def test_a_log_deleted_in_the_admin_updates_its_question(staff_browser, question):
    log_create(question, MARCH_1)
    log = log_create(question, MARCH_5)
    assert aggregates(question) == (2, 2, MARCH_5)

    admin_post(staff_browser, f"/admin/core/questionlog/{log.pk}/delete/", post="yes")

    assert aggregates(question) == (1, 1, MARCH_1)


def test_logs_deleted_in_bulk_update_every_question(staff_browser, question):
    other = question_create(owner=question.owner, title="Word Ladder")
    kept = log_create(question, MARCH_1)
    doomed = [log_create(question, MARCH_5), log_create(other, MARCH_5)]

    admin_post(
        staff_browser,
        "/admin/core/questionlog/",
        action="delete_selected",
        _selected_action=[log.pk for log in doomed],
        post="yes",
    )

    assert list(QuestionLog.objects.all()) == [kept]
    assert aggregates(question) == (1, 1, MARCH_1)
    assert aggregates(other) == (0, 0, None)


def test_logs_added_and_deleted_inline_update_the_question(staff_browser, question):
    change = f"/admin/core/question/{question.pk}/change/"

    admin_post(
        staff_browser,
        change,
        **question_fields(question, logs=1),
        **{"logs-0-id": "", "logs-0-question": question.pk},
        **log_fields(MARCH_1, prefix="logs-0-"),
    )

    log = QuestionLog.objects.get()
    assert log.owner == question.owner
    assert aggregates(question) == (1, 1, MARCH_1)

    admin_post(
        staff_browser,
        change,
        **question_fields(question, logs=1, saved_logs=1),
        **{"logs-0-id": log.pk, "logs-0-question": question.pk, "logs-0-DELETE": "on"},
        **log_fields(MARCH_1, prefix="logs-0-"),
    )

    assert not QuestionLog.objects.exists()
    assert aggregates(question) == (0, 0, None)


def test_questions_changed_and_deleted_in_the_admin_keep_the_stats_exact(staff_browser, question):
    other = question_create(owner=question.owner, title="Word Ladder", difficulty="Easy")
    log_create(question, MARCH_1)
    log_create(other, MARCH_5, outcome="Failed")

    # A new difficulty, and no tags (the form sends none).
    admin_post(
        staff_browser,
        f"/admin/core/question/{question.pk}/change/",
        **{**question_fields(question), "difficulty": "Hard"},
    )

    stats = practice_stats(owner=question.owner, tz=ZoneInfo("UTC"), since=None, until=None)
    assert [(row["difficulty"], row["attempts"]) for row in stats["by_difficulty"]] == [
        ("Easy", 1),
        ("Medium", 0),
        ("Hard", 1),
    ]
    assert stats["by_tag"] == []

    admin_post(staff_browser, f"/admin/core/question/{other.pk}/delete/", post="yes")
    admin_post(
        staff_browser,
        "/admin/core/question/",
        action="delete_selected",
        _selected_action=[question.pk],
        post="yes",
    )

    assert not Question.objects.exists()
    assert practice_stats(owner=question.owner, tz=ZoneInfo("UTC"), since=None, until=None)[
        "totals"
    ] == {
        "questions": 0,
        "attempts": 0,
        "solved_questions": 0,
        "minutes": 0,
    }


def test_a_question_added_in_the_admin_gets_a_slug_from_its_title(staff_browser, make_user):
    owner = make_user()
    tag = Tag.objects.create(owner=owner, name="hash maps")
    draft = Question(title="Two Sum", difficulty="Easy")

    admin_post(
        staff_browser,
        "/admin/core/question/add/",
        owner=owner.pk,
        tags=[tag.pk],
        **question_fields(draft),
    )

    question = Question.objects.get()
    assert (question.owner, list(question.tags.all())) == (owner, [tag])
    assert re.fullmatch(r"two-sum-[a-z0-9]{10}", question.slug)


def test_a_question_cannot_take_another_users_tags(staff_browser, question, make_user):
    foreign_tag = Tag.objects.create(owner=make_user(), name="graphs")
    data = {
        "csrfmiddlewaretoken": staff_browser.cookies["csrftoken"],
        "tags": [foreign_tag.pk],
        **question_fields(question),
    }

    response = staff_browser.post(f"/admin/core/question/{question.pk}/change/", data=data)

    assert response.status_code == 200
    assert "Pick only tags that belong to the question&#x27;s owner." in response.text
    assert [tag.owner for tag in question.tags.all()] == [question.owner]


def test_owners_cannot_change_once_set(staff_browser, question, make_user):
    tag = question.tags.get()
    outsider = make_user()

    admin_post(staff_browser, f"/admin/core/tag/{tag.pk}/change/", name="graphs", owner=outsider.pk)
    admin_post(
        staff_browser,
        f"/admin/core/question/{question.pk}/change/",
        owner=outsider.pk,
        tags=[tag.pk],
        **question_fields(question),
    )

    tag.refresh_from_db()
    question.refresh_from_db()
    assert tag.owner == question.owner != outsider


@pytest.mark.parametrize("url", CHANGELISTS)
def test_a_changelist_page_runs_as_many_queries_for_100_rows_as_for_10(admin_client, url):
    def seed(rows: int) -> None:
        sizes = ["--questions", str(rows), "--tags", str(rows), "--logs", "1", "--exact-logs"]
        call_command("create_fake_data", "--users", "1", *sizes, stdout=StringIO())

    def page() -> tuple[int, int]:
        # The live server answers in another thread: count in-process instead.
        with CaptureQueriesContext(connection) as context:
            response = admin_client.get(url)
        assert response.status_code == 200
        return response.context["cl"].result_count, len(context.captured_queries)

    seed(10)
    rows_10, queries_10 = page()
    seed(90)
    rows_100, queries_100 = page()

    assert (rows_10, rows_100) == (10, 100)
    assert queries_10 == queries_100
