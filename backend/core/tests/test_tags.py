import time
from concurrent.futures import ThreadPoolExecutor

import psycopg2
import pytest
from django.db import connection
from django.db.models.signals import m2m_changed

from backend.core.models import Question, Tag
from backend.core.questions.serializers import QuestionSerializer
from backend.test_common.api import create_question, create_tag


def test_create_and_read_a_tag(owner):
    response = owner.post("/api/tags/", json={"name": "  graphs ", "description": "BFS, DFS"})

    assert response.status_code == 201
    tag = response.json()
    assert tag == {"id": tag["id"], "name": "graphs", "description": "BFS, DFS"}
    assert owner.get(f"/api/tags/{tag['id']}/").json() == tag


def test_list_is_an_array_sorted_by_name(owner):
    for name in ["trees", "Arrays", "graphs"]:
        create_tag(owner, name)

    response = owner.get("/api/tags/")

    assert response.status_code == 200
    assert [tag["name"] for tag in response.json()] == ["Arrays", "graphs", "trees"]


@pytest.mark.parametrize("duplicate", ["arrays", "ARRAYS", "  Arrays  "])
def test_duplicate_name_is_400_on_create(owner, duplicate):
    create_tag(owner, "arrays")

    response = owner.post("/api/tags/", json={"name": duplicate})

    assert response.status_code == 400
    assert list(response.json()) == ["name"]
    assert Tag.objects.count() == 1


def test_duplicate_name_is_400_on_rename(owner):
    create_tag(owner, "arrays")
    trees = create_tag(owner, "trees")

    response = owner.patch(f"/api/tags/{trees['id']}/", json={"name": "Arrays"})

    assert response.status_code == 400
    assert Tag.objects.get(pk=trees["id"]).name == "trees"


def test_renaming_a_tag_to_itself_in_another_case_is_fine(owner):
    tag = create_tag(owner, "arrays")

    response = owner.put(f"/api/tags/{tag['id']}/", json={"name": "Arrays", "description": ""})

    assert response.status_code == 200
    assert response.json()["name"] == "Arrays"


def test_two_users_may_have_the_same_tag_name(owner, outsider):
    create_tag(owner, "arrays")

    assert outsider.post("/api/tags/", json={"name": "arrays"}).status_code == 201


def test_deleting_a_tag_detaches_it_and_keeps_the_questions(owner):
    arrays, trees = create_tag(owner, "arrays"), create_tag(owner, "trees")
    question = create_question(owner, tag_ids=[arrays["id"], trees["id"]])

    response = owner.delete(f"/api/tags/{arrays['id']}/")

    assert response.status_code == 204
    assert owner.get(f"/api/tags/{arrays['id']}/").status_code == 404
    tags = owner.get(f"/api/questions/{question['id']}/").json()["tags"]
    assert tags == [{"id": trees["id"], "name": "trees"}]
    assert Question.objects.count() == 1


@pytest.mark.parametrize(
    "payload, field",
    [
        ({}, "name"),
        ({"name": ""}, "name"),
        ({"name": "   "}, "name"),
        ({"name": "x" * 51}, "name"),
        ({"name": None}, "name"),
        ({"name": ["arrays"]}, "name"),
        ({"name": "nul\x00byte"}, "name"),
        ({"name": "ok", "description": {"a": 1}}, "description"),
    ],
)
def test_invalid_tag_is_400_naming_the_field(owner, payload, field):
    response = owner.post("/api/tags/", json=payload)

    assert response.status_code == 400
    assert field in response.json()
    assert not Tag.objects.exists()


def test_fifty_characters_after_trimming_are_allowed(owner):
    response = owner.post("/api/tags/", json={"name": "  " + "x" * 50 + "  "})

    assert response.status_code == 201


# --- A tag deleted while a question write attaches it ---------------------------------


@pytest.mark.parametrize("method", ["post", "put"])
def test_a_tag_deleted_after_the_question_write_checked_it_is_400(owner, monkeypatch, method):
    gone, kept = create_tag(owner, "gone"), create_tag(owner, "kept")
    question = create_question(owner, "Q", tag_ids=[kept["id"]])
    validate = QuestionSerializer.validate_tag_ids

    def validate_then_delete(serializer, ids):
        tags = validate(serializer, ids)
        Tag.objects.filter(pk=gone["id"]).delete()  # as another request would, meanwhile
        return tags

    monkeypatch.setattr(QuestionSerializer, "validate_tag_ids", validate_then_delete)
    path = "/api/questions/" if method == "post" else f"/api/questions/{question['id']}/"

    response = getattr(owner, method)(
        path, json={"title": "R", "tag_ids": [kept["id"], gone["id"]]}
    )

    assert response.status_code == 400
    assert response.json() == {"tag_ids": [f"Tag {gone['id']} does not exist."]}
    assert owner.get("/api/questions/").json() == [question]


def test_a_tag_deleted_while_a_question_write_attaches_it_waits_for_the_write(
    owner, sign_in, monkeypatch
):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs one write at a time: the two cannot overlap")
    tag = create_tag(owner, "racing")
    other_tab = sign_in(owner.user)
    deleting = ThreadPoolExecutor(1)
    deleted = []

    def delete_meanwhile(sender, action, **kwargs):
        # The question's links are inserted, not committed: the DELETE must wait for them.
        if action == "post_add" and not deleted:
            deleted.append(deleting.submit(other_tab.delete, f"/api/tags/{tag['id']}/"))
            wait_for_a_lock_wait()

    m2m_changed.connect(delete_meanwhile, sender=Question.tags.through)
    try:
        response = owner.post("/api/questions/", json={"title": "Q", "tag_ids": [tag["id"]]})
        assert response.status_code == 201, response.text
        assert deleted[0].result().status_code == 204
    finally:
        m2m_changed.disconnect(delete_meanwhile, sender=Question.tags.through)
        deleting.shutdown()
    (question,) = owner.get("/api/questions/").json()
    assert question["tags"] == []
    assert not Tag.objects.filter(pk=tag["id"]).exists()


def wait_for_a_lock_wait(timeout: float = 10) -> None:
    """Until a query of this database waits for a row lock (PostgreSQL)."""
    settings = connection.settings_dict
    with (
        psycopg2.connect(
            dbname=settings["NAME"],
            user=settings["USER"],
            password=settings["PASSWORD"],
            host=settings["HOST"],
            port=settings["PORT"] or None,
        ) as watcher,
        watcher.cursor() as cursor,
    ):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                return
            time.sleep(0.02)
    raise AssertionError("no query waited for a lock")
