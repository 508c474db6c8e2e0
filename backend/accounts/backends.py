from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from backend.accounts.services import client_ip, login_failure_record, login_retry_after


class ThrottledModelBackend(ModelBackend):
    """Django's model backend with failed-sign-in limits.

    Every sign-in (the API's and the admin's) goes through ``authenticate()``,
    so both share the limits. A locked username is refused even with the
    right password; PermissionDenied stops Django from trying other backends.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None or username is None:
            return super().authenticate(request, username, password, **kwargs)
        ip = client_ip(request)
        if login_retry_after(username=username, ip=ip):
            raise PermissionDenied
        user = super().authenticate(request, username, password, **kwargs)
        if user is None:
            login_failure_record(username=username, ip=ip)
        return user
