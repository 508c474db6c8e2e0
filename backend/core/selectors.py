"""Reads that need more than a queryset."""

from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Avg, Count, F, Q, Sum
from django.db.models.functions import Coalesce, Lower, TruncDate
from django.utils import timezone

from backend.core.models import (
    EARLIEST_ATTEMPT,
    Difficulty,
    DifficultyTally,
    Outcome,
    Question,
    QuestionLog,
    TagTally,
)
from backend.core.tallies import attempts_per_day

# The columns a question list reads with .values() (all but tags, added per page).
QUESTION_LIST_FIELDS = [
    "id",
    "title",
    "slug",
    "content",
    "source",
    "difficulty",
    "is_active",
    "created_at",
    "updated_at",
    "attempts_count",
    "solved_count",
    "last_attempted_at",
    "next_review_at",
    "review_state",
]


def tag_summaries(question_ids: Sequence[int]) -> dict[int, list[dict]]:
    """``{question id: [{"id", "name"}, …]}`` by tag name, in one query.

    Plain dicts from the through table rather than prefetched Tag instances: on
    a page of questions, building a related manager and model per tag cost more
    than the rest of the request.
    """
    summaries = defaultdict(list)
    rows = (
        Question.tags.through.objects.filter(question_id__in=question_ids)
        .order_by(Lower("tag__name"), "tag_id")
        .values_list("question_id", "tag_id", "tag__name")
    )
    for question_id, tag_id, name in rows:
        summaries[question_id].append({"id": tag_id, "name": name})
    return summaries


def review_queue(*, owner, limit: int) -> list[dict]:
    """Active questions due now, most overdue first, then never-attempted ones, oldest first.

    Two index-friendly queries rather than one sorted union: the due ones come
    from the (owner, next_review_at) index.
    """
    active = Question.objects.filter(owner=owner, is_active=True)
    fields = QUESTION_LIST_FIELDS
    due = list(
        active.filter(next_review_at__lte=timezone.now())
        .order_by("next_review_at", "id")
        .values(*fields)[:limit]
    )
    if len(due) == limit:
        return due
    never_attempted = active.filter(attempts_count=0).order_by("created_at", "id")
    return due + list(never_attempted.values(*fields)[: limit - len(due)])


def review_forecast(*, owner, days: int) -> list[dict]:
    """How many active questions fall due on each of the next ``days`` days (UTC).

    Today's count includes questions already overdue.
    """
    today = timezone.now().date()
    end = datetime.combine(today + timedelta(days=days), time.min, tzinfo=UTC)
    counts = Counter()
    rows = (
        Question.objects.filter(owner=owner, is_active=True, next_review_at__lt=end)
        .annotate(day=TruncDate("next_review_at", tzinfo=UTC))
        .values("day")
        .annotate(due=Count("id"))
        .order_by()
    )
    for row in rows:
        counts[max(row["day"], today)] += row["due"]
    return [
        {"date": today + timedelta(days=n), "due": counts[today + timedelta(days=n)]}
        for n in range(days)
    ]


def _breakdown(row: dict) -> dict:
    attempts, solved, minutes = row["attempts"], row["solved"], row["avg_minutes"]
    return {
        "attempts": attempts,
        "solved": solved,
        "solve_rate": round(solved / attempts, 4) if attempts else None,
        # float(): PostgreSQL averages to a Decimal.
        "avg_minutes": round(float(minutes), 1) if minutes is not None else None,
    }


def practice_stats(*, owner, tz: ZoneInfo, since: date | None, until: date | None) -> dict:
    """The dashboard: totals, by difficulty and tag, weekly attempts, streaks, most failed.

    Days and weeks are counted in ``tz``; ``since`` and ``until`` are inclusive
    dates in that zone. All time is read from the running tallies and indexes
    (five queries, none of which reads the logs); a period is counted from its
    logs (six queries that read every log in it).
    """
    today = timezone.now().astimezone(tz).date()
    last_day = min(until, today) if until else today
    if since or until:
        counts = _counts_in_period(owner, tz, since, until)
    else:
        counts = _counts_all_time(owner, tz)
    per_day = counts["per_day"]

    empty = {"attempts": 0, "solved": 0, "avg_minutes": None}
    by_difficulty = counts["by_difficulty"]
    difficulty_rows = [(level, by_difficulty.get(level, empty)) for level in Difficulty.values]
    if "" in by_difficulty:  # attempts at questions without a difficulty
        difficulty_rows.append(("", by_difficulty[""]))
    week_start = last_day - timedelta(days=last_day.weekday())
    weeks = [week_start - timedelta(weeks=n) for n in range(11, -1, -1)]
    return {
        "totals": counts["totals"],
        "by_difficulty": [
            {"difficulty": difficulty, **_breakdown(row)} for difficulty, row in difficulty_rows
        ],
        "by_tag": [
            {"tag_id": row["tag_id"], "tag": row["tag"], **_breakdown(row)}
            for row in counts["by_tag"]
        ],
        "weekly": [
            {
                "week": f"{start.isocalendar().year}-W{start.isocalendar().week:02d}",
                "start": start,
                "attempts": sum(per_day.get(start + timedelta(days=d), 0) for d in range(7)),
            }
            for start in weeks
        ],
        "streaks": _streaks(sorted(per_day), last_day),
        "most_failed": counts["most_failed"],
    }


def _counts_all_time(owner, tz: ZoneInfo) -> dict:
    def breakdown(tally) -> dict:
        minutes = tally["minutes"] / tally["timed_attempts"] if tally["timed_attempts"] else None
        return {**tally, "avg_minutes": minutes}

    difficulty_tallies = list(DifficultyTally.objects.filter(owner=owner).values())
    by_difficulty = {
        tally["difficulty"]: breakdown(tally)
        for tally in difficulty_tallies
        if tally["attempts"] > 0
    }
    by_tag = (
        TagTally.objects.filter(owner=owner, attempts__gt=0)
        .values("tag_id", "tag__name", "attempts", "solved", "minutes", "timed_attempts")
        .order_by("-attempts", Lower("tag__name"))
    )
    most_failed = (
        Question.objects.filter(owner=owner, failed_count__gt=0)
        .order_by("-failed_count", "id")
        .values("id", "title", failed=F("failed_count"))[:10]
    )
    rows = by_difficulty.values()
    return {
        "totals": {
            "questions": sum(tally["questions"] for tally in difficulty_tallies),
            "attempts": sum(row["attempts"] for row in rows),
            "solved_questions": sum(tally["solved_questions"] for tally in difficulty_tallies),
            "minutes": sum(row["minutes"] for row in rows),
        },
        "by_difficulty": by_difficulty,
        "by_tag": [{"tag": tally["tag__name"], **breakdown(tally)} for tally in by_tag],
        "per_day": attempts_per_day(owner, tz),
        "most_failed": list(most_failed),
    }


def _counts_in_period(owner, tz: ZoneInfo, since: date | None, until: date | None) -> dict:
    logs = QuestionLog.objects.filter(owner=owner)
    # Logs are dated 1900 to tomorrow (EARLIEST_ATTEMPT), so these clamps filter
    # out nothing, and keep the days' midnights in the years datetime can hold.
    since = since and max(since, EARLIEST_ATTEMPT.date() - timedelta(days=1))
    until = until and min(until, date.max - timedelta(days=2))
    if since:
        logs = logs.filter(date_attempted__gte=datetime.combine(since, time.min, tzinfo=tz))
    if until:
        next_day = datetime.combine(until + timedelta(days=1), time.min, tzinfo=tz)
        logs = logs.filter(date_attempted__lt=next_day)

    solved = Q(outcome=Outcome.SOLVED)
    breakdown = {
        "attempts": Count("id"),
        "solved": Count("id", filter=solved),
        "avg_minutes": Avg("time_spent_min"),
    }
    totals = logs.aggregate(
        attempts=Count("id"),
        solved_questions=Count("question", filter=solved, distinct=True),
        minutes=Coalesce(Sum("time_spent_min"), 0),
    )
    by_difficulty = {
        row["question__difficulty"]: row
        for row in logs.values("question__difficulty").annotate(**breakdown).order_by()
    }
    by_tag = (
        logs.filter(question__tags__isnull=False)
        .values(tag_id=F("question__tags__id"), tag=F("question__tags__name"))
        .annotate(**breakdown)
        .order_by("-attempts", Lower("question__tags__name"))
    )
    per_day = dict(
        logs.annotate(day=TruncDate("date_attempted", tzinfo=tz))
        .values("day")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("day", "n")
    )
    most_failed = (
        logs.filter(outcome=Outcome.FAILED)
        .values("question_id", "question__title")
        .annotate(failed=Count("id"))
        .order_by("-failed", "question_id")[:10]
    )
    return {
        "totals": {"questions": Question.objects.filter(owner=owner).count(), **totals},
        "by_difficulty": by_difficulty,
        "by_tag": list(by_tag),
        "per_day": per_day,
        "most_failed": [
            {"id": row["question_id"], "title": row["question__title"], "failed": row["failed"]}
            for row in most_failed
        ],
    }


def _streaks(days: list[date], today: date) -> dict:
    """The longest run of consecutive days, and the run that reaches today (or
    yesterday, when today has no attempt yet)."""
    longest = run = 0
    previous = None
    for day in map(date.toordinal, days):  # integers: a year of days is a loop per call
        run = run + 1 if day - 1 == previous else 1
        longest = max(longest, run)
        previous = day
    reaches_today = previous is not None and today.toordinal() - previous <= 1
    return {"current": run if reaches_today else 0, "longest": longest}
