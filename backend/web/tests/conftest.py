"""The web app's browser tests: the browser fixtures of backend/core/tests/browser,
a page that fails the test on any console error, uncaught exception or CSP
violation, and a user signed in in the browser."""

import os
from urllib.parse import urlsplit

import pytest

from backend.core.tests.browser.conftest import (  # noqa: F401  (fixtures and the screenshot hook)
    _allow_orm_beside_playwright,
    browser,
    chromium_path,
    context,
    pytest_runtest_makereport,
    step,
)
from backend.test_common.servers import PROJECT_ROOT

# A status the API answered on purpose (400, 404, 429, 503…) or a request cut
# off by the test (offline) is logged by Chromium as "Failed to load resource";
# that is the network, not the page, and the tests assert what the page shows.
NETWORK_LOG = "Failed to load resource"

SCREENSHOTS = os.environ.get("WEB_SCREENSHOTS") == "1"
DOCS = PROJECT_ROOT / "docs" / "screenshots"


@pytest.fixture
def problems() -> list[str]:
    return []


@pytest.fixture
def page(context, problems):  # noqa: F811 (the imported fixture)
    """A page whose console errors, page errors and CSP violations fail the test."""
    page = context.new_page()
    page.on(
        "console",
        lambda message: (
            problems.append(f"console {message.type}: {message.text}")
            if message.type == "error" and not message.text.startswith(NETWORK_LOG)
            else None
        ),
    )
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    yield page
    assert problems == [], "the page reported problems"


@pytest.fixture
def signed_in(context, make_user, sign_in, base_url):  # noqa: F811
    """A fresh user, signed in through the API; the browser gets the same session."""
    user = make_user()
    client = sign_in(user)
    host = urlsplit(base_url).hostname
    context.add_cookies(
        [
            {"name": cookie.name, "value": cookie.value, "domain": host, "path": "/"}
            for cookie in client.cookies
        ]
    )
    return client


@pytest.fixture
def screenshot(page):
    """``screenshot("questions")`` writes docs/screenshots/questions.png under
    ``make screenshots`` (WEB_SCREENSHOTS=1), and does nothing otherwise."""

    def screenshot(name: str, width: int = 1280, height: int = 800) -> None:
        if not SCREENSHOTS:
            return
        DOCS.mkdir(parents=True, exist_ok=True)
        page.set_viewport_size({"width": width, "height": height})
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=DOCS / f"{name}.png", full_page=False)

    return screenshot
