from functools import cache
from zoneinfo import ZoneInfo, available_timezones

from drf_spectacular.utils import inline_serializer
from rest_framework import serializers

from backend.core.models import EARLIEST_ATTEMPT
from backend.fields import StrictCharField

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
