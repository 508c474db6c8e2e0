from django.contrib.auth import password_validation
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from backend.accounts.fields import NewPasswordField
from backend.accounts.models import USERNAME_TAKEN, ApiToken, User
from backend.accounts.tokens import DEFAULT_LIFETIME_DAYS, MAX_LIFETIME_DAYS
from backend.fields import StrictCharField, StrictModelSerializer

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
