from django.contrib.auth import authenticate, login, logout
from django.middleware.csrf import get_token
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import ensure_csrf_cookie
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import Throttled, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.accounts.models import ApiToken
from backend.accounts.permissions import CsrfProtected, SessionRequired
from backend.accounts.serializers import (
    ApiTokenCreateSerializer,
    ApiTokenSerializer,
    CsrfTokenSerializer,
    IdentitySerializer,
    LoginSerializer,
    RegisteredUserSerializer,
    RegisterSerializer,
    UserSerializer,
)
from backend.accounts.services import client_ip, login_retry_after, user_register
from backend.accounts.throttles import RegisterRateThrottle
from backend.accounts.tokens import api_token_create

INVALID_CREDENTIALS = "Unable to sign in with the given username and password."


class LoginThrottled(Throttled):
    default_detail = "Too many failed sign-in attempts."
    extra_detail_singular = "Try again in {wait} second."
    extra_detail_plural = "Try again in {wait} seconds."


@extend_schema(tags=["accounts"])
class RegisterView(APIView):
    permission_classes = [CsrfProtected]
    throttle_classes = [RegisterRateThrottle]

    @extend_schema(request=RegisterSerializer, responses={201: RegisteredUserSerializer})
    def post(self, request):
        serializer = RegisterSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = user_register(**serializer.validated_data)
        return Response(RegisteredUserSerializer(user).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["accounts"])
class LoginView(APIView):
    permission_classes = [CsrfProtected]

    @extend_schema(request=LoginSerializer, responses={200: UserSerializer})
    def post(self, request):
        serializer = LoginSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        credentials = serializer.validated_data
        wait = login_retry_after(username=credentials["username"], ip=client_ip(request))
        if wait:
            raise LoginThrottled(wait=wait)
        user = authenticate(request._request, **credentials)
        if user is None:
            raise ValidationError({"non_field_errors": [INVALID_CREDENTIALS]})
        login(request._request, user)  # rotates the session key and the CSRF token
        return Response(UserSerializer(user).data)


@extend_schema(tags=["accounts"])
class LogoutView(APIView):
    permission_classes = [CsrfProtected]

    @extend_schema(request=None, responses={204: OpenApiResponse(description="Signed out.")})
    def post(self, request):
        logout(request._request)  # deletes the session server-side
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["accounts"])
class IdentityView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(responses={200: IdentitySerializer})
    @method_decorator(ensure_csrf_cookie)
    def get(self, request):
        user = request.user if request.user.is_authenticated else None
        return Response(
            {"authenticated": user is not None, "user": user and UserSerializer(user).data}
        )


@extend_schema(tags=["accounts"])
class CsrfTokenView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(responses={200: CsrfTokenSerializer})
    def get(self, request):
        return Response({"csrfToken": get_token(request)})


# --- Personal API tokens ------------------------------------------------------------


class ApiTokenQuerysetMixin:
    permission_classes = [SessionRequired]

    def get_queryset(self):
        return ApiToken.objects.filter(user=self.request.user).order_by("-created_at", "-id")


@extend_schema(tags=["tokens"], auth=[{"cookieAuth": []}])
class ApiTokenListCreateView(ApiTokenQuerysetMixin, generics.ListCreateAPIView):
    """Your API tokens, newest first, without their secrets.

    Creating one answers with its secret, `token`, this once only. Listing and
    creating need a signed-in session: a token cannot mint tokens.
    """

    def get_serializer_class(self):
        return ApiTokenCreateSerializer if self.request.method == "POST" else ApiTokenSerializer

    def perform_create(self, serializer):
        serializer.instance = api_token_create(user=self.request.user, **serializer.validated_data)


@extend_schema(tags=["tokens"], auth=[{"cookieAuth": []}])
class ApiTokenDetailView(ApiTokenQuerysetMixin, generics.RetrieveDestroyAPIView):
    """One of your API tokens; DELETE revokes it at once."""

    serializer_class = ApiTokenSerializer
