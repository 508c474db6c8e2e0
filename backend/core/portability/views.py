from django.conf import settings
from django.http import StreamingHttpResponse
from django.utils.http import content_disposition_header
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.core.portability.errors import ImportConflict
from backend.core.portability.export import export_filename, user_data_export
from backend.core.portability.import_ import user_data_import
from backend.core.portability.serializers import ExportDocumentSerializer, ImportResultSerializer
from backend.schema import ERROR_REF


class ImportConflicted(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "Your data changed while it was being imported; nothing was imported. Retry."
    default_code = "import_conflict"


# --- Export and import of your data ---------------------------------------------------


@extend_schema(tags=["your data"])
class DataExportView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Download all your data as one JSON document",
        description=(
            "Your profile, tags, questions (with tag names and logs), imports and token "
            "names; never a password or a token. Streamed, whatever its size. "
            "`POST /api/accounts/import/` reads it back."
        ),
        responses={200: ExportDocumentSerializer},
    )
    def get(self, request):
        response = StreamingHttpResponse(
            user_data_export(request.user), content_type="application/json"
        )
        response["Content-Disposition"] = content_disposition_header(
            True, export_filename(request.user)
        )
        response["Cache-Control"] = "no-store"
        return response


@extend_schema(tags=["your data"])
class DataImportView(APIView):
    permission_classes = [IsAuthenticated]

    @classmethod
    def max_body_size(cls) -> int:
        """Read by backend.middleware.RequestBodyLimitMiddleware instead of the global limit."""
        return settings.DATA_IMPORT_MAX_BYTES

    @extend_schema(
        summary="Import an export document into your account",
        description=(
            "Adds the document's tags, questions and logs to yours in one transaction: "
            "tags are matched to yours by name, questions you have already (same slug, or "
            "same platform and external_id) get only the attempts they lack, so a second "
            "import of a document adds nothing. The body may be up to DATA_IMPORT_MAX_MB "
            "(default 10) MiB, a larger one is a 413, and hold up to DATA_IMPORT_MAX_ROWS "
            "(default 50,000) tags, questions, attempts and tag names. A malformed "
            "document is a 400 with field errors where they are, as everywhere else, e.g. "
            '`{"questions": [{}, {"title": ["This field may not be blank."]}]}`, and nothing '
            "is written."
        ),
        request=ExportDocumentSerializer,
        responses={
            200: ImportResultSerializer,
            400: OpenApiResponse(ERROR_REF, description="Field errors, nested like the document."),
            409: OpenApiResponse(ERROR_REF, description="A concurrent write; retry."),
            413: OpenApiResponse(ERROR_REF, description="The body is too large."),
        },
    )
    def post(self, request):
        serializer = ExportDocumentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            counts = user_data_import(user=request.user, document=serializer.validated_data)
        except ImportConflict:
            raise ImportConflicted() from None
        return Response(ImportResultSerializer(counts).data)
