from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    inline_serializer,
)
from rest_framework import generics, serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.core.imports.platforms import PLATFORMS
from backend.core.imports.serializers import ImportJobSerializer, ImportStartSerializer
from backend.core.imports.services import import_job_start
from backend.core.models import ImportJob
from backend.schema import ERROR_REF

ConflictSerializer = inline_serializer(
    "ImportConflict", {"detail": serializers.CharField(), "job_id": serializers.IntegerField()}
)


@extend_schema(tags=["imports"])
class ImportStartView(APIView):
    """Import your solved problems from a platform, in the background."""

    @extend_schema(
        summary="Start an import from a platform",
        description=(
            "Imports your solved problems from Codewars or LeetCode as questions with logs, "
            "in the background: poll the job at the Location header."
        ),
        parameters=[
            OpenApiParameter(
                "platform", OpenApiTypes.STR, OpenApiParameter.PATH, enum=sorted(PLATFORMS)
            )
        ],
        request=ImportStartSerializer,
        responses={
            202: OpenApiResponse(ImportJobSerializer, description="Queued; poll the Location."),
            200: OpenApiResponse(
                ImportJobSerializer, description="The same import is already queued or running."
            ),
            400: OpenApiResponse(ERROR_REF, description="Missing or invalid username."),
            404: OpenApiResponse(ERROR_REF, description="Unknown platform."),
            409: OpenApiResponse(
                ConflictSerializer,
                description="An import of another username from this platform is under way.",
            ),
        },
    )
    def post(self, request, platform: str):
        client = PLATFORMS.get(platform)
        if client is None:
            raise NotFound(
                f"Unknown platform '{platform}'. Supported: {', '.join(sorted(PLATFORMS))}."
            )
        serializer = ImportStartSerializer(data=request.data, context={"platform": client})
        serializer.is_valid(raise_exception=True)
        job, created = import_job_start(
            owner=request.user, platform=client.name, username=serializer.validated_data["username"]
        )
        location = request.build_absolute_uri(reverse("importjob-detail", args=[job.pk]))
        return Response(
            ImportJobSerializer(job).data,
            status=status.HTTP_202_ACCEPTED if created else status.HTTP_200_OK,
            headers={"Location": location},
        )


class ImportJobQuerysetMixin:
    serializer_class = ImportJobSerializer

    def get_queryset(self):
        return ImportJob.objects.filter(owner=self.request.user).order_by("-created_at", "-id")


@extend_schema(
    tags=["imports"],
    summary="List your imports",
    description="Newest first, with their progress.",
)
class ImportJobListView(ImportJobQuerysetMixin, generics.ListAPIView):
    """Your imports, newest first."""


@extend_schema(
    tags=["imports"],
    summary="Get one of your imports",
    description="Poll it to follow its progress until its status is succeeded or failed.",
)
class ImportJobDetailView(ImportJobQuerysetMixin, generics.RetrieveAPIView):
    """One of your imports: poll it to follow its progress."""
