from django.conf import settings
from rest_framework.throttling import BaseThrottle

from backend.accounts import ratelimit


class RegisterRateThrottle(BaseThrottle):
    """REGISTER_RATE registrations per client address, counted in the shared store."""

    def allow_request(self, request, view):
        if request.method != "POST":
            return True
        limit, window = ratelimit.parse_rate(settings.REGISTER_RATE)
        key = f"register:ip:{self.get_ident(request)}"
        self.wait_seconds = ratelimit.retry_after(key, limit, window)
        if self.wait_seconds is not None:
            return False
        ratelimit.record(key)
        return True

    def wait(self):
        return self.wait_seconds
