"""Swagger UI at /api/docs/, rendered and used in a real browser."""

import json
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from backend.core.models import Question, Tag
from backend.test_common.fixtures import PASSWORD

pytestmark = pytest.mark.browser

HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


def schema_operations(schema: dict) -> set[tuple[str, str]]:
    return {
        (method.upper(), path)
        for path, item in schema["paths"].items()
        for method in item
        if method in HTTP_METHODS
    }


def test_swagger_ui_lists_every_operation_and_tries_one_out(page, step, anon, base_url):
    expected = schema_operations(anon.get("/api/schema/").json())
    requested = []
    page.on("request", lambda request: requested.append(request.url))

    step("open the docs")
    page.goto(f"{base_url}/api/docs/")
    operations = page.locator(".opblock")
    expect(operations).to_have_count(len(expected))

    step("compare the listed operations with the schema")
    listed = operations.evaluate_all("""blocks => blocks.map(block => [
            block.querySelector(".opblock-summary-method").textContent,
            block.querySelector(".opblock-summary-path").dataset.path,
        ])""")
    assert {tuple(operation) for operation in listed} == expected

    step("try out GET /api/accounts/identity/")
    identity = page.locator(
        ".opblock-get", has=page.locator('[data-path="/api/accounts/identity/"]')
    )
    identity.locator(".opblock-summary").click()
    identity.get_by_role("button", name="Try it out").click()
    identity.get_by_role("button", name="Execute").click()
    live_response = identity.locator(".live-responses-table .response")
    expect(live_response.locator(".response-col_status")).to_have_text("200")
    expect(live_response.locator(".response-col_description")).to_contain_text(
        '"authenticated": false'
    )

    step("check the request log")
    server = urlsplit(base_url).netloc
    elsewhere = [
        url for url in requested if url.startswith("http") and urlsplit(url).netloc != server
    ]
    assert f"{base_url}/api/schema/" in requested
    assert elsewhere == []


def operation(page, method: str, path: str):
    """One operation's block, opened and switched to "Try it out"."""
    block = page.locator(f".opblock-{method}", has=page.locator(f'[data-path="{path}"]'))
    if not block.locator(".opblock-body").count():
        block.locator(".opblock-summary").click()
    try_it_out = block.get_by_role("button", name="Try it out")
    if try_it_out.count():
        try_it_out.click()
    return block


def execute(page, method: str, path: str, body: dict | None = None, **parameters) -> dict | None:
    """Fill in and execute an operation in the page; return the JSON it answered."""
    block = operation(page, method, path)
    for name, value in parameters.items():
        block.locator(f'tr[data-param-name="{name}"] input').fill(str(value))
    if body is not None:
        block.locator("textarea.body-param__text").fill(json.dumps(body))
    with page.expect_response(lambda response: response.request.method == method.upper()) as call:
        block.get_by_role("button", name="Execute").click()
    response = call.value
    expected = {"post": 201, "put": 200, "patch": 200, "delete": 204}[method]
    if path == "/api/accounts/login/":
        expected = 200
    assert response.status == expected, response.text()
    expect(block.locator(".live-responses-table .response .response-col_status")).to_have_text(
        str(expected)
    )
    answer = None if response.status == 204 else response.json()
    block.get_by_role("button", name="Clear").click()
    return answer


def test_swagger_ui_signs_in_then_creates_edits_and_deletes_without_a_reload(
    page, step, anon, base_url, make_user
):
    user = make_user()
    loads = []
    page.on("load", lambda loaded: loads.append(loaded.url))
    page.goto(f"{base_url}/api/docs/")
    expect(page.locator(".opblock").first).to_be_visible()

    step("sign in")
    execute(
        page,
        "post",
        "/api/accounts/login/",
        {"username": user.username, "password": PASSWORD},
    )

    step("create, rename and delete a tag")
    tag = execute(page, "post", "/api/tags/", {"name": "graphs"})
    assert list(Tag.objects.filter(owner=user).values_list("name", flat=True)) == ["graphs"]
    execute(page, "patch", "/api/tags/{id}/", {"name": "trees"}, id=tag["id"])
    assert list(Tag.objects.filter(owner=user).values_list("name", flat=True)) == ["trees"]

    step("create, edit and delete a question")
    question = execute(
        page, "post", "/api/questions/", {"title": "Two Sum", "tag_ids": [tag["id"]]}
    )
    execute(page, "put", "/api/questions/{id}/", {"title": "Three Sum"}, id=question["id"])
    assert list(Question.objects.filter(owner=user).values_list("title", flat=True)) == [
        "Three Sum"
    ]
    execute(page, "delete", "/api/questions/{id}/", id=question["id"])
    execute(page, "delete", "/api/tags/{id}/", id=tag["id"])
    assert not Question.objects.filter(owner=user).exists()
    assert not Tag.objects.filter(owner=user).exists()

    step("check that the page never reloaded")
    assert loads == [f"{base_url}/api/docs/"]
