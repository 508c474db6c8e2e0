"""Flows 4 and 5: practise the review queue with one click per question, the
forecast; progress in the browser's own time zone, charts with tables."""

from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# A zone far from UTC, where "today" is often another day than in UTC.
ZONE = "Pacific/Kiritimati"


@pytest.fixture
def context(browser):
    context = browser.new_context(timezone_id=ZONE)
    context.set_default_timeout(15_000)
    yield context
    context.close()


def test_the_review_queue_takes_one_click_per_question(page, base_url, signed_in, step, screenshot):
    step("an empty queue")
    page.goto(f"{base_url}/practice")
    expect(page.get_by_role("heading", name="Nothing to review")).to_be_visible()

    step("two never-attempted questions and an overdue one")
    overdue = signed_in.post("/api/questions/", json={"title": "Overdue one"}).json()
    a_month_ago = (datetime.now(UTC) - timedelta(days=30)).isoformat()
    signed_in.post(
        f"/api/questions/{overdue['id']}/logs/",
        json={"date_attempted": a_month_ago, "outcome": "Solved", "rating": "good"},
    )
    for title in ["New one", "Newer one"]:
        signed_in.post("/api/questions/", json={"title": title})
    queue = [question["title"] for question in signed_in.get("/api/review/").json()]
    assert queue[0] == "Overdue one"
    page.reload()
    card = page.locator(".review-card")
    expect(card.get_by_role("heading")).to_have_text("Overdue one")
    expect(card).to_contain_text("3 questions to review")
    expect(page.get_by_role("heading", name="The next 14 days")).to_be_visible()
    expect(page.locator(".chart svg title").first).to_have_text("Questions falling due per day")
    screenshot("practice")

    step("rate it: logged, and the next one shows")
    card.get_by_role("button", name="Good").click()
    expect(card.get_by_role("heading")).to_have_text(queue[1])
    expect(card).to_contain_text("2 questions to review · 1 done")
    logs = signed_in.get(f"/api/questions/{overdue['id']}/logs/").json()
    assert [(log["rating"], log["outcome"]) for log in logs[:1]] == [("good", "Solved")]

    step("through the rest")
    card.get_by_role("button", name="Again").click()
    expect(card.get_by_role("heading")).to_have_text(queue[2])
    card.get_by_role("button", name="Easy").click()
    expect(page.get_by_role("heading", name="All done for now")).to_be_visible()
    assert signed_in.get("/api/review/").json() == []

    step("the forecast's table has the API's numbers")
    forecast = signed_in.get("/api/review/forecast/").json()
    page.get_by_text("Show as a table").click()
    cells = page.locator(".chart-table tbody td")
    expect(cells).to_have_text([str(day["due"]) for day in forecast])


def test_progress_counts_in_the_browsers_time_zone(page, base_url, signed_in, step, screenshot):
    step("attempts to count")
    tag = signed_in.post("/api/tags/", json={"name": "trees"}).json()
    question = signed_in.post(
        "/api/questions/",
        json={"title": "Invert a tree", "difficulty": "Easy", "tag_ids": [tag["id"]]},
    ).json()
    for outcome in ["Failed", "Failed", "Solved"]:
        signed_in.post(f"/api/questions/{question['id']}/logs/", json={"outcome": outcome})

    step("the progress screen asks for the browser's zone")
    with page.expect_request(lambda request: "/api/stats/?tz=" in request.url) as asked:
        page.goto(f"{base_url}/progress")
    assert asked.value.url.endswith("/api/stats/?tz=Pacific%2FKiritimati")
    stats = signed_in.get("/api/stats/", params={"tz": ZONE}).json()
    expect(page.get_by_test_id("total-attempts")).to_have_text("3")
    streak = stats["streaks"]["current"]
    expect(page.get_by_test_id("current-streak")).to_have_text(
        f"{streak} day" + ("" if streak == 1 else "s")
    )
    expect(page.get_by_text(f"Days and weeks in your time zone, {ZONE}.")).to_be_visible()
    expect(page.locator("svg > title")).to_have_text(
        [
            "Attempts in each of the last 12 weeks",
            "Solve rate by difficulty",
            "Solve rate by tag",
            "Attempts per day over the last year",
        ]
    )
    expect(page.locator(".failed-list")).to_contain_text("Invert a tree · failed 2 times")
    screenshot("progress")

    step("the tables hold the same numbers")
    by_tag = page.locator("figure", has=page.locator("figcaption", has_text="Solve rate by tag"))
    by_tag.get_by_text("Show as a table").click()
    expect(by_tag.locator("tbody tr")).to_have_text(["trees33 %1 solved of 3 attempts"])
    weekly = page.locator("figure", has=page.locator("figcaption", has_text="last 12 weeks"))
    weekly.get_by_text("Show as a table").click()
    expect(weekly.locator("tbody td")).to_have_text(
        [str(week["attempts"]) for week in stats["weekly"]]
    )
    year = page.locator("figure", has=page.locator("figcaption", has_text="last year"))
    expect(year.locator("rect")).to_have_count(366)
    year.get_by_text("Show as a table").click()
    expect(year.locator("tbody td")).to_have_text([str(day["attempts"]) for day in stats["daily"]])
    assert [day["attempts"] for day in stats["daily"]] == [3]
