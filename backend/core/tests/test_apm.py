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


def test_server_sends_django_request_spans_to_the_agent(db, test_agent):
    env = {
        "DD_TRACE_ENABLED": "true",
        "DD_TRACE_AGENT_URL": test_agent,
        "DD_SERVICE": "interview-questions-api-test",
        "DD_REMOTE_CONFIGURATION_ENABLED": "false",
        "DD_INSTRUMENTATION_TELEMETRY_ENABLED": "false",
        "DD_TRACE_WRITER_INTERVAL_SECONDS": "0.2",
    }
    with gunicorn_server(env=env) as url:
        assert requests.get(f"{url}/api/health/", timeout=10).status_code == 200
        deadline = time.monotonic() + 15
        while "django.request" not in received_span_names(test_agent):
            assert time.monotonic() < deadline, "no django.request span reached the agent"
            time.sleep(0.2)


def test_tracing_off_sends_nothing(db, test_agent):
    env = {"DD_TRACE_ENABLED": "false", "DD_TRACE_AGENT_URL": test_agent}
    with gunicorn_server(env=env) as url:
        assert requests.get(f"{url}/api/health/", timeout=10).status_code == 200
        time.sleep(1)

    assert received_span_names(test_agent) == set()
