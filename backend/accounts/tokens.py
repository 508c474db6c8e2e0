"""Personal API tokens: create one, and find the token a request presents."""

import hashlib
import secrets
from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from backend.accounts.models import ApiToken, User

TOKEN_PREFIX = "iq_"  # makes a leaked token recognisable to secret scanners
DEFAULT_LIFETIME_DAYS = 90
MAX_LIFETIME_DAYS = 365
# last_used_at is only as precise as this, so that a busy script causes no write per request.
LAST_USED_PRECISION = timedelta(minutes=1)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def api_token_create(*, user: User, name: str, expires_in_days: int | None = None) -> ApiToken:
    """Create a token; its secret is on ``token.secret`` now and is never stored or shown again."""
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = timezone.now()
    token = ApiToken.objects.create(
        user=user,
        name=name,
        key_hash=token_hash(secret),
        created_at=now,
        expires_at=now + timedelta(days=expires_in_days or DEFAULT_LIFETIME_DAYS),
    )
    token.secret = secret
    return token


def api_token_find(secret: str) -> ApiToken | None:
    """The token with this secret, with its user; None for an unknown (or revoked) one.

    Looked up by its hash: comparing hashes leaks nothing about the secret, so no
    constant-time comparison is needed.
    """
    return ApiToken.objects.select_related("user").filter(key_hash=token_hash(secret)).first()


def api_token_touch(token: ApiToken) -> None:
    """Record a use, at most once per LAST_USED_PRECISION.

    Most requests only compare the loaded timestamp. The UPDATE is conditional, so
    concurrent requests of one script write once between them.
    """
    now = timezone.now()
    stale = now - LAST_USED_PRECISION
    if token.last_used_at is not None and token.last_used_at > stale:
        return
    ApiToken.objects.filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lte=stale), pk=token.pk
    ).update(last_used_at=now)
    token.last_used_at = now
