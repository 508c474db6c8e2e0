"""Multi-row writes: each runs in one transaction, so nothing is ever half-written."""

from collections.abc import Iterable

from django.db import transaction
from django.http import Http404

from backend.core.models import Question, QuestionLog, Tag, question_slug


def question_create(*, owner, tags: Iterable[Tag] | None = None, **fields) -> Question:
    with transaction.atomic():
        question = Question.objects.create(
            owner=owner, slug=question_slug(fields["title"]), **fields
        )
        if tags:
            question.tags.set(tags)
    return question


def question_update(*, question: Question, tags: Iterable[Tag] | None = None, **fields) -> Question:
    """Update the given fields; ``tags``, when given, replaces the question's set."""
    with transaction.atomic():
        for name, value in fields.items():
            setattr(question, name, value)
        question.save()
        if tags is not None:
            question.tags.set(tags)
    return question


def question_log_save(log: QuestionLog, *, previous_question_id: int | None = None) -> QuestionLog:
    """Create or update a log and refresh its question's aggregates in one transaction.

    The question row is locked before the log is written, so concurrent writers
    on one question take turns and each recount sees the others' logs.
    """
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
