import itertools
import secrets
import string
from datetime import UTC, datetime, timedelta

import nh3
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Count, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, Lower
from django.utils import timezone
from django.utils.text import slugify

from backend.core import scheduling

MAX_MINUTES_PER_ATTEMPT = 24 * 60
RESCHEDULE_CHUNK = 1000
SLUG_SUFFIX_ALPHABET = string.ascii_lowercase + string.digits
SLUG_SUFFIX_LENGTH = 10  # 36**10 values: collisions stay negligible at millions of questions


class Difficulty(models.TextChoices):
    EASY = "Easy"
    MEDIUM = "Medium"
    HARD = "Hard"


class Outcome(models.TextChoices):
    SOLVED = "Solved"
    PARTIAL = "Partial"
    FAILED = "Failed"


class Rating(models.TextChoices):
    AGAIN = "again"
    HARD = "hard"
    GOOD = "good"
    EASY = "easy"


class ReviewState(models.TextChoices):
    NEW = "new"
    LEARNING = "learning"
    REVIEW = "review"
    RELEARNING = "relearning"


class Platform(models.TextChoices):
    """Where questions can be imported from (backend/core/imports/)."""

    CODEWARS = "codewars", "Codewars"
    LEETCODE = "leetcode", "LeetCode"
    CODEFORCES = "codeforces", "Codeforces"


EARLIEST_ATTEMPT = datetime(1900, 1, 1, tzinfo=UTC)


def attempt_time_is_plausible(moment: datetime) -> bool:
    """From 1900 to a day from now: a day of slack for a client's clock, and days
    that exist in every time zone (the stats count them)."""
    return EARLIEST_ATTEMPT <= moment <= timezone.now() + timedelta(days=1)


def validate_attempt_time(moment: datetime) -> None:
    if not attempt_time_is_plausible(moment):
        raise ValidationError(
            "Must be from 1900-01-01 on and not more than a day from now.", code="out_of_range"
        )


def question_slug(title: str) -> str:
    """A unique, read-only slug: the title's slug plus a short random suffix."""
    base = slugify(title)[:60].strip("-") or "question"
    suffix = "".join(secrets.choice(SLUG_SUFFIX_ALPHABET) for _ in range(SLUG_SUFFIX_LENGTH))
    return f"{base}-{suffix}"


def sanitize_html(html: str) -> str:
    """Keep the rich-text editor's formatting; drop scripts, handlers and javascript: URLs."""
    return nh3.clean(html) if html else ""


class SanitizedHTMLField(models.TextField):
    """A TextField whose value is sanitized with nh3 whenever it is saved, by any path."""

    def pre_save(self, model_instance, add):
        value = sanitize_html(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        return value


class Tag(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tags"
    )
    name = models.CharField(max_length=50)
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = [Lower("name"), "id"]
        constraints = [
            models.UniqueConstraint(
                "owner",
                Lower("name"),
                name="core_tag_owner_name_ci_unique",
                violation_error_message="You already have a tag with this name.",
            ),
            models.CheckConstraint(condition=~Q(name=""), name="core_tag_name_not_blank"),
        ]

    def __str__(self):
        return self.name


class QuestionQuerySet(models.QuerySet):
    def refresh_aggregates(self) -> None:
        """Recompute everything derived from the logs: the counts in one UPDATE for
        all rows, then the review schedule (FSRS) a chunk of questions at a time.

        Call it in the same transaction as the log write, after locking the
        questions (``lock``), so that concurrent writers count each other.
        """
        logs = QuestionLog.objects.filter(question=OuterRef("pk")).order_by().values("question")
        latest = QuestionLog.objects.filter(question=OuterRef("pk")).order_by(
            "-date_attempted", "-id"
        )
        count = Count("pk")
        self.update(
            attempts_count=Coalesce(Subquery(logs.annotate(n=count).values("n")), 0),
            solved_count=Coalesce(
                Subquery(logs.filter(outcome=Outcome.SOLVED).annotate(n=count).values("n")), 0
            ),
            failed_count=Coalesce(
                Subquery(logs.filter(outcome=Outcome.FAILED).annotate(n=count).values("n")), 0
            ),
            last_attempted_at=Subquery(latest.values("date_attempted")[:1]),
            last_outcome=Coalesce(Subquery(latest.values("outcome")[:1]), Value("")),
        )
        rows = self.order_by("pk").values_list("pk", "owner_id", "difficulty")
        for chunk in itertools.batched(
            rows.iterator(chunk_size=RESCHEDULE_CHUNK), RESCHEDULE_CHUNK
        ):
            scheduling.reschedule(list(chunk))

    def lock(self) -> dict[int, int]:
        """Lock these rows until the transaction ends; return {question id: owner id}.

        A no-op lock on SQLite, whose IMMEDIATE transactions already serialize writers.
        """
        return dict(self.select_for_update().order_by("pk").values_list("pk", "owner_id"))


class Question(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="questions"
    )
    title = models.CharField(max_length=255)
    slug = models.SlugField(max_length=80, unique=True, editable=False)
    source = models.CharField(max_length=2048, blank=True)
    content = SanitizedHTMLField(blank=True)
    difficulty = models.CharField(max_length=6, choices=Difficulty.choices, blank=True)
    is_active = models.BooleanField(default=True)
    tags = models.ManyToManyField(Tag, related_name="questions", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Derived from the logs; refreshed by QuestionQuerySet.refresh_aggregates.
    attempts_count = models.PositiveIntegerField(default=0, editable=False)
    solved_count = models.PositiveIntegerField(default=0, editable=False)
    failed_count = models.PositiveIntegerField(default=0, editable=False)  # for the stats
    last_attempted_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_outcome = models.CharField(
        max_length=7, choices=Outcome.choices, blank=True, editable=False
    )
    next_review_at = models.DateTimeField(null=True, blank=True, editable=False)
    review_state = models.CharField(
        max_length=10, choices=ReviewState.choices, default=ReviewState.NEW, editable=False
    )

    # Set on imported questions: the problem's id on its platform, so a re-import
    # finds the question again instead of creating a second one.
    platform = models.CharField(max_length=20, choices=Platform.choices, blank=True, editable=False)
    external_id = models.CharField(max_length=100, blank=True, editable=False)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["owner", "-created_at", "-id"], name="question_owner_newest"),
            models.Index(fields=["owner", "next_review_at"], name="question_owner_next_review"),
            models.Index(
                fields=["owner", "-failed_count", "id"], name="question_owner_most_failed"
            ),
            # Covers the stats' count of questions and of solved ones.
            models.Index(fields=["owner", "solved_count"], name="question_owner_solved"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="core_question_title_not_blank"),
            models.UniqueConstraint(
                fields=["owner", "platform", "external_id"],
                condition=~Q(external_id=""),
                name="core_question_owner_external_unique",
                violation_error_message="You already have this problem from this platform.",
            ),
            models.CheckConstraint(
                condition=Q(platform="", external_id="") | (~Q(platform="") & ~Q(external_id="")),
                name="core_question_platform_and_external_id_together",
            ),
        ]

    def __str__(self):
        return self.title


class QuestionLog(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="question_logs"
    )
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="logs")
    date_attempted = models.DateTimeField(
        default=timezone.now,
        validators=[validate_attempt_time],
        help_text="When the attempt began: from 1900-01-01 to a day from now.",
    )
    time_spent_min = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(MAX_MINUTES_PER_ATTEMPT)]
    )
    outcome = models.CharField(max_length=7, choices=Outcome.choices, blank=True)
    # How hard the attempt felt; when set, it wins over the outcome for scheduling.
    rating = models.CharField(max_length=5, choices=Rating.choices, blank=True)
    solution_approach = models.CharField(max_length=100, blank=True)
    self_notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["question", "-date_attempted", "-id"], name="questionlog_question_newest"
            ),
            # A user's latest attempts: the median minutes behind "Easy", stats by date.
            models.Index(fields=["owner", "-date_attempted"], name="questionlog_owner_newest"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(time_spent_min__lte=MAX_MINUTES_PER_ATTEMPT),
                name="core_questionlog_time_spent_at_most_a_day",
            ),
        ]

    def __str__(self):
        return f"{self.question} at {self.date_attempted:%Y-%m-%d %H:%M}"


# --- Running totals behind the statistics (kept by backend.core.tallies) ---------


class Tally(models.Model):
    """Attempts counted for one key; plain integers, as a delta may be negative."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    attempts = models.IntegerField(default=0)
    solved = models.IntegerField(default=0)
    minutes = models.BigIntegerField(default=0)
    timed_attempts = models.IntegerField(default=0)  # attempts with minutes, for the average

    class Meta:
        abstract = True


class DifficultyTally(Tally):
    difficulty = models.CharField(max_length=6, choices=Difficulty.choices, blank=True)
    # The user's questions of this difficulty: a list's length without a COUNT.
    questions = models.IntegerField(default=0)
    # Those of them with a solved attempt (solved_count > 0), for the stats.
    solved_questions = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "difficulty"], name="core_difficultytally_unique"
            ),
        ]


class TagTally(Tally):
    tag = models.OneToOneField(Tag, on_delete=models.CASCADE, related_name="+")


class AttemptSlot(models.Model):
    """Attempts in one UTC quarter-hour: a user's days in any time zone add up from
    these, since time zones differ from UTC by whole quarter-hours."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    slot = models.BigIntegerField()  # quarter-hours since 1970-01-01 UTC
    attempts = models.IntegerField(default=0)
    # The quarter-hour of its UTC day, 0-95 (SQL's % keeps the sign: before 1970
    # too). The stats read only the quarters a time zone's midnight falls in.
    quarter = models.GeneratedField(
        expression=(F("slot") % 96 + 96) % 96,
        output_field=models.SmallIntegerField(),
        db_persist=True,
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner", "slot"], name="core_attemptslot_unique"),
        ]
        indexes = [
            # Covers what the stats read of the quarters around a zone's midnight.
            models.Index(
                fields=["owner", "quarter", "slot", "attempts"], name="attemptslot_owner_quarter"
            )
        ]


class AttemptDay(models.Model):
    """Attempts in one UTC day: the sum of its 96 AttemptSlots, so that the stats
    read a row per day rather than one per quarter-hour."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()  # in UTC
    attempts = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner", "day"], name="core_attemptday_unique"),
        ]


class ImportStatus(models.TextChoices):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"


ACTIVE_IMPORT_STATUSES = [ImportStatus.QUEUED, ImportStatus.RUNNING]


class ImportHistory(models.TextChoices):
    FULL = "full"  # everything the platform has for the user
    RECENT = "recent"  # what the platform shows anyone: LeetCode's 20 latest, without a cookie


class ImportJob(models.Model):
    """One import of a user's solved problems from a platform, run by a background task."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="import_jobs"
    )
    platform = models.CharField(max_length=20, choices=Platform.choices)
    username = models.CharField(max_length=64)
    status = models.CharField(
        max_length=9, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Bumped by every progress write: a queued or running job that has not moved
    # for IMPORT_STALE_MINUTES lost its worker and may be replaced.
    updated_at = models.DateTimeField(auto_now=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    total = models.PositiveIntegerField(null=True, blank=True)  # known once the list is read
    processed = models.PositiveIntegerField(default=0)
    questions_created = models.PositiveIntegerField(default=0)
    logs_created = models.PositiveIntegerField(default=0)
    # Items of the platform's list that could not be read, left out of the import.
    skipped = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    history = models.CharField(
        max_length=6, choices=ImportHistory.choices, default=ImportHistory.FULL
    )
    notice = models.TextField(blank=True)  # a sentence for the user about what is imported
    task_id = models.CharField(max_length=64, blank=True)  # the Tasks framework's result id

    class Meta:
        indexes = [
            models.Index(fields=["owner", "-created_at", "-id"], name="importjob_owner_newest"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "platform"],
                condition=Q(status__in=ACTIVE_IMPORT_STATUSES),
                name="core_importjob_one_active_per_platform",
                violation_error_message="An import from this platform is already running.",
            ),
        ]

    def __str__(self):
        return f"{self.get_platform_display()} import of {self.username!r} ({self.status})"


class ImportSync(models.Model):
    """A platform account its owner keeps in sync: ``manage.py sync_imports`` queues an
    import of it once it is due (backend/core/imports/sync.py). Never holds a cookie."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="import_syncs"
    )
    platform = models.CharField(max_length=20, choices=Platform.choices)
    username = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    last_synced_at = models.DateTimeField(null=True, blank=True)  # when an import was queued
    next_sync_at = models.DateTimeField()  # due from then on
    last_job = models.ForeignKey(
        ImportJob, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        indexes = [models.Index(fields=["next_sync_at"], name="importsync_due")]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "platform"],
                name="core_importsync_one_per_platform",
                violation_error_message="You already keep this platform in sync.",
            ),
        ]

    def __str__(self):
        return f"{self.get_platform_display()} sync of {self.username!r}"


class ImportCredential(models.Model):
    """A platform session cookie lent to one import job, deleted when the job ends.

    Its own table, so that nothing that shows or exports jobs (serializers, the
    admin, the data export) can reach it; never registered in the admin.
    """

    job = models.OneToOneField(
        ImportJob, on_delete=models.CASCADE, primary_key=True, related_name="credential"
    )
    session_cookie = models.TextField()
    csrf_token = models.CharField(max_length=255, blank=True)

    def __repr__(self):
        return f"<ImportCredential of job {self.job_id}>"

    __str__ = __repr__
