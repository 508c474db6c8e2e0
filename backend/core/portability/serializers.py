from django.conf import settings
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.settings import api_settings

from backend.accounts.models import ApiToken, User
from backend.core.enums import Platform
from backend.core.imports.models import ImportJob
from backend.core.models import Question, QuestionLog, Tag
from backend.core.portability.export import (
    API_TOKEN_FIELDS,
    FORMAT,
    IMPORT_JOB_FIELDS,
    LOG_FIELDS,
    QUESTION_FIELDS,
    TAG_FIELDS,
    USER_FIELDS,
    VERSION,
)
from backend.fields import StrictCharField, StrictModelSerializer, StrictSlugField

# --- Export and import: the document ----------------------------------------------
#
# One definition for both directions: the export's schema, and the validation of
# an import. Unique and foreign-key checks are left to the import itself, so that
# validating 100,000 questions runs no query.


class ExportedTagSerializer(StrictModelSerializer):
    """A tag in an export document."""

    created_at = serializers.DateTimeField(required=False)
    updated_at = serializers.DateTimeField(required=False)

    class Meta:
        model = Tag
        fields = TAG_FIELDS
        validators = []


class ExportedLogSerializer(StrictModelSerializer):
    """An attempt in an export document."""

    created_at = serializers.DateTimeField(required=False)

    class Meta:
        model = QuestionLog
        fields = LOG_FIELDS
        validators = []


class ExportedQuestionSerializer(StrictModelSerializer):
    """A question in an export document, with its tag names and its attempts."""

    slug = StrictSlugField(
        max_length=80,
        required=False,
        allow_blank=True,
        help_text=(
            "Names the question across accounts: kept on import, and a question of "
            "yours with this slug is this question."
        ),
    )
    platform = serializers.ChoiceField(Platform.choices, required=False, allow_blank=True)
    external_id = StrictCharField(max_length=100, required=False, allow_blank=True)
    created_at = serializers.DateTimeField(required=False)
    updated_at = serializers.DateTimeField(required=False)
    tags = serializers.ListField(
        child=StrictCharField(max_length=50), required=False, help_text="Tag names."
    )
    logs = ExportedLogSerializer(many=True, required=False)

    class Meta:
        model = Question
        fields = [*QUESTION_FIELDS, "tags", "logs"]
        extra_kwargs = {"content": {"trim_whitespace": False}}  # as QuestionSerializer's
        validators = []

    def validate(self, attrs):
        if bool(attrs.get("platform")) != bool(attrs.get("external_id")):
            raise serializers.ValidationError("platform and external_id go together.")
        return attrs


class ExportedUserSerializer(StrictModelSerializer):
    """Your profile in an export document."""

    class Meta:
        model = User
        fields = USER_FIELDS
        read_only_fields = fields


class ExportedImportJobSerializer(StrictModelSerializer):
    """An import from a platform, in an export document."""

    class Meta:
        model = ImportJob
        fields = IMPORT_JOB_FIELDS
        read_only_fields = fields


class ExportedApiTokenSerializer(StrictModelSerializer):
    """An API token's name and dates in an export document (never its secret)."""

    class Meta:
        model = ApiToken
        fields = API_TOKEN_FIELDS
        read_only_fields = fields


@extend_schema_field({"type": "integer", "enum": [VERSION]})
class FormatVersionField(serializers.IntegerField):
    """An integer, documented as the one version this server reads."""


class ExportDocumentSerializer(serializers.Serializer):
    """All your data as one JSON document; an import reads its version, tags and questions."""

    format = serializers.CharField(read_only=True, help_text=f"{FORMAT!r}.")
    version = FormatVersionField(help_text="The format's version.")
    exported_at = serializers.DateTimeField(read_only=True)
    user = ExportedUserSerializer(read_only=True, help_text="Not imported.")
    tags = ExportedTagSerializer(many=True, required=False)
    import_jobs = ExportedImportJobSerializer(many=True, read_only=True, help_text="Not imported.")
    api_tokens = ExportedApiTokenSerializer(many=True, read_only=True, help_text="Not imported.")
    questions = ExportedQuestionSerializer(many=True, required=False)

    def validate_version(self, value):
        if value != VERSION:
            raise serializers.ValidationError(
                f"Version {value} is not supported; this server reads version {VERSION}."
            )
        return value

    def to_internal_value(self, data):
        # Counted before any row is validated: validating is most of an import's work.
        if (rows := document_rows(data)) > settings.DATA_IMPORT_MAX_ROWS:
            message = (
                f"The document has {rows} rows (tags, questions, attempts and the "
                f"questions' tag names together); an import takes at most "
                f"{settings.DATA_IMPORT_MAX_ROWS}. Split it into several documents."
            )
            raise serializers.ValidationError({api_settings.NON_FIELD_ERRORS_KEY: [message]})
        return super().to_internal_value(data)

    def validate_tags(self, tags):
        seen = set()
        for index, tag in enumerate(tags):
            key = tag["name"].lower()
            if key in seen:
                raise serializers.ValidationError(
                    {index: {"name": ["Another tag in the document has this name."]}}
                )
            seen.add(key)
        return tags


def document_rows(data) -> int:
    """How many rows an import document asks to write; 0 for anything but a document."""
    if not isinstance(data, dict):
        return 0
    tags, questions = data.get("tags"), data.get("questions")
    rows = len(tags) if isinstance(tags, list) else 0
    for question in questions if isinstance(questions, list) else []:
        rows += 1
        if isinstance(question, dict):
            for nested in (question.get("tags"), question.get("logs")):
                rows += len(nested) if isinstance(nested, list) else 0
    return rows


class ImportResultSerializer(serializers.Serializer):
    """What an import of a document added, and what it skipped."""

    tags_created = serializers.IntegerField()
    tags_existing = serializers.IntegerField(help_text="Matched to your tags by name.")
    questions_created = serializers.IntegerField()
    questions_skipped = serializers.IntegerField(
        help_text=(
            "You have them already (same slug, or same platform and external_id): they "
            "stay as they are, and get the attempts they lacked."
        )
    )
    logs_created = serializers.IntegerField()
    logs_skipped = serializers.IntegerField(
        help_text="Attempts you have already: same question, begun at the same moment."
    )
