import re
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

from rest_framework import serializers

from backend.core.imports.csv_import import FIELDS, SYNONYMS
from backend.core.imports.models import ImportCredential, ImportJob, ImportSync
from backend.fields import StrictCharField


class ImportJobSerializer(serializers.ModelSerializer):
    """An import of your solved problems from a platform, and its progress."""

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
# The most a browser keeps in one cookie; the bound for a cookie stored without one.
COOKIE_MAX_LENGTH = 4096


def column_max_length(model, name: str) -> int | None:
    """The longest text the column ``model.name`` stores (None: no limit)."""
    return model._meta.get_field(name).max_length


# A username goes into the job and, for a sync, into the kept account too.
USERNAME_MAX_LENGTH = min(
    column_max_length(ImportJob, "username"), column_max_length(ImportSync, "username")
)


class CookieField(StrictCharField):
    """A cookie's value, write-only; "NAME=value" as copied from a browser is accepted too.

    Stored in ``ImportCredential.<column>``: at most that column's length, and at most
    COOKIE_MAX_LENGTH where the column has no limit.
    """

    def __init__(self, *, name: str, column: str, **kwargs):
        self.cookie_name = name
        max_length = column_max_length(ImportCredential, column) or COOKIE_MAX_LENGTH
        super().__init__(write_only=True, required=False, max_length=max_length, **kwargs)

    def to_internal_value(self, data):
        value = super().to_internal_value(data).removeprefix(f"{self.cookie_name}=")
        if not COOKIE_VALUE.fullmatch(value):
            # The value itself is never repeated back: it is a secret.
            raise serializers.ValidationError(f"Not a valid {self.cookie_name} cookie value.")
        return value


class PlatformUsernameSerializer(serializers.Serializer):
    """A username on a platform."""

    username = StrictCharField(
        max_length=USERNAME_MAX_LENGTH, help_text="Your username on the platform."
    )

    def validate_username(self, value):
        platform = self.context["platform"]
        if not platform.username_pattern.fullmatch(value):
            raise serializers.ValidationError(
                f"Not a valid {platform.label} username. {platform.username_help}"
            )
        return value


class ImportStartSerializer(PlatformUsernameSerializer):
    """Whose solved problems to import, and for LeetCode the cookies that read all of them."""

    session_cookie = CookieField(
        name="LEETCODE_SESSION",
        column="session_cookie",
        help_text=(
            "LeetCode only: your `LEETCODE_SESSION` cookie from leetcode.com, to import your "
            "whole history instead of the 20 latest accepted submissions. Used by this import "
            "only, never shown again, deleted when the import ends."
        ),
    )
    csrf_token = CookieField(
        name="csrftoken",
        column="csrf_token",
        help_text="LeetCode only: your `csrftoken` cookie from leetcode.com, with the session.",
    )

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


# --- Keeping a platform in sync ---------------------------------------------------------


class ImportSyncSerializer(serializers.ModelSerializer):
    """A platform account you keep in sync, and when it is imported next."""

    class Meta:
        model = ImportSync
        fields = [
            "platform",
            "username",
            "created_at",
            "last_synced_at",
            "next_sync_at",
            "last_job",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "last_synced_at": {"help_text": "When the last sync queued an import; null before."},
            "next_sync_at": {"help_text": "From when the next sync is due."},
            "last_job": {"help_text": "The id of the import the last sync queued (or found)."},
        }


class ImportSyncRequestSerializer(PlatformUsernameSerializer):
    """The platform account to keep in sync (never a cookie)."""

    def validate(self, attrs):
        if {"session_cookie", "csrf_token"} & set(self.initial_data):
            raise serializers.ValidationError(
                {
                    "session_cookie": (
                        "A sync never keeps a cookie; LeetCode syncs import the 20 most recent "
                        "accepted submissions. Send the cookie with POST /api/import/leetcode/."
                    )
                }
            )
        return attrs


# --- CSV import --------------------------------------------------------------------------


@cache
def time_zones() -> frozenset[str]:
    return frozenset(available_timezones())


class CsvImportOptionsSerializer(serializers.Serializer):
    """How to read a CSV file: dry run, time zone, date order and which column is which."""

    dry_run = serializers.BooleanField(
        default=False, help_text="true: answer what would be imported, and write nothing."
    )
    tz = StrictCharField(
        default="UTC",
        max_length=64,
        help_text="The IANA time zone of the file's dates and times (unless they carry one).",
    )
    day_first = serializers.BooleanField(
        default=False, help_text="true: read 01/03/2026 as 1 March; false (default): 3 January."
    )

    def validate_tz(self, value):
        if value not in time_zones():
            raise serializers.ValidationError(f"Unknown time zone {value!r}.")
        return ZoneInfo(value)

    def to_internal_value(self, data):
        values = super().to_internal_value(data)
        values["mapping"] = {
            key: values.pop(f"column_{key}") for key in FIELDS if values.get(f"column_{key}")
        }
        return values


# The query parameters of POST /api/import/csv/: the options, and column_<field> for each
# field, naming the file's header for it.
CsvImportParamsSerializer = type(
    "CsvImportParamsSerializer",
    (CsvImportOptionsSerializer,),
    {
        f"column_{key}": StrictCharField(
            required=False,
            max_length=200,
            help_text=(
                f"The file's header for the {key} column, when it is not one of: "
                f"{', '.join(SYNONYMS[key])} (any case)."
            ),
        )
        for key in FIELDS
    },
)


class CsvQuestionSerializer(serializers.Serializer):
    """A question of the file: created, or matched to one of yours."""

    row = serializers.IntegerField(help_text="The question's first row (the header is row 1).")
    title = serializers.CharField()
    source = serializers.CharField(help_text="Its URL, from the file; may be empty.")
    action = serializers.ChoiceField(
        ["create", "match"], help_text="create: a new question; match: one of yours."
    )
    question_id = serializers.IntegerField(
        allow_null=True, help_text="Your question's id; null for one a dry run would create."
    )
    attempts_added = serializers.IntegerField(help_text="Logs added (or that would be).")


class CsvRowErrorSerializer(serializers.Serializer):
    """A bad cell: its row, its column and what is wrong with it."""

    row = serializers.IntegerField(help_text="The row's number (the header is row 1).")
    column = serializers.CharField(help_text="Our field: title, url, date, …")
    header = serializers.CharField(help_text="The file's header of that column.")
    message = serializers.CharField()


class CsvImportResultSerializer(serializers.Serializer):
    """What a CSV import created and matched, or (a dry run) would."""

    dry_run = serializers.BooleanField()
    imported = serializers.BooleanField(help_text="Whether anything was written.")
    rows = serializers.IntegerField(help_text="Rows read, not counting blank ones.")
    questions_created = serializers.IntegerField()
    questions_matched = serializers.IntegerField()
    logs_created = serializers.IntegerField()
    questions = CsvQuestionSerializer(many=True)
    errors = CsvRowErrorSerializer(many=True, help_text="Every bad row, by number and column.")


class CsvImportRejectedSerializer(serializers.Serializer):
    """The Error body of a refused CSV file: ``detail`` says what is wrong and ``errors``
    lists every bad row; a bad query parameter is keyed by its name, as everywhere."""

    detail = serializers.CharField(required=False)
    errors = CsvRowErrorSerializer(many=True, required=False)
