from django.urls import path, re_path

from backend.web import views

app_name = "web"

# The app's routes, as the browser's router knows them (static/web/main.js).
urlpatterns = [
    path("", views.shell, name="home"),
    path("signin", views.shell, name="signin"),
    path("signup", views.shell, name="signup"),
    path("questions", views.shell, name="questions"),
    path("questions/new", views.shell, name="question-new"),
    path("questions/<int:question_id>", views.shell, name="question"),
    path("questions/<int:question_id>/edit", views.shell, name="question-edit"),
    path("practice", views.shell, name="practice"),
    path("progress", views.shell, name="progress"),
    path("import", views.shell, name="import"),
    path("account", views.shell, name="account"),
    # Anything else outside the API, the admin and the static files: the app's 404 screen.
    re_path(r"^(?!api/|admin/|static/).*$", views.shell, {"status": 404}, name="not-found"),
]
