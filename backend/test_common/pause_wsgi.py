"""The WSGI application for the fault tests: backend.wsgi, with a pause inside the writes.

Only ``test_faults_killed_worker`` and ``test_faults_request_timeout`` serve it
(``gunicorn_process(wsgi_app=...)``). While the file named by TEST_PAUSE_IN_WRITES_FILE
exists, a question's insert and a log's save stop inside their transaction (post_save
runs there, before the tags are set and before the aggregates are recounted), write the
process id to ``<file>.paused`` and wait until the file is removed (at most 30 s), so
the test can kill the worker, or let the request timeout end it, in the middle of the write.
"""

import os
import time
from pathlib import Path

from django.db.models.signals import post_save

from backend.wsgi import application  # noqa: F401 (sets Django up; gunicorn serves it)

from backend.core.models import Question, QuestionLog  # isort: skip (after the setup)

PAUSE_FILE = Path(os.environ["TEST_PAUSE_IN_WRITES_FILE"])
PAUSE_MAX_SECONDS = 30


def pause_while_the_file_exists() -> None:
    if not PAUSE_FILE.exists():
        return
    Path(f"{PAUSE_FILE}.paused").write_text(str(os.getpid()))
    deadline = time.monotonic() + PAUSE_MAX_SECONDS
    while PAUSE_FILE.exists() and time.monotonic() < deadline:
        time.sleep(0.05)


def pause_after_a_question_insert(sender, instance, created, **kwargs):
    if created:
        pause_while_the_file_exists()


def pause_after_a_log_save(sender, instance, **kwargs):
    pause_while_the_file_exists()


post_save.connect(pause_after_a_question_insert, sender=Question, weak=False)
post_save.connect(pause_after_a_log_save, sender=QuestionLog, weak=False)
