import re

import pytest

from backend.core.models import Question, QuestionLog
from backend.test_common.api import create_log, create_question, create_tag

QUESTION_FIELDS = {
    "id",
    "title",
    "slug",
    "content",
    "source",
    "difficulty",
    "is_active",
    "tags",
    "created_at",
    "updated_at",
    "attempts_count",
    "solved_count",
    "last_attempted_at",
    "next_review_at",
    "review_state",
}


def test_create_a_question_with_tags(owner):
    arrays, hashing = create_tag(owner, "arrays"), create_tag(owner, "hashing")

    response = owner.post(
        "/api/questions/",
        json={
            "title": "Two Sum",
            "content": "<p>Find two numbers.</p>",
            "source": "https://leetcode.com/problems/two-sum/",
            "difficulty": "Easy",
            "tag_ids": [hashing["id"], arrays["id"]],
        },
    )

    assert response.status_code == 201
    question = response.json()
    assert set(question) == QUESTION_FIELDS
    assert question["title"] == "Two Sum"
    assert question["content"] == "<p>Find two numbers.</p>"
    assert question["difficulty"] == "Easy"
    assert question["is_active"] is True
    assert question["tags"] == [
        {"id": arrays["id"], "name": "arrays"},
        {"id": hashing["id"], "name": "hashing"},
    ]
    assert question["attempts_count"] == question["solved_count"] == 0
    assert question["last_attempted_at"] is None
    assert owner.get(f"/api/questions/{question['id']}/").json() == question


def test_minimal_question_gets_defaults(owner):
    question = create_question(owner, "Reverse a linked list")

    assert question["content"] == question["source"] == question["difficulty"] == ""
    assert question["tags"] == []
    assert re.fullmatch(r"reverse-a-linked-list-[a-z0-9]{10}", question["slug"])


def test_slugs_are_unique_for_the_same_title(owner, outsider):
    slugs = {create_question(client, "Two Sum")["slug"] for client in (owner, owner, outsider)}

    assert len(slugs) == 3


def test_title_without_letters_still_gets_a_slug(owner):
    assert create_question(owner, "!!!")["slug"].startswith("question-")


def test_list_is_an_array_newest_first(owner):
    titles = ["first", "second", "third"]
    for title in titles:
        create_question(owner, title)

    response = owner.get("/api/questions/")

    assert response.status_code == 200
    assert [question["title"] for question in response.json()] == titles[::-1]


def test_patch_changes_only_the_fields_sent_and_ignores_read_only_ones(owner):
    question = create_question(owner, "Old title", difficulty="Hard", source="LeetCode")

    response = owner.patch(
        f"/api/questions/{question['id']}/",
        json={
            "title": "New title",
            "slug": "hijacked",
            "attempts_count": 99,
            "solved_count": 99,
            "last_attempted_at": "2020-01-01T00:00:00Z",
            "created_at": "2020-01-01T00:00:00Z",
            "id": 12345,
        },
    )

    assert response.status_code == 200
    updated = response.json()
    assert updated["title"] == "New title"
    assert updated["difficulty"] == "Hard" and updated["source"] == "LeetCode"
    assert updated["slug"] == question["slug"]
    assert updated["id"] == question["id"]
    assert updated["attempts_count"] == 0 and updated["last_attempted_at"] is None
    assert updated["created_at"] == question["created_at"]
    assert updated["updated_at"] > question["updated_at"]


def test_put_replaces_the_fields(owner):
    question = create_question(owner, "Old", difficulty="Hard", source="LeetCode")

    response = owner.put(f"/api/questions/{question['id']}/", json={"title": "New"})

    assert response.status_code == 200
    assert response.json()["title"] == "New"


@pytest.mark.parametrize("method", ["put", "patch"])
def test_tag_ids_replace_the_set(owner, method):
    arrays, trees, graphs = (create_tag(owner, name) for name in ["arrays", "trees", "graphs"])
    question = create_question(owner, tag_ids=[arrays["id"], trees["id"]])

    response = getattr(owner, method)(
        f"/api/questions/{question['id']}/", json={"title": "Two Sum", "tag_ids": [graphs["id"]]}
    )

    assert response.status_code == 200
    assert response.json()["tags"] == [{"id": graphs["id"], "name": "graphs"}]


def test_patch_without_tag_ids_keeps_the_tags(owner):
    arrays = create_tag(owner, "arrays")
    question = create_question(owner, tag_ids=[arrays["id"]])

    response = owner.patch(f"/api/questions/{question['id']}/", json={"is_active": False})

    assert response.json()["tags"] == [{"id": arrays["id"], "name": "arrays"}]
    assert response.json()["is_active"] is False


def test_empty_tag_ids_clear_the_tags(owner):
    question = create_question(owner, tag_ids=[create_tag(owner)["id"]])

    response = owner.patch(f"/api/questions/{question['id']}/", json={"tag_ids": []})

    assert response.json()["tags"] == []


def test_repeated_tag_ids_count_once(owner):
    arrays = create_tag(owner, "arrays")

    question = create_question(owner, tag_ids=[arrays["id"], arrays["id"]])

    assert question["tags"] == [{"id": arrays["id"], "name": "arrays"}]


def test_delete_removes_the_question_and_its_logs(owner):
    question = create_question(owner)
    other = create_question(owner, "Keep me")
    create_log(owner, question["id"], outcome="Solved")
    create_log(owner, other["id"], outcome="Solved")

    response = owner.delete(f"/api/questions/{question['id']}/")

    assert response.status_code == 204
    assert owner.get(f"/api/questions/{question['id']}/").status_code == 404
    assert owner.get(f"/api/questions/{question['id']}/logs/").status_code == 404
    assert not QuestionLog.objects.filter(question_id=question["id"]).exists()
    assert QuestionLog.objects.filter(question_id=other["id"]).count() == 1
    assert Question.objects.count() == 1


@pytest.mark.parametrize(
    "html, expected",
    [
        ("<p>Hi <strong>there</strong></p>", "<p>Hi <strong>there</strong></p>"),
        ("<p>a</p><script>alert(1)</script>", "<p>a</p>"),
        ('<img src="x.png" onerror="alert(1)">', '<img src="x.png">'),
        ('<a href="javascript:alert(1)">x</a>', '<a rel="noopener noreferrer">x</a>'),
        (
            '<a href="https://example.com">x</a>',
            '<a href="https://example.com" rel="noopener noreferrer">x</a>',
        ),
        ("<pre><code>if (a &lt; b) {}</code></pre>", "<pre><code>if (a &lt; b) {}</code></pre>"),
        (
            "<ul><li>one</li></ul><ol><li>two</li></ol>",
            "<ul><li>one</li></ul><ol><li>two</li></ol>",
        ),
    ],
)
def test_content_is_sanitized_on_write(owner, html, expected):
    created = create_question(owner, content=html)
    assert created["content"] == expected

    updated = owner.patch(f"/api/questions/{created['id']}/", json={"content": html}).json()
    assert updated["content"] == expected
    assert Question.objects.get(pk=created["id"]).content == expected
