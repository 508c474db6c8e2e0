"""Every error answers the one ``Error`` body (backend/schema.py), whoever raised it.

DRF views go through ``exception_handler`` (REST_FRAMEWORK["EXCEPTION_HANDLER"]);
what Django answers itself (a crash, a Host not allowed, too many fields) through
``server_error`` and ``bad_request`` (handler500 and handler400 in backend/urls.py).

Errors that mean "the database is unavailable" become a JSON 503, wherever they
surface: in DRF views through ``exception_handler``, everywhere else (the admin, the
Swagger page's template) through ``DatabaseUnavailableMiddleware``. Clients and load
balancers retry a 503 with ``Retry-After``, and the server keeps running: once the
database is back, the next request reconnects (CONN_HEALTH_CHECKS) with no restart.

A model rule that a service applied (Django's ValidationError) is a 400 with field errors.
"""

import logging

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import InterfaceError, OperationalError
from django.http import JsonResponse
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

logger = logging.getLogger(__name__)

SERVER_ERROR = "A server error occurred."
BAD_REQUEST = "Bad request."
DATABASE_UNAVAILABLE = "The database is unavailable; try again shortly."
RETRY_AFTER_SECONDS = 5
UNAVAILABLE_HEADERS = {"Retry-After": str(RETRY_AFTER_SECONDS)}


def database_unavailable(exc: BaseException, request) -> bool:
    """Log and return True when ``exc`` says the database cannot serve us right now.

    OperationalError and InterfaceError are the DB-API's errors "not under the
    programmer's control": refused or lost connections, a server shutting down, lock
    and statement timeouts. Bugs mostly raise other DatabaseErrors and stay 500s
    (SQLite is the exception: it reports a missing table as OperationalError).
    """
    if not isinstance(exc, (OperationalError, InterfaceError)):
        return False
    # The driver's first line only: detail lines may quote SQL or values.
    lines = str(exc).strip().splitlines()
    logger.warning(
        "Database unavailable; answering 503 to %s %s: %s: %s",
        getattr(request, "method", "?"),
        getattr(request, "path", "?"),
        type(exc).__name__,
        lines[0] if lines else "",
    )
    return True


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        # The model's rules, as a service applied them (validate_fields): a 400 like a
        # serializer's, keyed by field.
        exc = ValidationError(as_serializer_error(exc))
    if database_unavailable(exc, context.get("request")):
        set_rollback()
        return Response(
            {"detail": DATABASE_UNAVAILABLE},
            status=status.HTTP_503_SERVICE_UNAVAILABLE,
            headers=UNAVAILABLE_HEADERS,
        )
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(response.data, list):
        # A ValidationError raised with a message outside a serializer: DRF keeps the
        # message as a bare list, which is not the Error body.
        if all(isinstance(item, str) for item in response.data):
            response.data = {"detail": " ".join(response.data)}
        else:
            response.data = {api_settings.NON_FIELD_ERRORS_KEY: response.data}
    return response


def server_error(request, *args, **kwargs):
    """handler500: a generic sentence; the exception is in the log, never in the answer."""
    return JsonResponse({"detail": SERVER_ERROR}, status=status.HTTP_500_INTERNAL_SERVER_ERROR)


def bad_request(request, exception, *args, **kwargs):
    """handler400, for what Django refuses before any view (a Host not allowed, more
    than DATA_UPLOAD_MAX_NUMBER_FIELDS fields). Django's own message quotes the request
    (the Host header), so it goes to the log only."""
    return JsonResponse({"detail": BAD_REQUEST}, status=status.HTTP_400_BAD_REQUEST)


class DatabaseUnavailableMiddleware:
    """The same 503 for views outside DRF, and for errors while rendering a template."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if database_unavailable(exception, request):
            return JsonResponse(
                {"detail": DATABASE_UNAVAILABLE},
                status=status.HTTP_503_SERVICE_UNAVAILABLE,
                headers=UNAVAILABLE_HEADERS,
            )
        return None
