"""Sliding-window rate limits kept in a store that every worker shares.

Events (a failed sign-in, a registration) are recorded per key; a key is over
its limit when it has ``limit`` events within ``window``. The store is the
database by default and Redis when ``REDIS_URL`` is set.
"""

import math
import uuid
from datetime import UTC, datetime, timedelta
from functools import cache

import redis
from django.conf import settings
from django.utils import timezone

from backend.accounts.models import RateLimitEvent

# Longest window any limit may use (DRF's rate syntax stops at "/day").
RETENTION = timedelta(days=1)


class DatabaseEventStore:
    def record(self, key: str, at: datetime) -> None:
        RateLimitEvent.objects.create(key=key, created_at=at)
        RateLimitEvent.objects.filter(created_at__lt=at - RETENTION).delete()

    def newest(self, key: str, since: datetime, count: int) -> list[datetime]:
        return list(
            RateLimitEvent.objects.filter(key=key, created_at__gt=since)
            .order_by("-created_at")
            .values_list("created_at", flat=True)[:count]
        )


class RedisEventStore:
    prefix = "interview-questions:ratelimit:"

    def __init__(self, url: str):
        self.client = redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=5)

    def record(self, key: str, at: datetime) -> None:
        name, score = self.prefix + key, at.timestamp()
        with self.client.pipeline(transaction=True) as pipe:
            pipe.zadd(name, {uuid.uuid4().hex: score})
            pipe.zremrangebyscore(name, "-inf", score - RETENTION.total_seconds())
            pipe.expire(name, int(RETENTION.total_seconds()))
            pipe.execute()

    def newest(self, key: str, since: datetime, count: int) -> list[datetime]:
        entries = self.client.zrevrangebyscore(
            self.prefix + key, "+inf", f"({since.timestamp()}", start=0, num=count, withscores=True
        )
        return [datetime.fromtimestamp(score, UTC) for _, score in entries]


@cache
def _redis_store(url: str) -> RedisEventStore:
    return RedisEventStore(url)


def event_store() -> DatabaseEventStore | RedisEventStore:
    return _redis_store(settings.REDIS_URL) if settings.REDIS_URL else DatabaseEventStore()


def retry_after(key: str, limit: int, window: timedelta) -> int | None:
    """Seconds until ``key`` is under its limit again, or None when it is already."""
    now = timezone.now()
    newest = event_store().newest(key, now - window, limit)
    if len(newest) < limit:
        return None
    return max(1, math.ceil((newest[-1] + window - now).total_seconds()))


def record(key: str) -> None:
    event_store().record(key, timezone.now())


def parse_rate(rate: str) -> tuple[int, timedelta]:
    """DRF's rate syntax: "20/hour" -> (20, one hour). Raises ValueError."""
    count, _, period = rate.partition("/")
    seconds = {"s": 1, "m": 60, "h": 3600, "d": 86400}[period.strip()[:1].lower()]
    return int(count), timedelta(seconds=seconds)
