"""Sign-in protection and registration: the multi-step account operations."""

import hashlib

from django.conf import settings
from django.db import IntegrityError, transaction
from rest_framework.exceptions import ValidationError
from rest_framework.throttling import BaseThrottle

from backend.accounts import ratelimit
from backend.accounts.models import USERNAME_TAKEN, User


def client_ip(request) -> str:
    """The caller's address; proxies are trusted only as far as NUM_PROXIES says."""
    return BaseThrottle().get_ident(request)


def _username_key(username: str) -> str:
    digest = hashlib.sha256(username.strip().lower().encode()).hexdigest()
    return f"login-failure:user:{digest}"


def _ip_key(ip: str) -> str:
    return f"login-failure:ip:{ip}"


def login_retry_after(*, username: str, ip: str) -> int | None:
    """Seconds until sign-in is allowed again for this username and address, or None."""
    waits = [
        ratelimit.retry_after(
            _username_key(username), settings.LOGIN_FAILURE_LIMIT, settings.LOGIN_FAILURE_WINDOW
        ),
        ratelimit.retry_after(
            _ip_key(ip), settings.LOGIN_IP_FAILURE_LIMIT, settings.LOGIN_IP_FAILURE_WINDOW
        ),
    ]
    return max((wait for wait in waits if wait), default=None)


def login_failure_record(*, username: str, ip: str) -> None:
    ratelimit.record(_username_key(username))
    ratelimit.record(_ip_key(ip))


def user_register(*, username: str, password: str, email: str = "") -> User:
    try:
        with transaction.atomic():
            return User.objects.create_user(username=username, email=email, password=password)
    except IntegrityError:
        # Another request registered the same name (in any case) in the meantime.
        raise ValidationError({"username": [USERNAME_TAKEN]}) from None


def user_delete(*, user: User) -> None:
    """Delete the user and everything they own, in one transaction.

    Tags, questions (with their tag links), logs, import jobs and API tokens go
    with the user (ForeignKey CASCADE). Sessions hold only the user's id: one that
    was signed in as this user resolves to nobody from now on (ids are never
    reused), and the caller flushes the current one.
    """
    with transaction.atomic():
        user.delete()
