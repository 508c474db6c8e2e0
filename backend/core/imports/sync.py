"""Platform accounts kept in sync, and the periodic run that imports them again.

``manage.py sync_imports`` (run from cron, on any number of machines) calls
``import_syncs_queue``: every kept account whose ``next_sync_at`` has passed gets
one import queued, as if its owner had asked for it. An account is due
IMPORT_SYNC_INTERVAL_HOURS after its last sync plus its own offset of up to
IMPORT_SYNC_SPREAD_MINUTES, derived from the account, so that accounts kept in
sync at the same moment are not all imported in the same minute.

Each account is claimed with a conditional UPDATE on the ``next_sync_at`` that
was read: of two runs that read the same row, exactly one changes it, on SQLite
(whose writers take turns) as on PostgreSQL (where the second UPDATE waits for
the first and then matches nothing). On PostgreSQL, ``SKIP LOCKED`` also lets
concurrent runs share the work instead of waiting on each other.
"""

import hashlib
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from backend.core.imports.errors import ImportRunning
from backend.core.imports.models import ImportSync
from backend.core.imports.services import import_job_start

logger = logging.getLogger(__name__)

BATCH_SIZE = 100


def sync_offset(*, owner_id: int, platform: str) -> timedelta:
    """The account's fixed share of the spread window: the same on every machine and run."""
    spread = max(1, settings.IMPORT_SYNC_SPREAD_MINUTES * 60)
    digest = hashlib.sha256(f"{platform}:{owner_id}".encode()).digest()
    return timedelta(seconds=int.from_bytes(digest[:8]) % spread)


def next_sync(*, owner_id: int, platform: str, after: datetime) -> datetime:
    interval = timedelta(hours=settings.IMPORT_SYNC_INTERVAL_HOURS)
    return after + interval + sync_offset(owner_id=owner_id, platform=platform)


def import_sync_keep(*, owner, platform: str, username: str) -> tuple[ImportSync, bool]:
    """Keep the account in sync; return (sync, True when it was not kept before).

    A new account (or a new username) is first due within the spread window,
    so that turning the sync on imports soon without everyone importing at once.
    """
    now = timezone.now()
    first_due = now + sync_offset(owner_id=owner.pk, platform=platform)
    with transaction.atomic():
        sync = (
            ImportSync.objects.owned_by(owner).select_for_update().filter(platform=platform).first()
        )
        if sync is None:
            try:
                with transaction.atomic():
                    sync = ImportSync.objects.create(
                        owner=owner, platform=platform, username=username, next_sync_at=first_due
                    )
                return sync, True
            except IntegrityError:  # a concurrent PUT created it first
                sync = ImportSync.objects.owned_by(owner).select_for_update().get(platform=platform)
        if sync.username != username:
            sync.username, sync.next_sync_at, sync.last_synced_at = username, first_due, None
            sync.save(update_fields=["username", "next_sync_at", "last_synced_at", "updated_at"])
    return sync, False


def import_sync_stop(*, owner, platform: str) -> bool:
    """Stop keeping the account in sync; False when it was not kept."""
    deleted, _ = ImportSync.objects.owned_by(owner).filter(platform=platform).delete()
    return bool(deleted)


@dataclass
class SyncRun:
    queued: int = 0  # new import jobs
    running: int = 0  # accounts whose import was already under way
    conflicts: int = 0  # accounts with an import of another username under way


def import_syncs_queue() -> SyncRun:
    """Queue an import for every due account, each once however many runs there are."""
    run = SyncRun()
    now = timezone.now()
    while True:
        with transaction.atomic():
            due = (
                ImportSync.objects.filter(next_sync_at__lte=now)
                .select_related("owner")
                .order_by("next_sync_at", "pk")
            )
            if connection.features.has_select_for_update_skip_locked:
                due = due.select_for_update(skip_locked=True, of=("self",))
            batch = list(due[:BATCH_SIZE])
            if not batch:
                return run
            for sync in batch:
                _sync_one(sync, now, run)


def _sync_one(sync: ImportSync, now: datetime, run: SyncRun) -> None:
    claimed = ImportSync.objects.filter(pk=sync.pk, next_sync_at=sync.next_sync_at).update(
        last_synced_at=now,
        next_sync_at=next_sync(owner_id=sync.owner_id, platform=sync.platform, after=now),
        updated_at=now,
    )
    if not claimed:  # another run took it between our read and our update
        return
    try:
        # Never with a cookie: a LeetCode sync imports the recent list anyone can see.
        job, created = import_job_start(
            owner=sync.owner, platform=sync.platform, username=sync.username
        )
    except ImportRunning:
        run.conflicts += 1
        logger.info("Sync %s skipped: another import from %s is running.", sync.pk, sync.platform)
        return
    ImportSync.objects.filter(pk=sync.pk).update(last_job=job)
    if created:
        run.queued += 1
    else:
        run.running += 1
