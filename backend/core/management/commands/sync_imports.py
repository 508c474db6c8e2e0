from django.core.management.base import BaseCommand

from backend.core.imports.services import import_jobs_fail_stale
from backend.core.imports.sync import import_syncs_queue


class Command(BaseCommand):
    help = (
        "Queue an import for every platform account kept in sync whose last sync is older "
        "than IMPORT_SYNC_INTERVAL_HOURS (plus its offset of up to IMPORT_SYNC_SPREAD_MINUTES), "
        "and mark imports that stopped moving (IMPORT_STALE_MINUTES) failed, deleting their "
        "cookies. Run it from cron every few minutes, e.g. */10 * * * *; it is idempotent and "
        "safe to run on several machines at once. The db_worker runs the imports."
    )

    def handle(self, *args, **options):
        stale = import_jobs_fail_stale()
        run = import_syncs_queue()
        self.stdout.write(
            f"Queued {run.queued} imports; {run.running} already running, "
            f"{run.conflicts} blocked by another import; {stale} stale imports marked failed."
        )
