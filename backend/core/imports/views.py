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
from backend.core.imports.services import import_job_cancel, import_job_start
from backend.core.models import ImportJob

DetailSerializer = inline_serializer("ImportError", {"detail": serializers.CharField()})
ConflictSerializer = inline_serializer(
    "ImportConflict", {"detail": serializers.CharField(), "job_id": serializers.IntegerField()}
)


@extend_schema(tags=["imports"])
class ImportStartView(APIView):
    """Import your solved problems from a platform, in the background."""

    @extend_schema(
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
            400: OpenApiResponse(description="Missing or invalid username."),
            404: OpenApiResponse(DetailSerializer, description="Unknown platform."),
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
            owner=request.user, platform=client.name, **serializer.validated_data
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


@extend_schema(tags=["imports"])
class ImportJobListView(ImportJobQuerysetMixin, generics.ListAPIView):
    """Your imports, newest first."""


@extend_schema(tags=["imports"])
class ImportJobDetailView(ImportJobQuerysetMixin, generics.RetrieveAPIView):
    """One of your imports: poll it to follow its progress."""


@extend_schema(tags=["imports"])
class ImportJobCancelView(ImportJobQuerysetMixin, generics.GenericAPIView):
    @extend_schema(
        summary="Cancel one of your imports",
        description=(
            "Stops a queued or running import: the job is `cancelled` at once, and a running "
            "import stops before its next problem. What it saved so far stays. Cancelling a "
            "job that is already cancelled answers it again; one that succeeded or failed is "
            "a 409."
        ),
        request=None,
        responses={
            200: OpenApiResponse(ImportJobSerializer, description="The cancelled job."),
            404: OpenApiResponse(DetailSerializer, description="No such import of yours."),
            409: OpenApiResponse(
                DetailSerializer, description="The import has already succeeded or failed."
            ),
        },
    )
    def post(self, request, pk: int):
        job = import_job_cancel(job=self.get_object())
        return Response(self.get_serializer(job).data)
