from django.contrib.auth import authenticate, login, logout
from django.middleware.csrf import get_token
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import ensure_csrf_cookie
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.exceptions import Throttled, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.accounts.models import ApiToken
from backend.accounts.permissions import CsrfProtected, SessionRequired
from backend.accounts.serializers import (
    AccountDeleteSerializer,
    ApiTokenCreateSerializer,
    ApiTokenSerializer,
    CsrfTokenSerializer,
    IdentitySerializer,
    LoginSerializer,
    RegisteredUserSerializer,
    RegisterSerializer,
    UserSerializer,
)
from backend.accounts.services import user_delete, user_register
from backend.accounts.throttles import RegisterRateThrottle
from backend.accounts.tokens import api_token_create
from backend.ownership import OwnedMixin
from backend.schema import ERROR_REF

INVALID_CREDENTIALS = "Unable to sign in with the given username and password."


class LoginThrottled(Throttled):
    default_detail = "Too many failed sign-in attempts."
    extra_detail_singular = "Try again in {wait} second."
    extra_detail_plural = "Try again in {wait} seconds."


def authenticate_unless_locked(request, **credentials):
    """Django's authenticate(); a sign-in locked by the failure limits is a 429.

    The limits are checked once, by ThrottledModelBackend, which notes the wait on
    the request (authenticate() hides why a backend refused).
    """
    user = authenticate(request._request, **credentials)
    wait = getattr(request._request, "sign_in_retry_after", None)
    if user is None and wait:
        raise LoginThrottled(wait=wait)
    return user


@extend_schema(tags=["accounts"])
class RegisterView(APIView):
    permission_classes = [CsrfProtected]
    throttle_classes = [RegisterRateThrottle]

    @extend_schema(
        summary="Create an account",
        description=(
            "A username new to the API (ignoring case), a password that passes the password "
            "rules, and an optional email. It does not sign you in: call login next. Needs the "
            "CSRF token (GET /api/accounts/csrf/) in X-CSRFToken and the csrftoken cookie."
        ),
        request=RegisterSerializer,
        responses={201: RegisteredUserSerializer},
    )
    def post(self, request):
        serializer = RegisterSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = user_register(**serializer.validated_data)
        return Response(RegisteredUserSerializer(user).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["accounts"])
class LoginView(APIView):
    permission_classes = [CsrfProtected]

    @extend_schema(
        summary="Sign in with a session",
        description=(
            "Sets the `sessionid` cookie and rotates the CSRF token: read the new `csrftoken` "
            "cookie before the next write. Needs the CSRF token in X-CSRFToken and its cookie. "
            "Too many failed attempts for a username or from an address answer 429 for a while."
        ),
        request=LoginSerializer,
        responses={
            200: UserSerializer,
            429: OpenApiResponse(ERROR_REF, description="Too many failed sign-ins; wait."),
        },
    )
    def post(self, request):
        serializer = LoginSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = authenticate_unless_locked(request, **serializer.validated_data)
        if user is None:
            raise ValidationError({"non_field_errors": [INVALID_CREDENTIALS]})
        login(request._request, user)  # rotates the session key and the CSRF token
        return Response(UserSerializer(user).data)


@extend_schema(tags=["accounts"])
class LogoutView(APIView):
    permission_classes = [CsrfProtected]

    @extend_schema(
        summary="Sign out",
        description="Ends the session on the server, if there is one. Needs the CSRF token.",
        request=None,
        responses={204: OpenApiResponse(description="Signed out.")},
    )
    def post(self, request):
        logout(request._request)  # deletes the session server-side
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["accounts"])
class IdentityView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        summary="Who you are",
        description=(
            "Whether the request is signed in, and as whom (`user` is null when not). "
            "Also sets the `csrftoken` cookie."
        ),
        responses={200: IdentitySerializer},
    )
    @method_decorator(ensure_csrf_cookie)
    def get(self, request):
        user = request.user if request.user.is_authenticated else None
        return Response(
            {"authenticated": user is not None, "user": user and UserSerializer(user).data}
        )


@extend_schema(tags=["accounts"])
class CsrfTokenView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        summary="Get a CSRF token",
        description=(
            "Sets the `csrftoken` cookie and returns its token: send it as X-CSRFToken on "
            "every write made with a session (and on register and login)."
        ),
        responses={200: CsrfTokenSerializer},
    )
    def get(self, request):
        return Response({"csrfToken": get_token(request)})


# --- The signed-in user's account -------------------------------------------------

WRONG_PASSWORD = "The password is wrong."  # pragma: allowlist secret


@extend_schema(tags=["accounts"])
class AccountView(APIView):
    permission_classes = [SessionRequired]

    @extend_schema(
        summary="Delete your account and all your data",
        description=(
            'Send your password as the JSON body, `{"password": "…"}`. Deletes you, your tags, '
            "questions, logs, "
            "imports and API tokens in one transaction and signs you out everywhere. "
            "Needs a signed-in session: an API token cannot delete the account. "
            "Wrong passwords count towards the sign-in limits."
        ),
        request=AccountDeleteSerializer,
        responses={
            204: OpenApiResponse(description="Deleted; the session cookie is cleared."),
            400: OpenApiResponse(
                ERROR_REF, description="Missing or wrong password; nothing was deleted."
            ),
            403: OpenApiResponse(ERROR_REF, description="No session, or no CSRF token."),
            429: OpenApiResponse(ERROR_REF, description="Too many wrong passwords."),
        },
    )
    def delete(self, request):
        serializer = AccountDeleteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = request.user
        # Through the sign-in backend, so that guesses count towards its limits.
        confirmed = authenticate_unless_locked(
            request, username=user.username, **serializer.validated_data
        )
        if confirmed is None or confirmed.pk != user.pk:
            raise ValidationError({"password": [WRONG_PASSWORD]})
        user_delete(user=user)
        logout(request._request)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- Personal API tokens ------------------------------------------------------------


class ApiTokenMixin(OwnedMixin):
    queryset = ApiToken.objects.order_by("-created_at", "-id")
    permission_classes = [SessionRequired]


@extend_schema(tags=["tokens"])
@extend_schema_view(
    get=extend_schema(
        summary="List your API tokens",
        description="Newest first, without their secrets. Needs a signed-in session.",
    ),
    post=extend_schema(
        summary="Create an API token",
        description=(
            "Answers with its secret, `token`, this once only: send it as "
            "`Authorization: Bearer <token>`. Needs a signed-in session: a token cannot "
            "mint tokens."
        ),
    ),
)
class ApiTokenListCreateView(ApiTokenMixin, generics.ListCreateAPIView):
    """Your API tokens, newest first, without their secrets.

    Creating one answers with its secret, `token`, this once only. Listing and
    creating need a signed-in session: a token cannot mint tokens.
    """

    def get_serializer_class(self):
        return ApiTokenCreateSerializer if self.request.method == "POST" else ApiTokenSerializer

    def perform_create(self, serializer):
        serializer.instance = api_token_create(user=self.request.user, **serializer.validated_data)


@extend_schema(tags=["tokens"])
@extend_schema_view(
    get=extend_schema(
        summary="Get one of your API tokens",
        description="Its name and dates, without its secret. Needs a signed-in session.",
    ),
    delete=extend_schema(
        summary="Revoke an API token",
        description="The token stops working at once. Needs a signed-in session.",
    ),
)
class ApiTokenDetailView(ApiTokenMixin, generics.RetrieveDestroyAPIView):
    """One of your API tokens; DELETE revokes it at once."""

    serializer_class = ApiTokenSerializer
