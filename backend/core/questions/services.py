"""Multi-row writes: each runs in one transaction, so nothing is ever half-written."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404

from backend.core.models import Question, QuestionLog, Tag, question_slug, validate_fields


def question_create(*, owner, tags: Iterable[Tag] | None = None, **fields) -> Question:
    question = Question(owner=owner, slug=question_slug(fields.get("title", "")), **fields)
    validate_fields(question)
    with transaction.atomic():
        question.save(force_insert=True)
        if tags:
            question.tags.set(tags_lock(tags))
    return question


def question_update(*, question: Question, tags: Iterable[Tag] | None = None, **fields) -> Question:
    """Update the given fields; ``tags``, when given, replaces the question's set."""
    for name, value in fields.items():
        setattr(question, name, value)
    validate_fields(question)
    with transaction.atomic():
        question.save()
        if tags is not None:
            question.tags.set(tags_lock(tags))
    return question


def tags_lock(tags: Iterable[Tag]) -> list[Tag]:
    """Lock the tags to attach until the transaction ends, so that none is deleted
    meanwhile; one deleted since it was validated is a field error."""
    tags = list(tags)
    found = set(
        Tag.objects.select_for_update()
        .filter(pk__in=[tag.pk for tag in tags])
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if missing := [tag.pk for tag in tags if tag.pk not in found]:
        raise ValidationError({"tag_ids": [f"Tag {pk} does not exist." for pk in missing]})
    return tags


def tag_delete(tag: Tag) -> None:
    """Delete the tag and its links to questions; locked first, so that a question
    write attaching it finishes before its links are collected."""
    with transaction.atomic():
        if not Tag.objects.select_for_update().filter(pk=tag.pk).exists():
            raise Http404("No Tag matches the given query.")  # deleted since looked up
        tag.delete()


def question_log_save(log: QuestionLog, *, previous_question_id: int | None = None) -> QuestionLog:
    """Create or update a log and refresh its question's aggregates in one transaction.

    The question row is locked before the log is written, so concurrent writers
    on one question take turns and each recount sees the others' logs.
    """
    validate_fields(log)
    question_ids = {log.question_id, previous_question_id} - {None}
    with transaction.atomic():
        if log.question_id not in Question.objects.filter(pk__in=question_ids).lock():
            raise Http404("No Question matches the given query.")  # deleted since looked up
        log.save()
        Question.objects.filter(pk__in=question_ids).refresh_aggregates()
    return log


def question_log_delete(log: QuestionLog) -> None:
    with transaction.atomic():
        Question.objects.filter(pk=log.question_id).lock()
        log.delete()
        Question.objects.filter(pk=log.question_id).refresh_aggregates()
