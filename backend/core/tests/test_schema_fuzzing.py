"""Property-based fuzzing of every operation in /api/schema/ with Schemathesis.

A fresh user signs in and Schemathesis generates requests from the schema, with
all its checks: no server errors, status codes, content types and bodies that
conform to the schema, schema-valid input accepted and invalid input refused,
and authentication that is really enforced. Bounded and repeatable: a fixed
seed and a fixed number of examples per operation.

Credentials are the schema's own security schemes, given in the auth section
of the run's configuration: a personal API token as ``bearerAuth`` and the
session as ``cookieAuth``. Schemathesis applies the first scheme an operation
lists (the token, where it is accepted; the session for token management and
account deletion) and its authentication checks drop or forge exactly that.
The CSRF cookie and header that go with a session are added beside it
(schemathesis_hooks.py and --header).
"""

import os
import subprocess  # nosec B404
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

HERE = Path(__file__).parent
CONFIG = HERE / "schemathesis.toml"
MAX_EXAMPLES = int(os.environ.get("FUZZ_MAX_EXAMPLES", "10"))
REVOKE = "DELETE /api/accounts/tokens/{id}/"
AUTH = """
[auth.openapi.bearerAuth]
bearer = "${FUZZ_TOKEN}"

[auth.openapi.cookieAuth]
api_key = "${FUZZ_SESSION_ID}"
"""


def test_every_operation_survives_fuzzing(base_url, owner, tmp_path):
    created = owner.post("/api/accounts/tokens/", json={"name": "schemathesis"})
    assert created.status_code == 201, created.text
    config = tmp_path / "schemathesis.toml"
    config.write_text(CONFIG.read_text() + AUTH)
    csrf_token = owner.cookies["csrftoken"]
    environment = {
        **os.environ,
        "FUZZ_TOKEN": created.json()["token"],
        "FUZZ_SESSION_ID": owner.cookies["sessionid"],
        "FUZZ_CSRF_TOKEN": csrf_token,
        "SCHEMATHESIS_HOOKS": "backend.core.tests.schemathesis_hooks",
    }
    command = [
        str(Path(sys.executable).with_name("schemathesis")),
        "--config-file",
        str(config),
        "run",
        f"{base_url}/api/schema/",
        "--header",
        f"X-CSRFToken: {csrf_token}",
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
    ]
    runs = {
        # Revoking tokens would revoke the run's own (the stateful phase finds
        # it in the list): that one goes last, alone.
        "all": [*command, "--exclude-name", REVOKE],
        "revoke": [*command, "--include-name", REVOKE],
    }
    for name, arguments in runs.items():
        run = subprocess.run(  # nosec B603
            arguments, capture_output=True, text=True, timeout=900, env=environment
        )
        output = f"{name} run:\n{run.stdout[-12000:]}{run.stderr[-2000:]}"
        assert run.returncode == 0, output
        # Credentials that stopped working would leave only the 401/403 paths tested.
        assert "Authentication failed" not in run.stdout, output
