"""Every answer under /api/ is JSON, in production and in debug mode, whoever produced it."""

import json
import socket
from urllib.parse import urlsplit

import pytest
import requests
from dotenv import dotenv_values

from backend.test_common.servers import PROJECT_ROOT, gunicorn_server

UNMATCHED = [
    ("GET", "/api/nothing-here/", "Not found."),
    ("GET", "/api/questions/abc/", "Not found."),
    ("GET", "/api/questions/1/logs/abc/", "Not found."),
    ("DELETE", "/api/tags/abc/", "Not found."),
    ("POST", "/api/nothing-here/", "Not found."),
    (
        "GET",
        "/api/questions",
        "Not found. Did you mean /api/questions/ (with a trailing slash)?",
    ),
    ("POST", "/api/tags", "Not found. Did you mean /api/tags/ (with a trailing slash)?"),
]


def assert_json_404(response, detail):
    assert response.status_code == 404, response.text
    assert response.headers["Content-Type"] == "application/json"
    assert response.json() == {"detail": detail}


@pytest.mark.parametrize("method, path, detail", UNMATCHED)
def test_unmatched_api_paths_are_json_404s(anon, owner, method, path, detail):
    assert_json_404(anon.request(method, path), detail)
    assert_json_404(owner.request(method, path), detail)


def local_settings() -> dict[str, str]:
    """.env.example's values, as `cp .env.example .env` makes them (empty means unset)."""
    values = dotenv_values(PROJECT_ROOT / ".env.example")
    return {name: value for name, value in values.items() if value}


@pytest.fixture(scope="module")
def debug_server(django_db_blocker):
    """The app under gunicorn with a copy of .env.example's settings: debug on."""
    with django_db_blocker.unblock(), gunicorn_server(env=local_settings()) as url:
        yield url


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_copy_of_env_example_serves_plain_http_on_localhost(debug_server):
    port = urlsplit(debug_server).port
    for host in ("127.0.0.1", "localhost"):
        response = requests.get(
            f"http://{host}:{port}/api/health/", allow_redirects=False, timeout=10
        )
        assert response.status_code == 200, response.text
        assert response.json() == {"status": "ok", "database": "ok"}


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("method, path, detail", UNMATCHED)
def test_unmatched_api_paths_are_json_404s_with_debug_on(debug_server, method, path, detail):
    response = requests.request(method, f"{debug_server}{path}", timeout=10)

    assert_json_404(response, detail)


def raw_request(base_url: str, request_line: str) -> tuple[str, dict[str, str], bytes]:
    """Send one request as bytes; return the status line, the headers and the body."""
    address = urlsplit(base_url)
    with socket.create_connection((address.hostname, address.port), timeout=10) as sock:
        sock.sendall(f"{request_line}\r\nHost: {address.netloc}\r\n\r\n".encode("latin-1"))
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    status, *lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines)
    return status, headers, body


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "request_line, status",
    [
        (f"GET /api/questions/?search={'x' * 5000} HTTP/1.1", "HTTP/1.1 414 URI Too Long"),
        ("GET /api/health/ HTTP/9.9", "HTTP/1.1 400 Bad Request"),
    ],
)
def test_errors_gunicorn_answers_itself_are_json(debug_server, request_line, status):
    status_line, headers, body = raw_request(debug_server, request_line)

    assert status_line == status
    assert headers["Content-Type"] == "application/json"
    detail = json.loads(body)["detail"]
    assert detail.startswith(status.split(" ", 2)[2])
