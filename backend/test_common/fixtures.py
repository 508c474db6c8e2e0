"""Fixtures shared by every app's tests; loaded by the root conftest.py."""

import pytest
import requests
from faker import Faker

UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
PASSWORD = "correct-horse-battery-staple"  # pragma: allowlist secret


class ApiClient(requests.Session):
    """A requests session that behaves like the browser SPA.

    It keeps cookies, resolves paths against the server's base URL and, on
    unsafe methods, sends the ``csrftoken`` cookie back as ``X-CSRFToken``
    (unless ``send_csrf`` is off, to test what happens without it).
    """

    def __init__(self, base_url: str, send_csrf: bool = True):
        super().__init__()
        self.base_url = base_url.rstrip("/")
        self.send_csrf = send_csrf

    def request(self, method, url, *args, **kwargs):
        if url.startswith("/"):
            url = self.base_url + url
        if self.send_csrf and method.upper() in UNSAFE_METHODS:
            if "csrftoken" not in self.cookies:
                # What the SPA does on page load: ask for a token first.
                super().request("GET", f"{self.base_url}/api/accounts/csrf/", timeout=30)
            token = self.cookies["csrftoken"]
            kwargs["headers"] = {"X-CSRFToken": token, **(kwargs.get("headers") or {})}
        kwargs.setdefault("timeout", 30)
        return super().request(method, url, *args, **kwargs)

    def send(self, request, **kwargs):
        response = super().send(request, **kwargs)
        # Test servers listen on loopback without TLS while the app keeps its
        # production cookie flags; like a browser on https, send them back.
        for cookie in self.cookies:
            cookie.secure = False
        return response


@pytest.fixture(autouse=True)
def _test_settings(settings):
    # The manifest storage needs collectstatic, which tests do not run.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.PASSWORD_HASHERS = ["backend.test_common.hashers.FastPBKDF2PasswordHasher"]


@pytest.fixture
def base_url(live_server) -> str:
    return live_server.url


@pytest.fixture
def client_factory(base_url):
    """Make SPA-like clients against the live server; closed after the test."""
    clients = []

    def make(send_csrf: bool = True) -> ApiClient:
        client = ApiClient(base_url, send_csrf=send_csrf)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


@pytest.fixture
def anon(client_factory) -> ApiClient:
    """A client that has not signed in."""
    return client_factory()


@pytest.fixture
def fake() -> Faker:
    return Faker()


@pytest.fixture
def make_user(django_user_model, fake):
    """Create a fresh user with a unique username and the password ``PASSWORD``."""

    def make(**fields):
        fields.setdefault("username", f"{fake.user_name()}{fake.unique.random_int(1, 10**6)}")
        fields.setdefault("email", fake.unique.email())
        return django_user_model.objects.create_user(password=PASSWORD, **fields)

    return make


@pytest.fixture
def sign_in(client_factory):
    """Sign a user in through the API; return the client holding the session."""

    def sign_in(user, password: str = PASSWORD) -> ApiClient:
        client = client_factory()
        response = client.post(
            "/api/accounts/login/", json={"username": user.username, "password": password}
        )
        assert response.status_code == 200, response.text
        client.user = user
        return client

    return sign_in


@pytest.fixture
def owner(make_user, sign_in) -> ApiClient:
    """A signed-in user who owns the data under test."""
    return sign_in(make_user())


@pytest.fixture
def outsider(make_user, sign_in) -> ApiClient:
    """Another signed-in user, who must never see or touch the owner's data."""
    return sign_in(make_user())
