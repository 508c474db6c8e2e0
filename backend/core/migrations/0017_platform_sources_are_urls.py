from django.db import migrations
from django.db.models.functions import Substr

# Platform imports stored "Codewars: https://…" as the source, which the API's own
# validation refuses when the question is written back; the platform is in `platform`.
PLATFORM_LABELS = {"codewars": "Codewars", "leetcode": "LeetCode", "codeforces": "Codeforces"}


def platform_sources_to_urls(apps, schema_editor):
    Question = apps.get_model("core", "Question")
    for platform, label in PLATFORM_LABELS.items():
        Question.objects.filter(platform=platform, source__startswith=f"{label}: http").update(
            source=Substr("source", len(label) + 3)
        )


class Migration(migrations.Migration):
    dependencies = [("core", "0016_import_sync")]

    operations = [migrations.RunPython(platform_sources_to_urls, migrations.RunPython.noop)]
