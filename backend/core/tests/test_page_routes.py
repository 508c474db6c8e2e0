"""The …/page/ routes: the same lists as their plain routes, always as a page."""

import pytest


@pytest.fixture
def lists(owner):
    """Two of everything a list holds, and each list's plain route and page route."""
    for name in ("a", "b"):
        assert owner.post("/api/tags/", json={"name": name}).status_code == 201
    questions = [owner.post("/api/questions/", json={"title": t}).json() for t in ("x", "y")]
    logs = f"/api/questions/{questions[0]['id']}/logs/"
    for outcome in ("Solved", "Failed"):
        assert owner.post(logs, json={"outcome": outcome}).status_code == 201
    for name in ("laptop", "phone"):
        assert owner.post("/api/accounts/tokens/", json={"name": name}).status_code == 201
    return ["/api/tags/", "/api/questions/", logs, "/api/accounts/tokens/"]


def test_a_page_route_serves_its_list_as_pages(owner, lists):
    for path in lists:
        everything = owner.get(path).json()

        first = owner.get(f"{path}page/")
        second = owner.get(f"{path}page/", params={"limit": 1, "offset": 1})

        assert first.status_code == 200, path
        assert first.json() == {
            "count": 2,
            "next": None,
            "previous": None,
            "results": everything,
        }, path
        assert second.json()["results"] == everything[1:], path
        assert second.json()["count"] == 2


def test_page_routes_take_the_lists_filters(owner, lists):
    page = owner.get("/api/questions/page/", params={"search": "y"}).json()

    assert [question["title"] for question in page["results"]] == ["y"]
    assert page["count"] == 1


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_page_routes_only_read(owner, lists, method):
    for path in lists:
        response = getattr(owner, method)(f"{path}page/", json={"name": "z", "title": "z"})

        assert response.status_code == 405, path
    assert len(owner.get("/api/tags/").json()) == 2


@pytest.mark.parametrize("params, field", [({"limit": 0}, "limit"), ({"offset": "x"}, "offset")])
def test_a_bad_limit_or_offset_is_a_400(owner, params, field):
    response = owner.get("/api/tags/page/", params=params)

    assert response.status_code == 400
    assert list(response.json()) == [field]


def test_another_users_pages_are_empty_or_404(owner, outsider, lists):
    assert outsider.get("/api/tags/page/").json()["results"] == []
    assert outsider.get("/api/questions/page/").json()["count"] == 0
    assert outsider.get(f"{lists[2]}page/").status_code == 404


def test_signed_out_callers_get_a_403(anon):
    assert anon.get("/api/tags/page/").status_code == 403
