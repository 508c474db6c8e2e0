"""Swagger UI at /api/docs/, rendered and used in a real browser."""

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

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
