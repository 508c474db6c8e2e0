"""Real headless Chromium for the browser tests, driven by Playwright's sync API.

The browser is Debian's ``chromium`` package: Playwright's own download
(``playwright install``) cannot work on our machines. Without it the tests are
skipped with the command that installs it, except in CI, where they fail.

A test that fails leaves a screenshot of every page it had open in
``test-artifacts/browser/``, named after the test and the step (see ``step``)
that was running; the failure report prints the paths.
"""

import os
import re
import shutil
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Error, Page, expect, sync_playwright

from backend.core.tests.browser.support import ARTIFACTS, CHROMIUM_ARGS

MISSING_CHROMIUM = (
    "Chromium is not installed, so the browser tests cannot run: install Debian's package "
    "with `apt-get install -y chromium` (`playwright install` cannot download a browser here)."
)

TIMEOUT_MS = 15_000


@pytest.fixture(scope="package")
def chromium_path() -> str:
    path = shutil.which("chromium")
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(f"{MISSING_CHROMIUM} CI must run them.", pytrace=False)
        pytest.skip(MISSING_CHROMIUM)
    return path


@pytest.fixture(scope="package", autouse=True)
def _allow_orm_beside_playwright() -> Iterator[None]:
    # Playwright's sync API keeps an asyncio loop running in this thread, and
    # Django refuses ORM calls (the database flush after each test, user
    # fixtures) from a thread with a running loop. Ours are plain synchronous
    # calls, so tell Django they are safe, for these tests only.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


@pytest.fixture(scope="package")
def browser(chromium_path, _allow_orm_beside_playwright) -> Iterator[Browser]:
    """One Chromium for the package; stopped after it, so its loop ends too."""
    expect.set_options(timeout=TIMEOUT_MS)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def context(browser) -> Iterator[BrowserContext]:
    """A fresh browser profile: no cookies or storage from other tests."""
    context = browser.new_context()
    context.set_default_timeout(TIMEOUT_MS)
    yield context
    context.close()


@pytest.fixture
def page(context) -> Page:
    return context.new_page()


@pytest.fixture
def step(request):
    """Name the part of a test that runs next, e.g. ``step("sign in")``.

    A failure's screenshots carry the name of the last step started.
    """
    count = 0

    def step(name: str) -> None:
        nonlocal count
        count += 1
        request.node.browser_step = f"{count:02d}-{name}"

    return step


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    # The call phase's report comes before fixture teardown, so the pages are still open.
    if report.when == "call" and report.failed and "context" in item.funcargs:
        report.sections.append(("browser screenshots", "\n".join(_screenshots(item))))


def _screenshots(item) -> list[str]:
    """Screenshot every page of the failed test's context; one line per page."""
    name = _slug(item.name)
    if getattr(item, "browser_step", None):
        name += f"--{_slug(item.browser_step)}"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    lines = []
    for number, page in enumerate(item.funcargs["context"].pages, start=1):
        path = ARTIFACTS / f"{name}--page{number}.png"
        try:
            page.screenshot(path=path, full_page=True)
            lines.append(f"{page.url}: {path}")
        except Error as error:
            lines.append(f"{page.url}: no screenshot ({error.message})")
    return lines


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower()
