from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.functions import Lower


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
                violation_error_message="A user with that username already exists.",
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
