"""Datadog APM: with DD_TRACE_ENABLED the server sends Django request spans to the agent."""

import subprocess  # nosec B404
import sys
import time
from pathlib import Path

import pytest
import requests

from backend.test_common.servers import free_port, gunicorn_server, wait_for_http

pytestmark = pytest.mark.slow


@pytest.fixture
def test_agent(tmp_path):
    """Datadog's own test agent on free local ports; yields its URL."""
    port = free_port()
    agent = subprocess.Popen(  # nosec B603
        [
            str(Path(sys.executable).with_name("ddapm-test-agent")),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--otlp-http-port",
            str(free_port()),
            "--otlp-grpc-port",
            str(free_port()),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for_http(f"{url}/info", agent)
        yield url
    finally:
        agent.terminate()
        agent.wait(timeout=10)


def received_span_names(agent_url: str) -> set[str]:
    traces = requests.get(f"{agent_url}/test/session/traces", timeout=5).json()
    return {span["name"] for trace in traces for span in trace}


# Long enough for an enabled tracer to deliver (it flushes every 0.2 s here), so
# that seeing nothing in it with tracing off means something.
OBSERVE_SECONDS = 10


def django_request_span_within(agent_url: str, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while "django.request" not in received_span_names(agent_url):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.2)
    return True


@pytest.mark.parametrize("enabled", [True, False], ids=["tracing-on", "tracing-off"])
def test_django_request_spans_reach_the_agent_only_with_tracing_on(db, test_agent, enabled):
    # The same server, request and wait either way: tracing on is the positive control
    # that shows this procedure sees spans when there are any.
    env = {
        "DD_TRACE_ENABLED": "true" if enabled else "false",
        "DD_TRACE_AGENT_URL": test_agent,
        "DD_SERVICE": "interview-questions-api-test",
        "DD_REMOTE_CONFIGURATION_ENABLED": "false",
        "DD_INSTRUMENTATION_TELEMETRY_ENABLED": "false",
        "DD_TRACE_WRITER_INTERVAL_SECONDS": "0.2",
    }
    with gunicorn_server(env=env) as url:
        assert requests.get(f"{url}/api/health/", timeout=10).status_code == 200
        seen = django_request_span_within(test_agent, OBSERVE_SECONDS)

    assert seen is enabled
    if not enabled:
        assert received_span_names(test_agent) == set()
