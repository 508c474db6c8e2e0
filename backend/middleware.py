from django.conf import settings
from django.http import JsonResponse
from django.urls import Resolver404, resolve


class RequestBodyLimitMiddleware:
    """Refuse bodies above ``DATA_UPLOAD_MAX_MEMORY_SIZE`` with a 413 JSON error.

    Django enforces the limit only when ``request.body`` is read; DRF's parsers
    read the stream directly and would accept any size. A view may allow larger
    bodies with a ``max_body_size()`` classmethod (the data import does).
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
            limit = max(limit, view_body_limit(request.path_info))
            if length > limit:
                return JsonResponse(
                    {"detail": f"Request body too large; the limit is {limit} bytes."}, status=413
                )
        return self.get_response(request)


def view_body_limit(path: str) -> int:
    """The body limit the view at ``path`` declares, or 0. Resolved only for large bodies."""
    try:
        view_class = getattr(resolve(path).func, "view_class", None)
    except Resolver404:
        return 0
    max_body_size = getattr(view_class, "max_body_size", None)
    return max_body_size() if max_body_size else 0
