"""Staff admin for import jobs; backend/core/admin.py imports it so that autodiscovery finds it."""

from django.contrib import admin

from backend.core.imports.models import ImportJob


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    """Jobs are written by the import API and its worker only: staff can look and delete."""

    list_display = ["__str__", "owner", "status", "processed", "total", "created_at"]
    list_filter = ["status", "platform"]
    list_select_related = ["owner"]
    search_fields = ["username", "owner__username"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
