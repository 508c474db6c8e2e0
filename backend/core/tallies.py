"""Running totals behind GET /api/stats/, kept exact in the transaction of every write.

Counting a user's attempts by difficulty, by tag and by day straight from the
logs scans all of them: seconds at 100,000 questions. Instead every write keeps
DifficultyTally, TagTally, AttemptSlot and AttemptDay up to date. A log write
runs inside ``tracking_log(log, question_ids)``; a write that changes a
question's difficulty or tags, or deletes questions, inside
``tracking(question_ids)`` (after locking them). Both read what the log, or the
questions and their logs, contribute before and after the write, and add the
difference with at most four upserts; a new question is counted by
``question_created``. DifficultyTally also counts each difficulty's questions,
which gives the question list's length without a COUNT, and those of them solved
at least once: ``tracking`` sees it in the questions' logs, ``tracking_log``
reads its questions' solved_count (the log alone does not tell), so a log write
reads twice before and twice after. The stats then read a few dozen rows, one
per UTC day with attempts and a few per day near the time zone's midnight,
however many logs there are.

The stats count days in a time zone chosen per request. Every zone differs from
UTC by a whole number of quarter-hours (local mean times before ~1900 aside), so
attempts are counted per UTC quarter-hour (AttemptSlot) and, to read fewer rows,
per UTC day (AttemptDay): a local day is the UTC days it spans, less the
quarter-hours on either end that belong to the day before or after.
"""

import bisect
import itertools
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import connection
from django.db.models import QuerySet

from backend.core.models import (
    AttemptDay,
    AttemptSlot,
    DifficultyTally,
    Outcome,
    Question,
    QuestionLog,
    TagTally,
)

SLOT = timedelta(minutes=15)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
ONE_DAY = timedelta(days=1)
SLOTS_PER_DAY = ONE_DAY // SLOT
BATCH_SIZE = 500

COUNTERS = ["attempts", "solved", "minutes", "timed_attempts", "questions", "solved_questions"]
LOG_COLUMNS = [
    "id",
    "question__owner_id",
    "question__difficulty",
    "question__tags",
    "date_attempted",
    "outcome",
    "time_spent_min",
]


@dataclass
class Contribution:
    """What some logs add to each tally row, keyed by the row's unique fields."""

    difficulties: dict[tuple[int, str], Counter] = field(
        default_factory=lambda: defaultdict(Counter)
    )
    tags: dict[tuple[int, int], Counter] = field(default_factory=lambda: defaultdict(Counter))
    slots: dict[tuple[int, int], Counter] = field(default_factory=lambda: defaultdict(Counter))
    days: dict[tuple[int, date], Counter] = field(default_factory=lambda: defaultdict(Counter))


def slot_of(moment: datetime) -> int:
    return (moment - EPOCH) // SLOT  # floor division: also right before 1970


def utc_day(slot: int) -> date:
    return EPOCH.date() + slot // SLOTS_PER_DAY * ONE_DAY


def contribution(question_ids: Iterable[int]) -> Contribution:
    """Count these questions and their logs: one query per 500 questions."""
    result = Contribution()
    for batch in itertools.batched(question_ids, BATCH_SIZE):
        rows = (
            Question.objects.filter(pk__in=batch)
            .order_by("logs__id")
            .values_list(
                "id",
                "logs__id",
                "owner_id",
                "difficulty",
                "tags",
                "logs__date_attempted",
                "logs__outcome",
                "logs__time_spent_min",
            )
        )
        questions = {}
        solved = set()
        logs = []  # shaped as log_rows makes them: a row per log and tag
        for question_id, *row in rows:
            log_id, owner_id, difficulty, _, _, outcome, _ = row
            questions[question_id] = (owner_id, difficulty)
            if log_id is not None:  # else a question without logs
                logs.append(row)
            if outcome == Outcome.SOLVED:
                solved.add(question_id)
        for question_id, (owner_id, difficulty) in questions.items():
            counts = result.difficulties[owner_id, difficulty]
            counts.update(questions=1, solved_questions=int(question_id in solved))
        add_logs(result, logs)
    return result


def question_created(question: Question) -> None:
    """Count a new question (without logs or tags yet): one upsert."""
    result = Contribution()
    result.difficulties[question.owner_id, question.difficulty]["questions"] += 1
    record(result)


def question_count(owner) -> int:
    """All the user's questions, from a row per difficulty (summed here: a plain
    SELECT compiles in half the time of an aggregate, and this runs per page)."""
    return sum(DifficultyTally.objects.filter(owner=owner).values_list("questions", flat=True))


def log_rows(logs: QuerySet) -> QuerySet:
    """LOG_COLUMNS of these logs: a row per log and tag of its question (one row
    with no tag when it has none), in log order."""
    return logs.order_by("id").values_list(*LOG_COLUMNS)


def add_logs(result: Contribution, rows: Iterable[tuple]) -> None:
    """Add rows shaped as ``log_rows`` makes them to ``result``."""
    for _, same_log in itertools.groupby(rows, key=lambda row: row[0]):
        same_log = list(same_log)
        _, owner_id, difficulty, _, attempted, outcome, minutes = same_log[0]
        counts = Counter(attempts=1, solved=int(outcome == Outcome.SOLVED))
        if minutes is not None:
            counts.update(minutes=minutes, timed_attempts=1)
        result.difficulties[owner_id, difficulty].update(counts)
        for row in same_log:
            if row[3] is not None:
                result.tags[owner_id, row[3]].update(counts)
        slot = slot_of(attempted)
        result.slots[owner_id, slot]["attempts"] += 1
        result.days[owner_id, utc_day(slot)]["attempts"] += 1


@contextmanager
def tracking(question_ids: Iterable[int]) -> Iterator[None]:
    """Keep the tallies right across a write to these questions (locked by the caller)."""
    question_ids = list(question_ids)
    before = contribution(question_ids)
    yield
    record(contribution(question_ids), minus=before)


@contextmanager
def tracking_log(log: QuestionLog, question_ids: Iterable[int]) -> Iterator[None]:
    """Keep the tallies right across a create, update or delete of one log, and
    the refresh of its questions' aggregates (``question_ids``: the log's
    question, and the one it moves from)."""
    questions = Question.objects.filter(pk__in=list(question_ids))

    def counted() -> Contribution:
        result = Contribution()
        if log.pk is not None:  # not yet created, or deleted
            add_logs(result, log_rows(QuestionLog.objects.filter(pk=log.pk)))
        # Whether each question has been solved: its aggregate, refreshed in the block.
        for owner_id, difficulty, solved in questions.values_list(
            "owner_id", "difficulty", "solved_count"
        ):
            result.difficulties[owner_id, difficulty]["solved_questions"] += int(solved > 0)
        return result

    before = counted()
    yield
    record(counted(), minus=before)


def record(after: Contribution, *, minus: Contribution | None = None) -> None:
    """Add ``after - minus`` to the tally tables."""
    minus = minus or Contribution()
    _add(
        DifficultyTally, ("owner_id", "difficulty"), _delta(after.difficulties, minus.difficulties)
    )
    _add(TagTally, ("owner_id", "tag_id"), _delta(after.tags, minus.tags))
    _add(AttemptSlot, ("owner_id", "slot"), _delta(after.slots, minus.slots))
    _add(AttemptDay, ("owner_id", "day"), _delta(after.days, minus.days))


def _delta(after: dict, before: dict) -> dict[tuple, dict]:
    delta = {}
    for key in sorted(after.keys() | before.keys()):  # one lock order for every writer
        counts = Counter(after.get(key))
        counts.subtract(before.get(key, {}))
        if any(counts.values()):
            delta[key] = counts
    return delta


def _add(model, key_fields: tuple[str, str], delta: dict[tuple, dict]) -> None:
    """Upsert: add each row's counts to the stored ones (INSERT ... ON CONFLICT DO
    UPDATE, which SQLite and PostgreSQL both spell the same way)."""
    if not delta:
        return
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    conflict = ", ".join(quote(name) for name in (("tag_id",) if model is TagTally else key_fields))
    names = {model_field.name for model_field in model._meta.concrete_fields}
    value_fields = [name for name in COUNTERS if name in names]  # those the model has
    columns = ", ".join(quote(name) for name in (*key_fields, *value_fields))
    sets = ", ".join(f"{quote(f)} = {table}.{quote(f)} + EXCLUDED.{quote(f)}" for f in value_fields)
    row = "(" + ", ".join(["%s"] * (len(key_fields) + len(value_fields))) + ")"
    for batch in itertools.batched(delta.items(), BATCH_SIZE):
        params = [
            value for key, counts in batch for value in (*key, *(counts[f] for f in value_fields))
        ]
        # Only quoted names and placeholders are formatted in; the values are params.
        values = ", ".join([row] * len(batch))
        sql = f"INSERT INTO {table} ({columns}) VALUES {values} "  # nosec B608
        sql += f"ON CONFLICT ({conflict}) "
        with connection.cursor() as cursor:
            cursor.execute(sql + f"DO UPDATE SET {sets}", params)  # nosec B608


def attempts_per_day(owner, tz: ZoneInfo) -> dict[date, int]:
    """The user's attempts on each day in ``tz``: two queries, one reading a row per
    UTC day with attempts, the other the quarter-hours around the zone's midnights.

    The attempts of a local day are those before its end less those before its
    start; the attempts before a moment are those of the UTC days before its own
    day plus those of its day's quarter-hours before it.
    """
    epoch = EPOCH.date()
    days = AttemptDay.objects.filter(owner=owner, attempts__gt=0).values_list("day", "attempts")
    per_utc_day = {(day - epoch).days: attempts for day, attempts in days}  # days since 1970
    if not per_utc_day:
        return {}
    # Every attempt falls on its UTC day or the day before or after it in any zone.
    numbers = range(min(per_utc_day) - 1, max(per_utc_day) + 2)
    local_days = [epoch + n * ONE_DAY for n in numbers]
    # slot_of(each local midnight) after the first, from the zone's offset alone
    # (what this costs per day counts: it runs for every day of the history).
    utcoffset = tz.utcoffset
    midnights = [
        n * SLOTS_PER_DAY + (-utcoffset(datetime.combine(day, time.min))) // SLOT
        for n, day in zip(numbers[1:], local_days[1:], strict=True)
    ]
    before = [0, *_attempts_before(owner, per_utc_day, midnights), sum(per_utc_day.values())]
    counts = zip(local_days, itertools.pairwise(before), strict=True)
    return {day: end - start for day, (start, end) in counts if end > start}


def _attempts_before(owner, per_utc_day: dict[int, int], slots: list[int]) -> list[int]:
    """The user's attempts before each of these slots."""
    # Within its UTC day, the attempts before quarter q are those in the quarters
    # before q, or the day's attempts less those from q on. The database adds up
    # the narrower side (a zone's midnights fall on one or two quarters, with
    # daylight saving time) per day, from an index that holds all it reads.
    quarters = sorted({slot % SLOTS_PER_DAY for slot in slots})
    from_start = quarters[-1] <= SLOTS_PER_DAY - quarters[0]
    summed = {}  # (UTC day, quarter) -> attempts on that side of the quarter
    if not (from_start and quarters[-1] == 0):  # else: midnight in UTC, nothing to read
        for day_start, *sums in _quarter_sums(owner, quarters, from_start):
            day = day_start // SLOTS_PER_DAY
            summed.update({(day, q): n for q, n in zip(quarters, sums, strict=True)})

    days = sorted(per_utc_day)
    days_before = [0, *itertools.accumulate(per_utc_day[day] for day in days)]
    result = []
    for slot in slots:
        day, quarter = divmod(slot, SLOTS_PER_DAY)
        inside = summed.get((day, quarter), 0)
        if not from_start:
            inside = per_utc_day.get(day, 0) - inside
        result.append(days_before[bisect.bisect_left(days, day)] + inside)
    return result


def _quarter_sums(owner, quarters: list[int], from_start: bool) -> list[tuple[int, ...]]:
    """Per UTC day with attempts before (``from_start``) or from any of these
    quarters: the day's first slot, then its attempts on that side of each one.

    Raw SQL: the ORM took four times as long to compile this grouped, filtered
    sum as the database took to run it, and it runs for every stats call.
    """
    quote = connection.ops.quote_name
    quarter, attempts = quote("quarter"), quote("attempts")
    side = "<" if from_start else ">="
    sums = ", ".join(
        f"SUM(CASE WHEN {quarter} {side} %s THEN {attempts} ELSE 0 END)" for _ in quarters
    )
    day_start = f"{quote('slot')} - {quarter}"
    edge = quarters[-1] if from_start else quarters[0]  # the widest sum: all rows read
    sql = (
        f"SELECT {day_start}, {sums} FROM {quote(AttemptSlot._meta.db_table)} "  # nosec B608
        f"WHERE {quote('owner_id')} = %s AND {quarter} {side} %s AND {attempts} > 0 "
        f"GROUP BY {day_start}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*quarters, owner.pk, edge])
        return cursor.fetchall()
