"""Background tasks, run by Django's Tasks framework (the backend is the TASKS setting)."""

from django.tasks import task


@task
def run_import_job(job_id: int) -> str:
    """Import a user's solved problems for one ImportJob; safe to run twice."""
    # Imported here: the service module enqueues this task.
    from backend.core.imports.services import import_job_run

    return import_job_run(job_id=job_id)
