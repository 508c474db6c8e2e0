"""Flow 1, the account: sign up, sign in, stay signed in, sign out; wrong
password and throttled sign-in as sentences; a deep link goes to sign-in and back."""

import re

import pytest
from playwright.sync_api import expect

from backend.test_common.fixtures import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_person_signs_up_signs_in_stays_and_signs_out(page, base_url, anon, step):
    step("a signed-out deep link goes to sign-in")
    page.goto(f"{base_url}/progress")
    expect(page).to_have_url(re.compile(r"/signin\?next=%2Fprogress$"))
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()

    step("sign up")
    page.get_by_role("link", name="create an account").click()
    expect(page.get_by_role("heading", name="Create an account")).to_be_visible()
    page.get_by_label("Username").fill("grace")
    page.get_by_label("Password").fill("12345678")
    page.get_by_role("button", name="Create the account").click()
    expect(page.locator(".field-errors:visible")).to_contain_text("entirely numeric")
    expect(page.get_by_label("Username")).to_have_value("grace")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create the account").click()
    expect(page.get_by_role("status")).to_have_text("Your account is ready. Sign in with it.")

    step("a wrong password is a sentence, and the username stays")
    page.get_by_label("Username").fill("grace")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".form-errors")).to_have_text(
        "Unable to sign in with the given username and password."
    )
    expect(page.get_by_label("Username")).to_have_value("grace")

    step("sign in, and back to the deep link")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{base_url}/progress")
    expect(page.get_by_role("heading", name="Progress", exact=True)).to_be_visible()
    expect(page.locator("#who")).to_contain_text("grace")

    step("a reload keeps the session")
    page.reload()
    expect(page.get_by_role("heading", name="Progress", exact=True)).to_be_visible()
    session = {cookie["name"]: cookie["value"] for cookie in page.context.cookies()}
    anon.cookies.set("sessionid", session["sessionid"])
    assert anon.get("/api/accounts/identity/").json()["user"]["username"] == "grace"

    step("sign out")
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(f"{base_url}/signin")
    assert anon.get("/api/accounts/identity/").json() == {"authenticated": False, "user": None}
    page.goto(f"{base_url}/questions")
    expect(page).to_have_url(re.compile(r"/signin\?next=%2Fquestions$"))


def test_a_throttled_sign_in_says_when_to_retry(page, base_url, make_user, settings, step):
    user = make_user()
    settings.LOGIN_FAILURE_LIMIT = 2
    page.goto(f"{base_url}/signin")
    for _ in range(2):
        page.get_by_label("Username").fill(user.username)
        page.get_by_label("Password").fill("wrong-password")
        with page.expect_response("**/api/accounts/login/"):
            page.get_by_role("button", name="Sign in").click()

    step("the right password, now throttled")
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_response("**/api/accounts/login/") as answer:
        page.get_by_role("button", name="Sign in").click()
    assert answer.value.status == 429
    expect(page.locator(".form-errors")).to_contain_text(
        re.compile(
            r"Too many failed sign-ins for this username\. Try again in \d+ (seconds|minutes)"
        )
    )
    expect(page).to_have_url(re.compile(r"/signin$"))
