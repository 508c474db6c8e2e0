"""Upgrades lose nothing: a database filled under the migrations of the running
tallies (core 0009) migrates to the head with every row intact and every
aggregate exact."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Count, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from backend.core.models import Question
from backend.core.practice.selectors import practice_stats

BEFORE = [("core", "0009_tallied_solved_questions"), ("accounts", "0002_api_token")]
TABLES = [
    ("accounts", "User"),
    ("accounts", "ApiToken"),
    ("core", "Tag"),
    ("core", "Question"),
    ("core", "Question_tags"),
    ("core", "QuestionLog"),
    ("core", "ImportJob"),
]
# Columns later migrations add, with the values they give the rows that were there.
NEW_COLUMNS = {
    "Question": {"minutes_spent", "timed_attempts_count"},
    "ImportJob": {"skipped", "history", "notice"},
}
AGGREGATES = [
    "attempts_count",
    "solved_count",
    "failed_count",
    "minutes_spent",
    "timed_attempts_count",
    "last_attempted_at",
    "last_outcome",
]
TALLY_TABLES = ["core_difficultytally", "core_tagtally", "core_attemptday", "core_attemptslot"]
ZONES = ["UTC", "Europe/Berlin", "Asia/Kolkata", "America/St_Johns"]


def migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()  # what is applied now
    return executor


def fill(apps) -> None:
    """Two users' data, written with the models of the old schema, aggregates as
    the old code kept them."""
    User = apps.get_model("accounts", "User")
    Tag, Question, QuestionLog, ImportJob, ApiToken, DifficultyTally = (
        apps.get_model(*name)
        for name in [
            ("core", "Tag"),
            ("core", "Question"),
            ("core", "QuestionLog"),
            ("core", "ImportJob"),
            ("accounts", "ApiToken"),
            ("core", "DifficultyTally"),
        ]
    )
    start = datetime(2023, 3, 25, 22, 50, tzinfo=UTC)  # around a change of Berlin's clocks
    for n, username in enumerate(["ada", "grace"]):
        user = User.objects.create(username=username, password="!", email=f"{username}@example.com")
        tags = [Tag.objects.create(owner=user, name=f"tag {k}") for k in range(3)]
        ApiToken.objects.create(
            user=user, name="laptop", key_hash=f"{n:064d}", expires_at=start + timedelta(days=90)
        )
        ImportJob.objects.create(
            owner=user, platform="leetcode", username=username, status="succeeded", processed=4
        )
        for q in range(6):
            question = Question.objects.create(
                owner=user,
                title=f"Question {q}",
                slug=f"{username}-question-{q}",
                difficulty=["Easy", "Medium", "Hard", ""][q % 4],
                content="<p>Think</p>",
            )
            question.tags.set(tags[: q % 4])
            for k in range(q + n):
                QuestionLog.objects.create(
                    owner=user,
                    question=question,
                    date_attempted=start + timedelta(hours=7 * k + q),
                    time_spent_min=None if k % 3 == 2 else 5 * k + q,
                    outcome=["Solved", "Failed", "Partial", ""][k % 4],
                )
        DifficultyTally.objects.create(owner=user, difficulty="Easy", questions=2)
    logs = QuestionLog.objects.filter(question=OuterRef("pk")).order_by().values("question")
    latest = QuestionLog.objects.filter(question=OuterRef("pk")).order_by("-date_attempted", "-id")

    def count(condition=Q()):
        return Coalesce(Subquery(logs.filter(condition).annotate(n=Count("pk")).values("n")), 0)

    Question.objects.update(
        attempts_count=count(),
        solved_count=count(Q(outcome="Solved")),
        failed_count=count(Q(outcome="Failed")),
        last_attempted_at=Subquery(latest.values("date_attempted")[:1]),
        last_outcome=Coalesce(Subquery(latest.values("outcome")[:1]), Value("")),
        next_review_at=Subquery(latest.values("date_attempted")[:1]),
        review_state="review",
    )


def rows(apps) -> dict[str, list[dict]]:
    return {
        name: list(apps.get_model(app, name).objects.order_by("pk").values())
        for app, name in TABLES
    }


@pytest.fixture
def back_to_0009(transactional_db):
    executor = migrate(BEFORE)
    yield executor
    # Whatever the test found, the database goes back to the head for the tests after it.
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def test_a_database_of_the_tallies_migrates_with_every_row_and_aggregate_exact(back_to_0009):
    executor = back_to_0009
    old_apps = executor.loader.project_state(BEFORE).apps
    fill(old_apps)
    before = rows(old_apps)
    assert len(before["QuestionLog"]) == 36 and len(before["Question"]) == 12
    assert len(before["Question_tags"]) == 14

    executor = migrate(executor.loader.graph.leaf_nodes())
    new_apps = executor.loader.project_state(executor.loader.graph.leaf_nodes()).apps
    after = rows(new_apps)

    added = {
        table: [{name: row.pop(name) for name in columns} for row in after[table]]
        for table, columns in NEW_COLUMNS.items()
    }
    assert after == before
    tables = connection.introspection.table_names()
    assert not [table for table in TALLY_TABLES if table in tables]
    assert sum(row["minutes_spent"] for row in added["Question"]) > 0
    assert {(job["skipped"], job["notice"]) for job in added["ImportJob"]} == {(0, "")}
    # Every aggregate is what refresh_aggregates counts from the logs now.
    stored = list(Question.objects.order_by("pk").values(*AGGREGATES))
    Question.objects.all().refresh_aggregates()
    assert list(Question.objects.order_by("pk").values(*AGGREGATES)) == stored
    # So the stats of all time (from the aggregates) are those counted from the logs.
    for owner in get_user_model().objects.all():
        for zone in ZONES:
            tz = ZoneInfo(zone)
            everything = practice_stats(owner=owner, tz=tz, since=None, until=None)
            counted = practice_stats(owner=owner, tz=tz, since=date(1900, 1, 1), until=None)
            assert everything == counted
            assert everything["totals"]["attempts"] > 0


@pytest.fixture
def back_to_0016(transactional_db):
    executor = migrate([("core", "0016_import_sync")])
    yield executor
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def test_platform_imports_sources_become_their_urls(back_to_0016):
    executor = back_to_0016
    old_apps = executor.loader.project_state([("core", "0016_import_sync")]).apps
    User, Question = old_apps.get_model("accounts", "User"), old_apps.get_model("core", "Question")
    owner = User.objects.create(username="ada", password="!")
    sources = {
        ("codewars", "k1"): "Codewars: https://www.codewars.com/kata/k1",
        ("leetcode", "two-sum"): "LeetCode: https://leetcode.com/problems/two-sum/",
        ("codeforces", "4/A"): "Codeforces: https://codeforces.com/contest/4/problem/A",
        ("", ""): "LeetCode: my notes on it",  # a person's own text stays
        ("leetcode", "edited"): "https://leetcode.com/problems/edited/",
    }
    for n, ((platform, external_id), source) in enumerate(sources.items()):
        Question.objects.create(
            owner=owner,
            title=f"Q{n}",
            slug=f"q-{n}",
            source=source,
            platform=platform,
            external_id=external_id,
        )

    migrate(executor.loader.graph.leaf_nodes())

    assert list(Question.objects.order_by("pk").values_list("source", flat=True)) == [
        "https://www.codewars.com/kata/k1",
        "https://leetcode.com/problems/two-sum/",
        "https://codeforces.com/contest/4/problem/A",
        "LeetCode: my notes on it",
        "https://leetcode.com/problems/edited/",
    ]
