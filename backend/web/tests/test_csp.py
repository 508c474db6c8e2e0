"""The Content-Security-Policy: strict on the app and the admin (scripts and
styles from this origin only, nothing inline, no eval); Swagger UI's page gets
its template's inline style allowed (its script comes from a URL), and works.
A violation is a console error, which fails these tests (see conftest.page)."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STRICT = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' https: data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)


@pytest.mark.parametrize("path", ["/", "/questions/12", "/nowhere", "/api/health/"])
def test_the_app_and_the_api_answer_with_the_strict_policy(anon, path):
    assert anon.get(path).headers["Content-Security-Policy"] == STRICT


def test_swagger_ui_allows_only_its_inline_style(anon):
    policy = anon.get("/api/docs/").headers["Content-Security-Policy"]
    assert policy == STRICT.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")


def test_swagger_ui_and_the_admin_work_under_their_policies(page, base_url, admin_user):
    page.goto(f"{base_url}/api/docs/")
    expect(page.locator(".opblock").first).to_be_visible()

    page.goto(f"{base_url}/admin/")
    page.get_by_label("Username").fill(admin_user.username)
    page.get_by_label("Password").fill("password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Site administration")).to_be_visible()
    page.goto(f"{base_url}/admin/core/question/")
    expect(page.get_by_role("heading", name="Select question to change")).to_be_visible()
