from django.urls import path

from backend.accounts import views

app_name = "accounts"
urlpatterns = [
    path("register/", views.RegisterView.as_view(), name="register"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("identity/", views.IdentityView.as_view(), name="identity"),
    path("csrf/", views.CsrfTokenView.as_view(), name="csrf"),
]
