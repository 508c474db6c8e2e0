"""Codewars' public REST API v1: a user's completed katas and each kata's details."""

import logging
import re
from urllib.parse import quote

from django.conf import settings
from markdown_it import MarkdownIt

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
from backend.core.imports.errors import UnknownUser, UpstreamMalformed

logger = logging.getLogger(__name__)

PUBLIC_URL = "https://www.codewars.com/kata/{id}"
KYU = re.compile(r"\s*([1-8])\s*kyu\s*", re.IGNORECASE)
# Raw HTML is allowed through: kata descriptions use it, and every question's
# content is sanitized with nh3 when it is saved.
markdown = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])


def difficulty_from_rank(rank) -> str:
    """8-7 kyu Easy, 6-5 kyu Medium, 4-1 kyu Hard; unranked (beta) katas have none."""
    name = rank.get("name") if isinstance(rank, dict) else None
    match = KYU.fullmatch(name) if isinstance(name, str) else None
    if match is None:
        return ""
    kyu = int(match.group(1))
    return Difficulty.EASY if kyu >= 7 else Difficulty.MEDIUM if kyu >= 5 else Difficulty.HARD


class Codewars(PlatformClient):
    name = Platform.CODEWARS
    label = "Codewars"

    def url(self, *segments: str) -> str:
        """The configured base URL plus path segments, each escaped."""
        base = settings.CODEWARS_API_URL.rstrip("/")
        return "/".join([base, *(quote(segment, safe="") for segment in segments)])

    def solved(self, username: str) -> list[Solved]:
        url = self.url("users", username, "code-challenges", "completed")
        entries = []
        page = 0
        while True:
            response = self.http.request("GET", url, params={"page": page})
            if response.status_code == 404 and page == 0:
                raise UnknownUser(f"Codewars user '{username}' does not exist.")
            body = self.json(response, "the list of completed katas")
            with self.reading("the list of completed katas"):
                for item in body["data"]:
                    completion = Completion(
                        completed_at=parse_time(item["completedAt"]),
                        languages=tuple(str(lang) for lang in item.get("completedLanguages") or ()),
                    )
                    name = item.get("name")
                    entries.append(
                        (
                            text(item["id"], max_length=100),
                            name if isinstance(name, str) else "",
                            completion,
                        )
                    )
                total_pages = int(body.get("totalPages", 1))
            page += 1
            if page >= total_pages:
                break
            if page >= settings.IMPORT_MAX_PAGES:
                logger.warning(
                    "Codewars list cut at %s of %s pages (IMPORT_MAX_PAGES).", page, total_pages
                )
                break
            self.checkpoint()
        return group_completions(entries)

    def problem(self, solved: Solved) -> Problem:
        url = PUBLIC_URL.format(id=quote(solved.external_id, safe=""))
        response = self.http.request("GET", self.url("code-challenges", solved.external_id))
        if response.status_code == 404:
            # Retired or deleted since it was solved: keep what the list told us.
            return Problem(title=self.title(solved), url=url, content="", difficulty="")
        body = self.json(response, "a kata's details")
        with self.reading("a kata's details"):
            description = body.get("description") or ""
            if not isinstance(description, str):
                raise TypeError("description is not a string")
            return Problem(
                title=text(body.get("name") or self.title(solved), max_length=255),
                url=url,
                content=markdown.render(description),
                difficulty=difficulty_from_rank(body.get("rank")),
                tags=tuple(text(tag, max_length=50) for tag in body.get("tags") or ()),
            )

    def title(self, solved: Solved) -> str:
        return solved.title.strip()[:255] or f"Codewars kata {solved.external_id}"

    def json(self, response, what: str):
        if response.status_code != 200:
            raise UpstreamMalformed(
                f"Codewars answered HTTP {response.status_code} for {what}; try again later."
            )
        with self.reading(what):
            body = response.json()
            if not isinstance(body, dict):
                raise TypeError("expected an object")
            return body
