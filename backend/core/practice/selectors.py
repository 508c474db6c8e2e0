"""Reads that need more than a queryset."""

import functools
from collections import Counter
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import connection
from django.db.models import (
    Case,
    CharField,
    Count,
    DateField,
    F,
    Func,
    Sum,
    Value,
    When,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce, Lower, TruncDate
from django.utils import timezone

from backend.core.enums import Difficulty, Outcome
from backend.core.models import (
    EARLIEST_ATTEMPT,
    SOLVED_ATTEMPT,
    SOLVED_QUESTION,
    Question,
    QuestionLog,
    Tag,
    tag_summaries,
)


def review_queue(*, owner, limit: int) -> list[Question]:
    """Active questions due now, most overdue first, then never-attempted ones, oldest first.

    Two index-friendly queries rather than one sorted union (the due ones come
    from the (owner, next_review_at) index), then their tags in one more.
    """
    active = Question.objects.owned_by(owner).filter(is_active=True)
    due = list(
        active.filter(next_review_at__lte=timezone.now()).order_by("next_review_at", "id")[:limit]
    )
    if len(due) < limit:
        never_attempted = active.filter(attempts_count=0).order_by("created_at", "id")
        due += never_attempted[: limit - len(due)]
    prefetch_related_objects(due, tag_summaries())
    return due


def review_forecast(*, owner, days: int) -> list[dict]:
    """How many active questions fall due on each of the next ``days`` days (UTC).

    Today's count includes questions already overdue.
    """
    today = timezone.now().date()
    end = datetime.combine(today + timedelta(days=days), time.min, tzinfo=UTC)
    counts = Counter()
    rows = (
        Question.objects.owned_by(owner)
        .filter(is_active=True, next_review_at__lt=end)
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


DAILY_DAYS = 366  # a calendar year of days up to the last one, for a heatmap


def practice_stats(*, owner, tz: ZoneInfo, since: date | None, until: date | None) -> dict:
    """The dashboard: totals, by difficulty and tag, weekly and daily attempts, streaks,
    most failed.

    Days and weeks are counted in ``tz``; ``since`` and ``until`` are inclusive
    dates in that zone. All time is summed from the questions' stored
    aggregates, a period from its logs; the days come from one grouped query
    over the logs either way (``attempts_per_day``).
    """
    today = timezone.now().astimezone(tz).date()
    last_day = min(until, today) if until else today
    logs = QuestionLog.objects.owned_by(owner)
    if since or until:
        logs = _in_period(logs, tz, since, until)
        counts = _counts_in_period(owner, logs)
    else:
        counts = _counts_all_time(owner)
    per_day = attempts_per_day(logs, tz)

    empty = {"attempts": 0, "solved": 0, "minutes": 0, "timed_attempts": 0}
    by_difficulty = {row["difficulty"]: row for row in counts["by_difficulty"]}
    difficulty_rows = [(level, by_difficulty.get(level, empty)) for level in Difficulty.values]
    if "" in by_difficulty:  # attempts at questions without a difficulty
        difficulty_rows.append(("", by_difficulty[""]))
    week_start = last_day - timedelta(days=last_day.weekday())
    weeks = [week_start - timedelta(weeks=n) for n in range(11, -1, -1)]
    return {
        "totals": {
            "questions": counts["questions"],
            "attempts": sum(row["attempts"] for row in by_difficulty.values()),
            "solved_questions": sum(row["solved_questions"] for row in by_difficulty.values()),
            "minutes": sum(row["minutes"] for row in by_difficulty.values()),
        },
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
        "daily": [
            {"date": day, "attempts": per_day[day]}
            for day in sorted(per_day)
            if last_day - timedelta(days=DAILY_DAYS) < day <= last_day
        ],
        "streaks": _streaks(sorted(per_day), last_day),
        "most_failed": counts["most_failed"],
    }


def _breakdown(row: dict) -> dict:
    attempts, solved, timed = row["attempts"], row["solved"], row["timed_attempts"]
    return {
        "attempts": attempts,
        "solved": solved,
        "solve_rate": round(solved / attempts, 4) if attempts else None,
        "avg_minutes": round(row["minutes"] / timed, 1) if timed else None,
    }


def _counts_all_time(owner) -> dict:
    """Sums of the questions' aggregates: per difficulty (with the totals), per tag."""
    questions = Question.objects.owned_by(owner)
    by_difficulty = list(
        questions.values("difficulty")
        .annotate(questions=Count("id"), solved_questions=Count("id", filter=SOLVED_QUESTION))
        .annotate(**_sums())
        .order_by()
    )
    # Grouped from the tags' side: SQLite walks them in id order, with no sort to group.
    by_tag = (
        Tag.objects.owned_by(owner)
        .filter(questions__attempts_count__gt=0)
        .values(tag_id=F("id"), tag=F("name"))
        .annotate(**_sums("questions__"))
        .order_by("-attempts", Lower("name"))
    )
    most_failed = (
        questions.filter(failed_count__gt=0)
        .order_by("-failed_count", "id")
        .values("id", "title", failed=F("failed_count"))[:10]
    )
    return {
        "questions": sum(row["questions"] for row in by_difficulty),
        # Difficulties nobody attempted are listed with zeros, as in a period.
        "by_difficulty": [row for row in by_difficulty if row["attempts"]],
        "by_tag": list(by_tag),
        "most_failed": list(most_failed),
    }


def _sums(prefix: str = "") -> dict:
    """The questions' aggregates (``prefix`` leads to them), summed for _breakdown."""
    return {
        "attempts": Sum(f"{prefix}attempts_count"),
        "solved": Sum(f"{prefix}solved_count"),
        "minutes": Sum(f"{prefix}minutes_spent"),
        "timed_attempts": Sum(f"{prefix}timed_attempts_count"),
    }


def _in_period(logs, tz: ZoneInfo, since: date | None, until: date | None):
    # Logs are dated 1900 to tomorrow (EARLIEST_ATTEMPT), so these clamps filter
    # out nothing, and keep the days' midnights in the years datetime can hold.
    since = since and max(since, EARLIEST_ATTEMPT.date() - timedelta(days=1))
    until = until and min(until, date.max - timedelta(days=2))
    if since:
        logs = logs.filter(date_attempted__gte=datetime.combine(since, time.min, tzinfo=tz))
    if until:
        next_day = datetime.combine(until + timedelta(days=1), time.min, tzinfo=tz)
        logs = logs.filter(date_attempted__lt=next_day)
    return logs


def _counts_in_period(owner, logs) -> dict:
    """Counts of the period's logs: per difficulty (with the totals), per tag."""
    counts = {
        "attempts": Count("id"),
        "solved": Count("id", filter=SOLVED_ATTEMPT),
        "minutes": Coalesce(Sum("time_spent_min"), 0),
        "timed_attempts": Count("time_spent_min"),
    }
    by_difficulty = (
        logs.values(difficulty=F("question__difficulty"))
        # A question has one difficulty: the per-difficulty counts add up to the total.
        .annotate(solved_questions=Count("question", filter=SOLVED_ATTEMPT, distinct=True))
        .annotate(**counts)
        .order_by()
    )
    by_tag = (
        logs.filter(question__tags__isnull=False)
        .values(tag_id=F("question__tags__id"), tag=F("question__tags__name"))
        .annotate(**counts)
        .order_by("-attempts", Lower("question__tags__name"))
    )
    most_failed = (
        logs.filter(outcome=Outcome.FAILED)
        .values("question_id", "question__title")
        .annotate(failed=Count("id"))
        .order_by("-failed", "question_id")[:10]
    )
    return {
        "questions": Question.objects.owned_by(owner).count(),
        "by_difficulty": list(by_difficulty),
        "by_tag": list(by_tag),
        "most_failed": [
            {"id": row["question_id"], "title": row["question__title"], "failed": row["failed"]}
            for row in most_failed
        ],
    }


def attempts_per_day(logs, tz: ZoneInfo) -> dict[date, int]:
    """How many of these logs fall on each day in ``tz``: one grouped query.

    PostgreSQL groups by the date ``AT TIME ZONE``. SQLite has no time zones:
    the logs' first and last times (two more queries) bound the zone's offset
    changes, computed here, and the database adds each log's offset from a
    CASE over them before taking its date. Both are exact for any zone and year.
    """
    if connection.vendor == "postgresql":
        # The zone's name as a parameter: TruncDate would read the sign of
        # "Etc/GMT+12" as an offset to flip.
        day = Func(
            "date_attempted",
            Value(tz.key),
            arg_joiner=" AT TIME ZONE ",
            template="(%(expressions)s)::date",
            output_field=DateField(),
        )
    else:
        # Two index lookups: SQLite scans every log for MIN and MAX in one query.
        times = logs.order_by("date_attempted").values_list("date_attempted", flat=True)
        first, last = times.first(), times.last()
        if first is None:
            return {}
        offsets = offsets_between(tz, first, last)
        day = Func(
            "date_attempted",
            _offset_case(offsets),
            function="DATE",
            output_field=DateField(),
        )
    # COUNT(*), not COUNT(id): PostgreSQL then reads the (owner, date) index alone.
    rows = logs.annotate(day=day).values("day").annotate(n=Count("*")).order_by()
    return dict(rows.values_list("day", "n"))


def _offset_case(offsets: list[tuple[datetime, int]]):
    """SQLite's date modifier for each log's offset: a balanced CASE over the
    times the offset changes, so each row takes a few comparisons."""
    if len(offsets) == 1:
        return Value(f"{offsets[0][1]:+d} seconds")
    middle = len(offsets) // 2
    return Case(
        When(date_attempted__lt=offsets[middle][0], then=_offset_case(offsets[:middle])),
        default=_offset_case(offsets[middle:]),
        output_field=CharField(),
    )


# Offsets sampled a day apart find every change: in tzdata, changes since 1900 are at
# least four days apart (the closest: Africa/Freetown, September 1939).
STEP = timedelta(days=1)


def offsets_between(tz: ZoneInfo, first: datetime, last: datetime) -> list[tuple[datetime, int]]:
    """``(since, offset in seconds)`` for each offset ``tz`` had from ``first`` to
    ``last``, in order: ``first`` with its offset, then each change after it."""
    offsets = [(first, _offset_at(tz, first))]
    for year in range(first.year, last.year + 1):
        offsets += [change for change in _changes_in(tz, year) if first < change[0] <= last]
    return offsets


@functools.lru_cache(maxsize=4096)
def _changes_in(tz: ZoneInfo, year: int) -> tuple[tuple[datetime, int], ...]:
    """The moments (to the second) in this UTC year, up to and including the
    next year's first, when the offset of ``tz`` changes, with the new offset:
    its offset sampled every STEP, each change narrowed down by bisection."""
    changes = []
    moment, end = datetime(year, 1, 1, tzinfo=UTC), datetime(year + 1, 1, 1, tzinfo=UTC)
    offset = _offset_at(tz, moment)
    while moment < end:
        low, high = moment, moment + STEP
        if (new := _offset_at(tz, high)) != offset:
            while high - low > timedelta(seconds=1):
                middle = low + (high - low) / 2
                if _offset_at(tz, middle) == offset:
                    low = middle
                else:
                    high = middle
            # Offsets change on whole seconds: the one in (low, high].
            changes.append((high.replace(microsecond=0), new))
            offset = new
        moment += STEP
    return tuple(changes)


def _offset_at(tz: ZoneInfo, moment: datetime) -> int:
    return int(moment.astimezone(tz).utcoffset().total_seconds())


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
