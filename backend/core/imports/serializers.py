import re

from rest_framework import serializers

from backend.core.models import ImportJob
from backend.fields import StrictCharField


class ImportJobSerializer(serializers.ModelSerializer):
    class Meta:
        model = ImportJob
        fields = [
            "id",
            "platform",
            "username",
            "status",
            "created_at",
            "started_at",
            "finished_at",
            "total",
            "processed",
            "questions_created",
            "logs_created",
            "skipped",
            "error",
            "history",
            "notice",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "total": {"help_text": "Problems to import; null until the list has been read."},
            "processed": {"help_text": "Problems imported so far, out of total."},
            "skipped": {
                "help_text": (
                    "Items of the platform's list left out because they could not be read "
                    "(a submission with missing or malformed fields); the rest is imported."
                )
            },
            "error": {"help_text": "Why the import failed, in a sentence; empty otherwise."},
            "history": {
                "help_text": (
                    "`full`: everything the platform has for you. `recent`: only what it shows "
                    "anyone (LeetCode without a session cookie: the 20 latest accepted)."
                )
            },
            "notice": {
                "help_text": "A sentence to show with the job about what it imports; may be empty."
            },
        }


# RFC 6265's cookie-octets: no spaces, quotes, commas, semicolons or backslashes.
COOKIE_VALUE = re.compile(r"[!#-+\--:<-\[\]-~]+")


class CookieField(StrictCharField):
    """A cookie's value, write-only; "NAME=value" as copied from a browser is accepted too."""

    def __init__(self, *, name: str, **kwargs):
        self.cookie_name = name
        super().__init__(write_only=True, required=False, max_length=4096, **kwargs)

    def to_internal_value(self, data):
        value = super().to_internal_value(data).removeprefix(f"{self.cookie_name}=")
        if not COOKIE_VALUE.fullmatch(value):
            # The value itself is never repeated back: it is a secret.
            raise serializers.ValidationError(f"Not a valid {self.cookie_name} cookie value.")
        return value


class ImportStartSerializer(serializers.Serializer):
    username = StrictCharField(max_length=64, help_text="Your username on the platform.")
    session_cookie = CookieField(
        name="LEETCODE_SESSION",
        help_text=(
            "LeetCode only: your `LEETCODE_SESSION` cookie from leetcode.com, to import your "
            "whole history instead of the 20 latest accepted submissions. Used by this import "
            "only, never shown again, deleted when the import ends."
        ),
    )
    csrf_token = CookieField(
        name="csrftoken",
        help_text="LeetCode only: your `csrftoken` cookie from leetcode.com, with the session.",
    )

    def validate_username(self, value):
        platform = self.context["platform"]
        if not platform.username_pattern.fullmatch(value):
            raise serializers.ValidationError(
                f"Not a valid {platform.label} username. {platform.username_help}"
            )
        return value

    def validate(self, attrs):
        platform = self.context["platform"]
        for name in ("session_cookie", "csrf_token"):
            if attrs.get(name) and not platform.takes_session_cookie:
                raise serializers.ValidationError(
                    {name: f"{platform.label} imports take no cookie; send only the username."}
                )
        if attrs.get("csrf_token") and not attrs.get("session_cookie"):
            raise serializers.ValidationError(
                {"csrf_token": "Send it with session_cookie, or not at all."}
            )
        return attrs
