from django.urls import path, re_path

from backend.accounts import views
from backend.core.pagination import page_view
from backend.core.portability import views as portability_views
from backend.core.views import ID_PATTERN

app_name = "accounts"
urlpatterns = [
    path("register/", views.RegisterView.as_view(), name="register"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("identity/", views.IdentityView.as_view(), name="identity"),
    path("csrf/", views.CsrfTokenView.as_view(), name="csrf"),
    path("me/", views.AccountView.as_view(), name="account"),
    path("tokens/", views.ApiTokenListCreateView.as_view(), name="apitoken-list"),
    path("tokens/page/", page_view(views.ApiTokenListCreateView), name="apitoken-page"),
    re_path(
        rf"^tokens/(?P<pk>{ID_PATTERN})/$",
        views.ApiTokenDetailView.as_view(),
        name="apitoken-detail",
    ),
    path("export/", portability_views.DataExportView.as_view(), name="export"),
    path("import/", portability_views.DataImportView.as_view(), name="import"),
]
