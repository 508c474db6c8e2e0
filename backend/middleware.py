from django.conf import settings
from django.http import JsonResponse


class RequestBodyLimitMiddleware:
    """Refuse bodies above ``DATA_UPLOAD_MAX_MEMORY_SIZE`` with a 413 JSON error.

    Django enforces the limit only when ``request.body`` is read; DRF's parsers
    read the stream directly and would accept any size.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return JsonResponse({"detail": "Invalid Content-Length header."}, status=400)
        if limit is not None and length > limit:
            return JsonResponse(
                {"detail": f"Request body too large; the limit is {limit} bytes."}, status=413
            )
        return self.get_response(request)
