"""The web app served from another origin listed in FRONTEND_ORIGINS, calling
the API under gunicorn: the api-base meta names the API, the CSRF token comes
from csrf/ (a page cannot count on reading another origin's cookie) and is
asked again after sign-in, which rotates it."""

import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.template.loader import render_to_string
from playwright.sync_api import expect

from backend.core.tests.browser.support import ARTIFACTS
from backend.test_common.fixtures import PASSWORD
from backend.test_common.servers import PROJECT_ROOT, gunicorn_server

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

STATIC = PROJECT_ROOT / "backend" / "web" / "static"


class AppHandler(SimpleHTTPRequestHandler):
    """/static/… from the app's files; every other path is the shell (history routing)."""

    shell: bytes = b""

    def do_GET(self):
        if self.path.startswith("/static/"):
            self.path = self.path.removeprefix("/static")
            return super().do_GET()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(self.shell)))
        self.end_headers()
        self.wfile.write(self.shell)

    def log_message(self, format, *args):
        pass


@contextmanager
def app_server(directory: Path) -> Iterator[tuple[str, type]]:
    handler = type("Handler", (AppHandler,), {})
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(handler, directory=str(directory)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://localhost:{server.server_address[1]}", handler
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture(scope="module")
def app_origin():
    with app_server(STATIC) as served:
        yield served


@pytest.fixture(scope="module")
def api_url(django_db_setup, app_origin):
    origin, handler = app_origin
    env = {"DJANGO_DEBUG": "false", "FRONTEND_ORIGINS": origin, "BACKEND_ORIGINS": ""}
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with gunicorn_server(env=env, log_path=ARTIFACTS / "gunicorn-web.log") as url:
        yield url.replace("//127.0.0.1:", "//localhost:")


def test_the_app_on_another_origin_signs_up_keeps_a_question_and_signs_out(
    page, app_origin, api_url, anon, step
):
    origin, handler = app_origin
    handler.shell = render_to_string("web/index.html", {"api_base": api_url}).encode()
    csrf_calls = []
    page.on("request", lambda r: csrf_calls.append(r.url) if "/csrf/" in r.url else None)

    step("sign up and sign in, from the app's origin")
    page.goto(f"{origin}/questions")
    expect(page).to_have_url(re.compile(r"/signin\?next=%2Fquestions$"))
    page.get_by_role("link", name="create an account").click()
    page.get_by_label("Username").fill("ada")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create the account").click()
    expect(page.get_by_role("status")).to_have_text("Your account is ready. Sign in with it.")
    page.get_by_label("Username").fill("ada")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{origin}/questions")
    expect(page.get_by_role("heading", name="No questions yet")).to_be_visible()

    step("add a question: a write after sign-in, with the new token")
    page.get_by_role("link", name="Add a question").first.click()
    page.get_by_label("Title").fill("Course schedule")
    page.get_by_role("button", name="Add the question").click()
    expect(page.get_by_role("heading", name="Course schedule")).to_be_visible()
    assert csrf_calls == [f"{api_url}/api/accounts/csrf/"] * 2

    step("the API holds it")
    anon.base_url = api_url
    anon.post("/api/accounts/login/", json={"username": "ada", "password": PASSWORD})
    assert [q["title"] for q in anon.get("/api/questions/").json()] == ["Course schedule"]

    step("sign out")
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(f"{origin}/signin")
