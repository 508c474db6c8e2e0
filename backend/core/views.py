import logging

from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.urls import Resolver404, resolve
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

logger = logging.getLogger(__name__)

# Ids in URLs: at most 18 digits, so every id that routes fits the database's bigint.
ID_PATTERN = "[0-9]{1,18}"

HealthSerializer = inline_serializer(
    "Health", {"status": serializers.CharField(), "database": serializers.CharField()}
)


class HealthView(APIView):
    """Liveness and database reachability, for load balancers and monitors."""

    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(
        summary="Check that the API and its database answer",
        description="For load balancers and monitors: no credentials needed, no session made.",
        responses={200: HealthSerializer, 503: HealthSerializer},
        tags=["health"],
    )
    def get(self, request):
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
                cursor.fetchone()
        except DatabaseError:
            logger.warning("Health check failed: the database cannot be reached.")
            return Response({"status": "error", "database": "unreachable"}, status=503)
        return Response({"status": "ok", "database": "ok"})


@csrf_exempt  # it changes nothing; a CSRF failure page would be HTML
def not_found(request, exception=None):
    """JSON 404 for URLs that match no route (e.g. an id too long to be one)."""
    detail = "Not found."
    if not request.path.endswith("/"):
        try:
            if resolve(f"{request.path}/").func is not not_found:
                detail = f"Not found. Did you mean {request.path}/ (with a trailing slash)?"
        except Resolver404:
            pass
    return JsonResponse({"detail": detail}, status=404)
