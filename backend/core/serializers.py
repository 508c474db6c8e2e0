from functools import cache
from zoneinfo import ZoneInfo, available_timezones

from drf_spectacular.utils import inline_serializer
from rest_framework import serializers

from backend.core.models import (
    EARLIEST_ATTEMPT,
    MAX_MINUTES_PER_ATTEMPT,
    TAG_NAME_TAKEN,
    Question,
    QuestionLog,
    Tag,
)
from backend.fields import StrictCharField, StrictModelSerializer

MAX_ID = 2**63 - 1  # the database's bigint; larger ids are refused before they reach it


class TagSerializer(StrictModelSerializer):
    """A tag of yours: a name unique among your tags (ignoring case) and a description."""

    class Meta:
        model = Tag
        fields = ["id", "name", "description"]

    def validate_name(self, value):
        duplicates = Tag.objects.owned_by(self.context["request"].user).filter(name__iexact=value)
        if self.instance is not None:
            duplicates = duplicates.exclude(pk=self.instance.pk)
        if duplicates.exists():
            raise serializers.ValidationError(TAG_NAME_TAKEN)
        return value


class TagSummarySerializer(StrictModelSerializer):
    """A tag on a question: its id and name."""

    class Meta:
        model = Tag
        fields = ["id", "name"]


class QuestionSerializer(StrictModelSerializer):
    """A question of yours, with its tags, its attempt aggregates and its review schedule.

    The aggregates and the schedule are kept by the API from the question's logs.
    """

    tags = TagSummarySerializer(many=True, read_only=True)
    tag_ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        write_only=True,
        required=False,
        max_length=1000,
        help_text="Ids of your own tags; replaces the question's tags on PUT and PATCH.",
    )

    class Meta:
        model = Question
        fields = [
            "id",
            "title",
            "slug",
            "content",
            "source",
            "difficulty",
            "is_active",
            "tags",
            "tag_ids",
            "created_at",
            "updated_at",
            "attempts_count",
            "solved_count",
            "last_attempted_at",
            "next_review_at",
            "review_state",
        ]
        read_only_fields = [
            "slug",
            "created_at",
            "updated_at",
            "attempts_count",
            "solved_count",
            "last_attempted_at",
            "next_review_at",
            "review_state",
        ]

    def validate_tag_ids(self, ids):
        """Resolve the ids to the caller's tags in one query; name any that are not theirs."""
        mine = Tag.objects.owned_by(self.context["request"].user)
        tags = {tag.pk: tag for tag in mine.filter(pk__in=ids)}
        unknown = [pk for pk in dict.fromkeys(ids) if pk not in tags]
        if unknown:
            raise serializers.ValidationError([f"Tag {pk} does not exist." for pk in unknown])
        return list(tags.values())


class QuestionLogSerializer(StrictModelSerializer):
    """One attempt at a question: when, how long, how it went and your notes."""

    question = serializers.IntegerField(
        source="question_id",
        required=False,
        min_value=1,
        max_value=MAX_ID,
        help_text="Optional; when sent it must be the question in the URL.",
    )
    title = serializers.CharField(source="question.title", read_only=True)
    time_spent_min = serializers.IntegerField(
        min_value=0, max_value=MAX_MINUTES_PER_ATTEMPT, allow_null=True, required=False
    )

    class Meta:
        model = QuestionLog
        fields = [
            "id",
            "question",
            "title",
            "date_attempted",
            "time_spent_min",
            "outcome",
            "rating",
            "solution_approach",
            "self_notes",
        ]

    def validate_question(self, value):
        if value != self.context["question"].pk:
            raise serializers.ValidationError("Does not match the question in the URL.")
        return value


# --- Practice: review queue, forecast and statistics ------------------------------


class ReviewQueueParamsSerializer(serializers.Serializer):
    """How many questions to list."""

    limit = serializers.IntegerField(min_value=1, max_value=1000, default=20)


class ForecastParamsSerializer(serializers.Serializer):
    """How many days ahead, today included."""

    days = serializers.IntegerField(min_value=1, max_value=365, default=14)


class ForecastDaySerializer(serializers.Serializer):
    """A day (UTC) and how many questions fall due on it; today includes the overdue ones."""

    date = serializers.DateField()
    due = serializers.IntegerField()


@cache
def _time_zones() -> frozenset[str]:
    return frozenset(available_timezones())


def validate_attempt_day(value):
    if value < EARLIEST_ATTEMPT.date():
        raise serializers.ValidationError(
            f"Must be {EARLIEST_ATTEMPT.date()} or later: no attempt is older."
        )
    return value


class StatsParamsSerializer(serializers.Serializer):
    """The time zone for days and weeks, and the period (both ends inclusive)."""

    tz = StrictCharField(default="UTC", max_length=64, help_text="An IANA time zone.")
    since = serializers.DateField(
        required=False, help_text="First day, inclusive; 1900-01-01 or later."
    )
    until = serializers.DateField(
        required=False, help_text="Last day, inclusive; 1900-01-01 or later."
    )

    def validate_tz(self, value):
        if value not in _time_zones():
            raise serializers.ValidationError(f"Unknown time zone {value!r}.")
        return ZoneInfo(value)

    def validate_since(self, value):
        return validate_attempt_day(value)

    def validate_until(self, value):
        return validate_attempt_day(value)

    def validate(self, attrs):
        if attrs.get("since") and attrs.get("until") and attrs["since"] > attrs["until"]:
            raise serializers.ValidationError({"until": ["Must not be before since."]})
        return attrs


class BreakdownSerializer(serializers.Serializer):
    """Attempts in the period, how many were solved, and the average time spent."""

    attempts = serializers.IntegerField()
    solved = serializers.IntegerField()
    solve_rate = serializers.FloatField(allow_null=True)
    avg_minutes = serializers.FloatField(allow_null=True)


class DifficultyBreakdownSerializer(BreakdownSerializer):
    """Attempts at questions of one difficulty ("" for questions without one)."""

    difficulty = serializers.CharField(allow_blank=True)


class TagBreakdownSerializer(BreakdownSerializer):
    """Attempts at questions that have one of your tags."""

    tag_id = serializers.IntegerField()
    tag = serializers.CharField()


class StatsSerializer(serializers.Serializer):
    """Your practice statistics for a dashboard; days and weeks in the time zone asked for."""

    totals = inline_serializer(
        "StatsTotals",
        {
            "questions": serializers.IntegerField(),
            "attempts": serializers.IntegerField(),
            "solved_questions": serializers.IntegerField(),
            "minutes": serializers.IntegerField(),
        },
    )
    by_difficulty = DifficultyBreakdownSerializer(many=True)
    by_tag = TagBreakdownSerializer(many=True)
    weekly = inline_serializer(
        "StatsWeek",
        {
            "week": serializers.CharField(),
            "start": serializers.DateField(),
            "attempts": serializers.IntegerField(),
        },
        many=True,
    )
    daily = inline_serializer(
        "StatsDay",
        {"date": serializers.DateField(), "attempts": serializers.IntegerField()},
        many=True,
        help_text=(
            "Attempts per day of the 366 days up to the last day (until, or today), in "
            "your time zone: only days with attempts, oldest first."
        ),
    )
    streaks = inline_serializer(
        "StatsStreaks",
        {"current": serializers.IntegerField(), "longest": serializers.IntegerField()},
    )
    most_failed = inline_serializer(
        "StatsFailedQuestion",
        {
            "id": serializers.IntegerField(),
            "title": serializers.CharField(),
            "failed": serializers.IntegerField(),
        },
        many=True,
    )
