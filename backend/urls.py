from django.contrib import admin
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularJSONAPIView

from backend.core.views import HealthView, not_found
from backend.swagger import SwaggerView

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularJSONAPIView.as_view(), name="schema"),
    path("api/docs/", SwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("api/health/", HealthView.as_view(), name="health"),
    path("api/accounts/", include("backend.accounts.urls")),
    path("api/", include("backend.core.urls")),
    # Unmatched API paths answer JSON in every mode (with debug on, handler404 is not used).
    re_path(r"^api/", not_found),
    path("", include("backend.web.urls")),
]

# The Error body, not HTML, for errors raised outside DRF's views.
handler400 = "backend.exceptions.bad_request"
handler404 = "backend.core.views.not_found"
handler500 = "backend.exceptions.server_error"
