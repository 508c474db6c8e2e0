"""Flows 2 and 3: the question list (filters, search, ordering, paging in the
URL; the empty state), create, edit and delete a question, and one question's
attempts (log, edit, delete) with the aggregates from the API's answers."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def add_questions(client, count, **fields):
    return [
        client.post("/api/questions/", json={"title": f"Question {n:03d}", **fields}).json()
        for n in range(count)
    ]


def test_the_list_filters_searches_orders_and_pages_in_the_url(
    page, base_url, signed_in, step, screenshot
):
    step("an empty list says what to do first")
    page.goto(f"{base_url}/questions")
    expect(page.get_by_role("heading", name="No questions yet")).to_be_visible()
    expect(page.get_by_role("link", name="Add a question").last).to_be_visible()

    step("with questions")
    graphs = signed_in.post("/api/tags/", json={"name": "graphs"}).json()
    add_questions(signed_in, 55, difficulty="Easy")
    signed_in.post(
        "/api/questions/",
        json={"title": "Dijkstra on a grid", "difficulty": "Hard", "tag_ids": [graphs["id"]]},
    )
    signed_in.post("/api/questions/", json={"title": "Sleeping one", "is_active": False})
    page.reload()
    expect(page.locator(".count")).to_have_text("57 questions")
    expect(page.locator(".question-item")).to_have_count(50)
    expect(page.locator(".pager .range")).to_have_text("1–50 of 57")
    screenshot("questions")
    screenshot("questions-phone", width=375, height=740)

    step("the next page")
    page.get_by_role("button", name="Next").click()
    expect(page).to_have_url(f"{base_url}/questions?offset=50")
    expect(page.locator(".question-item")).to_have_count(7)

    step("a filter by difficulty and tag")
    page.get_by_label("Difficulty").select_option("Hard")
    expect(page).to_have_url(f"{base_url}/questions?difficulty=Hard")
    expect(page.locator(".question-title")).to_have_text(["Dijkstra on a grid"])
    page.get_by_label("Difficulty").select_option("")
    page.get_by_label("Tag").select_option(label="graphs")
    expect(page).to_have_url(f"{base_url}/questions?tag={graphs['id']}")
    expect(page.locator(".question-title")).to_have_text(["Dijkstra on a grid"])

    step("back and forward keep the filters")
    page.go_back()
    expect(page).to_have_url(f"{base_url}/questions")
    expect(page.locator(".count")).to_have_text("57 questions")
    page.go_back()
    expect(page).to_have_url(f"{base_url}/questions?difficulty=Hard")
    expect(page.get_by_label("Difficulty")).to_have_value("Hard")
    page.go_forward()
    page.go_forward()
    expect(page.get_by_label("Tag")).to_have_value(str(graphs["id"]))
    page.get_by_label("Tag").select_option("")

    step("inactive ones, search, ordering; a reload keeps them")
    page.get_by_label("Active").select_option("false")
    expect(page.locator(".question-title")).to_have_text(["Sleeping one"])
    page.get_by_label("Active").select_option("")
    page.get_by_label("Search").fill("question 05")
    expect(page.locator(".question-item")).to_have_count(6)  # both words: 005, 050…054
    page.get_by_label("Order").select_option("-title")
    expect(page).to_have_url(f"{base_url}/questions?search=question+05&ordering=-title")
    page.reload()
    expect(page.get_by_label("Search")).to_have_value("question 05")
    expect(page.locator(".question-title").first).to_have_text("Question 054")
    page.get_by_label("Review").select_option("true")
    expect(page.get_by_text("No question matches these filters.")).to_be_visible()


def test_a_question_is_created_edited_and_deleted(page, base_url, signed_in, step, screenshot):
    signed_in.post("/api/tags/", json={"name": "arrays"})
    page.goto(f"{base_url}/questions")

    step("create, with a new tag made on the spot")
    page.get_by_role("link", name="Add a question").first.click()
    expect(page).to_have_url(f"{base_url}/questions/new")
    page.get_by_label("Difficulty").select_option("Medium")
    page.get_by_label("Content (HTML)").fill(
        "<p>Find <strong>two</strong> numbers.</p><script>alert(1)</script>"
    )
    expect(page.locator("#preview strong")).to_have_text("two")
    page.get_by_label("New tag").fill("hashing")
    page.get_by_role("button", name="Add tag").click()
    expect(page.get_by_label("hashing")).to_be_checked()
    page.get_by_label("arrays").check()
    screenshot("question-form")
    page.get_by_role("button", name="Add the question").click()

    step("the 400's errors sit next to their fields, and the typed values stay")
    title_errors = page.locator('[data-field="title"] .field-errors')
    expect(title_errors).to_have_text("This field may not be blank.")
    expect(page.get_by_label("Difficulty")).to_have_value("Medium")
    expect(page.get_by_label("hashing")).to_be_checked()
    page.get_by_label("Title").fill("Two sum")
    page.get_by_label("Source", exact=True).fill("https://leetcode.com/problems/two-sum/")
    page.get_by_role("button", name="Add the question").click()

    step("the new question, its content as sanitized")
    expect(page).to_have_url(re.compile(r"/questions/\d+$"))
    expect(page.get_by_role("heading", name="Two sum")).to_be_visible()
    expect(page.locator(".content")).to_contain_text("Find two numbers.")
    question_id = int(page.url.rsplit("/", 1)[1])
    stored = signed_in.get(f"/api/questions/{question_id}/").json()
    assert stored["content"] == "<p>Find <strong>two</strong> numbers.</p>"
    assert stored["difficulty"] == "Medium"
    assert sorted(tag["name"] for tag in stored["tags"]) == ["arrays", "hashing"]

    step("edit")
    page.get_by_role("link", name="Edit").click()
    expect(page.get_by_label("Title")).to_have_value("Two sum")
    page.get_by_label("Title").fill("Two sum, sorted input")
    page.get_by_label("arrays").uncheck()
    page.get_by_label("Active (in the review queue)").uncheck()
    page.get_by_role("button", name="Save the question").click()
    expect(page.get_by_role("heading", name="Two sum, sorted input")).to_be_visible()
    stored = signed_in.get(f"/api/questions/{question_id}/").json()
    assert [tag["name"] for tag in stored["tags"]] == ["hashing"]
    assert stored["is_active"] is False

    step("delete")
    page.get_by_role("button", name="Delete", exact=True).click()
    page.get_by_role("button", name="Delete this question and its attempts").click()
    expect(page).to_have_url(f"{base_url}/questions")
    expect(page.get_by_role("heading", name="No questions yet")).to_be_visible()
    assert signed_in.get(f"/api/questions/{question_id}/").status_code == 404


def test_attempts_are_logged_edited_and_deleted_with_the_aggregates(
    page, base_url, signed_in, step, screenshot
):
    question = signed_in.post(
        "/api/questions/", json={"title": "Merge intervals", "content": "<p>Sort first.</p>"}
    ).json()
    page.goto(f"{base_url}/questions/{question['id']}")
    expect(page.get_by_test_id("attempts-count")).to_have_text("0")
    expect(page.get_by_test_id("next-review")).to_have_text("Not scheduled")

    step("a bad attempt keeps what was typed")
    form = page.get_by_role("form", name="Log an attempt")
    form.get_by_label("Minutes").fill("5000")
    form.get_by_label("Notes").fill("Off by one at the end.")
    form.get_by_role("button", name="Log the attempt").click()
    expect(form.locator('[data-field="time_spent_min"] .field-errors')).to_contain_text(
        "less than or equal to 1440"
    )
    expect(form.get_by_label("Notes")).to_have_value("Off by one at the end.")

    step("log an attempt")
    form.get_by_label("Minutes").fill("25")
    form.get_by_label("Outcome").select_option("Solved")
    form.get_by_label("Rating").select_option("good")
    form.get_by_label("Approach").fill("sort and sweep")
    form.get_by_role("button", name="Log the attempt").click()
    expect(page.get_by_test_id("attempts-count")).to_have_text("1")
    expect(page.get_by_test_id("solved-count")).to_have_text("1")
    expect(page.get_by_test_id("next-review")).not_to_have_text("Not scheduled")
    expect(page.locator(".log-item")).to_have_count(1)
    expect(page.locator(".log-item")).to_contain_text("Off by one at the end.")
    screenshot("question")
    [log] = signed_in.get(f"/api/questions/{question['id']}/logs/").json()
    assert (log["time_spent_min"], log["outcome"], log["rating"]) == (25, "Solved", "good")

    step("edit it")
    page.locator(".log-item").get_by_role("button", name="Edit").click()
    editor = page.get_by_role("form", name="Edit the attempt")
    editor.get_by_label("Outcome").select_option("Failed")
    editor.get_by_role("button", name="Save the attempt").click()
    expect(page.get_by_test_id("solved-count")).to_have_text("0")
    expect(page.locator(".log-item .badge").first).to_have_text("Failed")
    assert signed_in.get(f"/api/questions/{question['id']}/").json()["solved_count"] == 0

    step("delete it")
    page.locator(".log-item").get_by_role("button", name="Delete").click()
    page.get_by_role("button", name="Delete this attempt").click()
    expect(page.get_by_test_id("attempts-count")).to_have_text("0")
    expect(page.get_by_text("No attempts yet.")).to_be_visible()
    assert signed_in.get(f"/api/questions/{question['id']}/logs/").json() == []


def test_editing_only_an_attempts_note_changes_nothing_else(page, base_url, signed_in, step):
    question = signed_in.post("/api/questions/", json={"title": "Two sum"}).json()
    logs = f"/api/questions/{question['id']}/logs/"
    before = signed_in.post(
        logs, json={"date_attempted": "2026-11-10T14:30:15.250Z", "outcome": "Solved"}
    ).json()
    page.goto(f"{base_url}/questions/{question['id']}")

    page.locator(".log-item").get_by_role("button", name="Edit").click()
    editor = page.get_by_role("form", name="Edit the attempt")
    editor.get_by_label("Notes").fill("Remember the complement.")
    editor.get_by_role("button", name="Save the attempt").click()

    expect(page.locator(".log-item .notes")).to_have_text("Remember the complement.")
    [after] = signed_in.get(logs).json()
    assert after == {**before, "self_notes": "Remember the complement."}
    assert after["date_attempted"] == "2026-11-10T14:30:15.250000Z"


@pytest.mark.parametrize(
    "source, link",
    [
        ("https://leetcode.com/problems/two-sum/", "https://leetcode.com/problems/two-sum/"),
        ("//evil.example/login", None),
        ("\\\\evil.example\\login", None),
        ("/\\evil.example/login", None),
        ("leetcode.com/problems/two-sum", None),
        ("Cracking the Coding Interview, p. 90", None),
    ],
)
def test_only_an_absolute_http_url_is_shown_as_a_link(page, base_url, signed_in, source, link):
    question = signed_in.post("/api/questions/", json={"title": "Q", "source": source}).json()

    page.goto(f"{base_url}/questions/{question['id']}")

    meta = page.locator(".meta")
    if link:
        expect(meta.get_by_role("link", name="Source")).to_have_attribute("href", link)
    else:
        expect(meta.get_by_text(f"Source: {source}", exact=True)).to_be_visible()
        expect(meta.get_by_role("link")).to_have_count(0)

    # Saved again unchanged, it stays what it was.
    page.get_by_role("link", name="Edit").click()
    expect(page.get_by_label("Source", exact=True)).to_have_value(source)
    page.get_by_role("button", name="Save the question").click()
    expect(page.get_by_role("heading", name="Q")).to_be_visible()
    assert signed_in.get(f"/api/questions/{question['id']}/").json()["source"] == source
