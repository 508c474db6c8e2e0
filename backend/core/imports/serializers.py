from rest_framework import serializers

from backend.core.models import ImportJob
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
            "error",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "total": {"help_text": "Problems to import; null until the list has been read."},
            "processed": {"help_text": "Problems imported so far, out of total."},
            "error": {"help_text": "Why the import failed, in a sentence; empty otherwise."},
        }


class ImportStartSerializer(serializers.Serializer):
    """Whose solved problems to import."""

    username = StrictCharField(max_length=64, help_text="Your username on the platform.")

    def validate_username(self, value):
        platform = self.context["platform"]
        if not platform.username_pattern.fullmatch(value):
            raise serializers.ValidationError(
                f"Not a valid {platform.label} username. {platform.username_help}"
            )
        return value
