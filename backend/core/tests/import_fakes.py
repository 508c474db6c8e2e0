"""Codewars, LeetCode and Codeforces played by a local HTTP server (pytest-httpserver).

The answers are shaped like the real APIs'. Tests add users, problems and
completions, point the settings at the server with ``serve``, and can register
one-shot answers (errors, slow answers) in front of the fake with
``httpserver.expect_oneshot_request``.
"""

import json
import re
import secrets
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime

from werkzeug import Request, Response

IMMEDIATE_TASKS = {
    "default": {
        "BACKEND": "django.tasks.backends.immediate.ImmediateBackend",
        "QUEUES": ["default"],
    }
}
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
CODEWARS_PREFIX = "/codewars/api/v1"
LEETCODE_PATH = "/leetcode/graphql"
CODEFORCES_PREFIX = "/codeforces/api"
CODEFORCES_STATUS_PATH = f"{CODEFORCES_PREFIX}/user.status"
FINISHED = {"succeeded", "failed", "cancelled"}


def fast_import_settings(settings) -> None:
    """Inline tasks and short waits, so that a failing upstream fails fast."""
    settings.TASKS = IMMEDIATE_TASKS
    settings.IMPORT_CONNECT_TIMEOUT = 2
    settings.IMPORT_READ_TIMEOUT = 2
    settings.IMPORT_MAX_RETRIES = 2
    settings.IMPORT_RETRY_BACKOFF = 0.01
    settings.IMPORT_RETRY_MAX_SECONDS = 5


def at(day: int, hour: int = 12) -> datetime:
    return datetime(2026, 3, day, hour, 0, 0, tzinfo=UTC)


def json_response(body, status: int = 200, headers=None) -> Response:
    return Response(json.dumps(body), status=status, headers=headers, mimetype="application/json")


def start_import(client, platform: str, username: str) -> dict:
    response = client.post(f"/api/import/{platform}/", json={"username": username})
    assert response.status_code == 202, response.text
    return response.json()


def wait_for_job(client, job_id: int, timeout: float = 30) -> dict:
    """Poll the job, as the SPA would, until it has finished."""
    deadline = time.monotonic() + timeout
    while True:
        response = client.get(f"/api/import/jobs/{job_id}/")
        assert response.status_code == 200, response.text
        job = response.json()
        if job["status"] in FINISHED or time.monotonic() > deadline:
            return job
        time.sleep(0.05)


def run_import(client, platform: str, username: str) -> dict:
    return wait_for_job(client, start_import(client, platform, username)["id"])


# --- Codewars ------------------------------------------------------------------


@dataclass
class FakeCodewars:
    """Codewars' REST API v1: completed katas (paginated, newest first) and kata details."""

    page_size: int = 2  # the real API's is 200; small here so that tests cover several pages
    katas: dict[str, dict] = field(default_factory=dict)
    completed: dict[str, list[dict]] = field(default_factory=dict)

    @classmethod
    def serve(cls, httpserver, settings) -> "FakeCodewars":
        fake = cls()
        httpserver.expect_request(re.compile(f"^{CODEWARS_PREFIX}/.*")).respond_with_handler(
            fake.handle
        )
        settings.CODEWARS_API_URL = httpserver.url_for(CODEWARS_PREFIX)
        return fake

    def add_kata(
        self,
        kata_id: str,
        name: str,
        *,
        rank: str | None = "6 kyu",
        tags=("Fundamentals",),
        description: str = "Write a **function**.",
    ) -> None:
        self.katas[kata_id] = {
            "id": kata_id,
            "name": name,
            "slug": name.lower().replace(" ", "-"),
            "url": f"https://www.codewars.com/kata/{kata_id}",
            "category": "reference",
            "description": description,
            "tags": list(tags),
            "languages": ["python", "javascript"],
            "rank": {"id": -int(rank[0]), "name": rank, "color": "yellow"} if rank else None,
            "createdBy": {"username": "someone", "url": "https://www.codewars.com/users/someone"},
            "totalAttempts": 1000,
            "totalCompleted": 500,
        }

    def add_user(self, username: str) -> None:
        self.completed.setdefault(username, [])

    def complete(self, username: str, kata_id: str, when: datetime, languages=("python",)) -> None:
        """Record a completion; Codewars lists each kata once, with its latest completion."""
        items = [item for item in self.completed.get(username, []) if item["id"] != kata_id]
        items.append(
            {
                "id": kata_id,
                "name": self.katas[kata_id]["name"],
                "slug": self.katas[kata_id]["slug"],
                "completedAt": when.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
                "completedLanguages": list(languages),
            }
        )
        items.sort(key=lambda item: item["completedAt"], reverse=True)
        self.completed[username] = items

    def handle(self, request: Request) -> Response:
        path = request.path.removeprefix(CODEWARS_PREFIX)
        if match := re.fullmatch(r"/users/([^/]+)/code-challenges/completed", path):
            items = self.completed.get(match.group(1))
            if items is None:
                return json_response({"success": False, "reason": "Not found"}, status=404)
            page = int(request.args.get("page", "0"))
            pages = max(1, -(-len(items) // self.page_size))
            chunk = items[page * self.page_size : (page + 1) * self.page_size]
            return json_response({"totalPages": pages, "totalItems": len(items), "data": chunk})
        if match := re.fullmatch(r"/code-challenges/([^/]+)", path):
            kata = self.katas.get(match.group(1))
            if kata is None:
                return json_response({"success": False, "reason": "Not found"}, status=404)
            return json_response(kata)
        return json_response({"success": False, "reason": "Not found"}, status=404)


# --- LeetCode ------------------------------------------------------------------


@dataclass
class FakeLeetCode:
    """LeetCode's GraphQL endpoint: recentAcSubmissionList (with matchedUser) and question,
    and for a signed-in session (the LEETCODE_SESSION cookie) userStatus and submissionList."""

    questions: dict[str, dict] = field(default_factory=dict)
    submissions: dict[str, list[dict]] = field(default_factory=dict)  # accepted ones
    history: dict[str, list[dict]] = field(default_factory=dict)  # every submission
    sessions: dict[str, str] = field(default_factory=dict)  # cookie value -> username
    csrf_required: bool = False
    next_id: int = 1000

    @classmethod
    def serve(cls, httpserver, settings) -> "FakeLeetCode":
        fake = cls()
        httpserver.expect_request(LEETCODE_PATH, method="POST").respond_with_handler(fake.handle)
        settings.LEETCODE_GRAPHQL_URL = httpserver.url_for(LEETCODE_PATH)
        return fake

    def add_question(
        self,
        slug: str,
        title: str,
        *,
        difficulty: str = "Easy",
        tags=("Array", "Hash Table"),
        content: str | None = "<p>Given an array...</p>",
    ) -> None:
        self.questions[slug] = {
            "title": title,
            "difficulty": difficulty,
            "content": content,
            "topicTags": [{"name": name, "slug": name.lower()} for name in tags],
        }

    def add_user(self, username: str) -> None:
        self.submissions.setdefault(username, [])

    def accept(self, username: str, slug: str, when: datetime, lang: str = "python3") -> None:
        self.next_id += 1
        items = self.submissions.setdefault(username, [])
        items.append(
            {
                "id": str(self.next_id),
                "title": self.questions[slug]["title"],
                "titleSlug": slug,
                "timestamp": str(int(when.timestamp())),
            }
        )
        items.sort(key=lambda item: int(item["timestamp"]), reverse=True)
        self.submit(username, slug, when, "Accepted", lang)

    def submit(
        self, username: str, slug: str, when: datetime, status: str, lang: str = "python3"
    ) -> None:
        """A submission in the signed-in history only (accept() adds accepted ones too)."""
        self.next_id += 1
        self.add_raw(
            username,
            {
                "id": str(self.next_id),
                "title": self.questions[slug]["title"],
                "titleSlug": slug,
                "statusDisplay": status,
                "lang": lang,
                "runtime": "40 ms",
                "memory": "17.1 MB",
                "url": f"/submissions/detail/{self.next_id}/",
                "isPending": "Not Pending",
                "timestamp": str(int(when.timestamp())),
            },
        )

    def add_raw(self, username: str, item) -> None:
        items = self.history.setdefault(username, [])
        items.append(item)
        items.sort(key=self.time_of, reverse=True)

    @staticmethod
    def time_of(item) -> int:
        value = item.get("timestamp") if isinstance(item, dict) else None
        return int(value) if isinstance(value, str) and value.isdigit() else 0

    def sign_in(self, username: str) -> str:
        """A LEETCODE_SESSION value that signs ``username`` in; looks like LeetCode's JWT."""
        cookie = f"eyJ0eXAiOiJKV1Qi.{secrets.token_urlsafe(32)}.{secrets.token_urlsafe(16)}"
        self.sessions[cookie] = username
        self.history.setdefault(username, [])
        return cookie

    def signed_in(self, request: Request) -> str | None:
        return self.sessions.get(request.cookies.get("LEETCODE_SESSION", ""))

    def csrf_refused(self, request: Request) -> bool:
        token = request.cookies.get("csrftoken")
        return self.csrf_required and not (token and request.headers.get("X-CSRFToken") == token)

    def handle(self, request: Request) -> Response:
        body = request.get_json()
        query, variables = body["query"], body.get("variables") or {}
        if self.csrf_refused(request):
            return Response("<h1>Forbidden (403)</h1><p>CSRF verification failed.</p>", 403)
        if "userStatus" in query:
            username = self.signed_in(request)
            return json_response(
                {"data": {"userStatus": {"isSignedIn": bool(username), "username": username or ""}}}
            )
        if "submissionList(" in query:
            return self.submission_list(request, variables)
        if "recentAcSubmissionList" in query:
            items = self.submissions.get(variables["username"])
            if items is None:
                return json_response(
                    {
                        "errors": [
                            {
                                "message": "That user does not exist.",
                                "locations": [{"line": 4, "column": 3}],
                                "path": ["recentAcSubmissionList"],
                                "extensions": {"handled": True},
                            }
                        ],
                        "data": {"matchedUser": None, "recentAcSubmissionList": None},
                    }
                )
            return json_response(
                {
                    "data": {
                        "matchedUser": {"username": variables["username"]},
                        "recentAcSubmissionList": items[: variables["limit"]],
                    }
                }
            )
        if "question(" in query:
            return json_response({"data": {"question": self.questions.get(variables["titleSlug"])}})
        return json_response({"errors": [{"message": "Unknown query."}]}, status=400)

    def submission_list(self, request: Request, variables: dict) -> Response:
        username = self.signed_in(request)
        if username is None:
            return json_response(
                {
                    "errors": [{"message": "User is not logged in", "path": ["submissionList"]}],
                    "data": {"submissionList": None},
                }
            )
        offset, limit = variables["offset"], variables["limit"]
        # LeetCode pages with lastKey, the key its previous page gave.
        expected_key = f"key-{offset}" if offset else None
        if variables.get("lastKey") != expected_key or limit > 20:
            return json_response({"errors": [{"message": "Bad page."}], "data": None}, 400)
        items = self.history[username]
        return json_response(
            {
                "data": {
                    "submissionList": {
                        "lastKey": f"key-{offset + limit}",
                        "hasNext": offset + limit < len(items),
                        "submissions": items[offset : offset + limit],
                    }
                }
            }
        )


# --- Codeforces ----------------------------------------------------------------


@dataclass
class FakeCodeforces:
    """Codeforces' API: user.status, a handle's submissions newest first, paged by from/count."""

    problems: dict[str, dict] = field(default_factory=dict)
    submissions: dict[str, list[dict]] = field(default_factory=dict)
    next_id: int = 200000000

    @classmethod
    def serve(cls, httpserver, settings) -> "FakeCodeforces":
        fake = cls()
        httpserver.expect_request(CODEFORCES_STATUS_PATH).respond_with_handler(fake.handle)
        settings.CODEFORCES_API_URL = httpserver.url_for(CODEFORCES_PREFIX)
        return fake

    def add_problem(
        self, contest: int, index: str, name: str, *, rating: int | None = 800, tags=("math",)
    ) -> None:
        problem = {
            "contestId": contest,
            "index": index,
            "name": name,
            "type": "PROGRAMMING",
            "tags": list(tags),
        }
        if rating is not None:
            problem["rating"] = rating
        self.problems[f"{contest}{index}"] = problem

    def add_user(self, handle: str) -> None:
        self.submissions.setdefault(handle, [])

    def submit(
        self,
        handle: str,
        problem: str,
        when: datetime,
        verdict: str | None = "OK",
        language: str = "Python 3",
    ) -> None:
        self.next_id += 1
        item = {
            "id": self.next_id,
            "contestId": self.problems[problem]["contestId"],
            "creationTimeSeconds": int(when.timestamp()),
            "relativeTimeSeconds": 2147483647,
            "problem": self.problems[problem],
            "author": {
                "contestId": 1,
                "members": [{"handle": handle}],
                "participantType": "PRACTICE",
            },
            "programmingLanguage": language,
            "testset": "TESTS",
            "passedTestCount": 10,
            "timeConsumedMillis": 46,
            "memoryConsumedBytes": 0,
        }
        if verdict is not None:
            item["verdict"] = verdict
        self.add_raw(handle, item)

    def add_raw(self, handle: str, item) -> None:
        """A submission as given, malformed or not, kept newest first."""
        items = self.submissions.setdefault(handle, [])
        items.append(item)
        items.sort(key=lambda s: s.get("creationTimeSeconds") if self.timed(s) else 0, reverse=True)

    @staticmethod
    def timed(item) -> bool:
        return isinstance(item, dict) and isinstance(item.get("creationTimeSeconds"), int)

    def handle(self, request: Request) -> Response:
        handle = request.args.get("handle", "")
        items = self.submissions.get(handle)
        if items is None:
            return json_response(
                {"status": "FAILED", "comment": f"handle: User with handle {handle} not found"},
                status=400,
            )
        start, count = int(request.args.get("from", "1")), int(request.args.get("count", "10"))
        return json_response({"status": "OK", "result": items[start - 1 : start - 1 + count]})
