"""``Authorization: Bearer <token>`` with a personal API token (backend.accounts.tokens)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed

from backend.accounts.tokens import api_token_find, api_token_touch

BEARER = b"bearer"


class BearerTokenAuthentication(BaseAuthentication):
    """Sign a request in with a personal API token.

    No CSRF check: a browser never adds an Authorization header to a cross-site
    request on its own. A request without the header is left to the session
    authentication; a Bearer header that does not name a live token is a 401.

    Listed first in DEFAULT_AUTHENTICATION_CLASSES because DRF asks the first class
    for the WWW-Authenticate challenge that turns a failure into a 401. The challenge
    is only given to callers that sent an Authorization header: a caller with no
    credentials at all (an SPA whose session ended) keeps getting the documented 403.
    """

    www_authenticate_realm = "api"

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != BEARER:
            return None
        if len(parts) != 2:
            raise AuthenticationFailed("Invalid Authorization header: send 'Bearer <token>'.")
        try:
            secret = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise AuthenticationFailed("Invalid token.") from None
        token = api_token_find(secret)
        if token is None:
            raise AuthenticationFailed("Invalid token.")
        if token.is_expired:
            raise AuthenticationFailed("Token expired.")
        if not token.user.is_active:
            raise AuthenticationFailed("User inactive.")
        api_token_touch(token)
        return token.user, token

    def authenticate_header(self, request):
        if get_authorization_header(request):
            return f'Bearer realm="{self.www_authenticate_realm}"'
        return None


class BearerTokenScheme(OpenApiAuthenticationExtension):
    """Documents the scheme, so that Swagger UI's "Authorize" accepts a token."""

    target_class = BearerTokenAuthentication
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal API token from POST /api/accounts/tokens/.",
        }
