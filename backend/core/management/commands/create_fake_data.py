"""Seed fresh users with plausible tags, questions and logs, for development and benchmarks."""

import itertools
import random
import secrets
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models.functions import Lower
from django.utils.text import slugify
from faker import Faker

from backend.core.enums import Difficulty, Outcome
from backend.core.models import Question, QuestionLog, Tag, question_slug, validate_fields

BATCH_SIZE = 1000

TOPICS = [
    "arrays",
    "strings",
    "hash maps",
    "two pointers",
    "sliding window",
    "binary search",
    "sorting",
    "linked lists",
    "stacks",
    "queues",
    "heaps",
    "trees",
    "binary search trees",
    "tries",
    "graphs",
    "breadth-first search",
    "depth-first search",
    "topological sort",
    "union find",
    "shortest paths",
    "dynamic programming",
    "greedy",
    "backtracking",
    "recursion",
    "bit manipulation",
    "math",
    "intervals",
    "matrices",
    "system design",
    "sql",
]
# A title is one phrase from each row: "Longest Palindromic Substring".
TITLE_PARTS = (
    ("Longest", "Shortest", "Minimum", "Maximum", "Count", "Merge", "Reverse", "Validate"),
    ("Increasing", "Sorted", "Balanced", "Palindromic", "Unique", "Rotated", "Weighted"),
    ("Subarray", "Substring", "Path", "Binary Tree", "Intervals", "Islands", "Linked List"),
)
SOURCES = ["LeetCode", "Codewars", "HackerRank", "Cracking the Coding Interview", "mock interview"]
APPROACHES = [
    "two pointers from both ends",
    "hash map of values seen so far",
    "sort, then sweep once",
    "BFS from every start cell",
    "DFS with a visited set",
    "memoised recursion",
    "bottom-up DP table",
    "monotonic stack",
    "min-heap of size k",
    "binary search on the answer",
    "union find with path compression",
    "prefix sums",
    "brute force, then optimise",
]


@dataclass
class FakeData:
    usernames: list[str]
    tags: int
    questions: int
    question_tags: int
    logs: int


def fake_data_create(
    *,
    users: int,
    questions: int,
    tags: int,
    logs: int,
    exact_logs: bool,
    tags_per_question: int | None,
    password: str,
    seed: int | None,
    progress: Callable[[str], None],
    logs_per_user: int | None = None,
) -> FakeData:
    """Create fresh users with their tags, questions and logs, all in one transaction.

    Every table is written with bulk_create in batches, so the number of queries
    grows with the number of batches, never with the number of rows.
    """
    fake = Faker()
    fake.seed_instance(seed)
    rng = random.Random(seed)
    with transaction.atomic():
        new_users = _users_create(fake, count=users, password=password)
        progress(f"Users: {len(new_users)}")
        tags_by_owner = _tags_create(rng, new_users, per_user=tags)
        progress(f"Tags: {tags * len(new_users)}")
        new_questions = _questions_create(fake, rng, new_users, per_user=questions)
        progress(f"Questions: {len(new_questions)}")
        links = _question_tags_create(
            rng, new_questions, tags_by_owner, per_question=tags_per_question
        )
        progress(f"Question tags: {links}")
        if logs_per_user is None:
            counts = (logs if exact_logs else rng.randint(0, logs) for _ in new_questions)
        else:
            counts = _spread(rng, new_questions, per_user=logs_per_user)
        log_count = _logs_create(fake, rng, new_questions, counts)
        progress(f"Logs: {log_count}")
        Question.objects.filter(owner__in=new_users).refresh_aggregates()
    return FakeData(
        usernames=[user.username for user in new_users],
        tags=tags * len(new_users),
        questions=len(new_questions),
        question_tags=links,
        logs=log_count,
    )


def _users_create(fake: Faker, *, count: int, password: str) -> list:
    User = get_user_model()
    password_hash = make_password(password)  # hashing is slow on purpose: once for everyone
    users = [
        User(
            username=username,
            email=f"{username}@example.com",
            first_name=fake.first_name(),
            last_name=fake.last_name(),
            password=password_hash,
        )
        for username in _fresh_usernames(fake, count)
    ]
    return User.objects.bulk_create(users, batch_size=BATCH_SIZE)


def _fresh_usernames(fake: Faker, count: int) -> list[str]:
    """Faker's user names with a random suffix, so that even runs with one seed never clash."""
    User = get_user_model()
    usernames: dict[str, str] = {}  # lower case -> as created; usernames are case-insensitive
    while len(usernames) < count:
        wanted = {}
        for _ in range(count - len(usernames)):
            username = f"{fake.user_name()}_{secrets.token_hex(3)}"
            wanted[username.lower()] = username
        taken = set(
            User.objects.annotate(lower=Lower("username"))
            .filter(lower__in=list(wanted))
            .values_list("lower", flat=True)
        )
        usernames |= {key: name for key, name in wanted.items() if key not in taken}
    return list(usernames.values())


def _tags_create(rng: random.Random, users: list, *, per_user: int) -> dict[int, list[Tag]]:
    tags_by_owner = {}
    for user in users:
        topics = rng.sample(TOPICS, len(TOPICS))
        tags_by_owner[user.pk] = [
            Tag(owner=user, name=_tag_name(topics, index)) for index in range(per_user)
        ]
    _validated_create(Tag, [tag for tags in tags_by_owner.values() for tag in tags])
    return tags_by_owner


def _tag_name(topics: list[str], index: int) -> str:
    """The topics in turn; past the end of the list, again with a number: "graphs 2"."""
    topic = topics[index % len(topics)]
    round_ = index // len(topics)
    return f"{topic} {round_ + 1}" if round_ else topic


def _questions_create(
    fake: Faker, rng: random.Random, users: list, *, per_user: int
) -> list[Question]:
    paragraphs = fake.paragraphs(200)  # Faker's text costs more than the insert
    questions = []
    for user in users:
        for _ in range(per_user):
            title = " ".join(rng.choice(words) for words in TITLE_PARTS)
            questions.append(
                Question(
                    owner=user,
                    title=title,
                    slug=question_slug(title),
                    source=_source(rng, title),
                    content="".join(
                        f"<p>{p}</p>" for p in rng.sample(paragraphs, rng.randint(1, 3))
                    ),
                    difficulty=rng.choice(Difficulty.values),
                    is_active=rng.random() < 0.9,
                )
            )
    return _validated_create(Question, questions)


def _source(rng: random.Random, title: str) -> str:
    if rng.random() < 0.3:
        return f"https://leetcode.com/problems/{slugify(title)}/"
    return rng.choice([*SOURCES, ""])


def _question_tags_create(
    rng: random.Random,
    questions: list[Question],
    tags_by_owner: dict[int, list[Tag]],
    *,
    per_question: int | None,
) -> int:
    QuestionTag = Question.tags.through
    links = []
    for question in questions:
        tags = tags_by_owner[question.owner_id]
        count = rng.randint(0, min(3, len(tags))) if per_question is None else per_question
        links += [QuestionTag(question=question, tag=tag) for tag in rng.sample(tags, count)]
    QuestionTag.objects.bulk_create(links, batch_size=BATCH_SIZE)
    return len(links)


def _spread(rng: random.Random, questions: list[Question], *, per_user: int) -> list[int]:
    """Logs per question: each owner's ``per_user`` logs over their questions at random."""
    counts = [0] * len(questions)
    by_owner = itertools.groupby(range(len(questions)), key=lambda i: questions[i].owner_id)
    for _, indexes in by_owner:
        indexes = list(indexes)
        for index in rng.choices(indexes, k=per_user if indexes else 0):
            counts[index] += 1
    return counts


def _logs_create(
    fake: Faker, rng: random.Random, questions: list[Question], counts: Iterator[int]
) -> int:
    """Insert ``counts[i]`` logs for ``questions[i]``, a batch at a time.

    Hundreds of thousands of logs are built and written a batch at a time, never
    all held at once; the notes come from a small pool, as Faker's paragraphs
    cost more than the insert.
    """
    notes = [fake.paragraph() for _ in range(200)]
    now = datetime.now(UTC)
    year = timedelta(days=365).total_seconds()

    def logs():
        for question, count in zip(questions, counts):
            for _ in range(count):
                yield QuestionLog(
                    question=question,
                    date_attempted=now - timedelta(seconds=rng.random() * year),
                    time_spent_min=rng.randint(5, 120) if rng.random() < 0.8 else None,
                    outcome=rng.choice([*Outcome.values, ""]),
                    solution_approach=rng.choice(APPROACHES),
                    self_notes=rng.choice(notes) if rng.random() < 0.6 else "",
                )

    total = 0
    for batch in itertools.batched(logs(), BATCH_SIZE):
        _validated_create(QuestionLog, batch)
        total += len(batch)
    return total


def _validated_create(model, objects) -> list:
    """bulk_create, after the model's rules that every writer applies (validate_fields)."""
    for obj in objects:
        validate_fields(obj)
    return model.objects.bulk_create(objects, batch_size=BATCH_SIZE)


class Command(BaseCommand):
    help = (
        "Create fresh users with fake tags, questions and logs. Existing data is never touched; "
        "the new usernames and their password are printed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--users", type=int, default=3, help="New users (default 3).")
        parser.add_argument(
            "--questions", type=int, default=50, help="Questions per user (default 50)."
        )
        parser.add_argument("--tags", type=int, default=10, help="Tags per user (default 10).")
        parser.add_argument(
            "--logs",
            type=int,
            default=5,
            help="Most logs per question; each gets a random 0 to this many (default 5).",
        )
        parser.add_argument(
            "--exact-logs",
            action="store_true",
            help="Give every question exactly --logs logs.",
        )
        parser.add_argument(
            "--logs-per-user",
            type=int,
            help="Exactly this many logs per user, on questions drawn at random "
            "(instead of --logs per question).",
        )
        parser.add_argument(
            "--tags-per-question",
            type=int,
            help="Exactly this many tags on every question (default: a random 0 to 3).",
        )
        parser.add_argument(
            "--seed", type=int, help="Seed for repeatable titles, tags and logs (default: random)."
        )
        parser.add_argument(
            "--password", help="Password of every new user (default: a random one, printed)."
        )

    def handle(self, *args, **options):
        tags_per_question = options["tags_per_question"] or 0
        counts = ("users", "questions", "tags", "logs")
        logs_per_user = options["logs_per_user"] or 0
        if min(options[name] for name in counts) < 0 or min(tags_per_question, logs_per_user) < 0:
            raise CommandError("Counts cannot be negative.")
        if tags_per_question > options["tags"]:
            raise CommandError("--tags-per-question cannot exceed --tags.")
        password = options["password"] or secrets.token_urlsafe(9)

        started = time.monotonic()
        data = fake_data_create(
            users=options["users"],
            questions=options["questions"],
            tags=options["tags"],
            logs=options["logs"],
            exact_logs=options["exact_logs"],
            tags_per_question=options["tags_per_question"],
            password=password,
            seed=options["seed"],
            progress=self.stdout.write,
            logs_per_user=options["logs_per_user"],
        )
        seconds = time.monotonic() - started

        self.stdout.write(f"Password of every new user: {password}")
        for username in data.usernames:
            self.stdout.write(f"  {username}")
        self.stdout.write(
            f"Created {len(data.usernames)} users, {data.tags} tags, {data.questions} questions, "
            f"{data.question_tags} question tags and {data.logs} logs in {seconds:.1f} s."
        )
