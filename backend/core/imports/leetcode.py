"""LeetCode's GraphQL endpoint: a user's accepted submissions, and each question's details.

Without a session cookie only the 20 most recent accepted submissions can be read
(``recentAcSubmissionList``, public). With the user's ``LEETCODE_SESSION`` cookie
the whole history is read from ``submissionList``, 20 at a time.
"""

import logging
from urllib.parse import quote

from django.conf import settings

from backend.core.enums import Difficulty, Platform
from backend.core.imports.base import (
    Completion,
    PlatformClient,
    Problem,
    Solved,
    group_completions,
    parse_time,
    text,
)
from backend.core.imports.errors import ImportFailed, UnknownUser, UpstreamMalformed

logger = logging.getLogger(__name__)

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

SIGNED_IN_QUERY = """
query importSignedIn { userStatus { isSignedIn username } }
"""

SUBMISSIONS_QUERY = """
query importSubmissions($offset: Int!, $limit: Int!, $lastKey: String) {
  submissionList(offset: $offset, limit: $limit, lastKey: $lastKey) {
    lastKey hasNext submissions { id title titleSlug statusDisplay lang timestamp }
  }
}
"""
PAGE_SIZE = 20  # the most submissionList gives per call
COOKIE_REFUSED = (
    "LeetCode did not accept your session cookie (it may have expired or been mistyped): "
    "sign in on leetcode.com, copy LEETCODE_SESSION again and start a new import."
)

QUESTION_QUERY = """
query importQuestion($titleSlug: String!) {
  question(titleSlug: $titleSlug) { title difficulty content topicTags { name } }
}
"""


class LeetCode(PlatformClient):
    name = Platform.LEETCODE
    label = "LeetCode"
    takes_session_cookie = True

    @classmethod
    def recent_notice(cls) -> str:
        return (
            f"Only your {RECENT_LIMIT} most recent accepted submissions are imported; "
            "add your LeetCode session cookie to import your whole history."
        )

    def solved(self, username: str) -> list[Solved]:
        if self.credential is not None:
            return self.history(username)
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

    def history(self, username: str) -> list[Solved]:
        """Every accepted submission of the signed-in user, page by page, newest first."""
        data, errors = self.query(SIGNED_IN_QUERY, {}, "who is signed in")
        with self.reading("who is signed in"):
            status = data["userStatus"] if data else None
            signed_in = isinstance(status, dict) and status.get("isSignedIn") is True
            owner = status.get("username") if signed_in else None
        if not signed_in:
            raise ImportFailed(COOKIE_REFUSED)
        if not isinstance(owner, str) or owner.lower() != username.lower():
            raise ImportFailed(
                f"That session cookie signs in LeetCode user '{str(owner)[:64]}', not "
                f"'{username}': import that user, or use {username}'s cookie."
            )
        what = "your submissions"
        entries = []
        last_key = None
        for page in range(settings.LEETCODE_MAX_PAGES):
            variables = {"offset": page * PAGE_SIZE, "limit": PAGE_SIZE, "lastKey": last_key}
            data, errors = self.query(SUBMISSIONS_QUERY, variables, what)
            if data is not None and data.get("submissionList") is None and errors:
                raise ImportFailed(COOKIE_REFUSED)  # signed out halfway
            self.raise_errors(errors)
            with self.reading(what):
                listing = data["submissionList"]
                submissions, has_next = listing["submissions"] or [], listing.get("hasNext")
                if not isinstance(submissions, list):
                    raise TypeError("submissions is not a list")
                last_key = listing.get("lastKey")
                if not (last_key is None or isinstance(last_key, str)):
                    raise TypeError("lastKey is not a string")
            for item in submissions:
                try:
                    if item["statusDisplay"] != "Accepted":
                        continue
                    language = item.get("lang")
                    entries.append(
                        (
                            text(item["titleSlug"], max_length=100),
                            item.get("title") if isinstance(item.get("title"), str) else "",
                            Completion(
                                completed_at=parse_time(item["timestamp"]),
                                languages=(text(language, max_length=100),) if language else (),
                            ),
                        )
                    )
                except (KeyError, TypeError, ValueError, AttributeError):
                    self.skipped += 1
            if has_next is not True:
                break
            self.checkpoint()
        else:
            logger.warning("LeetCode history cut at %s pages (LEETCODE_MAX_PAGES).", page + 1)
        return group_completions(entries)

    def query(self, query: str, variables: dict, what: str) -> tuple[dict | None, list]:
        """POST one GraphQL query (the values travel as variables); return (data, errors)."""
        # LeetCode refuses GraphQL POSTs that do not come from its own pages.
        headers = {"Referer": "https://leetcode.com/"}
        if self.credential is not None:
            cookie = f"LEETCODE_SESSION={self.credential.session_cookie}"
            if self.credential.csrf_token:
                cookie += f"; csrftoken={self.credential.csrf_token}"
                headers["X-CSRFToken"] = self.credential.csrf_token
            headers["Cookie"] = cookie
        response = self.http.request(
            "POST",
            settings.LEETCODE_GRAPHQL_URL,
            json={"query": query, "variables": variables},
            headers=headers,
        )
        if self.credential is not None and response.status_code in (401, 403):
            raise ImportFailed(COOKIE_REFUSED)
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
