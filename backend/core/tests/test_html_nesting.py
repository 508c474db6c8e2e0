"""HTML content nested too deeply to sanitize cheaply (parsing costs the square of the
depth: 60,000 nested <div> took 28 s) is refused where a person wrote it and kept as
its text where a platform sent it. How long sanitizing takes is `make bench`'s business;
these tests hold the bound itself."""

import pytest

from backend.core.models import MAX_HTML_DEPTH, Question, html_depth_exceeds, sanitize_html
from backend.core.tests.import_fakes import FakeCodewars, at, fast_import_settings, run_import
from backend.test_common.api import create_question

TOO_DEEP = (f"The HTML nests more than {MAX_HTML_DEPTH} elements deep; simplify it.",)


def nested(depth: int, tag: str = "div", text: str = "x &amp; y") -> str:
    return f"<{tag}>" * depth + text + f"</{tag}>" * depth


@pytest.mark.parametrize(
    "html, too_deep",
    [
        (nested(MAX_HTML_DEPTH), False),
        (nested(MAX_HTML_DEPTH + 1), True),
        (nested(MAX_HTML_DEPTH + 1, "b").replace("</b>", ""), True),  # never closed
        ("<div/>" * (MAX_HTML_DEPTH + 1), True),  # "/>" does not close a <div>
        (nested(MAX_HTML_DEPTH) * 50, False),  # siblings, not nesting
        ("<p>a" * 10_000, False),  # each <p> closes the one before
        ("<ul><li>a" * 100 + "</ul>" * 100, False),
        ("<br><img src=x><hr>" * 10_000, False),
    ],
)
def test_the_depth_is_counted_as_a_parser_nests(html, too_deep):
    assert html_depth_exceeds(html) is too_deep


def test_too_deep_html_keeps_its_text_when_sanitized():
    assert sanitize_html(nested(60_000, text="a &lt; b <script>alert(1)</script>")) == (
        "a &lt; b alert(1)"
    )
    assert sanitize_html(nested(MAX_HTML_DEPTH)) == nested(MAX_HTML_DEPTH)


@pytest.mark.parametrize("depth", [MAX_HTML_DEPTH + 1, 60_000])
def test_the_api_refuses_content_nested_too_deeply(owner, depth):
    response = owner.post("/api/questions/", json={"title": "Deep", "content": nested(depth)})

    assert response.status_code == 400
    assert response.json() == {"content": list(TOO_DEEP)}
    assert not Question.objects.filter(owner=owner.user).exists()
    question = create_question(owner, "Fine", content=nested(MAX_HTML_DEPTH))
    assert question["content"] == nested(MAX_HTML_DEPTH)
    response = owner.patch(f"/api/questions/{question['id']}/", json={"content": nested(depth)})
    assert response.status_code == 400
    assert owner.get(f"/api/questions/{question['id']}/").json()["content"] == question["content"]


def test_a_data_import_refuses_content_nested_too_deeply(owner):
    document = {"version": 1, "questions": [{"title": "Deep", "content": nested(70_000)}]}

    response = owner.post("/api/accounts/import/", json=document)

    assert response.status_code == 400
    assert response.json() == {"questions": {"0": {"content": list(TOO_DEEP)}}}
    assert not Question.objects.filter(owner=owner.user).exists()


def test_a_platforms_description_nested_too_deeply_is_imported_as_its_text(
    owner, httpserver, settings
):
    fast_import_settings(settings)
    codewars = FakeCodewars.serve(httpserver, settings)
    codewars.add_kata("k" * 24, "Deep kata", description=nested(70_000, text="Find the sum."))
    codewars.complete("ann", "k" * 24, at(2))

    job = run_import(owner, "codewars", "ann")

    assert job["status"] == "succeeded", job["error"]
    (question,) = owner.get("/api/questions/").json()
    assert (question["title"], question["content"]) == ("Deep kata", "Find the sum.")
