"""manage.py create_fake_data: fresh users with exact aggregates, in a bounded number of queries."""

import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count, F, Max, Q, Sum
from django.db.models.functions import Coalesce
from django.test.utils import CaptureQueriesContext

from backend.core.enums import Outcome
from backend.core.models import Question, QuestionLog, Tag
from backend.test_common.api import assert_written_back_unchanged
from backend.test_common.fixtures import PASSWORD

User = get_user_model()
SIZES = ["--users", "2", "--questions", "7", "--tags", "4", "--logs", "3"]
SMALL = [*SIZES, "--seed", "1"]


def create_fake_data(*args: str) -> str:
    stdout = StringIO()
    call_command("create_fake_data", *args, stdout=stdout)
    return stdout.getvalue()


def printed_credentials(output: str) -> tuple[list[str], str]:
    password = re.search(r"^Password of every new user: (\S+)$", output, re.MULTILINE)[1]
    return re.findall(r"^  (\S+)$", output, re.MULTILINE), password


def per_question(relation: str) -> set[int]:
    return set(Question.objects.annotate(n=Count(relation)).values_list("n", flat=True))


def titles_of(usernames: list[str]) -> list[list[str]]:
    return [
        list(
            Question.objects.filter(owner__username=name)
            .order_by("pk")
            .values_list("title", flat=True)
        )
        for name in usernames
    ]


def test_it_creates_the_requested_numbers_of_rows(db):
    output = create_fake_data(*SMALL)

    usernames, _ = printed_credentials(output)
    assert sorted(usernames) == sorted(User.objects.values_list("username", flat=True))
    assert len(usernames) == 2
    for user in get_user_model().objects.all():
        assert user.questions.count() == 7
        assert user.tags.count() == 4
    assert QuestionLog.objects.count() <= 2 * 7 * 3
    assert per_question("logs") <= {0, 1, 2, 3}
    assert per_question("tags") <= {0, 1, 2, 3}
    assert output.splitlines()[-1].startswith("Created 2 users, 8 tags, 14 questions, ")


def test_every_aggregate_matches_the_logs(db):
    create_fake_data(*SMALL)

    stored = Question.objects.values_list(
        "pk",
        "attempts_count",
        "solved_count",
        "failed_count",
        "minutes_spent",
        "timed_attempts_count",
        "last_attempted_at",
    )
    counted = Question.objects.annotate(
        attempts=Count("logs"),
        solved=Count("logs", filter=Q(logs__outcome=Outcome.SOLVED)),
        failed=Count("logs", filter=Q(logs__outcome=Outcome.FAILED)),
        minutes=Coalesce(Sum("logs__time_spent_min"), 0),
        timed=Count("logs__time_spent_min"),
        last=Max("logs__date_attempted"),
    ).values_list("pk", "attempts", "solved", "failed", "minutes", "timed", "last")
    assert sorted(stored) == sorted(counted)
    assert QuestionLog.objects.filter(time_spent_min__isnull=False).exists()  # real logs


def test_tags_and_logs_belong_to_the_question_owner(db):
    create_fake_data(*SMALL)

    assert Question.tags.through.objects.exists()
    assert not Question.tags.through.objects.exclude(tag__owner=F("question__owner")).exists()
    assert not QuestionLog.objects.exclude(owner=F("question__owner")).exists()


@pytest.mark.parametrize(
    "args, relation, expected",
    [
        (["--logs", "3", "--exact-logs"], "logs", {3}),
        (["--logs", "0", "--exact-logs"], "logs", {0}),
        (["--tags", "4", "--tags-per-question", "2"], "tags", {2}),
        (["--tags", "4", "--tags-per-question", "4"], "tags", {4}),
        (["--tags", "4", "--tags-per-question", "0"], "tags", {0}),
    ],
)
def test_exact_numbers_per_question(db, args, relation, expected):
    create_fake_data("--users", "2", "--questions", "5", *args)

    assert per_question(relation) == expected


def test_logs_per_user_gives_every_user_exactly_that_many_logs(db):
    create_fake_data("--users", "3", "--questions", "4", "--logs-per-user", "25", "--seed", "1")

    per_user = User.objects.annotate(n=Count("question_logs")).values_list("n", flat=True)
    assert list(per_user) == [25, 25, 25]
    assert len(per_question("logs")) > 1  # spread at random, not evenly
    counted = Question.objects.annotate(n=Count("logs")).values_list("pk", "n")
    assert sorted(Question.objects.values_list("pk", "attempts_count")) == sorted(counted)


@pytest.mark.parametrize(
    "args, message",
    [
        (["--users", "-1"], "Counts cannot be negative."),
        (["--logs-per-user", "-1"], "Counts cannot be negative."),
        (["--logs", "-1"], "Counts cannot be negative."),
        (["--tags-per-question", "-1"], "Counts cannot be negative."),
        (["--tags", "2", "--tags-per-question", "3"], "--tags-per-question cannot exceed --tags."),
    ],
)
def test_impossible_options_are_refused(db, args, message):
    with pytest.raises(CommandError, match=message):
        create_fake_data(*args)

    assert not User.objects.exists()


def test_existing_users_and_data_are_untouched(db, make_user):
    user = make_user()
    Tag.objects.create(owner=user, name="arrays")
    users_before = list(User.objects.values())
    tags_before = list(Tag.objects.values())

    create_fake_data(*SMALL)

    assert list(User.objects.filter(pk=user.pk).values()) == users_before
    assert list(Tag.objects.filter(owner=user).values()) == tags_before
    assert not user.questions.exists()
    assert User.objects.count() == 3


@pytest.mark.parametrize("password_args", [[], ["--password", PASSWORD]])
def test_the_printed_users_can_sign_in_with_the_printed_password(client_factory, password_args):
    usernames, password = printed_credentials(
        create_fake_data("--users", "2", "--questions", "1", *password_args)
    )

    if password_args:
        assert password == PASSWORD
    for username in usernames:
        response = client_factory().post(
            "/api/accounts/login/", json={"username": username, "password": password}
        )
        assert response.status_code == 200, response.text
        assert response.json()["username"] == username


def test_one_seed_gives_the_same_titles_to_new_users_on_every_run(db):
    first, _ = printed_credentials(create_fake_data(*SIZES, "--seed", "1"))
    second, _ = printed_credentials(create_fake_data(*SIZES, "--seed", "1"))
    other, _ = printed_credentials(create_fake_data(*SIZES, "--seed", "2"))

    assert len({name.lower() for name in first + second + other}) == 6
    assert User.objects.count() == 6
    assert titles_of(first) == titles_of(second)
    assert titles_of(first) != titles_of(other)


def test_a_failure_leaves_nothing_half_written(db, monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(QuestionLog.objects, "bulk_create", fail)

    with pytest.raises(RuntimeError):
        create_fake_data(*SMALL)

    assert not User.objects.exists()
    assert not Tag.objects.exists()
    assert not Question.objects.exists()


@pytest.mark.parametrize(
    "option, few, many",
    [("--users", 1, 10), ("--questions", 5, 50), ("--tags", 2, 30), ("--logs", 1, 10)],
)
def test_the_number_of_queries_does_not_grow_with_the_rows(db, option, few, many):
    def queries(count: int) -> int:
        args = ["--users", "2", "--questions", "5", "--tags", "4", "--logs", "2", "--exact-logs"]
        with CaptureQueriesContext(connection) as context:
            create_fake_data(*args, option, str(count))
        return len(context.captured_queries)

    # Users taken?, users, tags, questions, question tags, logs, the aggregates'
    # UPDATE, then the review schedule (questions, median minutes, logs, bulk
    # update), plus the transaction's savepoint and its release. The median
    # minutes of one user take a query per difficulty (3); of several, one.
    assert queries(few) <= 15 and queries(many) <= 15
    assert queries(many) <= queries(few)


def test_what_it_creates_is_written_back_unchanged_through_the_api(client_factory):
    output = create_fake_data("--users", "1", "--questions", "4", "--logs", "2", "--seed", "3")
    [username], password = printed_credentials(output)
    client = client_factory()
    credentials = {"username": username, "password": password}
    assert client.post("/api/accounts/login/", json=credentials).status_code == 200

    assert assert_written_back_unchanged(client) >= 4
