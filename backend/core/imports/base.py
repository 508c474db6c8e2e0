"""What every platform client provides."""

import html
import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.utils.html import strip_tags

from backend.core.enums import Outcome
from backend.core.imports.errors import UpstreamMalformed
from backend.core.imports.http import UpstreamSession
from backend.core.models import attempt_time_is_plausible


@dataclass(frozen=True)
class Credential:
    """A user's session on the platform, for one import run; never logged (repr hides it)."""

    session_cookie: str = field(repr=False)
    csrf_token: str = field(default="", repr=False)


@dataclass(frozen=True)
class Completion:
    completed_at: datetime
    languages: tuple[str, ...] = ()
    outcome: str = Outcome.SOLVED  # Codeforces also lists failed attempts


@dataclass(frozen=True)
class Solved:
    """A problem in the user's solved list, with each time they completed it."""

    external_id: str
    title: str
    completions: tuple[Completion, ...] = field(default=())


@dataclass(frozen=True)
class Problem:
    """A problem's details, as the imported question shows them."""

    title: str
    url: str
    content: str  # HTML; sanitized when the question is saved
    difficulty: str  # a Difficulty value, or "" when the platform gives none
    tags: tuple[str, ...] = ()


class PlatformClient(ABC):
    """One platform: a subclass is all it takes to add another (see the design doc).

    An instance lives for one import run and holds its HTTP session; use it as a
    context manager so the session's connections are closed.
    """

    name: str  # the Platform value, e.g. "codewars"
    label: str  # shown to people, e.g. "Codewars"
    # Letters, digits, "_", "-" and ".", not starting with a dot.
    username_pattern = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9_.-]*")
    username_help = "Use letters, digits, '_', '-' and '.', and do not start with a dot."
    # Whether a session cookie can widen the import (LeetCode); see recent_notice.
    takes_session_cookie = False

    def __init__(
        self, checkpoint: Callable[[], None] = lambda: None, credential: "Credential | None" = None
    ):
        self.http = UpstreamSession(self.label)
        self.credential = credential
        # Called between pages of a long list: notes progress, raises ImportCancelled.
        self.checkpoint = checkpoint
        # Items of the list left out because they could not be read (the job's `skipped`).
        self.skipped = 0

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.http.close()

    @classmethod
    def recent_notice(cls) -> str:
        """What a job without a session cookie tells the user; empty when it imports all."""
        return ""

    @abstractmethod
    def solved(self, username: str) -> list[Solved]:
        """Every problem the user solved, newest first, one entry per problem."""

    @abstractmethod
    def problem(self, solved: Solved) -> Problem:
        """The details of one solved problem."""

    @contextmanager
    def reading(self, what: str) -> Iterator[None]:
        """Turn a payload of the wrong shape into an error the user can read."""
        try:
            yield
        except (KeyError, IndexError, TypeError, ValueError, AttributeError) as exc:
            raise UpstreamMalformed(
                f"{self.label} sent {what} in a form we could not read; try again later."
            ) from exc


def group_completions(entries: list[tuple[str, str, Completion]]) -> list[Solved]:
    """(external id, title, completion) rows, newest first -> one Solved per problem."""
    titles: dict[str, str] = {}
    completions: dict[str, dict[datetime, Completion]] = {}
    for external_id, title, completion in entries:
        titles.setdefault(external_id, title)
        completions.setdefault(external_id, {}).setdefault(completion.completed_at, completion)
    return [
        Solved(external_id=key, title=titles[key], completions=tuple(completions[key].values()))
        for key in titles
    ]


def parse_time(value) -> datetime:
    """An ISO 8601 string or Unix seconds (number or digits) -> an aware UTC datetime,
    within the times a log may have."""
    if isinstance(value, bool):
        raise TypeError("a boolean is not a time")
    if isinstance(value, int | float) or (isinstance(value, str) and value.isdigit()):
        try:
            moment = datetime.fromtimestamp(int(value), tz=UTC)
        except (OverflowError, OSError):
            raise ValueError(f"{value!r} is out of range") from None
    else:
        parsed = datetime.fromisoformat(value)
        moment = parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
    if not attempt_time_is_plausible(moment):
        raise ValueError(f"{value!r} is out of range")
    return moment


def text(value, *, max_length: int) -> str:
    """A required, non-blank string from a payload, cut to fit its column."""
    if not isinstance(value, str) or not value.strip():
        raise ValueError("expected a non-blank string")
    return value.strip()[:max_length]


def plain_text(value, *, max_length: int) -> str:
    """Like ``text``, for names that may carry HTML: tags dropped, entities decoded,
    runs of whitespace made one space."""
    if not isinstance(value, str):
        raise ValueError("expected a string")
    return text(" ".join(html.unescape(strip_tags(value)).split()), max_length=max_length)
