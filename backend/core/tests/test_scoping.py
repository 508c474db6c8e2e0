"""Nobody but the owner can see or touch a question, log or tag: always a 404."""

import pytest

from backend.core.models import Question, QuestionLog, Tag
from backend.test_common.api import create_log, create_question, create_tag


@pytest.fixture
def owned(owner):
    tag = create_tag(owner, "arrays")
    question = create_question(owner, "Two Sum", tag_ids=[tag["id"]])
    log = create_log(owner, question["id"], outcome="Solved")
    return {"tag": tag, "question": question, "log": log}


def snapshot():
    return (
        list(Tag.objects.values()),
        list(Question.objects.values()),
        list(QuestionLog.objects.values()),
        list(Question.tags.through.objects.values()),
    )


def test_lists_show_only_the_callers_data(owned, outsider):
    for path in ["/api/questions/", "/api/tags/"]:
        assert outsider.get(path).json() == []


DETAIL_ROUTES = [
    ("/api/questions/{question}/", ["get", "put", "patch", "delete"]),
    ("/api/questions/{question}/logs/", ["get", "post"]),
    ("/api/questions/{question}/logs/{log}/", ["get", "put", "patch", "delete"]),
    ("/api/tags/{tag}/", ["get", "put", "patch", "delete"]),
]


@pytest.mark.parametrize(
    "template, method",
    [(template, method) for template, methods in DETAIL_ROUTES for method in methods],
)
def test_another_users_objects_are_404_for_every_method_and_nothing_changes(
    owned, outsider, template, method
):
    path = template.format(
        question=owned["question"]["id"], log=owned["log"]["id"], tag=owned["tag"]["id"]
    )
    before = snapshot()

    response = getattr(outsider, method)(path, json={"title": "mine", "name": "mine"})

    assert response.status_code == 404
    assert list(response.json()) == ["detail"]
    assert snapshot() == before


def test_another_users_tag_id_is_400_naming_it(owned, outsider):
    before = snapshot()

    response = outsider.post(
        "/api/questions/", json={"title": "Mine", "tag_ids": [owned["tag"]["id"], 999999]}
    )

    assert response.status_code == 400
    assert response.json() == {
        "tag_ids": [f"Tag {owned['tag']['id']} does not exist.", "Tag 999999 does not exist."]
    }
    assert snapshot() == before


def test_another_users_tag_id_cannot_be_attached_by_update(owned, outsider):
    mine = create_question(outsider, "Mine")

    response = outsider.patch(
        f"/api/questions/{mine['id']}/", json={"tag_ids": [owned["tag"]["id"]]}
    )

    assert response.status_code == 400
    assert outsider.get(f"/api/questions/{mine['id']}/").json()["tags"] == []


@pytest.mark.parametrize(
    "method, path",
    [
        ("get", "/api/questions/"),
        ("post", "/api/questions/"),
        ("get", "/api/questions/1/"),
        ("put", "/api/questions/1/"),
        ("patch", "/api/questions/1/"),
        ("delete", "/api/questions/1/"),
        ("get", "/api/questions/1/logs/"),
        ("post", "/api/questions/1/logs/"),
        ("get", "/api/questions/1/logs/1/"),
        ("put", "/api/questions/1/logs/1/"),
        ("patch", "/api/questions/1/logs/1/"),
        ("delete", "/api/questions/1/logs/1/"),
        ("get", "/api/tags/"),
        ("post", "/api/tags/"),
        ("get", "/api/tags/1/"),
        ("put", "/api/tags/1/"),
        ("patch", "/api/tags/1/"),
        ("delete", "/api/tags/1/"),
    ],
)
def test_anonymous_callers_are_refused_with_json(owned, anon, method, path):
    before = snapshot()

    response = getattr(anon, method)(path, json={"title": "x", "name": "x"})

    assert response.status_code == 403
    assert response.json() == {"detail": "Authentication credentials were not provided."}
    assert snapshot() == before


@pytest.mark.parametrize(
    "method, path",
    [
        ("post", "/api/questions/"),
        ("patch", "/api/questions/{question}/"),
        ("delete", "/api/questions/{question}/"),
        ("post", "/api/questions/{question}/logs/"),
        ("delete", "/api/questions/{question}/logs/{log}/"),
        ("post", "/api/tags/"),
        ("delete", "/api/tags/{tag}/"),
    ],
)
def test_core_writes_without_csrf_are_403(owned, owner, method, path):
    path = path.format(
        question=owned["question"]["id"], log=owned["log"]["id"], tag=owned["tag"]["id"]
    )
    before = snapshot()
    owner.send_csrf = False

    response = getattr(owner, method)(path, json={"title": "x", "name": "x"})

    assert response.status_code == 403
    assert response.json()["detail"].startswith("CSRF Failed")
    assert snapshot() == before


@pytest.mark.django_db
def test_a_log_always_belongs_to_its_questions_owner(make_user):
    mine, theirs = make_user(), make_user()
    question = Question.objects.create(owner=mine, title="Mine", slug="mine-1")
    other = Question.objects.create(owner=theirs, title="Theirs", slug="theirs-1")

    created = QuestionLog.objects.create(owner=theirs, question=question)
    [bulk] = QuestionLog.objects.bulk_create([QuestionLog(owner=theirs, question=question)])
    moved = QuestionLog.objects.create(question=question)
    moved.question = other
    moved.save()

    owners = dict(QuestionLog.objects.values_list("pk", "owner_id"))
    assert owners == {created.pk: mine.pk, bulk.pk: mine.pk, moved.pk: theirs.pk}
