"""Every date and number parameter at and past its extremes: a 200 or a clear 400, never a 500."""

import pytest

from backend.test_common.api import create_question

HUGE = str(10**30)


@pytest.mark.parametrize(
    "query, status",
    [
        # Stats: dates from 1900-01-01 (no attempt is older) to the end of the calendar.
        ("/api/stats/?until=0001-01-01", 400),
        ("/api/stats/?until=0001-03-25", 400),
        ("/api/stats/?since=0001-01-01", 400),
        ("/api/stats/?until=1899-12-31", 400),
        ("/api/stats/?since=1900-01-01", 200),
        ("/api/stats/?until=1900-01-01", 200),
        ("/api/stats/?since=1900-01-01&until=1900-01-01", 200),
        ("/api/stats/?until=9999-12-31", 200),
        ("/api/stats/?since=9999-12-31", 200),
        ("/api/stats/?since=9999-12-31&until=9999-12-31", 200),
        ("/api/stats/?until=10000-01-01", 400),
        ("/api/stats/?since=2026-02-30", 400),
        ("/api/stats/?since=2026-01-02&until=2026-01-01", 400),
        ("/api/stats/?tz=Pacific/Kiritimati&until=1900-01-01", 200),
        ("/api/stats/?tz=Etc/GMT%2B12&since=9999-12-31", 200),
        (f"/api/stats/?tz={'A' * 65}", 400),
        # The review queue's length and the forecast's days.
        ("/api/review/?limit=0", 400),
        ("/api/review/?limit=1", 200),
        ("/api/review/?limit=1000", 200),
        ("/api/review/?limit=1001", 400),
        ("/api/review/?limit=-1", 400),
        (f"/api/review/?limit={HUGE}", 400),
        ("/api/review/?limit=1e3", 400),
        ("/api/review/forecast/?days=0", 400),
        ("/api/review/forecast/?days=1", 200),
        ("/api/review/forecast/?days=365", 200),
        ("/api/review/forecast/?days=366", 400),
        (f"/api/review/forecast/?days={HUGE}", 400),
        # Pages of every list.
        ("/api/questions/?limit=0", 400),
        ("/api/questions/?limit=1", 200),
        ("/api/questions/?limit=1000000", 200),
        (f"/api/questions/?limit={HUGE}", 400),
        ("/api/questions/?limit=1&offset=-1", 400),
        ("/api/questions/?limit=1&offset=999999999999999999", 200),
        (f"/api/questions/?limit=1&offset={HUGE}", 400),
        ("/api/tags/?limit=1&offset=999999999999999999", 200),
        ("/api/import/jobs/?limit=1&offset=999999999999999999", 200),
        ("/api/accounts/tokens/?limit=1&offset=999999999999999999", 200),
        # Ids in filters and paths.
        ("/api/questions/?tag=0", 400),
        (f"/api/questions/?tag={2**63 - 1}", 400),
        (f"/api/questions/?tag={2**63}", 400),
        (f"/api/questions/?tag={HUGE}", 400),
        ("/api/questions/999999999999999999/", 404),
        ("/api/questions/9999999999999999999/", 404),
        (f"/api/questions/{HUGE}/logs/", 404),
        (f"/api/tags/{HUGE}/", 404),
        (f"/api/import/jobs/{HUGE}/", 404),
        (f"/api/accounts/tokens/{HUGE}/", 404),
    ],
)
def test_query_and_path_extremes(owner, query, status):
    response = owner.get(query)

    assert response.status_code == status, response.text
    assert response.headers["Content-Type"] == "application/json"


@pytest.mark.parametrize(
    "fields, status",
    [
        ({"date_attempted": "0001-01-01T00:00:00Z"}, 400),
        ({"date_attempted": "1899-12-31T23:59:59Z"}, 400),
        ({"date_attempted": "1900-01-01T00:00:00Z"}, 201),
        ({"date_attempted": "9999-12-31T23:59:59Z"}, 400),
        ({"date_attempted": "9999-12-31T23:59:59-12:00"}, 400),
        ({"time_spent_min": -1}, 400),
        ({"time_spent_min": 0}, 201),
        ({"time_spent_min": 1440}, 201),
        ({"time_spent_min": 1441}, 400),
        ({"time_spent_min": 10**30}, 400),
        ({"time_spent_min": 1e308}, 400),
    ],
)
def test_log_field_extremes(owner, fields, status):
    question = create_question(owner)

    response = owner.post(f"/api/questions/{question['id']}/logs/", json=fields)

    assert response.status_code == status, response.text
    assert owner.get(f"/api/questions/{question['id']}/logs/").json() == (
        [response.json()] if status == 201 else []
    )


@pytest.mark.parametrize(
    "days, status", [(0, 400), (1, 201), (365, 201), (366, 400), (10**30, 400), (-(10**30), 400)]
)
def test_token_lifetime_extremes(owner, days, status):
    response = owner.post("/api/accounts/tokens/", json={"name": "ci", "expires_in_days": days})

    assert response.status_code == status, response.text
    assert len(owner.get("/api/accounts/tokens/").json()) == (1 if status == 201 else 0)


@pytest.mark.parametrize(
    "path",
    ["/api/tags/", "/api/questions/", "/api/accounts/login/", "/api/accounts/import/"],
)
def test_deeply_nested_json_is_a_parse_error(owner, path):
    response = owner.post(path, data="[" * 100_000, headers={"Content-Type": "application/json"})

    assert response.status_code == 400, response.text
    assert response.json()["detail"].startswith("JSON parse error")
    assert owner.get("/api/tags/").json() == []
