import copy
from datetime import UTC
from functools import cache, cached_property
from zoneinfo import ZoneInfo, available_timezones

from django.db import models
from drf_spectacular.utils import extend_schema_field, inline_serializer
from rest_framework import ISO_8601, serializers
from rest_framework.fields import SkipField
from rest_framework.settings import api_settings

from backend.core.models import MAX_MINUTES_PER_ATTEMPT, Question, QuestionLog, Tag
from backend.core.selectors import tag_summaries
from backend.fields import StrictCharField, StrictModelSerializer

MAX_ID = 2**63 - 1  # the database's bigint; larger ids are refused before they reach it


class UTCDateTimeField(serializers.DateTimeField):
    """DRF's DateTimeField with a fast path for the UTC values the database returns.

    The output is the same ("…Z"); it skips the current-timezone lookup that
    made datetimes the costliest fields of a list.
    """

    def to_representation(self, value):
        output_format = getattr(self, "format", api_settings.DATETIME_FORMAT)
        if value and value.tzinfo is UTC and output_format == ISO_8601:
            return value.isoformat().replace("+00:00", "Z")
        return super().to_representation(value)


class BaseModelSerializer(StrictModelSerializer):
    """The API's model serializers, with shortcuts that keep DRF's output.

    ModelSerializer introspects the model to build its fields on every
    instantiation, and DRF's ``to_representation`` reads each value through
    machinery meant for dotted sources, callables and related objects, then
    converts it even when it already is a string or a number. All of it ran for
    every request and every value of a page. Here the fields are built once per
    class, a field that reads a plain column gets it directly, and a value
    DRF would return unchanged is not handed to its field.
    """

    serializer_field_mapping = {
        **StrictModelSerializer.serializer_field_mapping,
        models.DateTimeField: UTCDateTimeField,
    }

    def get_fields(self):
        cls = type(self)
        if "_built_fields" not in cls.__dict__:
            cls._built_fields = super().get_fields()
        return {name: unbound_copy(field) for name, field in cls._built_fields.items()}

    @cached_property
    def _readers(self) -> list[tuple[str, str | None, serializers.Field, type | None]]:
        """``(name, column, field, unchanged)`` per readable field: ``column`` is
        None for fields that read their value themselves, ``unchanged`` the type
        of value the field would return as it is."""
        columns = model_columns(self.Meta.model)
        return [
            (field.field_name, plain_column(field, columns), field, unchanged_type(field))
            for field in self._readable_fields
        ]

    def to_representation(self, instance):
        row = instance if type(instance) is dict else None
        data = {}
        for name, column, field, unchanged in self._readers:
            if column is None:
                try:
                    value = field.get_attribute(instance)
                except SkipField:
                    continue
            else:
                value = row[column] if row is not None else getattr(instance, column)
            # As DRF does, None is not handed to the field.
            if value is None or type(value) is unchanged:
                data[name] = value
            else:
                data[name] = field.to_representation(value)
        return data


def unbound_copy(field: serializers.Field) -> serializers.Field:
    """A fresh copy of a field that was built but never bound to a serializer.

    DRF's deepcopy re-runs the field's ``__init__`` (a fifth of a detail
    request); a shallow copy is as fresh, since binding only sets attributes on
    the copy. Fields holding other fields (a list's child, a many-relation's,
    a nested serializer) bound those to themselves: they are deep-copied as DRF does.
    """
    holds_fields = isinstance(field, serializers.BaseSerializer) or any(
        hasattr(field, name) for name in ("child", "child_relation")
    )
    return copy.deepcopy(field) if holds_fields else copy.copy(field)


@cache
def model_columns(model) -> frozenset[str]:
    return frozenset(field.attname for field in model._meta.concrete_fields)


def plain_column(field: serializers.Field, columns: frozenset[str]) -> str | None:
    """The column a field reads as is, or None: a source with a dot, a method or
    a relation, or a field with its own ``get_attribute``, goes through DRF."""
    reads_itself = type(field).get_attribute is not serializers.Field.get_attribute
    if reads_itself or field.source not in columns:
        return None
    return field.source


# DRF's to_representation of these returns a value of this type as it is:
# str(value), int(value), and True/False for a bool.
UNCHANGED_TYPES = {
    serializers.CharField.to_representation: str,
    serializers.IntegerField.to_representation: int,
    serializers.BooleanField.to_representation: bool,
}


def unchanged_type(field: serializers.Field) -> type | None:
    """The type of value the field's to_representation returns unchanged, if any."""
    method = type(field).to_representation
    if method is serializers.ChoiceField.to_representation:
        # It maps a choice's string to the choice's key: the same string when
        # every key is one.
        return str if all(type(key) is str for key in field.choices) else None
    return UNCHANGED_TYPES.get(method)


class TagSerializer(BaseModelSerializer):
    """A tag of yours: a name unique among your tags (ignoring case) and a description."""

    class Meta:
        model = Tag
        fields = ["id", "name", "description"]

    def validate_name(self, value):
        owner = self.context["request"].user
        duplicates = Tag.objects.filter(owner=owner, name__iexact=value)
        if self.instance is not None:
            duplicates = duplicates.exclude(pk=self.instance.pk)
        if duplicates.exists():
            raise serializers.ValidationError(f"You already have a tag named {value!r}.")
        return value


class TagSummarySerializer(BaseModelSerializer):
    """A tag on a question: its id and name."""

    class Meta:
        model = Tag
        fields = ["id", "name"]


@extend_schema_field(TagSummarySerializer(many=True))
class TagSummariesField(serializers.ReadOnlyField):
    """A question's tags as ``[{"id", "name"}]``: attached for a whole page by
    QuestionListSerializer, else read in one query."""

    def get_attribute(self, question):
        if isinstance(question, dict):  # a row of a list, with its page's tags attached
            return question["tag_summaries"]
        return tag_summaries([question.pk])[question.pk]


class QuestionListSerializer(serializers.ListSerializer):
    """Serializes the ``.values()`` rows of a list, attaching the whole page's tags in one query."""

    def to_representation(self, data):
        rows = list(data.all() if hasattr(data, "all") else data)
        summaries = tag_summaries([row["id"] for row in rows])
        for row in rows:
            row["tag_summaries"] = summaries[row["id"]]
        return super().to_representation(rows)


class QuestionSerializer(BaseModelSerializer):
    """A question of yours, with its tags, its attempt aggregates and its review schedule.

    The aggregates and the schedule are kept by the API from the question's logs.
    """

    tags = TagSummariesField()
    tag_ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        write_only=True,
        required=False,
        max_length=1000,
        help_text="Ids of your own tags; replaces the question's tags on PUT and PATCH.",
    )

    class Meta:
        model = Question
        list_serializer_class = QuestionListSerializer
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
        owner = self.context["request"].user
        tags = {tag.pk: tag for tag in Tag.objects.filter(owner=owner, pk__in=ids)}
        unknown = [pk for pk in dict.fromkeys(ids) if pk not in tags]
        if unknown:
            raise serializers.ValidationError([f"Tag {pk} does not exist." for pk in unknown])
        return list(tags.values())


class QuestionLogSerializer(BaseModelSerializer):
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


class StatsParamsSerializer(serializers.Serializer):
    """The time zone for days and weeks, and the period (both ends inclusive)."""

    tz = StrictCharField(default="UTC", max_length=64, help_text="An IANA time zone.")
    since = serializers.DateField(required=False, help_text="First day, inclusive.")
    until = serializers.DateField(required=False, help_text="Last day, inclusive.")

    def validate_tz(self, value):
        if value not in _time_zones():
            raise serializers.ValidationError(f"Unknown time zone {value!r}.")
        return ZoneInfo(value)

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
