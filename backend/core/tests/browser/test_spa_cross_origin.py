"""The SPA on another origin, in a real browser, against the app under gunicorn.

Two static servers serve the same test page (backend/test_common/spa/): one at
an origin listed in FRONTEND_ORIGINS, one at an origin that is not. Both are on
the API's host name, ``localhost``, with other ports, so all three are one
*site*: the browser sends the SameSite=Lax session cookie to the API from either
page. What keeps the unlisted origin out is CORS (it cannot read) and the CSRF
origin check (it cannot write).
"""

from urllib.parse import urlencode

import pytest
from playwright.sync_api import Page, expect

from backend.core.tests.browser.support import ARTIFACTS, SPA_DIR, static_server
from backend.test_common.fixtures import PASSWORD
from backend.test_common.servers import gunicorn_server

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FETCH_FAILED = {"error": "TypeError: Failed to fetch"}


@pytest.fixture(scope="module")
def spa_origin():
    with static_server(SPA_DIR) as origin:
        yield origin


@pytest.fixture(scope="module")
def other_origin():
    with static_server(SPA_DIR) as origin:
        yield origin


@pytest.fixture(scope="module")
def api_url(django_db_setup, spa_origin):
    """The app as deployed: gunicorn, debug off, the SPA's origin in FRONTEND_ORIGINS.

    A process of its own, not the live server thread, so the origins come from
    the environment at start-up, as in production.
    """
    env = {"DJANGO_DEBUG": "false", "FRONTEND_ORIGINS": spa_origin, "BACKEND_ORIGINS": ""}
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with gunicorn_server(env=env, log_path=ARTIFACTS / "gunicorn.log") as url:
        # gunicorn listens on 127.0.0.1; the browser calls it localhost, the SPA's host.
        yield url.replace("//127.0.0.1:", "//localhost:")


@pytest.fixture
def open_spa(context, api_url):
    def open_spa(origin: str) -> Page:
        page = context.new_page()
        page.goto(f"{origin}/index.html?{urlencode({'api': api_url})}")
        page.evaluate("spa.ready")  # its first call, which sets the csrftoken cookie
        return page

    return open_spa


def spa(page: Page, function: str, *args):
    """Call the page's ``spa.<function>(...args)``, which fetches from the API in the browser."""
    return page.evaluate("([name, args]) => spa[name](...args)", [function, list(args)])


def test_spa_registers_keeps_a_question_and_signs_out(open_spa, spa_origin, step):
    page = open_spa(spa_origin)
    identity = page.locator("#identity")

    step("load identity: anonymous")
    expect(identity).to_have_text("anonymous")

    step("register")
    registered = spa(page, "register", "ada", PASSWORD)
    assert registered["status"] == 201, registered

    step("sign in")
    signed_in = spa(page, "signIn", "ada", PASSWORD)
    assert signed_in["status"] == 200, signed_in

    step("identity shows the username")
    assert spa(page, "identity")["body"]["user"]["username"] == "ada"
    expect(identity).to_have_text("ada")

    step("create a tag and a question with it")
    tag = spa(page, "createTag", "graphs")
    assert tag["status"] == 201, tag
    created = spa(page, "createQuestion", "Course Schedule", [tag["body"]["id"]])
    assert created["status"] == 201, created
    question = created["body"]
    assert question["tags"] == [{"id": tag["body"]["id"], "name": "graphs"}]
    assert (question["attempts_count"], question["solved_count"]) == (0, 0)
    assert question["last_attempted_at"] is None

    step("add a log: the aggregates change")
    logged = spa(page, "addLog", question["id"], "Solved")
    assert logged["status"] == 201, logged
    after = spa(page, "question", question["id"])["body"]
    assert (after["attempts_count"], after["solved_count"]) == (1, 1)
    assert after["last_attempted_at"] == logged["body"]["date_attempted"]

    step("list questions")
    listed = spa(page, "questions")
    assert listed["status"] == 200, listed
    assert [(row["id"], row["attempts_count"]) for row in listed["body"]] == [(question["id"], 1)]

    step("delete the question")
    assert spa(page, "deleteQuestion", question["id"])["status"] == 204
    assert spa(page, "questions")["body"] == []

    step("sign out: identity is anonymous again")
    assert spa(page, "signOut")["status"] == 204
    assert spa(page, "identity")["body"] == {"authenticated": False, "user": None}
    expect(identity).to_have_text("anonymous")


def cors_blocked(console_text: str, url: str) -> bool:
    """Whether a console message is Chromium's report of a CORS block for ``url``."""
    return (
        f"Access to fetch at '{url}'" in console_text and "blocked by CORS policy" in console_text
    )


def form_post(page: Page, url: str, token: str) -> int:
    """POST a form with the CSRF token from ``page``, as a "simple" request: no preflight.

    The page only gets an opaque answer (no-cors); the status comes from the browser.
    """
    with page.expect_response(url) as response:
        page.evaluate(
            """([url, token]) => fetch(url, {
                method: "POST",
                mode: "no-cors",
                credentials: "include",
                body: new URLSearchParams({name: "planted", csrfmiddlewaretoken: token}),
            })""",
            [url, token],
        )
    return response.value.status


def test_an_origin_not_listed_can_neither_read_nor_write(
    open_spa, spa_origin, other_origin, api_url, make_user, step
):
    tags_url = f"{api_url}/api/tags/"
    user = make_user()

    step("sign in on the SPA's origin and create a tag")
    page = open_spa(spa_origin)
    assert spa(page, "signIn", user.username, PASSWORD)["status"] == 200
    assert spa(page, "createTag", "arrays")["status"] == 201

    step("open the page from an origin not in FRONTEND_ORIGINS")
    other = open_spa(other_origin)
    expect(other.locator("#identity")).to_have_text("API unreachable")

    step("read: the browser blocks the response by CORS")
    with other.expect_console_message(lambda message: cors_blocked(message.text, tags_url)):
        assert spa(other, "tags") == FETCH_FAILED

    step("write: the preflight is refused by CORS, so the browser sends nothing")
    with other.expect_console_message(
        lambda message: cors_blocked(message.text, tags_url) and "preflight" in message.text
    ):
        assert spa(other, "createTag", "planted") == FETCH_FAILED

    step("write with no preflight, even with the CSRF token: the origin check refuses it")
    # One host name, one cookie jar: the other page can read csrftoken itself.
    token = other.evaluate("cookie('csrftoken')")
    assert token
    assert form_post(other, tags_url, token) == 403
    # The same request from the SPA's origin gets past CSRF (and fails as a form, not JSON).
    assert form_post(page, tags_url, token) == 415

    step("nothing was written")
    tags = spa(page, "tags")
    assert [tag["name"] for tag in tags["body"]] == ["arrays"]
