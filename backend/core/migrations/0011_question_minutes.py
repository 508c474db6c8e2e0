from django.db import migrations, models
from django.db.models import Count, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce


def count_minutes(apps, schema_editor):
    """Fill the new aggregates from the logs already stored, as refresh_aggregates does."""
    Question = apps.get_model("core", "Question")
    QuestionLog = apps.get_model("core", "QuestionLog")
    logs = QuestionLog.objects.filter(question=OuterRef("pk")).order_by().values("question")
    Question.objects.update(
        minutes_spent=Coalesce(Subquery(logs.annotate(n=Sum("time_spent_min")).values("n")), 0),
        timed_attempts_count=Coalesce(
            Subquery(logs.annotate(n=Count("time_spent_min")).values("n")), 0
        ),
    )


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0010_question_source_and_longer_approach"),
    ]

    operations = [
        migrations.AddField(
            model_name="question",
            name="minutes_spent",
            field=models.PositiveIntegerField(default=0, editable=False),
        ),
        migrations.AddField(
            model_name="question",
            name="timed_attempts_count",
            field=models.PositiveIntegerField(default=0, editable=False),
        ),
        migrations.RunPython(count_minutes, migrations.RunPython.noop),
    ]
