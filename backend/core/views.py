import logging

from django.db import DatabaseError, connection
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

logger = logging.getLogger(__name__)

HealthSerializer = inline_serializer(
    "Health", {"status": serializers.CharField(), "database": serializers.CharField()}
)


class HealthView(APIView):
    """Liveness and database reachability, for load balancers and monitors."""

    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(responses={200: HealthSerializer, 503: HealthSerializer}, tags=["health"])
    def get(self, request):
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
                cursor.fetchone()
        except DatabaseError:
            logger.warning("Health check failed: the database cannot be reached.")
            return Response({"status": "error", "database": "unreachable"}, status=503)
        return Response({"status": "ok", "database": "ok"})
