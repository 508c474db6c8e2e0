from django.contrib.auth import password_validation
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from backend.accounts.data_export import (
    API_TOKEN_FIELDS,
    FORMAT,
    IMPORT_JOB_FIELDS,
    LOG_FIELDS,
    QUESTION_FIELDS,
    TAG_FIELDS,
    USER_FIELDS,
    VERSION,
)
from backend.accounts.fields import NewPasswordField
from backend.accounts.models import USERNAME_TAKEN, ApiToken, User
from backend.accounts.tokens import DEFAULT_LIFETIME_DAYS, MAX_LIFETIME_DAYS
from backend.core.enums import Platform
from backend.core.imports.models import ImportJob
from backend.core.models import Question, QuestionLog, Tag
from backend.fields import StrictCharField, StrictModelSerializer, StrictSlugField

USERNAME_MAX_LENGTH = User._meta.get_field("username").max_length
PASSWORD_MAX_LENGTH = 1024


class UserSerializer(serializers.ModelSerializer):
    """A user: you, when signed in."""

    class Meta:
        model = User
        fields = ["id", "username", "email", "is_staff", "is_superuser"]
        read_only_fields = fields


class RegisteredUserSerializer(serializers.ModelSerializer):
    """The account just created."""

    class Meta:
        model = User
        fields = ["id", "username", "email"]
        read_only_fields = fields


class RegisterSerializer(serializers.Serializer):
    """A new account: a username, a password that passes the password rules, an optional email."""

    username = StrictCharField(
        max_length=USERNAME_MAX_LENGTH, validators=[UnicodeUsernameValidator()]
    )
    password = NewPasswordField(
        write_only=True, trim_whitespace=False, max_length=PASSWORD_MAX_LENGTH
    )
    email = serializers.EmailField(required=False, allow_blank=True, default="")

    def validate_username(self, value):
        if User.objects.filter(username__iexact=value).exists():
            raise serializers.ValidationError(USERNAME_TAKEN)
        return value

    def validate(self, attrs):
        candidate = User(username=attrs["username"], email=attrs["email"])
        try:
            password_validation.validate_password(attrs["password"], candidate)
        except DjangoValidationError as error:
            raise serializers.ValidationError({"password": list(error.messages)}) from None
        return attrs


class LoginSerializer(serializers.Serializer):
    """Your username and password."""

    username = StrictCharField(max_length=USERNAME_MAX_LENGTH)
    password = StrictCharField(
        write_only=True, trim_whitespace=False, max_length=PASSWORD_MAX_LENGTH
    )


class IdentitySerializer(serializers.Serializer):
    """Whether the request is signed in, and as whom."""

    authenticated = serializers.BooleanField()
    user = UserSerializer(allow_null=True)


class CsrfTokenSerializer(serializers.Serializer):
    """The CSRF token to send as X-CSRFToken with session writes."""

    csrfToken = serializers.CharField()  # noqa: N815 (the SPA's field name)


# --- Tokens --------------------------------------------------------------------


class ApiTokenSerializer(StrictModelSerializer):
    """A personal API token of yours, without its secret."""

    class Meta:
        model = ApiToken
        fields = ["id", "name", "created_at", "expires_at", "last_used_at"]
        read_only_fields = ["created_at", "expires_at", "last_used_at"]


class ApiTokenCreateSerializer(ApiTokenSerializer):
    """A new API token: its name and lifetime; the answer holds its secret, this once."""

    expires_in_days = serializers.IntegerField(
        min_value=1,
        max_value=MAX_LIFETIME_DAYS,
        required=False,
        allow_null=True,
        write_only=True,
        help_text=f"Days until the token expires; {DEFAULT_LIFETIME_DAYS} when left out.",
    )
    token = serializers.CharField(
        source="secret",
        read_only=True,
        help_text="The secret, shown this once: send it as 'Authorization: Bearer <token>'.",
    )

    class Meta(ApiTokenSerializer.Meta):
        fields = [*ApiTokenSerializer.Meta.fields, "expires_in_days", "token"]


# --- Account deletion -------------------------------------------------------------


class AccountDeleteSerializer(serializers.Serializer):
    """Your password, to confirm the deletion of your account."""

    password = StrictCharField(
        write_only=True, trim_whitespace=False, max_length=PASSWORD_MAX_LENGTH
    )


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
        help_text="Kept on import unless another question has it already.",
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


class ImportResultSerializer(serializers.Serializer):
    """What an import of a document added, and what it skipped."""

    tags_created = serializers.IntegerField()
    tags_existing = serializers.IntegerField(help_text="Matched to your tags by name.")
    questions_created = serializers.IntegerField()
    questions_skipped = serializers.IntegerField(
        help_text="You have them already: same slug, or same platform and external_id."
    )
    logs_created = serializers.IntegerField()
    logs_skipped = serializers.IntegerField(help_text="The logs of skipped questions.")
