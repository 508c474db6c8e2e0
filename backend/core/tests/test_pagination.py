import pytest

from backend.core.models import Question, question_slug
from backend.test_common.api import create_log, create_question, create_tag


@pytest.fixture
def five_questions(owner):
    return [create_question(owner, f"Question {n}") for n in range(5)][::-1]  # newest first


def test_without_limit_the_list_is_a_plain_array(owner, five_questions):
    response = owner.get("/api/questions/?offset=2")

    assert response.json() == five_questions


def test_limit_and_offset_switch_to_the_envelope(owner, five_questions, base_url):
    response = owner.get("/api/questions/?limit=2&offset=1")

    assert response.status_code == 200
    page = response.json()
    assert page["count"] == 5
    assert page["results"] == five_questions[1:3]
    assert page["next"] == f"{base_url}/api/questions/?limit=2&offset=3"
    assert page["previous"] == f"{base_url}/api/questions/?limit=2"


def test_pages_walk_the_whole_list_once(owner, five_questions):
    seen, url = [], "/api/questions/?limit=2"
    while url:
        page = owner.get(url).json()
        seen += page["results"]
        url = page["next"]

    assert seen == five_questions


def test_offset_past_the_end_is_an_empty_page(owner, five_questions):
    page = owner.get("/api/questions/?limit=2&offset=50").json()

    assert page["count"] == 5 and page["results"] == []


def test_limit_is_capped_at_one_thousand_and_without_it_the_list_is_whole(owner):
    Question.objects.bulk_create(
        Question(owner=owner.user, title=f"Q{n}", slug=question_slug("q")) for n in range(1003)
    )
    newest_first = list(
        Question.objects.filter(owner=owner.user)
        .order_by("-created_at", "-id")
        .values_list("id", flat=True)
    )

    page = owner.get("/api/questions/?limit=5000").json()
    whole = owner.get("/api/questions/").json()

    assert page["count"] == 1003
    assert [question["id"] for question in page["results"]] == newest_first[:1000]
    assert [question["id"] for question in whole] == newest_first


@pytest.mark.parametrize(
    "query, field",
    [
        ("limit=abc", "limit"),
        ("limit=-1", "limit"),
        ("limit=0", "limit"),
        ("limit=1.5", "limit"),
        ("limit=99999999999999999999999", "limit"),
        ("limit=5&offset=-3", "offset"),
        ("limit=5&offset=x", "offset"),
        ("offset=-1", "offset"),  # checked even without a limit
        ("offset=true", "offset"),
    ],
)
def test_invalid_limit_or_offset_is_400(owner, five_questions, query, field):
    response = owner.get(f"/api/questions/?{query}")

    assert response.status_code == 400
    assert list(response.json()) == [field]


@pytest.fixture
def ties(owner):
    """Seven questions with repeated titles, one creation time for all, and an
    attempt on every third: ties and empty values to order by."""
    questions = [create_question(owner, "Same" if n % 2 else f"Question {n}") for n in range(7)]
    Question.objects.update(created_at=Question.objects.earliest("created_at").created_at)
    for question in questions[::3]:
        create_log(owner, question["id"], outcome="Solved", date_attempted="2026-01-01T10:00:00Z")
    return questions


@pytest.mark.parametrize(
    "ordering", ["", "ordering=title", "ordering=-last_attempted_at", "ordering=solved_count"]
)
@pytest.mark.parametrize("limit", [2, 3])
def test_every_page_is_its_slice_of_the_whole_list(owner, ties, ordering, limit):
    whole = owner.get(f"/api/questions/?{ordering}").json()

    pages = [
        owner.get(f"/api/questions/?{ordering}&limit={limit}&offset={offset}").json()["results"]
        for offset in range(len(whole) + 1)
    ]

    assert pages == [whole[offset : offset + limit] for offset in range(len(whole) + 1)]


def test_log_pages_near_the_end_keep_the_order_of_equal_dates(owner):
    question = create_question(owner)["id"]
    for _ in range(5):
        create_log(owner, question, date_attempted="2026-01-01T10:00:00Z")
    path = f"/api/questions/{question}/logs/"
    whole = owner.get(path).json()

    last = owner.get(f"{path}?limit=2&offset=3").json()["results"]

    assert last == whole[3:]


def test_log_and_tag_lists_page_too(owner):
    question = create_question(owner)
    for _ in range(3):
        create_log(owner, question["id"])
        create_tag(owner, f"tag {_}")

    for path in [f"/api/questions/{question['id']}/logs/", "/api/tags/"]:
        assert len(owner.get(path).json()) == 3
        page = owner.get(f"{path}?limit=2").json()
        assert page["count"] == 3 and len(page["results"]) == 2
