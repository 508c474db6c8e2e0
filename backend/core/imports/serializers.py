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
        }


class ImportStartSerializer(serializers.Serializer):
    username = StrictCharField(max_length=64, help_text="Your username on the platform.")

    def validate_username(self, value):
        platform = self.context["platform"]
        if not platform.username_pattern.fullmatch(value):
            raise serializers.ValidationError(
                f"Not a valid {platform.label} username. {platform.username_help}"
            )
        return value
