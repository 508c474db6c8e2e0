"""Property-based fuzzing of every operation in /api/schema/ with Schemathesis.

A fresh user signs in and Schemathesis generates requests from the schema, with
all its checks: no server errors, status codes, content types and bodies that
conform to the schema, and authentication that is really enforced. Bounded and
repeatable: a fixed seed and a fixed number of examples per operation.

Three runs, because credentials shape what can be checked. Most operations
accept a personal API token, which Schemathesis knows how to strip and forge
(its auth checks cannot take a session apart from a raw Cookie header). Token
management and account deletion take a session only (cookie and X-CSRFToken).
Signing out ends the session, so it runs last, alone.
"""

import os
import subprocess  # nosec B404
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

CONFIG = Path(__file__).with_name("schemathesis.toml")
MAX_EXAMPLES = int(os.environ.get("FUZZ_MAX_EXAMPLES", "10"))
SESSION_ONLY = ["/api/accounts/tokens/", "/api/accounts/tokens/{id}/", "/api/accounts/me/"]
SIGN_OUT = "/api/accounts/logout/"


def schemathesis(base_url: str, headers: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    command = [
        str(Path(sys.executable).with_name("schemathesis")),
        "--config-file",
        str(CONFIG),
        "run",
        f"{base_url}/api/schema/",
        *[option for name, value in headers.items() for option in ("--header", f"{name}: {value}")],
        "--checks",
        "all",
        "--max-examples",
        str(MAX_EXAMPLES),
        "--seed",
        "1",
        "--generation-database",
        "none",
        "--request-timeout",
        "30",
        *args,
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=600)  # nosec B603


def paths(option: str, values: list[str]) -> list[str]:
    return [part for value in values for part in (option, value)]


def test_every_operation_survives_fuzzing(base_url, owner):
    created = owner.post("/api/accounts/tokens/", json={"name": "schemathesis"})
    assert created.status_code == 201, created.text
    token = {"Authorization": f"Bearer {created.json()['token']}"}
    session = {
        "Cookie": f"sessionid={owner.cookies['sessionid']}; csrftoken={owner.cookies['csrftoken']}",
        "X-CSRFToken": owner.cookies["csrftoken"],
    }

    runs = {
        "token": schemathesis(base_url, token, *paths("--exclude-path", [*SESSION_ONLY, SIGN_OUT])),
        # The session travels in a raw Cookie header that Schemathesis cannot take
        # apart, so it must not generate (or drop) the sessionid cookie itself.
        "session": schemathesis(
            base_url,
            session,
            "--generation-with-security-parameters",
            "false",
            *paths("--include-path", SESSION_ONLY),
        ),
        "sign out": schemathesis(
            base_url,
            session,
            "--generation-with-security-parameters",
            "false",
            "--include-path",
            SIGN_OUT,
        ),
    }

    for name, run in runs.items():
        assert run.returncode == 0, f"{name} run:\n{run.stdout[-6000:]}{run.stderr[-2000:]}"
