"""LeetCode's public GraphQL endpoint: a user's recent accepted submissions, each question."""

from urllib.parse import quote

from django.conf import settings

from backend.core.imports.base import (
    Completion,
    PlatformClient,
    Problem,
    Solved,
    group_completions,
    parse_time,
    text,
)
from backend.core.imports.errors import UnknownUser, UpstreamMalformed
from backend.core.models import Difficulty, Platform

PUBLIC_URL = "https://leetcode.com/problems/{slug}/"
# LeetCode's public API lists only a user's most recent accepted submissions;
# importing again later picks up the newer ones.
RECENT_LIMIT = 20

SOLVED_QUERY = """
query importRecentAccepted($username: String!, $limit: Int!) {
  matchedUser(username: $username) { username }
  recentAcSubmissionList(username: $username, limit: $limit) { id title titleSlug timestamp }
}
"""

QUESTION_QUERY = """
query importQuestion($titleSlug: String!) {
  question(titleSlug: $titleSlug) { title difficulty content topicTags { name } }
}
"""


class LeetCode(PlatformClient):
    name = Platform.LEETCODE
    label = "LeetCode"

    def solved(self, username: str) -> list[Solved]:
        what = "the list of accepted submissions"
        data, errors = self.query(SOLVED_QUERY, {"username": username, "limit": RECENT_LIMIT}, what)
        if data is not None and "matchedUser" in data and data["matchedUser"] is None:
            raise UnknownUser(f"LeetCode user '{username}' does not exist.")
        self.raise_errors(errors)
        with self.reading(what):
            entries = [
                (
                    text(item["titleSlug"], max_length=100),
                    item.get("title") if isinstance(item.get("title"), str) else "",
                    Completion(completed_at=parse_time(item["timestamp"])),
                )
                for item in data["recentAcSubmissionList"] or ()
            ]
        return group_completions(entries)

    def problem(self, solved: Solved) -> Problem:
        url = PUBLIC_URL.format(slug=quote(solved.external_id, safe=""))
        what = "a question's details"
        data, errors = self.query(QUESTION_QUERY, {"titleSlug": solved.external_id}, what)
        self.raise_errors(errors)
        with self.reading(what):
            question = data["question"]
            if question is None:  # removed since it was solved: keep what the list told us
                title = solved.title.strip()[:255] or solved.external_id
                return Problem(title=title, url=url, content="", difficulty="")
            content = question.get("content") or ""  # null for premium questions
            if not isinstance(content, str):
                raise TypeError("content is not a string")
            difficulty = question.get("difficulty")
            return Problem(
                title=text(question.get("title") or solved.title, max_length=255),
                url=url,
                content=content,
                difficulty=difficulty if difficulty in Difficulty.values else "",
                tags=tuple(
                    text(tag["name"], max_length=50) for tag in question.get("topicTags") or ()
                ),
            )

    def query(self, query: str, variables: dict, what: str) -> tuple[dict | None, list]:
        """POST one GraphQL query (the values travel as variables); return (data, errors)."""
        response = self.http.request(
            "POST",
            settings.LEETCODE_GRAPHQL_URL,
            json={"query": query, "variables": variables},
            # LeetCode refuses GraphQL POSTs that do not come from its own pages.
            headers={"Referer": "https://leetcode.com/"},
        )
        try:
            body = response.json()
        except ValueError:
            body = None
        if response.status_code != 200 and not (isinstance(body, dict) and body.get("errors")):
            raise UpstreamMalformed(
                f"LeetCode answered HTTP {response.status_code} for {what}; try again later."
            )
        with self.reading(what):
            if not isinstance(body, dict):
                raise TypeError("expected an object")
            data, errors = body.get("data"), body.get("errors") or []
            if not (data is None or isinstance(data, dict)) or not isinstance(errors, list):
                raise TypeError("unexpected data or errors")
        return data, errors

    def raise_errors(self, errors: list) -> None:
        if errors:
            first = errors[0].get("message") if isinstance(errors[0], dict) else None
            reason = f" ({str(first)[:200]})" if first else ""
            raise UpstreamMalformed(f"LeetCode refused the request{reason}; try again later.")
