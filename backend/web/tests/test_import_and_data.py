"""Flows 6 and 7: import from Codewars (progress, counts, the error sentence),
and your data: API tokens, export, import of an export file, account deletion."""

import json

import pytest
from playwright.sync_api import expect

from backend.core.tests.import_fakes import FakeCodewars, at, fast_import_settings
from backend.test_common.fixtures import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def codewars(httpserver, settings) -> FakeCodewars:
    fast_import_settings(settings)
    fake = FakeCodewars.serve(httpserver, settings)
    fake.add_kata("50654ddff44f800200000004", "Multiply", rank="8 kyu", tags=("fundamentals",))
    fake.add_kata("52b7ed099cdc285c300001cd", "Sum of Intervals", rank="4 kyu")
    fake.complete("alice", "50654ddff44f800200000004", at(1))
    fake.complete("alice", "52b7ed099cdc285c300001cd", at(2))
    return fake


def test_an_import_shows_its_progress_its_counts_and_its_error(
    page, base_url, signed_in, codewars, step, screenshot
):
    page.goto(f"{base_url}/import")
    step("a username that Codewars does not know")
    page.get_by_label("Your username there").fill("nobody")
    page.get_by_role("button", name="Import").click()
    alert = page.locator(".import-progress [role=alert]")
    expect(alert).to_have_text("Codewars user 'nobody' does not exist.")
    [failed] = signed_in.get("/api/import/jobs/").json()
    assert (failed["status"], failed["error"]) == ("failed", alert.text_content())

    step("alice's two katas")
    page.get_by_label("Your username there").fill("alice")
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_role("status")).to_have_text("Done: 2 questions and 2 attempts added.")
    expect(page.get_by_text("2 of 2 problems")).to_be_visible()
    expect(page.locator("#import-bar")).to_have_attribute("value", "2")
    screenshot("import")
    titles = {question["title"] for question in signed_in.get("/api/questions/").json()}
    assert titles == {"Multiply", "Sum of Intervals"}

    step("the questions are there")
    page.get_by_role("link", name="See your questions").click()
    expect(page.locator(".question-title")).to_have_count(2)


def test_tokens_export_import_and_account_deletion(
    page, base_url, signed_in, anon, step, tmp_path, screenshot
):
    signed_in.post("/api/questions/", json={"title": "Kept in the export"})
    page.goto(f"{base_url}/account")

    step("create a token: the secret is shown once, and it works")
    page.get_by_label("Token name").fill("laptop script")
    page.get_by_role("button", name="Create the token").click()
    secret = page.get_by_label("Secret")
    expect(page.locator("[data-token]")).to_have_count(1)
    expect(page.get_by_label("Days until it expires")).to_have_value("90")
    token = secret.input_value()
    assert len(token) > 20
    answer = anon.get("/api/questions/", headers={"Authorization": f"Bearer {token}"})
    assert [question["title"] for question in answer.json()] == ["Kept in the export"]
    screenshot("account")

    step("a token name left blank is an error next to it")
    page.get_by_role("button", name="Create the token").click()
    expect(page.locator('[data-field="name"] .field-errors')).to_have_text(
        "This field may not be blank."
    )

    step("revoke it")
    row = page.locator("[data-token]")
    row.get_by_role("button", name="Revoke").click()
    row.get_by_role("button", name="Revoke laptop script").click()
    expect(page.get_by_text("No tokens.")).to_be_visible()
    expect(page.get_by_label("Secret")).to_have_count(0)
    assert (
        anon.get("/api/questions/", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    )

    step("export as a file")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the export").click()
    exported = json.loads(download.value.path().read_text())
    assert [question["title"] for question in exported["questions"]] == ["Kept in the export"]

    step("a malformed file changes nothing")
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps({**exported, "questions": [{"title": ""}]}))
    page.get_by_label("Export file (JSON)").set_input_files(broken)
    page.get_by_role("button", name="Import the file").click()
    import_form = page.get_by_role("form", name="Import an export file")
    expect(import_form.locator(".form-errors")).to_have_text(
        "questions[0].title: This field may not be blank."
    )
    assert len(signed_in.get("/api/questions/").json()) == 1

    step("the export into the same account: everything is skipped")
    good = tmp_path / "export.json"
    good.write_text(json.dumps(exported))
    page.get_by_label("Export file (JSON)").set_input_files(good)
    page.get_by_role("button", name="Import the file").click()
    expect(page.get_by_role("status")).to_contain_text("Imported: 0 questions (1 you already had)")

    step("delete the account: a wrong password first")
    page.get_by_label("Your password").fill("not-my-password")
    page.get_by_role("button", name="Delete my account and all my data").click()
    expect(page.locator('[data-field="password"] .field-errors')).not_to_be_empty()
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Delete my account and all my data").click()
    expect(page).to_have_url(f"{base_url}/signin?deleted=1")
    expect(page.get_by_role("status")).to_have_text("Your account and all its data are deleted.")
    assert signed_in.get("/api/accounts/identity/").json()["authenticated"] is False
    login = anon.post(
        "/api/accounts/login/", json={"username": signed_in.user.username, "password": PASSWORD}
    )
    assert login.status_code == 400
