import itertools
import re
import secrets
import string
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from html import unescape

import nh3
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, URLValidator
from django.db import connection, models
from django.db.models import Prefetch, Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.html import escape
from django.utils.text import slugify

from backend.core.enums import (  # noqa: F401 (re-exported: migrations and old imports)
    Difficulty,
    ImportHistory,
    ImportStatus,
    Outcome,
    Platform,
    Rating,
    ReviewState,
)
from backend.core.imports.models import (  # noqa: F401 (Django finds the app's models here)
    ACTIVE_IMPORT_STATUSES,
    ImportCredential,
    ImportJob,
    ImportSync,
)
from backend.core.practice import scheduling
from backend.ownership import OwnedQuerySet

MAX_MINUTES_PER_ATTEMPT = 24 * 60
REFRESH_CHUNK = 1000
SLUG_SUFFIX_ALPHABET = string.ascii_lowercase + string.digits
SLUG_SUFFIX_LENGTH = 10  # 36**10 values: collisions stay negligible at millions of questions


# A question's source is shown as a link when it is an http(s) URL, else as text.
# Text that starts like a link of another kind ("javascript:", "data:") is refused,
# and so are control characters, which browsers drop from a link before reading it.
URI_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")
validate_http_url = URLValidator(
    schemes=["http", "https"], message="Enter a valid http:// or https:// URL."
)


def validate_source(value: str) -> None:
    if CONTROL_CHARACTERS.search(value):
        raise ValidationError("Must be one line, without control characters.", code="invalid")
    scheme = URI_SCHEME.match(value)
    if scheme is None:
        return  # plain text
    if scheme.group().lower() not in ("http:", "https:"):
        raise ValidationError(
            "Only http:// and https:// links are allowed; write any other source as plain "
            "text (e.g. 'Cracking the Coding Interview, 4.2').",
            code="scheme",
        )
    validate_http_url(value)


def validate_fields(instance: models.Model) -> None:
    """The model's rules for each value (validators, choices, lengths, blanks) and its
    clean(), which every write path applies, as the API's serializers do.

    Relations, uniqueness and check constraints are left to the database: checking
    them here would cost a query each, and a race could pass them anyway.
    """
    relations = [field.name for field in instance._meta.concrete_fields if field.is_relation]
    instance.full_clean(exclude=relations, validate_unique=False, validate_constraints=False)


# What "solved" means, everywhere: an attempt is solved when its outcome is
# Solved (in SQL, SOLVED_ATTEMPT; in Python, is_solved), and a question when it
# has such an attempt (its solved_count, which refresh_aggregates counts, is above zero).
SOLVED_ATTEMPT = Q(outcome=Outcome.SOLVED)


def is_solved(outcome: str) -> bool:
    return outcome == Outcome.SOLVED


SOLVED_QUESTION = Q(solved_count__gt=0)

TAG_NAME_TAKEN = "You already have a tag with this name."


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
    """A read-only slug, unique in practice: the title's slug plus a random suffix."""
    base = slugify(title)[:60].strip("-") or "question"
    suffix = "".join(secrets.choice(SLUG_SUFFIX_ALPHABET) for _ in range(SLUG_SUFFIX_LENGTH))
    return f"{base}-{suffix}"


# HTML parsing costs the square of the nesting depth (60,000 nested <div> took 28 s),
# and no editor or platform nests anywhere near this deep.
MAX_HTML_DEPTH = 200
HTML_TAG = re.compile(r"<(/?)([A-Za-z][^\s/>]*)")
HTML_TAG_OR_COMMENT = re.compile(r"<!--.*?-->|<[^>]*>", re.DOTALL)
# Elements that never hold others, or whose start tag closes an open one of their kind
# (<p><p>, <li><li>): counting them would take siblings for nesting.
NOT_NESTING = frozenset(
    "area base br col embed hr img input link meta source track wbr "
    "p li dt dd option optgroup tr td th thead tbody tfoot colgroup caption rb rt rp rtc "
    "html head body".split()
)


def html_depth_exceeds(html: str, limit: int = MAX_HTML_DEPTH) -> bool:
    """Whether the tags of ``html`` nest deeper than ``limit``: one linear scan, an
    upper bound of what a parser builds (it may close some elements early)."""
    depth = 0
    for closing, name in HTML_TAG.findall(html):
        if name.lower() in NOT_NESTING:
            continue
        if closing:
            depth = max(depth - 1, 0)
        else:
            depth += 1
            if depth > limit:
                return True
    return False


def validate_html_depth(value: str) -> None:
    if html_depth_exceeds(value):
        raise ValidationError(
            f"The HTML nests more than {MAX_HTML_DEPTH} elements deep; simplify it.",
            code="too_deep",
        )


def sanitize_html(html: str) -> str:
    """Keep the rich-text editor's formatting; drop scripts, handlers and javascript: URLs.

    HTML nested too deeply to parse cheaply keeps only its text.
    """
    if not html:
        return ""
    if html_depth_exceeds(html):
        return escape(" ".join(unescape(HTML_TAG_OR_COMMENT.sub(" ", html)).split()))
    return nh3.clean(html)


class SanitizedHTMLField(models.TextField):
    """A TextField whose value is sanitized with nh3 whenever it is saved, by any path."""

    default_validators = [validate_html_depth]

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

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = [Lower("name"), "id"]
        constraints = [
            models.UniqueConstraint(
                "owner",
                Lower("name"),
                name="core_tag_owner_name_ci_unique",
                violation_error_message=TAG_NAME_TAKEN,
            ),
            models.CheckConstraint(condition=~Q(name=""), name="core_tag_name_not_blank"),
        ]

    def __str__(self):
        return self.name


class QuestionQuerySet(OwnedQuerySet):
    def with_tags(self) -> "QuestionQuerySet":
        """With each question's tags (their id and name, by name) in one more query."""
        return self.prefetch_related(tag_summaries())

    def refresh_aggregates(self) -> None:
        """Recompute everything derived from the logs (the counts and the review
        schedule) in one pass over each question's logs, a chunk of questions at a time.

        Call it in the same transaction as the log write, after locking the
        questions (``lock``), so that concurrent writers count each other.
        """
        rows = self.order_by("pk").values_list("pk", "owner_id", "difficulty")
        for chunk in itertools.batched(rows.iterator(chunk_size=REFRESH_CHUNK), REFRESH_CHUNK):
            medians = scheduling.median_minutes_by({(owner, level) for _, owner, level in chunk})
            logs = defaultdict(list)
            for question_id, *log in (
                QuestionLog.objects.filter(question_id__in=[pk for pk, _, _ in chunk])
                .order_by("date_attempted", "id")
                .values_list("question_id", "date_attempted", "outcome", "rating", "time_spent_min")
            ):
                logs[question_id].append(log)
            rows_update(
                Question,
                DERIVED_FIELDS,
                {
                    pk: derived_from_logs(pk, logs[pk], medians[owner, level])
                    for pk, owner, level in chunk
                },
            )

    def lock(self) -> dict[int, int]:
        """Lock these rows until the transaction ends; return {question id: owner id}.

        A no-op lock on SQLite, whose IMMEDIATE transactions already serialize writers.
        """
        return dict(self.select_for_update().order_by("pk").values_list("pk", "owner_id"))


def rows_update(model: type[models.Model], names: list[str], rows: dict[int, dict]) -> None:
    """Set the fields ``names`` of each row ``{pk: {name: value}}``: one prepared UPDATE,
    run once per row. bulk_update compiles a CASE per field and row: seconds for a few
    thousand rows, where this takes milliseconds."""
    if not rows:
        return
    fields = [model._meta.get_field(name) for name in names]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(field.column)} = %s" for field in fields)
    # Identifiers come from the model's own metadata, quoted; values are parameters.
    sql = (
        f"UPDATE {quote(model._meta.db_table)} SET {assignments} "  # nosec B608
        f"WHERE {quote(model._meta.pk.column)} = %s"
    )
    params = [
        [field.get_db_prep_save(values[field.name], connection) for field in fields] + [pk]
        for pk, values in rows.items()
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def tag_summaries() -> Prefetch:
    """What a question shows of its tags (QuestionSerializer's ``tags``), by name.

    Into a plain list: a prefetch into the related manager builds a manager and
    clones a queryset per question, about a tenth of a page of 50 (docs/performance.md).
    """
    return Prefetch("tags", queryset=Tag.objects.only("id", "name"), to_attr="prefetched_tags")


# The fields of a question that refresh_aggregates derives from its logs.
DERIVED_FIELDS = [
    "attempts_count",
    "solved_count",
    "failed_count",
    "minutes_spent",
    "timed_attempts_count",
    "last_attempted_at",
    "last_outcome",
    "next_review_at",
    "review_state",
]


def derived_from_logs(question_id: int, logs: list, median_minutes) -> dict:
    """A question's DERIVED_FIELDS from its ``(date_attempted, outcome, rating,
    time_spent_min)`` logs, oldest first."""
    minutes = [spent for _, _, _, spent in logs if spent is not None]
    next_review_at, review_state = scheduling.review_schedule(question_id, logs, median_minutes)
    return {
        "attempts_count": len(logs),
        "solved_count": sum(is_solved(outcome) for _, outcome, _, _ in logs),
        "failed_count": sum(outcome == Outcome.FAILED for _, outcome, _, _ in logs),
        "minutes_spent": sum(minutes),
        "timed_attempts_count": len(minutes),
        "last_attempted_at": logs[-1][0] if logs else None,
        "last_outcome": logs[-1][1] if logs else "",
        "next_review_at": next_review_at,
        "review_state": review_state,
    }


class Question(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="questions"
    )
    title = models.CharField(max_length=255)
    # Unique among the owner's questions, and kept when an export moves to another
    # account: an import matches on it (docs/privacy.md).
    slug = models.SlugField(max_length=80, db_index=False, editable=False)
    source = models.CharField(
        max_length=2048,
        blank=True,
        validators=[validate_source],
        help_text="An http(s) URL, shown as a link, or plain text such as a book's name.",
    )
    content = SanitizedHTMLField(blank=True)
    difficulty = models.CharField(max_length=6, choices=Difficulty.choices, blank=True)
    is_active = models.BooleanField(default=True)
    tags = models.ManyToManyField(Tag, related_name="questions", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Derived from the logs; refreshed by QuestionQuerySet.refresh_aggregates.
    attempts_count = models.PositiveIntegerField(default=0, editable=False)
    solved_count = models.PositiveIntegerField(default=0, editable=False)
    # For the stats: the most failed questions, and the average minutes per attempt.
    failed_count = models.PositiveIntegerField(default=0, editable=False)
    minutes_spent = models.PositiveIntegerField(default=0, editable=False)
    timed_attempts_count = models.PositiveIntegerField(default=0, editable=False)  # with minutes
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
            models.Index(fields=["owner", "solved_count"], name="question_owner_solved"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="core_question_title_not_blank"),
            models.UniqueConstraint(
                fields=["owner", "slug"],
                name="core_question_owner_slug_unique",
                violation_error_message="You already have a question with this slug.",
            ),
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

    @property
    def tag_summaries(self) -> list[Tag]:
        """The tags ``with_tags()`` prefetched, or, after a write, read now.

        A property, not a method: DRF inspects the signature of a callable source
        on every row.
        """
        if hasattr(self, "prefetched_tags"):
            return self.prefetched_tags
        return list(self.tags.only("id", "name"))


class QuestionOwnerField(models.ForeignKey):
    """A log's owner: its question's owner, set whenever the log is saved, by any
    path (the API, the admin, imports, bulk_create). Kept on the log for the
    stats' index of a user's logs by date."""

    def pre_save(self, model_instance, add):
        # Every write path hands the log its question instance: no query here.
        owner_id = model_instance.question.owner_id
        setattr(model_instance, self.attname, owner_id)
        return owner_id

    def deconstruct(self):
        # To the schema (and to migrations) it is a plain foreign key.
        name, _, args, kwargs = super().deconstruct()
        return name, "django.db.models.ForeignKey", args, kwargs


class QuestionLog(models.Model):
    owner = QuestionOwnerField(
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
    solution_approach = models.CharField(
        max_length=2000, blank=True, help_text="How you solved it, up to 2,000 characters."
    )
    self_notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OwnedQuerySet.as_manager()

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
