"""Spaced repetition: each question's review schedule, computed with FSRS from its logs.

A log is a review of its question. Its rating is the log's explicit ``rating``
when set, else it comes from the outcome: Solved is Good (Easy when solved in
under half the owner's median minutes for the question's difficulty), Partial
is Hard, Failed is Again. A log with neither a rating nor an outcome is not a
review. Replaying a question's reviews in date order with FSRS gives its next
review date and state; nothing else is stored, so editing or deleting any past
log reschedules from scratch.
"""

from collections import defaultdict
from collections.abc import Iterable
from statistics import median

from django.db.models import F, Window
from django.db.models.functions import RowNumber
from fsrs import Card, Rating, ReviewLog, Scheduler, State

# No fuzzing: the same history always gives the same dates (and testable ones).
SCHEDULER = Scheduler(enable_fuzzing=False)

# The median of a user's minutes looks at their latest timed solves only: a
# bounded query per write, and it follows how fast they are now.
MEDIAN_WINDOW = 200

RATINGS = {
    "again": Rating.Again,
    "hard": Rating.Hard,
    "good": Rating.Good,
    "easy": Rating.Easy,
}
OUTCOME_RATINGS = {"Solved": Rating.Good, "Partial": Rating.Hard, "Failed": Rating.Again}
STATES = {State.Learning: "learning", State.Review: "review", State.Relearning: "relearning"}


def log_rating(*, outcome: str, rating: str, minutes: int | None, median_minutes) -> Rating | None:
    if rating:
        return RATINGS[rating]
    if (
        outcome == "Solved"
        and minutes is not None
        and median_minutes is not None
        and minutes < median_minutes / 2
    ):
        return Rating.Easy
    return OUTCOME_RATINGS.get(outcome)


def schedule(question_id: int, reviews: Iterable[tuple]) -> tuple:
    """(next_review_at, review_state) from ``(date_attempted, rating)`` pairs."""
    logs = [
        ReviewLog(card_id=question_id, rating=rating, review_datetime=when, review_duration=None)
        for when, rating in reviews
    ]
    if not logs:
        return None, "new"
    card = SCHEDULER.reschedule_card(Card(card_id=question_id), logs)
    return card.due, STATES[card.state]


def median_minutes_by(owner_difficulties: set[tuple[int, str]]) -> dict[tuple[int, str], float]:
    """The median minutes of each (owner, difficulty)'s latest timed solves.

    One user's questions (every API write) take one indexed LIMIT query per
    difficulty, whatever the size of their history; many users at once (seeding,
    bulk paths) take one window-function query for all of them.
    """
    from backend.core.models import SOLVED_ATTEMPT, QuestionLog

    solves = QuestionLog.objects.filter(SOLVED_ATTEMPT, time_spent_min__isnull=False)
    minutes = defaultdict(list)
    if len({owner for owner, _ in owner_difficulties}) == 1:
        for owner_id, difficulty in owner_difficulties:
            minutes[owner_id, difficulty] = list(
                solves.filter(owner_id=owner_id, question__difficulty=difficulty)
                .order_by("-date_attempted", "-id")
                .values_list("time_spent_min", flat=True)[:MEDIAN_WINDOW]
            )
    elif owner_difficulties:
        latest_first = Window(
            RowNumber(),
            partition_by=[F("owner_id"), F("question__difficulty")],
            order_by=[F("date_attempted").desc(), F("id").desc()],
        )
        rows = (
            solves.filter(
                owner_id__in={owner for owner, _ in owner_difficulties},
                question__difficulty__in={difficulty for _, difficulty in owner_difficulties},
            )
            .annotate(position=latest_first)
            .filter(position__lte=MEDIAN_WINDOW)
            .values_list("owner_id", "question__difficulty", "time_spent_min")
        )
        for owner_id, difficulty, spent in rows:
            minutes[owner_id, difficulty].append(spent)
    return {key: median(minutes[key]) if minutes[key] else None for key in owner_difficulties}


def review_schedule(question_id: int, logs: list, median_minutes) -> tuple:
    """(next_review_at, review_state) from a question's ``(date_attempted, outcome,
    rating, time_spent_min)`` logs, oldest first."""
    reviews = []
    for when, outcome, rating, minutes in logs:
        review_rating = log_rating(
            outcome=outcome, rating=rating, minutes=minutes, median_minutes=median_minutes
        )
        if review_rating is not None:
            reviews.append((when, review_rating))
    return schedule(question_id, reviews)
