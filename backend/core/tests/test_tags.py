import pytest

from backend.core.models import Question, Tag
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
