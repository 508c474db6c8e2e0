"""The API's routes plus the hand-written baseline; never routed in production."""

from django.urls import path

from backend.urls import urlpatterns as api_urlpatterns
from bench import baseline

urlpatterns = [
    path("bench/baseline/questions/", baseline.question_list),
    path("bench/baseline/questions/<int:pk>/", baseline.question_detail),
    path("bench/baseline/questions/<int:question_id>/logs/", baseline.question_logs),
    path("bench/baseline/review/", baseline.review_queue),
    path("bench/baseline/review/forecast/", baseline.review_forecast),
    *api_urlpatterns,
]
