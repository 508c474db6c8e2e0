"""Swagger UI at /api/docs/ that can write with a session, not only read."""

from django.conf import settings
from django.utils.decorators import method_decorator
from django.views.decorators.csp import csp_override
from django.views.decorators.csrf import ensure_csrf_cookie
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularSwaggerSplitView


@method_decorator(ensure_csrf_cookie, name="dispatch")
@method_decorator(csp_override(settings.SWAGGER_CSP), name="dispatch")
class SwaggerView(SpectacularSwaggerSplitView):
    """drf-spectacular's page with its script served separately (no inline script) and ours.

    Its template keeps an inline style, which SWAGGER_CSP allows on this page only.

    drf-spectacular's script sends the CSRF token rendered into the page, and only for
    requests without credentials; ours reads the ``csrftoken`` cookie at every write,
    since signing in rotates it (docs/security.md).
    """

    template_name_js = "swagger/swagger_ui.js"

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        response.data["csrf_cookie_name"] = settings.CSRF_COOKIE_NAME
        return response
