from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from backend.accounts.services import client_ip, login_failure_record, login_retry_after


class ThrottledModelBackend(ModelBackend):
    """Django's model backend with failed-sign-in limits.

    Every sign-in (the API's, the admin's, the password check before deleting an
    account) goes through ``authenticate()``, so all share the limits, checked here
    once per attempt. A locked username is refused even with the right password;
    PermissionDenied stops Django from trying other backends.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None or username is None:
            return super().authenticate(request, username, password, **kwargs)
        ip = client_ip(request)
        wait = login_retry_after(username=username, ip=ip)
        if wait:
            # authenticate() turns PermissionDenied into None; the API's login view
            # reads the wait from the request to answer 429 with Retry-After.
            request.sign_in_retry_after = wait
            raise PermissionDenied
        user = super().authenticate(request, username, password, **kwargs)
        if user is None:
            login_failure_record(username=username, ip=ip)
        return user
