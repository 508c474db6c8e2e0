"""Running totals behind GET /api/stats/, kept exact in the transaction of every write.

Counting a user's attempts by difficulty, by tag and by day straight from the
logs scans all of them: seconds at 100,000 questions. Instead every write keeps
DifficultyTally, TagTally and AttemptSlot up to date. A log write runs inside
``tracking_log(log)``; a write that changes a question's difficulty or tags, or
deletes questions, inside ``tracking(question_ids)`` (after locking them). Both
read what the log or the questions' logs contribute before and after the write,
one query each time, and add the difference with at most three upserts. The
stats then read a few dozen rows and one per quarter-hour with attempts, however
many logs there are. (Solved questions are counted from Question.solved_count.)

Days are kept as UTC quarter-hours (AttemptSlot) because the stats count days in
a time zone chosen per request, and every zone differs from UTC by a whole number
of quarter-hours (local mean times before ~1900 aside).
"""

import itertools
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import connection
from django.db.models import Case, F, Max, Min, QuerySet, Sum, Value, When

from backend.core.models import AttemptSlot, DifficultyTally, Outcome, QuestionLog, TagTally

SLOT = timedelta(minutes=15)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
SLOTS_PER_DAY = timedelta(days=1) // SLOT
SHIFT_DAYS = 1_000_000  # more days than from the year 1 to 1970
BATCH_SIZE = 500

COUNTERS = ["attempts", "solved", "minutes", "timed_attempts"]
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


def slot_of(moment: datetime) -> int:
    return (moment - EPOCH) // SLOT  # floor division: also right before 1970


def contribution(question_ids: Iterable[int]) -> Contribution:
    """Count the logs of these questions: one query per 500 questions."""
    result = Contribution()
    for batch in itertools.batched(question_ids, BATCH_SIZE):
        add_logs(result, log_rows(QuestionLog.objects.filter(question_id__in=batch)))
    return result


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
        result.slots[owner_id, slot_of(attempted)]["attempts"] += 1


@contextmanager
def tracking(question_ids: Iterable[int]) -> Iterator[None]:
    """Keep the tallies right across a write to these questions (locked by the caller)."""
    question_ids = list(question_ids)
    before = contribution(question_ids)
    yield
    record(contribution(question_ids), minus=before)


@contextmanager
def tracking_log(log: QuestionLog) -> Iterator[None]:
    """Keep the tallies right across a create, update or delete of one log."""

    def counted() -> Contribution:
        result = Contribution()
        if log.pk is not None:  # not yet created, or deleted
            add_logs(result, log_rows(QuestionLog.objects.filter(pk=log.pk)))
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
    """The user's attempts on each day in ``tz``, added up from the quarter-hour
    slots by the database: two queries, and a row per day."""
    slots = AttemptSlot.objects.filter(owner=owner, attempts__gt=0)
    bounds = slots.aggregate(first=Min("slot"), last=Max("slot"))
    if bounds["first"] is None:
        return {}
    (_, first_offset), *changes = _offsets(tz, bounds["first"], bounds["last"])
    offset = Case(
        *(When(slot__gte=start, then=Value(offset)) for start, offset in reversed(changes)),
        default=Value(first_offset),
    )
    # SQL's integer division truncates towards zero: shift every slot past zero
    # so that it floors, also for days before 1970.
    day = (F("slot") + offset + SHIFT_DAYS * SLOTS_PER_DAY) / SLOTS_PER_DAY
    per_day = slots.annotate(day=day).values("day").annotate(n=Sum("attempts")).order_by()
    return {
        EPOCH.date() + timedelta(days=day - SHIFT_DAYS): n
        for day, n in per_day.values_list("day", "n")
    }


def _offsets(tz: ZoneInfo, first: int, last: int) -> list[tuple[int, int]]:
    """[(slot, offset from UTC in slots from that slot on)] across first..last."""

    def offset_at(slot: int) -> int:
        return (EPOCH + slot * SLOT).astimezone(tz).utcoffset() // SLOT

    offsets = [(first, offset_at(first))]
    for day_start in range(first - first % SLOTS_PER_DAY, last + 1, SLOTS_PER_DAY):
        day_end = day_start + SLOTS_PER_DAY - 1
        if offset_at(day_end) == offsets[-1][1]:
            continue
        for slot in range(max(day_start, first), day_end + 1):  # rare: find the change
            if (offset := offset_at(slot)) != offsets[-1][1]:
                offsets.append((slot, offset))
    return offsets
