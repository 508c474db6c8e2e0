from django.db import migrations


class Migration(migrations.Migration):
    """The stats are computed from the questions' aggregates and the logs now.

    Reversed, the tables come back empty: the stats of that code would read
    zeros until its migrations 0005-0009's counts were run again.
    """

    dependencies = [
        ("core", "0011_question_minutes"),
    ]

    operations = [
        migrations.DeleteModel(name="TagTally"),
        migrations.DeleteModel(name="DifficultyTally"),
        migrations.DeleteModel(name="AttemptDay"),
        migrations.DeleteModel(name="AttemptSlot"),
    ]
