"""Settings are read from the environment at start-up; these run Django in a fresh process."""

import os
import secrets
import subprocess  # nosec B404
import sys

import pytest

from backend.test_common.servers import PROJECT_ROOT

pytestmark = pytest.mark.slow


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    full_env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL", "RDS_"))
    }
    full_env.update(env)
    return subprocess.run(  # nosec B603
        [sys.executable, "manage.py", *args],
        cwd=PROJECT_ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_mode_without_a_secret_key_fails_naming_the_variable():
    # An empty value also stops a developer's .env from supplying one.
    result = run_manage("check", DJANGO_DEBUG="false", DJANGO_SECRET_KEY="")

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_debug_mode_starts_without_a_secret_key():
    result = run_manage("check", DJANGO_DEBUG="true", DJANGO_SECRET_KEY="")

    assert result.returncode == 0, result.stderr


def test_deploy_check_is_clean_in_production_mode():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="api.example.com",
    )

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_malformed_boolean_is_refused():
    result = run_manage("check", DJANGO_DEBUG="maybe")

    assert result.returncode != 0
    assert "DJANGO_DEBUG must be true or false" in result.stderr


def test_rds_variables_select_postgresql():
    code = (
        "from django.conf import settings; db = settings.DATABASES['default']; "
        "print(db['ENGINE'], db['HOST'], db['PORT'], db['NAME'], db['USER'])"
    )
    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        code,
        DJANGO_DEBUG="true",
        RDS_HOSTNAME="db.aws.example",
        RDS_PORT="5432",
        RDS_DB_NAME="iq",
        RDS_USERNAME="app",
        RDS_PASSWORD="pw",  # pragma: allowlist secret
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.postgresql",
        "db.aws.example",
        "5432",
        "iq",
        "app",
    ]


def gunicorn_setting(name: str, **env: str) -> int:
    full_env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL", "RDS_", "GUNICORN_"))
    }
    full_env.update(DJANGO_DEBUG="true", **env)
    result = subprocess.run(  # nosec B603
        [
            sys.executable,
            "-c",
            f"import runpy; print(runpy.run_path('gunicorn.conf.py')[{name!r}])",
        ],
        cwd=PROJECT_ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return int(result.stdout)


@pytest.mark.parametrize(
    "env, threads",
    [
        # SQLite takes one writer at a time: waiting writes queue in gunicorn, in order.
        ({"DATABASE_URL": "sqlite:////tmp/iq-threads.sqlite3"}, 1),
        ({"DATABASE_URL": "postgres://postgres@127.0.0.1:5432/postgres"}, 4),
        ({"DATABASE_URL": "sqlite:////tmp/iq-threads.sqlite3", "GUNICORN_THREADS": "3"}, 3),
    ],
)
def test_gunicorn_threads_follow_the_database(env, threads):
    assert gunicorn_setting("threads", **env) == threads


@pytest.mark.parametrize("env, timeout", [({}, 30), ({"GUNICORN_TIMEOUT": "120"}, 120)])
def test_gunicorn_timeout_is_30_seconds_unless_set(env, timeout):
    assert gunicorn_setting("timeout", **env) == timeout


def test_gunicorn_workers_freeze_the_loaded_app():
    # The worker's hook, run after the app is loaded: the collector then skips those objects.
    script = (
        "import gc, runpy; conf = runpy.run_path('gunicorn.conf.py');"
        "from types import SimpleNamespace as worker;"
        "before = gc.get_freeze_count(); conf['post_worker_init'](worker(cfg=worker(timeout=0)));"
        "print(before, gc.get_freeze_count())"
    )
    result = subprocess.run(  # nosec B603
        [sys.executable, "-c", script],
        cwd=PROJECT_ROOT,
        env={**os.environ, "DJANGO_DEBUG": "true"},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    before, after = map(int, result.stdout.split())
    assert after > before
