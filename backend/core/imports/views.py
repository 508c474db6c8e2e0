from django.conf import settings
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    inline_serializer,
)
from rest_framework import generics, serializers, status
from rest_framework.exceptions import APIException, NotFound
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.core.imports.csv_import import CSVParser, CsvRejected, csv_import, read_limited
from backend.core.imports.errors import ImportAlreadyFinished, ImportRunning
from backend.core.imports.models import ImportJob, ImportSync
from backend.core.imports.platforms import PLATFORMS
from backend.core.imports.serializers import (
    CsvImportParamsSerializer,
    CsvImportRejectedSerializer,
    CsvImportResultSerializer,
    ImportJobSerializer,
    ImportStartSerializer,
    ImportSyncRequestSerializer,
    ImportSyncSerializer,
)
from backend.core.imports.services import import_job_cancel, import_job_start
from backend.core.imports.sync import import_sync_keep, import_sync_stop
from backend.ownership import OwnedMixin
from backend.schema import ERROR_REF

ConflictSerializer = inline_serializer(
    "ImportConflict", {"detail": serializers.CharField(), "job_id": serializers.IntegerField()}
)


PLATFORM_PARAMETER = OpenApiParameter(
    "platform", OpenApiTypes.STR, OpenApiParameter.PATH, enum=sorted(PLATFORMS)
)


class ImportConflict(APIException):
    """A different import from the same platform is still queued or running."""

    status_code = status.HTTP_409_CONFLICT
    default_code = "import_running"

    def __init__(self, job: ImportJob):
        super().__init__(
            f"Your import of {job.get_platform_display()} user '{job.username}' is still "
            f"{job.status}; wait for it to finish."
        )
        # Set after __init__, which would turn the id into a string.
        self.detail = {"detail": self.detail, "job_id": job.pk}


class ImportFinished(APIException):
    """A cancel asked of a job that has already succeeded or failed."""

    status_code = status.HTTP_409_CONFLICT
    default_code = "import_finished"

    def __init__(self, job: ImportJob):
        super().__init__(f"This import has already {job.status}; there is nothing to cancel.")


def platform_client(platform: str):
    client = PLATFORMS.get(platform)
    if client is None:
        raise NotFound(f"Unknown platform '{platform}'. Supported: {', '.join(sorted(PLATFORMS))}.")
    return client


@extend_schema(tags=["imports"])
class ImportStartView(APIView):
    """Import your solved problems from a platform, in the background."""

    @extend_schema(
        summary="Start an import from a platform",
        description=(
            "Imports your solved problems from Codewars, LeetCode or Codeforces as questions "
            "with logs, in the background: poll the job at the Location header. LeetCode takes "
            "your session cookie too, for your whole history."
        ),
        parameters=[PLATFORM_PARAMETER],
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
        client = platform_client(platform)
        serializer = ImportStartSerializer(data=request.data, context={"platform": client})
        serializer.is_valid(raise_exception=True)
        try:
            job, created = import_job_start(
                owner=request.user, platform=client.name, **serializer.validated_data
            )
        except ImportRunning as exc:
            raise ImportConflict(exc.job) from None
        location = request.build_absolute_uri(reverse("importjob-detail", args=[job.pk]))
        return Response(
            ImportJobSerializer(job).data,
            status=status.HTTP_202_ACCEPTED if created else status.HTTP_200_OK,
            headers={"Location": location},
        )


class ImportJobMixin(OwnedMixin):
    queryset = ImportJob.objects.order_by("-created_at", "-id")
    serializer_class = ImportJobSerializer


@extend_schema(
    tags=["imports"],
    summary="List your imports",
    description="Newest first, with their progress.",
)
class ImportJobListView(ImportJobMixin, generics.ListAPIView):
    """Your imports, newest first."""


@extend_schema(
    tags=["imports"],
    summary="Get one of your imports",
    description="Poll it to follow its progress until its status is succeeded or failed.",
)
class ImportJobDetailView(ImportJobMixin, generics.RetrieveAPIView):
    """One of your imports: poll it to follow its progress."""


@extend_schema(tags=["imports"])
class ImportJobCancelView(ImportJobMixin, generics.GenericAPIView):
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
            404: OpenApiResponse(ERROR_REF, description="No such import of yours."),
            409: OpenApiResponse(
                ERROR_REF, description="The import has already succeeded or failed."
            ),
        },
    )
    def post(self, request, pk: int):
        try:
            job = import_job_cancel(job=self.get_object())
        except ImportAlreadyFinished as exc:
            raise ImportFinished(exc.job) from None
        return Response(self.get_serializer(job).data)


MULTIPART_OVERHEAD = 64 * 1024  # room for the boundaries and headers around the file


@extend_schema(tags=["imports"])
class CsvImportView(APIView):
    parser_classes = [CSVParser, MultiPartParser]

    @classmethod
    def max_body_size(cls) -> int:
        """Read by backend.middleware.RequestBodyLimitMiddleware instead of the global limit."""
        return settings.CSV_IMPORT_MAX_BYTES + MULTIPART_OVERHEAD

    @extend_schema(
        summary="Import questions and attempts from a CSV file",
        description=(
            "Send the file as the body (`Content-Type: text/csv`) or as the `file` field of a "
            "`multipart/form-data` form. One row per attempt or per question; columns are found "
            "by their header (any case; common synonyms) or named with `column_<field>`. A row "
            "with a date is an attempt (outcome Solved unless it says otherwise); rows are "
            "matched to your questions by source URL, else by title, and attempts by their "
            "time, so importing the same file twice adds nothing. `dry_run=true` answers what "
            "would be imported and every bad row, writing nothing. Otherwise the import is all "
            "or nothing: any bad row is a 400 listing them all. The file must be UTF-8 (a "
            "byte-order mark, as Excel writes, is fine), comma-, semicolon- or tab-separated, at "
            "most CSV_IMPORT_MAX_BYTES (413 beyond) and CSV_IMPORT_MAX_ROWS rows."
        ),
        parameters=[CsvImportParamsSerializer],
        request={
            "text/csv": OpenApiTypes.BINARY,
            "multipart/form-data": inline_serializer(
                "CsvImportUpload", {"file": serializers.FileField(help_text="The CSV file.")}
            ),
        },
        responses={
            200: OpenApiResponse(
                CsvImportResultSerializer, description="Imported, or what a dry run would do."
            ),
            400: OpenApiResponse(
                CsvImportRejectedSerializer,
                description=(
                    "Bad rows (listed in errors; nothing written), or a file that is not "
                    "UTF-8 CSV, has no title column or too many rows (detail says which)."
                ),
            ),
            413: OpenApiResponse(ERROR_REF, description="The file is too large."),
        },
    )
    def post(self, request):
        params = CsvImportParamsSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        result = csv_import(owner=request.user, data=csv_upload(request), **params.validated_data)
        if result["errors"] and not result["dry_run"]:
            return Response(
                {
                    "detail": (
                        f"{len(result['errors'])} problems in the file; nothing was imported. "
                        "Fix them and send it again."
                    ),
                    "errors": result["errors"],
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        return Response(result)


def csv_upload(request) -> bytes:
    """The file's bytes: the text/csv body, or the multipart form's ``file``."""
    if request.content_type.startswith(CSVParser.media_type):
        # DRF hands an empty body over as an empty form rather than to the parser.
        return request.data if isinstance(request.data, bytes) else b""
    upload = request.FILES.get("file")
    if upload is None:
        raise CsvRejected("Send the CSV as the body (text/csv) or as a form field named file.")
    return read_limited(upload)


@extend_schema(tags=["imports"], parameters=[PLATFORM_PARAMETER])
class ImportSyncView(APIView):
    """Keep a platform account in sync: it is imported again about once a day."""

    def sync(self, request, platform: str):
        client = platform_client(platform)
        sync = ImportSync.objects.owned_by(request.user).filter(platform=client.name).first()
        if sync is None:
            raise NotFound(f"You do not keep a {client.label} account in sync.")
        return sync

    @extend_schema(
        summary="See whether a platform account is kept in sync",
        responses={
            200: ImportSyncSerializer,
            404: OpenApiResponse(ERROR_REF, description="Unknown platform, or none kept in sync."),
        },
    )
    def get(self, request, platform: str):
        return Response(ImportSyncSerializer(self.sync(request, platform)).data)

    @extend_schema(
        summary="Keep a platform account in sync",
        description=(
            "Marks the account as kept in sync: `manage.py sync_imports` (run by cron) then "
            "imports it again once its last sync is IMPORT_SYNC_INTERVAL_HOURS (24) old, at an "
            "offset of up to an hour of its own; the first sync is due within that hour. It "
            "does not import now (`POST /api/import/{platform}/` does). One account per "
            "platform: a PUT with another username replaces it. Never keeps a session cookie: "
            "a LeetCode sync imports the 20 most recent accepted submissions."
        ),
        request=ImportSyncRequestSerializer,
        responses={
            201: OpenApiResponse(ImportSyncSerializer, description="Now kept in sync."),
            200: OpenApiResponse(ImportSyncSerializer, description="Was kept; updated."),
            404: OpenApiResponse(ERROR_REF, description="Unknown platform."),
        },
    )
    def put(self, request, platform: str):
        client = platform_client(platform)
        serializer = ImportSyncRequestSerializer(data=request.data, context={"platform": client})
        serializer.is_valid(raise_exception=True)
        sync, created = import_sync_keep(
            owner=request.user, platform=client.name, **serializer.validated_data
        )
        return Response(
            ImportSyncSerializer(sync).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    @extend_schema(
        summary="Stop keeping a platform account in sync",
        description="What was imported stays; an import under way runs to its end.",
        request=None,
        responses={
            204: OpenApiResponse(description="No longer kept in sync."),
            404: OpenApiResponse(ERROR_REF, description="Unknown platform, or none kept in sync."),
        },
    )
    def delete(self, request, platform: str):
        client = platform_client(platform)
        if not import_sync_stop(owner=request.user, platform=client.name):
            raise NotFound(f"You do not keep a {client.label} account in sync.")
        return Response(status=status.HTTP_204_NO_CONTENT)
