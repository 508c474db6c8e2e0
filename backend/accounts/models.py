from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from backend.ownership import OwnedQuerySet

USERNAME_TAKEN = "A user with that username already exists."


class CaseInsensitiveUserManager(UserManager):
    def get_by_natural_key(self, username):
        # "Alice" and "alice" are one person: sign-in and createsuperuser agree.
        return self.get(username__iexact=username)


class User(AbstractUser):
    objects = CaseInsensitiveUserManager()

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        constraints = [
            models.UniqueConstraint(
                Lower("username"),
                name="accounts_user_username_ci_unique",
                violation_error_message=USERNAME_TAKEN,
            )
        ]


class RateLimitEvent(models.Model):
    """One counted event (a failed sign-in, a registration) for a rate-limit key.

    The default store of ``backend.accounts.ratelimit``: every worker process
    and machine sees the same rows, and each event is a single INSERT, so
    concurrent attempts are never lost.
    """

    key = models.CharField(max_length=200)
    created_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["key", "-created_at"], name="ratelimit_key_recent"),
            models.Index(fields=["created_at"], name="ratelimit_created"),
        ]

    def __str__(self):
        return f"{self.key} at {self.created_at:%Y-%m-%d %H:%M:%S}"


class ApiTokenQuerySet(OwnedQuerySet):
    owner_field = "user"


class ApiToken(models.Model):
    """A personal API token: ``Authorization: Bearer <token>`` signs its user in.

    Only the SHA-256 of the token is stored. Tokens are 256 random bits, so a fast
    hash is enough: nothing in a database leak can be turned back into a token.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField()
    # Updated at most once a minute (backend.accounts.tokens), not on every request.
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["user", "-created_at", "-id"], name="apitoken_user_newest"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(name=""), name="accounts_apitoken_name_not_blank"
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.user})"

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()
