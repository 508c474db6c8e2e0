"""Start an import job and run it: the only writes of an import go through here."""

import logging
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from backend.core.enums import ImportHistory, ImportStatus
from backend.core.imports import mapping
from backend.core.imports.base import Credential
from backend.core.imports.errors import (
    ImportAlreadyFinished,
    ImportCancelled,
    ImportFailed,
    ImportRunning,
)
from backend.core.imports.models import ACTIVE_IMPORT_STATUSES, ImportCredential, ImportJob
from backend.core.imports.platforms import PLATFORMS
from backend.core.imports.tasks import run_import_job
from backend.core.models import Question

logger = logging.getLogger(__name__)

UNEXPECTED_ERROR = "The import stopped because of an error on our side; try again later."
STALE_ERROR = "This import stopped without finishing (its worker went away); start it again."


# --- Starting ------------------------------------------------------------------


def import_job_start(
    *, owner, platform: str, username: str, session_cookie: str = "", csrf_token: str = ""
) -> tuple[ImportJob, bool]:
    """Queue an import; return (job, True), or (the same import already under way, False).

    At most one job per user and platform is queued or running (a database
    constraint says so): asking again for the same username returns that job, and
    for another username is a 409. A job that has not moved for
    IMPORT_STALE_MINUTES lost its worker; it is marked failed to make room.

    A session cookie is kept for the new job only (in ImportCredential, deleted
    when the job ends); with a job already under way it is dropped.
    """
    client = PLATFORMS[platform]
    partial_history = client.takes_session_cookie and not session_cookie
    with transaction.atomic():
        active = _active_job(owner=owner, platform=platform)
        if active is None:
            try:
                with transaction.atomic():
                    job = ImportJob.objects.create(
                        owner=owner,
                        platform=platform,
                        username=username,
                        history=ImportHistory.RECENT if partial_history else ImportHistory.FULL,
                        notice=client.recent_notice() if partial_history else "",
                    )
                    if session_cookie:
                        ImportCredential.objects.create(
                            job=job, session_cookie=session_cookie, csrf_token=csrf_token
                        )
            except IntegrityError:  # a concurrent request queued one first
                active = _active_job(owner=owner, platform=platform)
                if active is None:
                    raise
            else:
                # Enqueued once the job is committed, so that a worker on any
                # backend (database, Redis, SQS) finds it.
                transaction.on_commit(partial(_job_enqueue, job_id=job.pk))
        if active is not None:
            if active.username.lower() != username.lower():
                raise ImportRunning(active)
            return active, False
    job.refresh_from_db()  # the immediate backend has run it already
    return job, True


def _active_job(*, owner, platform: str) -> ImportJob | None:
    job = (
        ImportJob.objects.select_for_update()
        .filter(owner=owner, platform=platform, status__in=ACTIVE_IMPORT_STATUSES)
        .first()
    )
    if job is not None and job.updated_at < timezone.now() - timedelta(
        minutes=settings.IMPORT_STALE_MINUTES
    ):
        logger.warning("Import job %s made no progress for too long; marking it failed.", job.pk)
        _job_finish(job.pk, ImportStatus.FAILED, STALE_ERROR)
        return None
    return job


def import_jobs_fail_stale() -> int:
    """Mark every job that lost its worker failed (deleting its cookie); return how many.

    The next request for the same platform does it too; this catches the jobs
    nobody asks about again (sync_imports calls it).
    """
    cutoff = timezone.now() - timedelta(minutes=settings.IMPORT_STALE_MINUTES)
    stale = ImportJob.objects.filter(status__in=ACTIVE_IMPORT_STATUSES, updated_at__lt=cutoff)
    ids = list(stale.values_list("pk", flat=True))
    for job_id in ids:
        logger.warning("Import job %s made no progress for too long; marking it failed.", job_id)
        _job_finish(job_id, ImportStatus.FAILED, STALE_ERROR)
    return len(ids)


def _job_enqueue(*, job_id: int) -> None:
    result = run_import_job.enqueue(job_id)
    ImportJob.objects.filter(pk=job_id).update(task_id=str(result.id)[:64])


def import_job_cancel(*, job: ImportJob) -> ImportJob:
    """Cancel a queued or running job; what it saved stays. Cancelling twice is harmless.

    The job is marked cancelled at once, so the user may start another import;
    a running worker notices at its next problem (or page) and stops there.
    """
    now = timezone.now()
    ImportJob.objects.filter(pk=job.pk, status__in=ACTIVE_IMPORT_STATUSES).update(
        status=ImportStatus.CANCELLED, finished_at=now, updated_at=now
    )
    ImportCredential.objects.filter(job_id=job.pk).delete()
    job.refresh_from_db()
    if job.status != ImportStatus.CANCELLED:
        raise ImportAlreadyFinished(job)
    logger.info("Import job %s cancelled.", job.pk)
    return job


# --- Running (in the worker) --------------------------------------------------


def import_job_run(*, job_id: int) -> str:
    """Run a queued job, or finish one whose worker died; return its final status.

    Safe to run twice: a finished job is left alone, and a rerun matches what the
    first run wrote. Any error marks the job failed with a sentence for the user;
    an unexpected one is also logged with its traceback.
    """
    job = _job_claim(job_id)
    if job is None:
        logger.info("Import job %s is finished or gone; nothing to run.", job_id)
        return "skipped"
    logger.info("Import job %s (%s) started.", job.pk, job.platform)
    try:
        _job_import(job)
    except ImportCancelled:
        logger.info("Import job %s stopped: it was cancelled.", job.pk)
        return ImportStatus.CANCELLED.value
    except ImportFailed as exc:
        logger.info("Import job %s failed: %s", job.pk, exc)
        _job_finish(job.pk, ImportStatus.FAILED, str(exc))
        return ImportStatus.FAILED.value
    except Exception:  # the job must end failed, whatever went wrong
        logger.exception("Import job %s failed unexpectedly.", job.pk)
        _job_finish(job.pk, ImportStatus.FAILED, UNEXPECTED_ERROR)
        return ImportStatus.FAILED.value
    _job_finish(job.pk, ImportStatus.SUCCEEDED)
    logger.info("Import job %s succeeded.", job.pk)
    return ImportStatus.SUCCEEDED.value


def _job_claim(job_id: int) -> ImportJob | None:
    """Mark a queued (or interrupted) job running; None when it is finished or gone."""
    now = timezone.now()
    claimed = ImportJob.objects.filter(pk=job_id, status__in=ACTIVE_IMPORT_STATUSES).update(
        status=ImportStatus.RUNNING,
        started_at=now,
        finished_at=None,
        total=None,
        processed=0,
        skipped=0,
        error="",
        updated_at=now,
    )
    return ImportJob.objects.select_related("owner").get(pk=job_id) if claimed else None


def _job_checkpoint(job_id: int) -> None:
    """Between two problems or pages: note the progress, or stop if the job was cancelled."""
    moved = ImportJob.objects.filter(pk=job_id, status=ImportStatus.RUNNING).update(
        updated_at=timezone.now()
    )
    if not moved:
        raise ImportCancelled


def _job_import(job: ImportJob) -> None:
    stored = ImportCredential.objects.filter(job_id=job.pk).first()
    credential = stored and Credential(stored.session_cookie, stored.csrf_token)
    with PLATFORMS[job.platform](
        checkpoint=partial(_job_checkpoint, job.pk), credential=credential
    ) as client:
        solved = client.solved(job.username)
        _job_checkpoint(job.pk)
        ImportJob.objects.filter(pk=job.pk).update(
            total=len(solved), skipped=client.skipped, updated_at=timezone.now()
        )
        known = set(
            Question.objects.owned_by(job.owner)
            .filter(platform=job.platform)
            .exclude(external_id="")
            .values_list("external_id", flat=True)
        )
        for item in solved:
            _job_checkpoint(job.pk)
            # Details only for new questions: network calls stay outside transactions,
            # and a re-import costs one call per page, not one per problem.
            problem = None if item.external_id in known else client.problem(item)
            if not _job_save(job, client, item, problem):  # deleted since: fetch, then save
                _job_save(job, client, item, client.problem(item))


def _job_save(job: ImportJob, client, item, problem) -> bool:
    """Save one problem and count it in the job's progress, in one transaction."""
    with transaction.atomic():
        saved = mapping.solved_save(
            owner=job.owner, platform=job.platform, label=client.label, solved=item, problem=problem
        )
        if saved is None:
            return False
        ImportJob.objects.filter(pk=job.pk).update(
            processed=F("processed") + 1,
            questions_created=F("questions_created") + int(saved.question_created),
            logs_created=F("logs_created") + saved.logs_created,
            updated_at=timezone.now(),
        )
    return True


def _job_finish(job_id: int, status: str, error: str = "") -> None:
    """End a job that is still queued or running (one cancelled meanwhile stays
    cancelled), and delete the session cookie it was lent, whatever the end."""
    now = timezone.now()
    with transaction.atomic():
        ImportJob.objects.filter(pk=job_id, status__in=ACTIVE_IMPORT_STATUSES).update(
            status=status, error=error, finished_at=now, updated_at=now
        )
        ImportCredential.objects.filter(job_id=job_id).delete()
