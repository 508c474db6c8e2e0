"""The choices the models store, as a leaf module that imports no app code."""

from django.db import models


class Difficulty(models.TextChoices):
    EASY = "Easy"
    MEDIUM = "Medium"
    HARD = "Hard"


class Outcome(models.TextChoices):
    SOLVED = "Solved"
    PARTIAL = "Partial"
    FAILED = "Failed"


class Rating(models.TextChoices):
    AGAIN = "again"
    HARD = "hard"
    GOOD = "good"
    EASY = "easy"


class ReviewState(models.TextChoices):
    NEW = "new"
    LEARNING = "learning"
    REVIEW = "review"
    RELEARNING = "relearning"


class Platform(models.TextChoices):
    """Where questions can be imported from (backend/core/imports/)."""

    CODEWARS = "codewars", "Codewars"
    LEETCODE = "leetcode", "LeetCode"
    CODEFORCES = "codeforces", "Codeforces"


class ImportStatus(models.TextChoices):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"


class ImportHistory(models.TextChoices):
    FULL = "full"  # everything the platform has for the user
    RECENT = "recent"  # what the platform shows anyone: LeetCode's 20 latest, without a cookie
