"""A question's source is an http(s) link or plain text; no other kind of link gets in."""

import pytest

from backend.core.models import Question
from backend.test_common.api import create_question


@pytest.mark.parametrize(
    "source",
    [
        "",
        "https://leetcode.com/problems/two-sum/",
        "http://example.com/q?id=1#top",
        "HTTPS://EXAMPLE.COM/",
        "Cracking the Coding Interview, 4.2",
        "Elements of Programming Interviews: chapter 5",
        "asked at a phone screen",
    ],
)
def test_links_and_plain_text_are_kept_as_sent(owner, source):
    question = create_question(owner, source=source)

    assert question["source"] == source
    assert owner.get(f"/api/questions/{question['id']}/").json()["source"] == source


@pytest.mark.parametrize(
    "source, message",
    [
        ("javascript:alert(1)", "Only http:// and https:// links are allowed"),
        ("JavaScript:alert(1)", "Only http:// and https:// links are allowed"),
        ("data:text/html,<script>alert(1)</script>", "Only http:// and https:// links"),
        ("vbscript:msgbox(1)", "Only http:// and https:// links are allowed"),
        ("ftp://example.com/file", "Only http:// and https:// links are allowed"),
        ("mailto:someone@example.com", "Only http:// and https:// links are allowed"),
        ("java\tscript:alert(1)", "Must be one line, without control characters."),
        ("https://example.com/\nnext", "Must be one line, without control characters."),
        ("http:alert(1)", "Enter a valid http:// or https:// URL."),
        ("https://", "Enter a valid http:// or https:// URL."),
    ],
)
def test_other_links_are_refused_and_nothing_is_written(owner, source, message):
    response = owner.post("/api/questions/", json={"title": "Two Sum", "source": source})

    assert response.status_code == 400, response.text
    assert response.json()["source"][0].startswith(message)
    assert not Question.objects.filter(owner=owner.user).exists()


def test_an_edit_to_a_script_link_is_refused(owner):
    question = create_question(owner, source="https://example.com/")

    response = owner.patch(f"/api/questions/{question['id']}/", json={"source": "javascript:x"})

    assert response.status_code == 400
    assert owner.get(f"/api/questions/{question['id']}/").json()["source"] == (
        "https://example.com/"
    )
