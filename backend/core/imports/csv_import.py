"""Questions and attempts from a CSV file, as people keep them in spreadsheets.

``csv_read`` turns the file into questions, each with its attempts, and a list of
bad rows (by row number and column), writing nothing. ``csv_import`` matches the
questions with the user's (by source URL, else by title) and, unless it is a dry
run or a row is bad, writes what is new in one transaction: all or nothing, and a
second import of the same file adds nothing.

Row 1 is the header; row 2 is the first under it, as a spreadsheet numbers them.
"""

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.db.models.functions import Lower
from django.utils.html import escape
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.parsers import BaseParser

from backend.accounts.models import User
from backend.core.enums import Difficulty, Outcome
from backend.core.imports.mapping import tags_get_or_create
from backend.core.models import Question, QuestionLog, Tag, question_slug

FIELDS = ("title", "url", "difficulty", "tags", "date", "outcome", "minutes", "notes", "approach")
# Header names read as each field, compared without case, spaces or punctuation.
SYNONYMS = {
    "title": ("title", "name", "problem", "question", "problem name", "question title", "task"),
    "url": ("url", "link", "source", "problem link", "problem url", "question link", "href"),
    "difficulty": ("difficulty", "level", "diff"),
    "tags": ("tags", "tag", "topics", "topic", "categories", "category", "patterns", "pattern"),
    "date": (
        "date",
        "date attempted",
        "attempted",
        "attempted at",
        "attempted on",
        "solved on",
        "solved at",
        "date solved",
        "completed",
        "completed at",
        "day",
        "when",
        "timestamp",
    ),
    "outcome": ("outcome", "result", "status", "verdict", "solved"),
    "minutes": ("minutes", "mins", "time", "time spent", "time spent min", "duration"),
    "notes": ("notes", "note", "comments", "comment", "remarks", "self notes"),
    "approach": ("approach", "solution", "solution approach", "language", "method"),
}
OUTCOMES = {
    Outcome.SOLVED: ("solved", "accepted", "ac", "yes", "y", "done", "pass", "passed", "ok", "✓"),
    Outcome.PARTIAL: ("partial", "partially", "partly", "hint", "with hint", "half"),
    Outcome.FAILED: (
        "failed",
        "fail",
        "no",
        "n",
        "wrong",
        "wrong answer",
        "wa",
        "tle",
        "unsolved",
        "not solved",
        "gave up",
        "✗",
    ),
}
DATE_FORMATS = ("%Y/%m/%d", "%d.%m.%Y", "%d %b %Y", "%d %B %Y", "%b %d, %Y", "%B %d, %Y")
TIME_FORMATS = ("", " %H:%M", " %H:%M:%S", " %I:%M %p", " %I:%M:%S %p")
MINUTES = re.compile(r"(\d+)(?:\.0+)?\s*(?:m|min|mins|minutes)?", re.IGNORECASE)
HOURS_MINUTES = re.compile(r"(\d+):([0-5]\d)")
TAG_SEPARATORS = re.compile(r"[;,]")
DELIMITERS = (",", ";", "\t")  # Excel writes ";" where the decimal mark is a comma
NOON = time(12)
BATCH = 500  # rows per INSERT


class CsvRejected(APIException):
    """The file as a whole cannot be read; the sentence says why."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "invalid_csv"


class CsvTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "csv_too_large"

    def __init__(self):
        super().__init__(
            f"The CSV file is larger than the limit of {settings.CSV_IMPORT_MAX_BYTES} bytes; "
            "split it into several files."
        )


class CSVParser(BaseParser):
    """A ``text/csv`` body, as bytes (decoded later, to tell the user what is wrong)."""

    media_type = "text/csv"

    def parse(self, stream, media_type=None, parser_context=None):
        return read_limited(stream)


def read_limited(stream) -> bytes:
    if stream is None:
        return b""
    data = stream.read(settings.CSV_IMPORT_MAX_BYTES + 1)
    if len(data) > settings.CSV_IMPORT_MAX_BYTES:
        raise CsvTooLarge
    return data


# --- Reading ---------------------------------------------------------------------------


@dataclass
class RowError:
    row: int
    column: str  # our field, e.g. "date"; "" for the row as a whole
    header: str  # the file's header for it
    message: str


@dataclass
class Attempt:
    date_attempted: datetime
    outcome: str
    minutes: int | None
    notes: str
    approach: str


@dataclass
class Entry:
    """One question of the file, with the attempts its rows give."""

    row: int  # its first row
    title: str
    url: str
    difficulty: str
    tags: list[str]
    content: str
    attempts: dict[datetime, Attempt] = field(default_factory=dict)
    question_id: int | None = None  # the user's question it matches, or the one created
    matched: bool = False
    new_attempts: list[Attempt] = field(default_factory=list)


@dataclass
class Sheet:
    rows: int = 0
    entries: list[Entry] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def normalized(header: str) -> str:
    return re.sub(r"[\W_]+", "", header).lower()


SYNONYM_FIELDS = {normalized(name): key for key, names in SYNONYMS.items() for name in names}
OUTCOME_VALUES = {name: outcome for outcome, names in OUTCOMES.items() for name in names}


def decode(data: bytes) -> str:
    if not data.strip():
        raise CsvRejected("The file is empty; send a CSV file with a header row.")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise CsvRejected(
            "The file is UTF-16 text, not UTF-8; save it as 'CSV UTF-8 (Comma delimited)'."
        )
    if b"\x00" in data:
        raise CsvRejected("The file is not CSV text (it holds binary data); export it as CSV.")
    try:
        return data.decode("utf-8-sig")  # Excel's "CSV UTF-8" starts with a byte-order mark
    except UnicodeDecodeError as exc:
        raise CsvRejected(
            f"The file is not UTF-8 text (byte {exc.start + 1} is not UTF-8); save it as "
            "'CSV UTF-8 (Comma delimited)'."
        ) from None


def columns_find(header: list[str], mapping: dict[str, str]) -> dict[str, int]:
    """Our field -> the header's column index, from the client's mapping, else the names."""
    by_name = {}
    for index, name in enumerate(header):
        by_name.setdefault(normalized(name), index)
    found = {}
    for key in FIELDS:
        wanted = mapping.get(key)
        if wanted:
            if normalized(wanted) not in by_name:
                raise CsvRejected(
                    f"column_{key}: the file has no column '{wanted}'; its columns are "
                    f"{', '.join(repr(name) for name in header)}."
                )
            found[key] = by_name[normalized(wanted)]
    for index, name in enumerate(header):
        key = SYNONYM_FIELDS.get(normalized(name))
        if key and key not in found and key not in mapping:
            found[key] = index
    if "title" not in found:
        raise CsvRejected(
            "The file has no title column: name one Title (or Name, Problem, Question), or "
            "say which it is with column_title."
        )
    return found


def csv_read(data: bytes, *, mapping: dict[str, str], tz: ZoneInfo, day_first: bool) -> Sheet:
    text = decode(data)
    first_line = text.split("\n", 1)[0]
    delimiter = max(DELIMITERS, key=first_line.count)  # ties keep the comma
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    sheet = Sheet()
    try:
        header = [name.strip() for name in next(reader)]
        columns = columns_find(header, mapping)
        entries: dict[tuple[str, str], Entry] = {}
        for number, cells in enumerate(reader, start=2):
            if not any(cell.strip() for cell in cells):
                continue  # blank lines, and Excel's trailing ",,,"
            sheet.rows += 1
            if sheet.rows > settings.CSV_IMPORT_MAX_ROWS:
                raise CsvRejected(
                    f"The file has more than {settings.CSV_IMPORT_MAX_ROWS} rows, the limit; "
                    "split it into several files."
                )
            row = Row(number, cells, columns, header)
            row.add_to(entries, tz=tz, day_first=day_first)
            sheet.errors.extend(row.errors)
    except csv.Error as exc:
        raise CsvRejected(f"The file is not valid CSV (line {reader.line_num}: {exc}).") from None
    except StopIteration:
        raise CsvRejected("The file is empty; send a CSV file with a header row.") from None
    sheet.entries = list(entries.values())
    return sheet


class Row:
    """One row's cells read as our fields; each bad cell adds a RowError."""

    def __init__(self, number: int, cells: list[str], columns: dict[str, int], header: list[str]):
        self.number, self.columns, self.header = number, columns, header
        self.cells = cells
        self.errors: list[RowError] = []

    def cell(self, key: str) -> str:
        index = self.columns.get(key)
        return self.cells[index].strip() if index is not None and index < len(self.cells) else ""

    def error(self, key: str, message: str) -> None:
        index = self.columns.get(key)
        header = self.header[index] if index is not None else ""  # a date the file lacks
        self.errors.append(RowError(self.number, key, header, message))

    def add_to(self, entries: dict, *, tz: ZoneInfo, day_first: bool) -> None:
        title = self.title()
        url = self.url()
        difficulty = self.difficulty()
        tags = self.tags()
        moment = self.date(tz, day_first)
        outcome = self.outcome()
        minutes = self.minutes()
        notes, approach = self.cell("notes"), self.approach()
        if moment is None and not self.errors and (self.cell("outcome") or minutes is not None):
            self.error("date", "An attempt needs a date: this row has an outcome or minutes.")
        if self.errors:
            return
        key = ("url", url.lower()) if url else ("title", title.lower())
        entry = entries.get(key)
        if entry is None:
            content = f"<p>{escape(notes)}</p>" if notes and moment is None else ""
            entry = entries[key] = Entry(self.number, title, url, difficulty, tags, content)
        if moment is not None:
            entry.attempts.setdefault(
                moment, Attempt(moment, outcome or Outcome.SOLVED, minutes, notes, approach)
            )

    def checked(self, key: str, value, model: type[Model], name: str, prefix: str = ""):
        """``value``, after the model's rules for the field ``name`` (the API's too);
        each broken rule is an error of column ``key``."""
        try:
            model._meta.get_field(name).clean(value, None)
        except ValidationError as error:
            self.error(key, prefix + " ".join(error.messages))
        return value

    def title(self) -> str:
        return self.checked("title", self.cell("title"), Question, "title")

    def url(self) -> str:
        return self.checked("url", self.cell("url"), Question, "source")

    def difficulty(self) -> str:
        value = self.cell("difficulty")
        if not value:
            return ""
        for choice in Difficulty.values:
            if value.lower() == choice.lower():
                return choice
        self.error("difficulty", "Must be Easy, Medium or Hard (or empty).")
        return ""

    def tags(self) -> list[str]:
        names = [name.strip() for name in TAG_SEPARATORS.split(self.cell("tags"))]
        return [
            self.checked("tags", name, Tag, "name", prefix=f"The tag '{name[:20]}': ")
            for name in names
            if name
        ]

    def date(self, tz: ZoneInfo, day_first: bool) -> datetime | None:
        value = self.cell("date")
        if not value:
            return None
        moment = parse_date(value, tz, day_first)
        if moment is None:
            self.error(
                "date",
                "Not a date we can read: use 2026-03-01, 2026-03-01 14:30, 03/01/2026 "
                "(day_first=true for 01/03/2026), 01.03.2026 or 1 Mar 2026.",
            )
        else:
            self.checked("date", moment, QuestionLog, "date_attempted")
        return moment

    def outcome(self) -> str:
        value = self.cell("outcome")
        if not value:
            return ""
        outcome = OUTCOME_VALUES.get(value.lower())
        if outcome is None:
            self.error("outcome", "Must be Solved, Partial or Failed (or yes/no, or empty).")
        return outcome or ""

    def minutes(self) -> int | None:
        value = self.cell("minutes")
        if not value:
            return None
        if match := MINUTES.fullmatch(value):
            minutes = int(match.group(1))
        elif match := HOURS_MINUTES.fullmatch(value):
            minutes = int(match.group(1)) * 60 + int(match.group(2))
        else:
            self.error("minutes", "Must be a whole number of minutes, e.g. 45 or 1:30.")
            return None
        return self.checked("minutes", minutes, QuestionLog, "time_spent_min")

    def approach(self) -> str:
        return self.checked("approach", self.cell("approach"), QuestionLog, "solution_approach")


def parse_date(value: str, tz: ZoneInfo, day_first: bool) -> datetime | None:
    """A date (taken as noon, so that it stays on its day in nearby zones) or a date and
    time, in ``tz`` unless it carries an offset; None when it is in no format we read."""
    try:
        return datetime.combine(date.fromisoformat(value), NOON, tzinfo=tz).astimezone(UTC)
    except ValueError:
        pass
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        slashed = "%d/%m/%Y" if day_first else "%m/%d/%Y"
        for date_format in (*DATE_FORMATS, slashed):
            for time_format in TIME_FORMATS:
                try:
                    moment = datetime.strptime(value, date_format + time_format)
                except ValueError:
                    continue
                if not time_format:
                    moment = datetime.combine(moment.date(), NOON)
                return moment.replace(tzinfo=tz).astimezone(UTC)
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=tz)).astimezone(UTC)


# --- Matching and writing -------------------------------------------------------------


def csv_import(
    *,
    owner: User,
    data: bytes,
    mapping: dict[str, str],
    tz: ZoneInfo,
    day_first: bool = False,
    dry_run: bool = False,
) -> dict:
    """Read the file and, unless ``dry_run`` or a row is bad, import it; return the report.

    The report says, per question, whether it is new or matches one of the user's
    and how many attempts it adds; ``errors`` lists every bad row and column.
    Everything is read and checked before the write, which is a few bulk statements.
    """
    sheet = csv_read(data, mapping=mapping, tz=tz, day_first=day_first)
    written = not dry_run and not sheet.errors
    if not written:
        entries_match(owner, sheet.entries)
        return report(sheet, dry_run=dry_run, written=False)
    questions = {id(entry): entry_question(owner, entry) for entry in sheet.entries}
    with transaction.atomic():
        # One CSV import per user at a time: a second waits, then matches what the first made.
        User.objects.select_for_update().filter(pk=owner.pk).get()
        entries_match(owner, sheet.entries)
        entries_write(owner, sheet.entries, questions)
    return report(sheet, dry_run=dry_run, written=True)


def entry_question(owner: User, entry: Entry) -> Question:
    """The question an entry creates if it matches none of the user's."""
    return Question(
        owner=owner,
        slug=question_slug(entry.title),
        title=entry.title,
        source=entry.url,
        content=entry.content,
        difficulty=entry.difficulty,
    )


def entries_match(owner: User, entries: list[Entry]) -> None:
    """Find each entry's question (by source URL, else title) and the attempts it lacks."""
    questions = Question.objects.owned_by(owner)
    urls = {entry.url for entry in entries if entry.url}
    by_source = {}
    for pk, source in questions.filter(source__in=urls).order_by("pk").values_list("pk", "source"):
        by_source.setdefault(source, pk)
    titles = {entry.title.lower() for entry in entries}
    by_title = {}
    for pk, title in (
        questions.annotate(lower_title=Lower("title"))
        .filter(lower_title__in=titles)
        .order_by("pk")
        .values_list("pk", "lower_title")
    ):
        by_title.setdefault(title, pk)
    for entry in entries:
        entry.question_id = by_source.get(entry.url) or by_title.get(entry.title.lower())
        entry.matched = entry.question_id is not None
    logged = set(
        QuestionLog.objects.filter(
            question_id__in=[entry.question_id for entry in entries if entry.question_id]
        ).values_list("question_id", "date_attempted")
    )
    for entry in entries:
        entry.new_attempts = [
            attempt
            for moment, attempt in sorted(entry.attempts.items())
            if (entry.question_id, moment) not in logged
        ]


def entries_write(owner: User, entries: list[Entry], built: dict[int, Question]) -> None:
    """Create the new questions (``built``, by entry) with their tags, then every new
    attempt, a batch of rows per statement, and recount the questions that got some."""
    new = [entry for entry in entries if entry.question_id is None]
    created = Question.objects.bulk_create([built[id(entry)] for entry in new], batch_size=BATCH)
    for entry, question in zip(new, created, strict=True):
        entry.question_id = question.pk
    tags = {
        tag.name.lower(): tag
        for tag in tags_get_or_create(owner=owner, names=[n for e in new for n in e.tags])
    }
    Question.tags.through.objects.bulk_create(
        (
            Question.tags.through(question_id=entry.question_id, tag_id=tag_id)
            for entry in new
            for tag_id in dict.fromkeys(tags[name.lower()].pk for name in entry.tags)
        ),
        batch_size=BATCH,
    )
    ids = sorted({entry.question_id for entry in entries if entry.new_attempts})
    if not ids:
        return
    Question.objects.filter(pk__in=ids).lock()
    # The questions themselves, not their ids: a log takes its owner from its question.
    questions = {question.pk: question for question in created}
    questions.update(Question.objects.only("id", "owner_id").in_bulk(set(ids) - set(questions)))
    QuestionLog.objects.bulk_create(
        (
            QuestionLog(
                question=questions[entry.question_id],
                date_attempted=attempt.date_attempted,
                outcome=attempt.outcome,
                time_spent_min=attempt.minutes,
                self_notes=attempt.notes,
                solution_approach=attempt.approach,
            )
            for entry in entries
            for attempt in entry.new_attempts
        ),
        batch_size=BATCH,
    )
    Question.objects.filter(pk__in=ids).refresh_aggregates()


def report(sheet: Sheet, *, dry_run: bool, written: bool) -> dict:
    questions = [
        {
            "row": entry.row,
            "title": entry.title,
            "source": entry.url,
            "action": "match" if entry.matched else "create",
            "question_id": entry.question_id,
            "attempts_added": len(entry.new_attempts),
        }
        for entry in sheet.entries
    ]
    return {
        "dry_run": dry_run,
        "imported": written,
        "rows": sheet.rows,
        "questions_created": sum(q["action"] == "create" for q in questions),
        "questions_matched": sum(q["action"] == "match" for q in questions),
        "logs_created": sum(q["attempts_added"] for q in questions),
        "questions": questions,
        "errors": [vars(error) for error in sheet.errors],
    }
