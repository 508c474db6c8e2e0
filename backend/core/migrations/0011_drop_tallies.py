from django.db import migrations


class Migration(migrations.Migration):
    """The stats are computed from the questions' aggregates and the logs now."""

    dependencies = [
        ("core", "0010_question_minutes"),
    ]

    operations = [
        migrations.DeleteModel(name="TagTally"),
        migrations.DeleteModel(name="DifficultyTally"),
        migrations.DeleteModel(name="AttemptDay"),
        migrations.DeleteModel(name="AttemptSlot"),
        # Irreversible: going back would bring the tables back empty, and the
        # stats of that code read them.
        migrations.RunPython(migrations.RunPython.noop),
    ]
