"""The README's seed command works as written, in a terminal of its own."""

import os
import subprocess  # nosec B404

import pytest

from backend.test_common.servers import PROJECT_ROOT

pytestmark = pytest.mark.slow


def test_make_seed_fills_a_fresh_database_with_no_settings_of_its_own(tmp_path):
    # A second terminal: none of make run's variables, no .env needed.
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DJANGO_", "DATABASE_URL", "RDS_", "MAKE"))
    }
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'seed.sqlite3'}"

    result = subprocess.run(  # nosec B603 B607
        ["make", "seed", "SEED_ARGS=--users 2 --questions 3 --seed 7"],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "Created 2 users" in result.stdout, result.stdout
