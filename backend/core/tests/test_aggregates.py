"""attempts_count, solved_count, last_attempted_at and the stats are exact after every write."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from requests.adapters import HTTPAdapter

from backend.core.models import Question
from backend.test_common.api import create_log, create_question, create_tag
from backend.test_common.fixtures import PASSWORD, ApiClient
from backend.test_common.servers import gunicorn_server


def aggregates(client, question_id):
    question = client.get(f"/api/questions/{question_id}/").json()
    return question["attempts_count"], question["solved_count"], question["last_attempted_at"]


def test_aggregates_follow_create_update_and_delete(owner):
    question = create_question(owner)["id"]
    logs = f"/api/questions/{question}/logs/"

    first = create_log(owner, question, outcome="Solved", date_attempted="2026-03-01T10:00:00Z")
    assert aggregates(owner, question) == (1, 1, "2026-03-01T10:00:00Z")

    second = create_log(owner, question, outcome="Failed", date_attempted="2026-03-05T10:00:00Z")
    assert aggregates(owner, question) == (2, 1, "2026-03-05T10:00:00Z")

    create_log(owner, question, outcome="Partial", date_attempted="2026-02-01T10:00:00Z")
    assert aggregates(owner, question) == (3, 1, "2026-03-05T10:00:00Z")

    owner.patch(f"{logs}{second['id']}/", json={"outcome": "Solved"})
    assert aggregates(owner, question) == (3, 2, "2026-03-05T10:00:00Z")

    owner.patch(f"{logs}{first['id']}/", json={"date_attempted": "2026-04-01T08:00:00Z"})
    assert aggregates(owner, question) == (3, 2, "2026-04-01T08:00:00Z")

    owner.delete(f"{logs}{first['id']}/")
    assert aggregates(owner, question) == (2, 1, "2026-03-05T10:00:00Z")

    for log in owner.get(logs).json():
        owner.delete(f"{logs}{log['id']}/")
    assert aggregates(owner, question) == (0, 0, None)


def test_the_list_shows_the_same_aggregates(owner):
    question = create_question(owner)["id"]
    create_log(owner, question, outcome="Solved", date_attempted="2026-03-01T10:00:00Z")

    listed = owner.get("/api/questions/").json()[0]

    assert (listed["attempts_count"], listed["solved_count"]) == (1, 1)
    assert listed["last_attempted_at"] == "2026-03-01T10:00:00Z"


def test_logs_of_one_question_do_not_touch_another(owner):
    question, other = create_question(owner)["id"], create_question(owner, "Other")["id"]

    create_log(owner, question, outcome="Solved")

    assert aggregates(owner, other) == (0, 0, None)


def post_logs_concurrently(client, question_id, count):
    def post(n):
        outcome = "Solved" if n % 2 else "Failed"
        return client.post(f"/api/questions/{question_id}/logs/", json={"outcome": outcome})

    client.mount("http://", HTTPAdapter(pool_maxsize=count))
    with ThreadPoolExecutor(max_workers=count) as pool:
        return [response.status_code for response in pool.map(post, range(count))]


def test_concurrent_log_posts_on_one_question_are_all_counted(owner):
    question = create_question(owner)["id"]

    statuses = post_logs_concurrently(owner, question, 24)

    assert statuses == [201] * 24
    assert aggregates(owner, question)[:2] == (24, 12)


@pytest.mark.slow
def test_concurrent_log_posts_across_worker_processes_are_all_counted(owner):
    question = create_question(owner)["id"]

    with gunicorn_server(workers=4) as url, ApiClient(url) as client:
        credentials = {"username": owner.user.username, "password": PASSWORD}
        assert client.post("/api/accounts/login/", json=credentials).status_code == 200
        statuses = post_logs_concurrently(client, question, 24)

    assert statuses == [201] * 24
    stored = Question.objects.get(pk=question)
    assert (stored.attempts_count, stored.solved_count) == (24, 12)


@pytest.mark.slow
def test_concurrent_log_posts_on_many_questions_keep_the_stats_exact(owner):
    """Logs of different questions, written at once by several workers, all
    count in the stats: no write may be lost."""
    tag = create_tag(owner, "graphs")["id"]
    questions = [
        create_question(owner, f"Question {n}", difficulty="Hard", tag_ids=[tag])["id"]
        for n in range(6)
    ]

    def post(n: int):
        outcome = "Solved" if n % 2 else "Failed"
        return client.post(
            f"/api/questions/{questions[n % 6]}/logs/",
            json={"outcome": outcome, "time_spent_min": n},
        )

    with gunicorn_server(workers=4) as url, ApiClient(url) as client:
        credentials = {"username": owner.user.username, "password": PASSWORD}
        assert client.post("/api/accounts/login/", json=credentials).status_code == 200
        client.mount("http://", HTTPAdapter(pool_maxsize=12))
        with ThreadPoolExecutor(max_workers=12) as pool:
            statuses = [response.status_code for response in pool.map(post, range(36))]
        hard = client.get("/api/stats/").json()["by_difficulty"][2]

    assert statuses == [201] * 36
    assert (hard["difficulty"], hard["attempts"], hard["solved"]) == ("Hard", 36, 18)
