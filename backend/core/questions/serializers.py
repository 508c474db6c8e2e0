from rest_framework import serializers

from backend.core.models import MAX_MINUTES_PER_ATTEMPT, TAG_NAME_TAKEN, Question, QuestionLog, Tag
from backend.fields import StrictModelSerializer

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

    tags = TagSummarySerializer(source="tag_summaries", many=True, read_only=True)
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
        # Stored as sent (once sanitized): trimmed, imported HTML would change when written back.
        extra_kwargs = {"content": {"trim_whitespace": False}}
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
