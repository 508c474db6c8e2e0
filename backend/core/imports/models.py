"""The import jobs, the kept accounts that sync, and a job's one-use LeetCode cookie.

Their app is ``core`` (their tables are core_*): backend/core/models.py imports them.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from backend.core.enums import ImportHistory, ImportStatus, Platform
from backend.ownership import OwnedQuerySet

ACTIVE_IMPORT_STATUSES = [ImportStatus.QUEUED, ImportStatus.RUNNING]


class ImportJob(models.Model):
    """One import of a user's solved problems from a platform, run by a background task."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="import_jobs"
    )
    platform = models.CharField(max_length=20, choices=Platform.choices)
    username = models.CharField(max_length=64)
    status = models.CharField(
        max_length=9, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Bumped by every progress write: a queued or running job that has not moved
    # for IMPORT_STALE_MINUTES lost its worker and may be replaced.
    updated_at = models.DateTimeField(auto_now=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    total = models.PositiveIntegerField(null=True, blank=True)  # known once the list is read
    processed = models.PositiveIntegerField(default=0)
    questions_created = models.PositiveIntegerField(default=0)
    logs_created = models.PositiveIntegerField(default=0)
    # Items of the platform's list that could not be read, left out of the import.
    skipped = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    history = models.CharField(
        max_length=6, choices=ImportHistory.choices, default=ImportHistory.FULL
    )
    notice = models.TextField(blank=True)  # a sentence for the user about what is imported
    task_id = models.CharField(max_length=64, blank=True)  # the Tasks framework's result id

    objects = OwnedQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["owner", "-created_at", "-id"], name="importjob_owner_newest"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "platform"],
                condition=Q(status__in=ACTIVE_IMPORT_STATUSES),
                name="core_importjob_one_active_per_platform",
                violation_error_message="An import from this platform is already running.",
            ),
        ]

    def __str__(self):
        return f"{self.get_platform_display()} import of {self.username!r} ({self.status})"


class ImportSync(models.Model):
    """A platform account its owner keeps in sync: ``manage.py sync_imports`` queues an
    import of it once it is due (backend/core/imports/sync.py). Never holds a cookie."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="import_syncs"
    )
    platform = models.CharField(max_length=20, choices=Platform.choices)
    username = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    last_synced_at = models.DateTimeField(null=True, blank=True)  # when an import was queued
    next_sync_at = models.DateTimeField()  # due from then on
    last_job = models.ForeignKey(
        ImportJob, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = OwnedQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["next_sync_at"], name="importsync_due")]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "platform"],
                name="core_importsync_one_per_platform",
                violation_error_message="You already keep this platform in sync.",
            ),
        ]

    def __str__(self):
        return f"{self.get_platform_display()} sync of {self.username!r}"


class ImportCredential(models.Model):
    """A platform session cookie lent to one import job, deleted when the job ends.

    Its own table, so that nothing that shows or exports jobs (serializers, the
    admin, the data export) can reach it; never registered in the admin.
    """

    job = models.OneToOneField(
        ImportJob, on_delete=models.CASCADE, primary_key=True, related_name="credential"
    )
    session_cookie = models.TextField()
    csrf_token = models.CharField(max_length=255, blank=True)

    def __repr__(self):
        return f"<ImportCredential of job {self.job_id}>"

    __str__ = __repr__
