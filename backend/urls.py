from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.decorators.csp import csp_override
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularSwaggerView

from backend.core.views import HealthView

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularJSONAPIView.as_view(), name="schema"),
    path(
        "api/docs/",
        csp_override(settings.SWAGGER_CSP)(SpectacularSwaggerView.as_view(url_name="schema")),
        name="swagger-ui",
    ),
    path("api/health/", HealthView.as_view(), name="health"),
    path("api/accounts/", include("backend.accounts.urls")),
    path("api/", include("backend.core.urls")),
    path("", include("backend.web.urls")),
]

# JSON, not HTML, for errors raised outside DRF's views.
handler400 = "rest_framework.exceptions.bad_request"
handler404 = "backend.core.views.not_found"
handler500 = "rest_framework.exceptions.server_error"
