from django.urls import include, path, register_converter

from backend.core.views import ID_PATTERN


class IdConverter:
    regex = ID_PATTERN

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(value)


# Registered before the includes below, whose routes use <id:...>.
register_converter(IdConverter, "id")

urlpatterns = [
    path("", include("backend.core.practice.urls")),
    path("", include("backend.core.questions.urls")),
    path("import/", include("backend.core.imports.urls")),
]
