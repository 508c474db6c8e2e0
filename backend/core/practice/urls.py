from django.urls import path

from backend.core.practice import views

urlpatterns = [
    path("review/", views.ReviewQueueView.as_view(), name="review-queue"),
    path("review/forecast/", views.ReviewForecastView.as_view(), name="review-forecast"),
    path("stats/", views.StatsView.as_view(), name="stats"),
]
