from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    """Slugs become unique per owner, so that an export imported into another account
    keeps them and a second import matches on them."""

    dependencies = [
        ("core", "0017_platform_sources_are_urls"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="question",
            name="slug",
            field=models.SlugField(db_index=False, editable=False, max_length=80),
        ),
        migrations.AddConstraint(
            model_name="question",
            constraint=models.UniqueConstraint(
                fields=("owner", "slug"),
                name="core_question_owner_slug_unique",
                violation_error_message="You already have a question with this slug.",
            ),
        ),
    ]
