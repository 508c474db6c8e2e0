from django.urls import path
from rest_framework.routers import SimpleRouter

from backend.core.pagination import page_view
from backend.core.questions import views

router = SimpleRouter()
router.register("questions", views.QuestionViewSet, basename="question")

urlpatterns = [
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
    *router.urls,
]
