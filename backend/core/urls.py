from django.urls import include, path, register_converter
from rest_framework.routers import SimpleRouter

from backend.core import views
from backend.core.pagination import page_view


class IdConverter:
    regex = views.ID_PATTERN

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(value)


register_converter(IdConverter, "id")

router = SimpleRouter()
router.register("questions", views.QuestionViewSet, basename="question")

urlpatterns = [
    path("review/", views.ReviewQueueView.as_view(), name="review-queue"),
    path("review/forecast/", views.ReviewForecastView.as_view(), name="review-forecast"),
    path("stats/", views.StatsView.as_view(), name="stats"),
    path("tags/", views.TagListCreateView.as_view(), name="tag-list"),
    path("tags/page/", page_view(views.TagListCreateView), name="tag-page"),
    path("tags/<id:pk>/", views.TagDetailView.as_view(), name="tag-detail"),
    path(
        "questions/<id:question_id>/logs/",
        views.QuestionLogListCreateView.as_view(),
        name="questionlog-list",
    ),
    path(
        "questions/<id:question_id>/logs/page/",
        page_view(views.QuestionLogListCreateView),
        name="questionlog-page",
    ),
    path(
        "questions/<id:question_id>/logs/<id:pk>/",
        views.QuestionLogDetailView.as_view(),
        name="questionlog-detail",
    ),
    path(
        "questions/page/", page_view(views.QuestionViewSet, {"get": "list"}), name="question-page"
    ),
    path("import/", include("backend.core.imports.urls")),
    *router.urls,
]
