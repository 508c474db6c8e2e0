from django.urls import path

from backend.core.imports import views
from backend.core.pagination import page_view

# Included under /api/import/ by backend/core/urls.py, which registers the id converter.
urlpatterns = [
    path("jobs/", views.ImportJobListView.as_view(), name="importjob-list"),
    path("jobs/page/", page_view(views.ImportJobListView), name="importjob-page"),
    path("jobs/<id:pk>/", views.ImportJobDetailView.as_view(), name="importjob-detail"),
    path("jobs/<id:pk>/cancel/", views.ImportJobCancelView.as_view(), name="importjob-cancel"),
    path("csv/", views.CsvImportView.as_view(), name="import-csv"),
    path("<slug:platform>/", views.ImportStartView.as_view(), name="import-start"),
    path("<slug:platform>/sync/", views.ImportSyncView.as_view(), name="import-sync"),
]
