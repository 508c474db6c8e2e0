"""A user's data as one JSON document, streamed a chunk at a time.

The document is also what ``POST /api/accounts/import/`` reads
(backend.core.portability.import_), so both sides share the field lists below.
"""

import itertools
from collections import defaultdict
from collections.abc import Iterable, Iterator

import orjson
from django.db.models import Model
from django.db.models.functions import Lower
from django.utils import timezone

from backend.accounts.models import ApiToken, User
from backend.core.imports.models import ImportJob
from backend.core.models import DERIVED_FIELDS, Question, QuestionLog, Tag

FORMAT = "interview-questions-export"
VERSION = 1
CHUNK_SIZE = 1000
JSON_OPTIONS = orjson.OPT_UTC_Z


def exported_fields(model: type[Model], derived: Iterable[str] = ()) -> list[str]:
    """A model's own columns, without its id, its foreign keys and derived values.

    Taken from the model, so that a column added later is exported (and imported)
    without anyone remembering to list it here.
    """
    return [
        field.name
        for field in model._meta.concrete_fields
        if not field.primary_key and not field.is_relation and field.name not in derived
    ]


TAG_FIELDS = exported_fields(Tag)
# Recomputed from the logs on import (refresh_aggregates), so never exported.
QUESTION_FIELDS = exported_fields(Question, DERIVED_FIELDS)
LOG_FIELDS = exported_fields(QuestionLog)
USER_FIELDS = ["username", "email", "first_name", "last_name", "date_joined", "last_login"]
IMPORT_JOB_FIELDS = [
    "platform",
    "username",
    "status",
    "created_at",
    "finished_at",
    "questions_created",
    "logs_created",
    "error",
]
API_TOKEN_FIELDS = ["name", "created_at", "expires_at", "last_used_at"]


def export_filename(user: User) -> str:
    return f"interview-questions-{user.username}-{timezone.now():%Y-%m-%d}.json"


def user_data_export(user: User) -> Iterator[bytes]:
    """The export document of ``user``, as pieces of JSON.

    Everything the user owns except their password hash and sessions. Questions
    come oldest first with their tag names and logs, CHUNK_SIZE at a time, in a
    constant number of queries per chunk; memory holds one chunk, whatever the
    size of the account. Import jobs and tokens are for the reader; import skips them.
    """
    head = {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": timezone.now(),
        "user": {name: getattr(user, name) for name in USER_FIELDS},
    }
    yield _dumps(head)[:-1]  # leave the object open
    yield b',"tags":'
    yield from _json_array(
        Tag.objects.owned_by(user).order_by(Lower("name"), "id").values(*TAG_FIELDS)
    )
    yield b',"import_jobs":'
    yield from _json_array(
        ImportJob.objects.owned_by(user).order_by("created_at", "id").values(*IMPORT_JOB_FIELDS)
    )
    yield b',"api_tokens":'
    yield from _json_array(
        ApiToken.objects.owned_by(user).order_by("created_at", "id").values(*API_TOKEN_FIELDS)
    )
    yield b',"questions":'
    yield from _json_array(_questions(user))
    yield b"}"


def _questions(user: User) -> Iterator[dict]:
    rows = (
        Question.objects.owned_by(user)
        .order_by("created_at", "id")
        .values("id", *QUESTION_FIELDS)
        .iterator(chunk_size=CHUNK_SIZE)
    )
    for chunk in itertools.batched(rows, CHUNK_SIZE):
        ids = [row["id"] for row in chunk]
        tags, logs = _tag_names(ids), _logs(ids)
        for row in chunk:
            question_id = row.pop("id")
            yield {**row, "tags": tags[question_id], "logs": logs[question_id]}


def _tag_names(question_ids: list[int]) -> dict[int, list[str]]:
    names = defaultdict(list)
    rows = (
        Question.tags.through.objects.filter(question_id__in=question_ids)
        .order_by(Lower("tag__name"), "tag_id")
        .values_list("question_id", "tag__name")
    )
    for question_id, name in rows:
        names[question_id].append(name)
    return names


def _logs(question_ids: list[int]) -> dict[int, list[dict]]:
    logs = defaultdict(list)
    rows = (
        QuestionLog.objects.filter(question_id__in=question_ids)
        .order_by("date_attempted", "id")
        .values("question_id", *LOG_FIELDS)
    )
    for row in rows:
        logs[row.pop("question_id")].append(row)
    return logs


def _json_array(rows: Iterable[dict]) -> Iterator[bytes]:
    yield b"["
    separator = b""
    for chunk in itertools.batched(rows, CHUNK_SIZE):
        yield separator + b",".join(_dumps(row) for row in chunk)
        separator = b","
    yield b"]"


def _dumps(value) -> bytes:
    return orjson.dumps(value, option=JSON_OPTIONS)
