"""Every screen under axe-core (no serious or critical violation), at a
phone's width and a laptop's, and none of them scrolls sideways on the phone."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = [375, 1280]
BLOCKING = {"serious", "critical"}


@pytest.fixture(scope="module")
def axe() -> Axe:
    return Axe()


def check(page, axe, name: str) -> list[str]:
    """The screen's blocking violations and sideways overflow, as sentences."""
    results = axe.run(page)
    problems = [
        f"{name}: {violation['id']} ({violation['impact']}): "
        + "; ".join(node["target"][0] for node in violation["nodes"][:3])
        for violation in results.response["violations"]
        if violation["impact"] in BLOCKING
    ]
    width = page.viewport_size["width"]
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    if scroll_width > width:
        problems.append(f"{name}: {scroll_width} px wide in a {width} px window")
    return problems


@pytest.mark.parametrize("width", WIDTHS)
def test_every_screen_passes_axe(page, base_url, signed_in, axe, width, step):
    tag = signed_in.post("/api/tags/", json={"name": "dynamic programming"}).json()
    question = signed_in.post(
        "/api/questions/",
        json={
            "title": "Longest increasing subsequence",
            "difficulty": "Medium",
            "source": "https://leetcode.com/problems/longest-increasing-subsequence/",
            "content": "<p>Patience sorting gives <code>O(n log n)</code>.</p>",
            "tag_ids": [tag["id"]],
        },
    ).json()
    signed_in.post(
        f"/api/questions/{question['id']}/logs/",
        json={"outcome": "Failed", "rating": "again", "time_spent_min": 40, "self_notes": "DP"},
    )
    signed_in.post("/api/accounts/tokens/", json={"name": "ci"})
    page.set_viewport_size({"width": width, "height": 900})

    screens = {
        "questions": ("/questions", "Questions"),
        "question": (f"/questions/{question['id']}", question["title"]),
        "new question": ("/questions/new", "Add a question"),
        "edit question": (f"/questions/{question['id']}/edit", "Edit"),
        "practice": ("/practice", "Practise now"),
        "progress": ("/progress", "Progress"),
        "import": ("/import", "Import solved problems"),
        "your data": ("/account", "Your data"),
        "not found": ("/nowhere", "Page not found"),
    }
    problems = []
    for name, (path, heading) in screens.items():
        step(name)
        page.goto(f"{base_url}{path}")
        expect(page.locator("h1")).to_contain_text(heading)
        page.wait_for_load_state("networkidle")
        problems += check(page, axe, name)

    step("signed out: sign in and sign up")
    page.get_by_role("button", name="Sign out").click()
    for name, heading in [("signin", "Sign in"), ("signup", "Create an account")]:
        page.goto(f"{base_url}/{name}")
        expect(page.locator("h1")).to_have_text(heading)
        problems += check(page, axe, name)
    assert problems == []
