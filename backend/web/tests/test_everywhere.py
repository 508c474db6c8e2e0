"""Flow 8, everywhere: the 404 screen, a banner while the API answers 503
that clears by itself, a message when the network is gone, and nothing typed
is lost when a request fails."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

UNAVAILABLE = {"detail": "The database is unavailable; try again shortly."}


def test_unknown_addresses_get_the_apps_404_and_the_api_stays_json(
    page, base_url, signed_in, anon, step
):
    step("an unknown app route: status 404, the app's screen")
    answer = page.goto(f"{base_url}/no/such/page")
    assert answer.status == 404
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
    expect(page).to_have_title("Not found · Interview Questions")

    step("a question that is not there")
    page.goto(f"{base_url}/questions/999999")
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()

    step("the API, the admin and the static files are not the app's")
    api = anon.get("/api/no-such-endpoint/")
    assert (api.status_code, api.json()) == (404, {"detail": "Not found."})
    assert anon.get("/admin/login/").headers["Content-Type"].startswith("text/html")
    assert "Django" in anon.get("/admin/login/").text
    assert anon.get("/static/web/no-such-file.js").status_code == 404
    assert anon.get("/questions/12").status_code == 200


def test_a_503_shows_a_banner_that_clears_by_itself(page, base_url, signed_in, step):
    page.goto(f"{base_url}/questions")
    expect(page.get_by_role("heading", name="No questions yet")).to_be_visible()

    step("the API answers 503")
    page.route("**/api/**", lambda route: route.fulfill(status=503, json=UNAVAILABLE))
    page.get_by_role("link", name="Practise").click()
    banner = page.locator("[data-notice=unavailable]")
    expect(banner).to_contain_text("The service is unavailable right now.")
    expect(page.get_by_role("alert")).to_have_text(UNAVAILABLE["detail"])

    step("it comes back; the banner goes by itself")
    with page.expect_response("**/api/health/") as health:
        page.unroute("**/api/**")
    assert health.value.status == 200
    expect(banner).to_have_count(0)


def test_offline_a_message_and_nothing_typed_is_lost(page, base_url, signed_in, step):
    page.goto(f"{base_url}/questions/new")
    page.get_by_label("Title").fill("Typed while offline")
    page.get_by_label("Content (HTML)").fill("<p>Long notes I do not want to type again.</p>")

    step("the network goes")
    page.context.set_offline(True)
    page.get_by_role("button", name="Add the question").click()
    expect(page.locator("[data-notice=offline]")).to_contain_text("You are offline.")
    expect(page.locator(".form-errors")).to_contain_text("The network is unreachable")
    expect(page.get_by_label("Title")).to_have_value("Typed while offline")
    assert signed_in.get("/api/questions/").json() == []

    step("it comes back: the same form sends it")
    page.context.set_offline(False)
    page.get_by_role("button", name="Add the question").click()
    expect(page).to_have_url(re.compile(r"/questions/\d+$"))
    expect(page.locator("[data-notice=offline]")).to_have_count(0)
    [stored] = signed_in.get("/api/questions/").json()
    assert stored["content"] == "<p>Long notes I do not want to type again.</p>"
