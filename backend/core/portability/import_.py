"""Import an export document (backend.core.portability.export) into a user's account."""

import itertools
import logging

from django.db import IntegrityError, connection, transaction
from django.db.models import Model

from backend.accounts.models import User
from backend.core.models import Question, QuestionLog, Tag, question_slug
from backend.core.portability.errors import ImportConflict

logger = logging.getLogger(__name__)

BATCH_SIZE = 500  # rows per INSERT/UPDATE, and ids per IN (...) list


def user_data_import(*, user: User, document: dict) -> dict[str, int]:
    """Add a validated document's tags, questions and logs to ``user``'s, in one transaction.

    Tags are matched to the user's by name (ignoring case) and otherwise created.
    A question the user has already, with the same slug or the same platform and
    external id, is skipped with its logs. A new question keeps its slug unless
    another question has it. Timestamps are kept; aggregates are recomputed.
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
    mine = Question.objects.owned_by(user)
    slugs = set(mine.values_list("slug", flat=True))
    external_ids = set(mine.exclude(external_id="").values_list("platform", "external_id"))
    taken = _taken_slugs({q["slug"] for q in document.get("questions", []) if q.get("slug")})

    new, skipped_logs = [], 0
    for fields in document.get("questions", []):
        external = (fields.get("platform", ""), fields.get("external_id", ""))
        if fields.get("slug") in slugs or (external[1] and external in external_ids):
            skipped_logs += len(fields.get("logs", []))
            continue
        slug = fields.get("slug")
        if not slug or slug in taken:
            slug = question_slug(fields["title"])
        slugs.add(slug)
        taken.add(slug)
        external_ids.add(external)
        new.append({**fields, "slug": slug})

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
    log_fields = [log for fields in new for log in fields.get("logs", [])]
    logs = _bulk_create(
        QuestionLog,
        [
            QuestionLog(question=question, **log)
            for question, fields in zip(questions, new, strict=True)
            for log in fields.get("logs", [])
        ],
        log_fields,
    )
    # A new question without logs has its aggregates' defaults already (no attempts,
    # never reviewed); the others are recounted from their logs.
    attempted = [q.pk for q, fields in zip(questions, new, strict=True) if fields.get("logs")]
    for batch in itertools.batched(attempted, BATCH_SIZE):
        Question.objects.filter(pk__in=batch).refresh_aggregates()

    counts["questions_created"] = len(questions)
    counts["questions_skipped"] = len(document.get("questions", [])) - len(questions)
    counts["logs_created"] = len(logs)
    counts["logs_skipped"] = skipped_logs


def _taken_slugs(slugs: set[str]) -> set[str]:
    """Which of these slugs any question (anyone's) has already."""
    taken = set()
    for batch in itertools.batched(slugs, BATCH_SIZE):
        taken.update(Question.objects.filter(slug__in=batch).values_list("slug", flat=True))
    return taken


def _bulk_create(model: type[Model], objects: list[Model], fields: list[dict]) -> list[Model]:
    """bulk_create, then put back the document's timestamps that auto_now(_add) replaced."""
    objects = model.objects.bulk_create(objects, batch_size=BATCH_SIZE)
    stamps = [
        field
        for field in model._meta.concrete_fields
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
    ]
    rows = [
        [
            field.get_db_prep_save(
                values.get(field.name) or getattr(obj, field.attname), connection
            )
            for field in stamps
        ]
        + [obj.pk]
        for obj, values in zip(objects, fields, strict=True)
        if any(values.get(field.name) for field in stamps)
    ]
    if stamps and rows:
        # One prepared UPDATE run per row: bulk_update's CASE per row took over a
        # minute for 50,000 questions, this takes about a second.
        quote = connection.ops.quote_name
        assignments = ", ".join(f"{quote(field.column)} = %s" for field in stamps)
        # Identifiers come from the model's own metadata, quoted; values are parameters.
        sql = (
            f"UPDATE {quote(model._meta.db_table)} SET {assignments} "  # nosec B608
            f"WHERE {quote(model._meta.pk.column)} = %s"
        )
        with connection.cursor() as cursor:
            for batch in itertools.batched(rows, BATCH_SIZE):
                cursor.executemany(sql, batch)
    return objects
