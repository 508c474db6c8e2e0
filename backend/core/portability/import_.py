"""Import an export document (backend.core.portability.export) into a user's account."""

import itertools
import logging
from collections import defaultdict

from django.db import IntegrityError, transaction
from django.db.models import Model

from backend.accounts.models import User
from backend.core.models import Question, QuestionLog, Tag, question_slug, rows_update
from backend.core.portability.errors import ImportConflict

logger = logging.getLogger(__name__)

BATCH_SIZE = 500  # rows per INSERT/UPDATE, and ids per IN (...) list


def user_data_import(*, user: User, document: dict) -> dict[str, int]:
    """Add a validated document's tags, questions and logs to ``user``'s, in one transaction.

    Tags are matched to the user's by name (ignoring case) and otherwise created;
    questions and attempts as ``_questions`` says, so that importing a document
    again adds nothing. Timestamps are kept; aggregates are recomputed.
    """
    try:
        with transaction.atomic():
            # One import per user at a time (a double-submitted form): the second
            # waits here, then skips what the first created.
            User.objects.select_for_update().filter(pk=user.pk).get()
            counts = {}
            tag_ids = _tags(user, document, counts)
            _questions(user, document, tag_ids, counts)
    except IntegrityError as exc:
        # A concurrent write (the API, a platform import's worker) took a tag name,
        # slug or problem id between the checks and the inserts. Nothing was
        # written, so the user can simply retry.
        logger.warning("Data import for user %s conflicted: %s", user.pk, type(exc).__name__)
        raise ImportConflict() from None
    return counts


def _tags(user: User, document: dict, counts: dict) -> dict[str, int]:
    """Create the document's tags the user lacks; return {lower-case name: tag id}."""
    tag_ids = {
        name.lower(): pk for pk, name in Tag.objects.owned_by(user).values_list("pk", "name")
    }
    wanted = {tag["name"].lower(): tag for tag in document.get("tags", [])}
    for question in document.get("questions", []):
        for name in question.get("tags", []):
            wanted.setdefault(name.lower(), {"name": name})
    new = [fields for key, fields in wanted.items() if key not in tag_ids]
    tags = _bulk_create(Tag, [Tag(owner=user, **fields) for fields in new], new)
    tag_ids.update((tag.name.lower(), tag.pk) for tag in tags)
    counts["tags_created"] = len(tags)
    counts["tags_existing"] = len(wanted) - len(tags)
    return tag_ids


def _questions(user: User, document: dict, tag_ids: dict[str, int], counts: dict) -> None:
    """Create the questions the user lacks; add to the others the attempts they lack.

    A question is the user's already when one of theirs has its slug (an export
    keeps slugs, so a document imported twice, into any account, matches itself)
    or its platform and external id; an attempt, when its question has one that
    began at the same moment.
    """
    existing = _questions_of(user)
    new, matched = [], defaultdict(list)
    claimed = {}  # key -> the new question (of this document) that has it
    for fields in document.get("questions", []):
        keys = _question_keys(fields)
        pk = next((existing[key] for key in keys if key in existing), None)
        first = next((claimed[key] for key in keys if key in claimed), None)
        if pk is not None:
            matched[pk].extend(fields.get("logs", []))
        elif first is not None:
            # The document names one question twice: it is created once, each attempt once.
            moments = {log.get("date_attempted") for log in first["logs"]}
            first["logs"] += [
                log for log in fields.get("logs", []) if log.get("date_attempted") not in moments
            ]
        else:
            slug = fields.get("slug") or question_slug(fields["title"])
            entry = {**fields, "slug": slug, "logs": list(fields.get("logs", []))}
            claimed.update((key, entry) for key in _question_keys(entry))
            new.append(entry)

    questions = _bulk_create(
        Question,
        [
            Question(owner=user, **{k: v for k, v in fields.items() if k not in ("tags", "logs")})
            for fields in new
        ],
        new,
    )
    Question.tags.through.objects.bulk_create(
        (
            Question.tags.through(question_id=question.pk, tag_id=tag_id)
            for question, fields in zip(questions, new, strict=True)
            for tag_id in dict.fromkeys(tag_ids[name.lower()] for name in fields.get("tags", []))
        ),
        batch_size=BATCH_SIZE,
    )
    logs = [
        (question, log)
        for question, fields in zip(questions, new, strict=True)
        for log in fields.get("logs", [])
    ]
    logs += _missing_logs(matched)
    created = _bulk_create(
        QuestionLog,
        [QuestionLog(question=question, **log) for question, log in logs],
        [log for _, log in logs],
    )
    # A new question without logs has its aggregates' defaults already (no attempts,
    # never reviewed); the others are recounted from their logs.
    attempted = sorted({question.pk for question, _ in logs})
    for batch in itertools.batched(attempted, BATCH_SIZE):
        Question.objects.filter(pk__in=batch).refresh_aggregates()

    counts["questions_created"] = len(questions)
    counts["questions_skipped"] = len(document.get("questions", [])) - len(questions)
    counts["logs_created"] = len(created)
    counts["logs_skipped"] = sum(
        len(q.get("logs", [])) for q in document.get("questions", [])
    ) - len(created)


def _question_keys(fields: dict) -> list[tuple]:
    """What names a question across accounts: its slug, and its platform's problem."""
    keys = []
    if fields.get("slug"):
        keys.append(("slug", fields["slug"]))
    if fields.get("external_id"):
        keys.append(("problem", fields["platform"], fields["external_id"]))
    return keys


def _questions_of(user: User) -> dict[tuple, int]:
    """The user's questions' ids by their keys (``_question_keys``)."""
    mine = Question.objects.owned_by(user)
    found = {("slug", slug): pk for slug, pk in mine.values_list("slug", "pk")}
    found.update(
        (("problem", platform, external_id), pk)
        for pk, platform, external_id in mine.exclude(external_id="").values_list(
            "pk", "platform", "external_id"
        )
    )
    return found


def _missing_logs(matched: dict[int, list[dict]]) -> list[tuple[Question, dict]]:
    """The document's attempts at the user's questions that those questions lack."""
    logged = set()
    for batch in itertools.batched(matched, BATCH_SIZE):
        logged.update(
            QuestionLog.objects.filter(question_id__in=batch).values_list(
                "question_id", "date_attempted"
            )
        )
    questions = Question.objects.only("id", "owner_id").in_bulk(
        [pk for pk, logs in matched.items() if logs]
    )
    missing = []
    for pk, logs in matched.items():
        for log in logs:
            # One without a time would be "now" at every import: never added twice.
            moment = log.get("date_attempted")
            if moment is not None and (pk, moment) not in logged:
                logged.add((pk, moment))
                missing.append((questions[pk], log))
    return missing


def _bulk_create(model: type[Model], objects: list[Model], fields: list[dict]) -> list[Model]:
    """bulk_create, then put back the document's timestamps that auto_now(_add) replaced."""
    objects = model.objects.bulk_create(objects, batch_size=BATCH_SIZE)
    stamps = [
        field.name
        for field in model._meta.concrete_fields
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
    ]
    rows_update(
        model,
        stamps,
        {
            obj.pk: {name: values.get(name) or getattr(obj, name) for name in stamps}
            for obj, values in zip(objects, fields, strict=True)
            if any(values.get(name) for name in stamps)
        },
    )
    return objects
