from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import BasePermission


class CsrfProtected(BasePermission):
    """Enforce Django's CSRF check even for anonymous callers.

    DRF checks CSRF only for requests that are already authenticated by a
    session; register, login and logout must check it themselves (login CSRF
    would sign a victim into the attacker's account). A failure raises
    PermissionDenied, so the answer is a JSON 403.
    """

    def has_permission(self, request, view):
        SessionAuthentication().enforce_csrf(request)
        return True


class SessionRequired(BasePermission):
    """Only a signed-in session, never an API token, may manage tokens or the account.

    A leaked token then cannot mint itself successors or delete the account.
    """

    message = "This needs a signed-in session; an API token cannot manage tokens or the account."

    def has_permission(self, request, view):
        return request.user.is_authenticated and isinstance(
            request.successful_authenticator, SessionAuthentication
        )
