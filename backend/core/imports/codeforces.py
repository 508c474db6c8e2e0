"""Codeforces' public API: a handle's whole submission history from ``user.status``.

Every submission carries its problem (name, rating, tags), so no call per problem is
needed. A problem becomes a question once it has an accepted submission; each of
its accepted submissions is a ``Solved`` log and each failed one a ``Failed`` log.
"""

import logging
import re
import time

from django.conf import settings

from backend.core.enums import Difficulty, Outcome, Platform
from backend.core.imports.base import (
    Completion,
    PlatformClient,
    Problem,
    Solved,
    group_completions,
    parse_time,
    plain_text,
)
from backend.core.imports.errors import UnknownUser, UpstreamMalformed

logger = logging.getLogger(__name__)

CONTEST_URL = "https://codeforces.com/contest/{contest}/problem/{index}"
GYM_URL = "https://codeforces.com/gym/{contest}/problem/{index}"
FIRST_GYM_CONTEST = 100000  # Codeforces numbers gym contests from here
INDEX = re.compile(r"[A-Za-z0-9]{1,10}")
# Verdicts of a judged attempt that did not pass. Compilation errors, skipped and
# rejected submissions and those still being tested are not attempts at the problem.
FAILED_VERDICTS = frozenset(
    {
        "FAILED",
        "PARTIAL",
        "WRONG_ANSWER",
        "PRESENTATION_ERROR",
        "TIME_LIMIT_EXCEEDED",
        "MEMORY_LIMIT_EXCEEDED",
        "IDLENESS_LIMIT_EXCEEDED",
        "RUNTIME_ERROR",
        "SECURITY_VIOLATED",
        "CHALLENGED",
    }
)


def difficulty_from_rating(rating) -> str:
    """Below 1400 Easy, 1400-1999 Medium, 2000 and up Hard; unrated problems have none."""
    if isinstance(rating, bool) or not isinstance(rating, int):
        return ""
    return (
        Difficulty.EASY
        if rating < 1400
        else Difficulty.MEDIUM if rating < 2000 else Difficulty.HARD
    )


class Codeforces(PlatformClient):
    name = Platform.CODEFORCES
    label = "Codeforces"
    page_size = 1000  # submissions per user.status call
    # Codeforces asks API users for at most one call every two seconds.
    call_interval = 2.0

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.details: dict[str, Problem] = {}

    def solved(self, username: str) -> list[Solved]:
        url = settings.CODEFORCES_API_URL.rstrip("/") + "/user.status"
        entries = []
        start = 1
        for page in range(1, settings.IMPORT_MAX_PAGES + 1):
            response = self.http.request(
                "GET", url, params={"handle": username, "from": start, "count": self.page_size}
            )
            submissions = self.result(response, username)
            for item in submissions:
                try:
                    entry = self.submission(item)
                except (KeyError, IndexError, TypeError, ValueError, AttributeError):
                    self.skipped += 1
                    continue
                if entry is not None:
                    entries.append(entry)
            if len(submissions) < self.page_size:
                break
            if page == settings.IMPORT_MAX_PAGES:
                logger.warning("Codeforces history cut at %s pages (IMPORT_MAX_PAGES).", page)
                break
            start += self.page_size
            self.checkpoint()
            time.sleep(self.call_interval)
        accepted = {key for key, _, completion in entries if completion.outcome == Outcome.SOLVED}
        return group_completions([entry for entry in entries if entry[0] in accepted])

    def submission(self, item) -> tuple[str, str, Completion] | None:
        """One submission -> (problem id, name, completion); None for one that is no attempt.

        Raises on any field of the wrong shape: the caller skips that submission.
        """
        verdict = item.get("verdict")
        if verdict == "OK":
            outcome = Outcome.SOLVED
        elif verdict in FAILED_VERDICTS:
            outcome = Outcome.FAILED
        else:
            return None
        problem = item["problem"]
        contest, index = problem["contestId"], problem["index"]
        if isinstance(contest, bool) or not isinstance(contest, int) or contest <= 0:
            raise ValueError("contestId is not a positive number")
        if not isinstance(index, str) or not INDEX.fullmatch(index):
            raise ValueError("index is not a problem index")
        external_id = f"{contest}/{index}"
        language = item.get("programmingLanguage")
        completion = Completion(
            completed_at=parse_time(item["creationTimeSeconds"]),
            languages=(plain_text(language, max_length=100),) if language else (),
            outcome=outcome,
        )
        if external_id not in self.details:  # the newest submission names it
            tags = problem.get("tags") or ()
            if not isinstance(tags, list | tuple):
                raise TypeError("tags is not a list")
            url = CONTEST_URL if contest < FIRST_GYM_CONTEST else GYM_URL
            self.details[external_id] = Problem(
                title=plain_text(problem["name"], max_length=255),
                url=url.format(contest=contest, index=index),
                content="",  # the API has no statements
                difficulty=difficulty_from_rating(problem.get("rating")),
                tags=tuple(plain_text(tag, max_length=50) for tag in tags),
            )
        return external_id, self.details[external_id].title, completion

    def problem(self, solved: Solved) -> Problem:
        return self.details[solved.external_id]

    def result(self, response, username: str) -> list:
        """The ``result`` list of an answer; unknown handles and refusals as errors."""
        what = "the list of submissions"
        try:
            body = response.json()
        except ValueError:
            body = None
        if isinstance(body, dict) and body.get("status") == "FAILED":
            comment = body.get("comment")
            comment = comment if isinstance(comment, str) else ""
            if "not found" in comment and comment.startswith("handle"):
                raise UnknownUser(f"Codeforces user '{username}' does not exist.")
            reason = f" ({plain_text(comment, max_length=200)})" if comment.strip() else ""
            raise UpstreamMalformed(f"Codeforces refused the request{reason}; try again later.")
        if response.status_code != 200:
            raise UpstreamMalformed(
                f"Codeforces answered HTTP {response.status_code} for {what}; try again later."
            )
        with self.reading(what):
            if not isinstance(body, dict) or body.get("status") != "OK":
                raise TypeError("expected an object with status OK")
            result = body["result"]
            if not isinstance(result, list):
                raise TypeError("result is not a list")
            return result
