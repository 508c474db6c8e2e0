"""Write one solved problem into the owner's questions, tags and logs.

Each problem is its own transaction, so the progress of a long import survives a
crash; because questions are matched on (platform, external id) and logs on
(question, date attempted), running the same import again adds only what is missing.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models.functions import Lower

from backend.core.imports.base import Problem, Solved
from backend.core.models import Question, QuestionLog, Tag, sanitize_html, validate_fields
from backend.core.questions.services import question_create

TAG_MAX_LENGTH = Tag._meta.get_field("name").max_length
APPROACH_MAX_LENGTH = QuestionLog._meta.get_field("solution_approach").max_length


@dataclass(frozen=True)
class Saved:
    question_id: int
    question_created: bool
    logs_created: int


def tags_get_or_create(*, owner, names: Iterable[str]) -> list[Tag]:
    """The owner's tags with these names, matched ignoring case; missing ones are created."""
    wanted: dict[str, str] = {}
    for name in names:
        name = name.strip()[:TAG_MAX_LENGTH].strip()
        if name:
            wanted.setdefault(name.lower(), name)
    if not wanted:
        return []
    found = {
        tag.name.lower(): tag
        for tag in Tag.objects.owned_by(owner)
        .annotate(lower_name=Lower("name"))
        .filter(lower_name__in=list(wanted))
    }
    tags = []
    for key, name in wanted.items():
        tag = found.get(key)
        if tag is None:
            tag = Tag(owner=owner, name=name)
            validate_fields(tag)
            try:
                with transaction.atomic():
                    tag.save(force_insert=True)
            except IntegrityError:  # the user just created it, in another request
                tag = Tag.objects.get(owner=owner, name__iexact=name)
        tags.append(tag)
    return tags


def solved_save(
    *, owner, platform: str, label: str, solved: Solved, problem: Problem | None
) -> Saved | None:
    """Create the question if it is new, then add the completions it has no log for.

    ``problem`` (the details) is needed only for a new question: without it, and
    with no question yet, nothing is written and None is returned, so the caller
    fetches the details, outside any transaction, and calls again.
    """
    with transaction.atomic():
        existing = Question.objects.owned_by(owner).filter(
            platform=platform, external_id=solved.external_id
        )
        # Locking the question makes concurrent imports of it take turns, so the
        # log matching below never races and the recount sees every log.
        question = existing.select_for_update().only("id", "owner_id").first()
        created = False
        if question is None:
            if problem is None:
                return None
            try:
                with transaction.atomic():
                    question = question_create(
                        owner=owner,
                        tags=tags_get_or_create(owner=owner, names=problem.tags),
                        title=problem.title,
                        source=problem.url,
                        # Sanitized now, so that HTML too deep to parse cheaply passes
                        # the model's rules as its text.
                        content=sanitize_html(problem.content),
                        difficulty=problem.difficulty,
                        platform=platform,
                        external_id=solved.external_id,
                    )
                    created = True
            except IntegrityError:  # another import of the same problem won the race
                question = existing.select_for_update().only("id", "owner_id").get()

        logged = set(
            QuestionLog.objects.filter(question=question).values_list("date_attempted", flat=True)
        )
        logs = [
            QuestionLog(
                question=question,
                date_attempted=completion.completed_at,
                outcome=completion.outcome,
                solution_approach=", ".join(completion.languages)[:APPROACH_MAX_LENGTH],
                self_notes=f"Imported from {label}",
            )
            for completion in solved.completions
            if completion.completed_at not in logged
        ]
        for log in logs:
            validate_fields(log)
        if logs:
            QuestionLog.objects.bulk_create(logs)
            Question.objects.filter(pk=question.pk).refresh_aggregates()
    return Saved(question_id=question.pk, question_created=created, logs_created=len(logs))
