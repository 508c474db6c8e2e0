"""Every error under /api/ answers the one documented ``Error`` body (backend/schema.py):
a JSON object, ``{"detail": "…"}`` or field errors keyed by name, never a list, a string,
DRF's ``{"error": …}`` or a page of HTML, whatever produced it (DRF, Django, a crash)."""

import re

import pytest
import requests
from rest_framework.exceptions import ValidationError

from backend.core.views import HealthView
from backend.exceptions import exception_handler
from backend.test_common.api import create_log, create_question, create_tag

SERVER_ERROR = {"detail": "A server error occurred."}
BAD_REQUEST = {"detail": "Bad request."}


def assert_error_body(response) -> dict:
    """The response is an Error: JSON, an object, with a string detail if it has one."""
    where = f"{response.request.method} {response.request.url}"
    assert response.status_code >= 400, where
    assert response.headers["Content-Type"] == "application/json", where
    body = response.json()
    assert isinstance(body, dict) and body, f"{where}: {body!r}"
    assert isinstance(body.get("detail", ""), str), f"{where}: {body!r}"
    return body


# --- Errors Django answers itself ----------------------------------------------------------


def test_a_crash_is_a_500_with_the_error_body(anon, monkeypatch):
    def crash(self, request):
        raise RuntimeError("internal details that must not reach the client")

    # The live server runs in this process: the view crashes there too.
    monkeypatch.setattr(HealthView, "get", crash)

    response = anon.get("/api/health/")

    assert response.status_code == 500
    assert assert_error_body(response) == SERVER_ERROR


def test_a_host_not_allowed_is_a_400_with_the_error_body(base_url):
    response = requests.get(f"{base_url}/api/health/", headers={"Host": "evil.example"}, timeout=10)

    assert response.status_code == 400
    assert assert_error_body(response) == BAD_REQUEST


def test_too_many_query_parameters_are_a_400_with_the_error_body(owner):
    # Django refuses more than DATA_UPLOAD_MAX_NUMBER_FIELDS (1000) before any view runs.
    response = owner.get("/api/questions/?" + "&".join(["x=1"] * 1001))

    assert response.status_code == 400
    assert assert_error_body(response) == BAD_REQUEST


# --- Errors DRF answers --------------------------------------------------------------------


def test_a_nul_in_the_search_is_a_field_error(owner):
    response = owner.get("/api/questions/?search=%00")

    assert response.status_code == 400
    assert assert_error_body(response) == {"search": ["Null characters are not allowed."]}


@pytest.mark.parametrize(
    "detail, body",
    [
        ("Nope.", {"detail": "Nope."}),
        (["Nope.", "Not at all."], {"detail": "Nope. Not at all."}),
        ([{"name": ["Required."]}], {"non_field_errors": [{"name": ["Required."]}]}),
    ],
)
def test_a_validation_error_raised_outside_a_serializer_is_the_error_body(detail, body):
    # DRF keeps such a message as a bare list; no view raises one today, the handler
    # makes sure none ever answers one.
    response = exception_handler(ValidationError(detail), {})

    assert (response.status_code, response.data) == (400, body)


@pytest.mark.parametrize(
    "method, path, options, status",
    [
        ("GET", "/api/nothing-here/", {}, 404),
        ("GET", "/api/questions/123456789/", {}, 404),
        ("PUT", "/api/health/", {}, 405),
        ("GET", "/api/questions/", {"headers": {"Accept": "text/html"}}, 406),
        ("POST", "/api/tags/", {"data": "name", "headers": {"Content-Type": "text/plain"}}, 415),
        ("POST", "/api/tags/", {"data": "{", "headers": {"Content-Type": "application/json"}}, 400),
        ("POST", "/api/tags/", {"json": ["name"]}, 400),
        ("POST", "/api/tags/", {"json": "name"}, 400),
        ("GET", "/api/questions/?ordering=%00", {}, 400),
        ("GET", "/api/questions/?limit=-1", {}, 400),
        ("GET", "/api/stats/?tz=%00", {}, 400),
    ],
)
def test_refusals_of_the_shared_machinery_are_error_bodies(owner, method, path, options, status):
    response = owner.request(method, path, **options)

    assert response.status_code == status
    assert_error_body(response)


# --- Every operation, with input it must refuse -------------------------------------------


def operations(schema: dict):
    """(method, path, operation) for every operation; deletions last, so that they
    cannot take away what the others are called on."""
    found = [
        (method.upper(), path, operation)
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if method in {"get", "post", "put", "patch", "delete"}
    ]
    return sorted(found, key=lambda found: (found[0] == "DELETE", found[1], found[0]))


def concrete_path(path: str, ids: dict[str, int]) -> str:
    """The path with the owner's own objects in it, so that input reaches validation."""
    path = path.replace("{platform}", "leetcode").replace("{question_id}", str(ids["questions"]))
    resource = re.search(r"/api/(?:accounts/)?(\w+)/", path).group(1)
    if "/logs/{id}/" in path:
        resource = "logs"
    return path.replace("{id}", str(ids.get(resource, 1)))


def bad_bodies(operation: dict, components: dict) -> list:
    """Bodies every write must refuse: not an object, and every property a NUL."""
    content = operation["requestBody"]["content"]
    schema = content.get("application/json", {}).get("schema", {})
    if "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[1]]
    return [[], "text", {name: "\x00" for name in schema.get("properties", {})}]


def test_every_operation_refuses_bad_input_with_the_error_body(anon, sign_in, owner):
    tag = create_tag(owner)
    question = create_question(owner, tag_ids=[tag["id"]])
    ids = {
        "tags": tag["id"],
        "questions": question["id"],
        "logs": create_log(owner, question["id"], outcome="Solved")["id"],
        "tokens": owner.post("/api/accounts/tokens/", json={"name": "walk"}).json()["id"],
    }
    schema = anon.get("/api/schema/").json()
    components = schema["components"]["schemas"]

    attempted, refused = set(), set()
    for method, path, operation in operations(schema):
        queries = [p["name"] for p in operation.get("parameters", []) if p["in"] == "query"]
        attempts = [{"params": {name: "\x00"}} for name in queries]
        if "requestBody" in operation:
            attempts += [{"json": body} for body in bad_bodies(operation, components)]
        if not attempts:
            continue
        attempted.add((method, path))
        # A session of its own per operation: logging out or deleting ends only that one.
        client = sign_in(owner.user)
        url = concrete_path(path, ids)
        for attempt in attempts:
            response = client.request(method, url, **attempt)
            assert response.status_code < 500, f"{method} {url} {attempt}: {response.text}"
            if response.status_code >= 400:
                assert_error_body(response)
                refused.add((method, path))
    # Each operation that takes input refused some of it: the walk reached its validation.
    assert refused == attempted
    assert len(attempted) > 25
