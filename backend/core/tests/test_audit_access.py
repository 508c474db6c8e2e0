"""Checks from the security review (docs/security.md) that no other module makes.

Every operation needs a signed-in user unless it is on the short public list, every
API route is in the schema, and no request body can reach a field that decides who
owns something or who is staff.
"""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from drf_spectacular.generators import EndpointEnumerator, SchemaGenerator
from drf_spectacular.views import SpectacularJSONAPIView

from backend.accounts.models import User
from backend.core.models import Question
from backend.core.views import not_found
from backend.swagger import SwaggerView
from backend.test_common.fixtures import PASSWORD

# The operations that answer a caller who has not signed in. Adding one is a
# security decision: write it down in docs/security.md (API5) as well as here.
PUBLIC_OPERATIONS = {
    ("get", "/api/health/"),
    ("get", "/api/accounts/csrf/"),
    ("get", "/api/accounts/identity/"),
    ("post", "/api/accounts/register/"),
    ("post", "/api/accounts/login/"),
    ("post", "/api/accounts/logout/"),
}
PATH_VALUES = {"platform": "codewars"}  # any other path parameter is an id


def test_every_operation_needs_a_signed_in_user_unless_public(anon):
    paths = anon.get("/api/schema/").json()["paths"]
    operations = {
        (method, path)
        for path, item in paths.items()
        for method in item
        if method in {"get", "post", "put", "patch", "delete"}
    }
    assert PUBLIC_OPERATIONS <= operations, "a public operation left the schema"

    for method, path in sorted(operations - PUBLIC_OPERATIONS):
        url = re.sub(r"\{(\w+)\}", lambda m: PATH_VALUES.get(m.group(1), "1"), path)
        response = anon.request(method, url, json={})
        assert response.status_code in (401, 403), f"{method.upper()} {path} answered anonymously"
        assert response.json() == {"detail": "Authentication credentials were not provided."}


def api_routes(patterns=None, prefix=""):
    """(route, view class) for every URL under /api/ in the URLconf."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern).lstrip("^")
        if isinstance(pattern, URLResolver):
            yield from api_routes(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern) and route.startswith("api/"):
            callback = pattern.callback
            yield route, getattr(callback, "cls", getattr(callback, "view_class", callback))


def test_every_api_route_is_in_the_schema():
    # A plain Django view, or a DRF view excluded from the schema, under /api/ would be
    # an endpoint that neither the inventory nor the check above ever sees.
    generator = SchemaGenerator()
    paths = generator.get_schema(request=None, public=True)["paths"]
    # The inventory itself, and the catch-all that answers unmatched paths with a JSON 404.
    documented = {SpectacularJSONAPIView, SwaggerView, not_found}
    for path, _, method, callback in EndpointEnumerator().get_api_endpoints():
        view = generator.create_view(callback, method)
        if method.lower() in paths.get(generator.coerce_path(path, method, view), {}):
            documented.add(callback.cls)

    assert {route for route, view in api_routes() if view not in documented} == set()


def test_registration_cannot_grant_staff_or_superuser(anon):
    response = anon.post(
        "/api/accounts/register/",
        json={"username": "mallory", "password": PASSWORD, "is_staff": True, "is_superuser": True},
    )

    assert response.status_code == 201
    mallory = User.objects.get(username="mallory")
    assert not mallory.is_staff and not mallory.is_superuser


def test_a_body_cannot_choose_the_owner_of_a_new_question(owner, outsider):
    response = outsider.post(
        "/api/questions/", json={"title": "Planted", "owner": owner.user.pk, "owner_id": 1}
    )

    assert response.status_code == 201
    assert Question.objects.get(pk=response.json()["id"]).owner_id == outsider.user.pk
    assert owner.get("/api/questions/").json() == []


@pytest.mark.parametrize("method", ["put", "patch"])
def test_an_update_cannot_hand_a_question_to_another_user(owner, outsider, method):
    question = outsider.post("/api/questions/", json={"title": "Mine"}).json()

    response = getattr(outsider, method)(
        f"/api/questions/{question['id']}/", json={"title": "Mine", "owner": owner.user.pk}
    )

    assert response.status_code == 200
    assert Question.objects.get(pk=question["id"]).owner_id == outsider.user.pk
