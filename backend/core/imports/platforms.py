"""The platforms users can import from, by the name used in URLs and stored on jobs."""

from backend.core.imports.base import PlatformClient
from backend.core.imports.codeforces import Codeforces
from backend.core.imports.codewars import Codewars
from backend.core.imports.leetcode import LeetCode

PLATFORMS: dict[str, type[PlatformClient]] = {
    client.name: client for client in (Codewars, LeetCode, Codeforces)
}
