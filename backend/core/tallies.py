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
UTC by a whole number of quarter-hours (some did not before 1980), so
attempts are counted per UTC quarter-hour (AttemptSlot) and, to read fewer rows,
per UTC day (AttemptDay): a local day is the UTC days it spans, less the
quarter-hours on either end that belong to the day before or after.
"""

import functools
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
    """The user's attempts on each day in ``tz``, in one query: a row per UTC day
    with attempts, and per such day its attempts on one side of the quarter-hours
    the zone's midnights fall on (a second query when the history is older than
    the zone's current rules, for the quarters its midnights fell on then).

    The attempts of a local day are those before its end less those before its
    start; the attempts before a moment are those of the UTC days before its own
    day plus those of its day's quarter-hours before it.
    """
    this_year = datetime.now(UTC).year
    recent = _quarters(_midnights_in(tz, this_year - 1) + _midnights_in(tz, this_year))
    per_utc_day, sums = _read_days(owner, sorted(recent))
    days = sorted(per_utc_day)
    # Per run of local days that may hold attempts: the midnight starting each
    # day, and the one after the last.
    runs = {(first, last): _midnights(tz, first, last + 2) for first, last in _local_runs(days)}
    if older := set().union(*map(_quarters, runs.values())) - set(sums):
        sums |= _quarter_sums(owner, sorted(older))

    # What follows runs for every day of the history: kept to plain loops and lookups.
    epoch = EPOCH.date()
    result = {}
    days.append(float("inf"))
    i, counted = 0, 0  # the attempts on the UTC days before days[i]
    for (first, last), midnights in runs.items():
        start = None  # the attempts before the previous local day's midnight
        for local_day, offset in zip(range(first, last + 2), midnights, strict=True):
            midnight_day, quarter = divmod(local_day * SLOTS_PER_DAY + offset, SLOTS_PER_DAY)
            while days[i] < midnight_day:
                counted += per_utc_day[days[i]]
                i += 1
            end = counted
            if quarter:  # else midnight in UTC: nothing of the day before it
                before, summed = sums[quarter]
                inside = summed.get(midnight_day, 0)
                end += inside if before else per_utc_day.get(midnight_day, 0) - inside
            if start is not None and end > start:
                result[epoch + timedelta(days=local_day - 1)] = end - start
            start = end
    return result


def _local_runs(utc_days: list[int]) -> list[tuple[int, int]]:
    """The local days that may hold attempts of these (sorted) UTC days, as runs
    of consecutive days: every attempt falls on its UTC day or the day before or
    after it in any zone."""
    runs = []
    for day in utc_days:
        if runs and day - 1 <= runs[-1][1] + 1:
            runs[-1][1] = day + 1
        else:
            runs.append([day - 1, day + 1])
    return [(first, last) for first, last in runs]


@functools.lru_cache(maxsize=1024)
def _midnights_in(tz: ZoneInfo, year: int) -> tuple[int, ...]:
    """Per day of the year, its midnight in ``tz`` as quarter-hours from UTC's
    (the negated offset: -4 for 00:00 at 23:00 UTC the day before)."""
    first = date(year, 1, 1)
    utcoffset = tz.utcoffset
    return tuple(
        -utcoffset(datetime.combine(first + timedelta(days=n), time.min)) // SLOT
        for n in range((date(year + 1, 1, 1) - first).days)
    )


def _midnights(tz: ZoneInfo, first: int, stop: int) -> list[int]:
    """``_midnights_in`` for the days ``first`` to ``stop`` - 1 (days since 1970)."""
    epoch = EPOCH.date()
    result = []
    for year in range(
        (epoch + timedelta(days=first)).year, (epoch + timedelta(days=stop - 1)).year + 1
    ):
        year_start = (date(year, 1, 1) - epoch).days
        result += _midnights_in(tz, year)[max(first - year_start, 0) : stop - year_start]
    return result


def _quarters(midnights: Iterable[int]) -> set[int]:
    """The quarters of their UTC days these midnights (as ``_midnights_in`` gives
    them) fall on, but quarter 0: nothing of that UTC day is before it."""
    return {offset % SLOTS_PER_DAY for offset in midnights} - {0}


# Per quarter read: whether the sums are of the attempts before it (else from it
# on), and the sum per UTC day with attempts on that side.
QuarterSums = dict[int, tuple[bool, dict[int, int]]]


def _read_days(owner, quarters: list[int]) -> tuple[dict[int, int], QuarterSums]:
    """The attempts per UTC day (days since 1970), and ``_quarter_sums`` of these
    (sorted) quarters, in one query.

    The days come as dates from both drivers: SQLite takes a compound SELECT's
    declared column types from its first SELECT, here AttemptDay's.
    """
    quote = connection.ops.quote_name
    sql = (
        f"SELECT {quote('day')}, {quote('attempts')}{', NULL' * len(quarters)} "  # nosec B608
        f"FROM {quote(AttemptDay._meta.db_table)} "
        f"WHERE {quote('owner_id')} = %s AND {quote('attempts')} > 0"
    )
    params = [owner.pk]
    if quarters:
        sums_sql, sums_params, from_start = _quarter_sums_sql(owner, quarters)
        sql += f" UNION ALL {sums_sql}"
        params += sums_params
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    epoch = EPOCH.date()
    per_utc_day = {(row[0] - epoch).days: row[1] for row in rows if row[0] is not None}
    sums = {}
    if quarters:
        sums = _by_quarter([row for row in rows if row[0] is None], quarters, from_start)
    return per_utc_day, sums


def _quarter_sums(owner, quarters: list[int]) -> QuarterSums:
    sql, params, from_start = _quarter_sums_sql(owner, quarters)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return _by_quarter(cursor.fetchall(), quarters, from_start)


def _by_quarter(rows: list[tuple], quarters: list[int], from_start: bool) -> QuarterSums:
    return {
        quarter: (from_start, {row[1] // SLOTS_PER_DAY: row[2 + n] for row in rows})
        for n, quarter in enumerate(quarters)
    }


def _quarter_sums_sql(owner, quarters: list[int]) -> tuple[str, list, bool]:
    """A query for, per UTC day with attempts, NULL, the day's first slot, then
    its attempts on the narrower side (before, or from) of each of these quarters
    (sorted); and which side that is (True: before).

    Raw SQL: the ORM took four times as long to compile this grouped, filtered
    sum as the database took to run it, and it runs for every stats call.
    """
    # The database adds up the narrower side (a zone's midnights fall on one or
    # two quarters, with daylight saving time) from an index that holds all it reads.
    from_start = quarters[-1] <= SLOTS_PER_DAY - quarters[0]
    quote = connection.ops.quote_name
    quarter, attempts = quote("quarter"), quote("attempts")
    side = "<" if from_start else ">="
    sums = ", ".join(
        f"SUM(CASE WHEN {quarter} {side} %s THEN {attempts} ELSE 0 END)" for _ in quarters
    )
    day_start = f"{quote('slot')} - {quarter}"
    edge = quarters[-1] if from_start else quarters[0]  # the widest sum: all rows read
    sql = (
        f"SELECT NULL, {day_start}, {sums} "  # nosec B608
        f"FROM {quote(AttemptSlot._meta.db_table)} "
        f"WHERE {quote('owner_id')} = %s AND {quarter} {side} %s AND {attempts} > 0 "
        f"GROUP BY {day_start}"
    )
    return sql, [*quarters, owner.pk, edge], from_start
