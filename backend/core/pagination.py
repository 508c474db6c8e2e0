from rest_framework.exceptions import ValidationError
from rest_framework.pagination import LimitOffsetPagination


class OptionalLimitOffsetPagination(LimitOffsetPagination):
    """Plain JSON arrays unless the caller asks for a page with ``?limit=``.

    The SPA relies on lists being arrays; ``?limit=&offset=`` switches to DRF's
    envelope (``count``, ``next``, ``previous``, ``results``). The limit is
    capped at ``max_limit``; a limit or offset that is not a whole number is a 400.
    """

    default_limit = None
    max_limit = 1000

    def paginate_queryset(self, queryset, request, view=None):
        self.get_offset(request)  # a bad offset is a 400 even without a limit
        return super().paginate_queryset(queryset, request, view)

    def get_limit(self, request):
        if self.limit_query_param not in request.query_params:
            return None
        limit = self._non_negative_int(request, self.limit_query_param)
        if limit == 0:
            raise ValidationError({self.limit_query_param: ["Ensure this value is at least 1."]})
        return min(limit, self.max_limit)

    def get_offset(self, request):
        if self.offset_query_param not in request.query_params:
            return 0
        return self._non_negative_int(request, self.offset_query_param)

    @staticmethod
    def _non_negative_int(request, name: str) -> int:
        value = request.query_params[name]
        if not value.isdigit() or len(value) > 18:
            raise ValidationError({name: ["A valid non-negative integer is required."]})
        return int(value)


class LimitOffsetPage(OptionalLimitOffsetPagination):
    """Always a page: the ``…/page/`` routes, where ``?limit=`` may be left out.

    They serve the same lists as their routes without ``/page/``, so that a
    schema, and a client generated from it, has one response shape per operation
    (backend/schema.py documents only these as pages).
    """

    default_limit = 100

    def get_limit(self, request):
        limit = super().get_limit(request)
        return self.default_limit if limit is None else limit

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.limit_query_param:
                parameter["description"] = (
                    f"Page size, at least 1 (default {self.default_limit}); larger values than "
                    f"{self.max_limit} are capped."
                )
                parameter["schema"].update(minimum=1, maximum=10**18 - 1)
            else:
                parameter["schema"].update(minimum=0, maximum=10**18 - 1)
        return parameters


def page_view(view_class, actions=None):
    """The GET of a list view (or a viewset's list), always answering a page."""
    options = {"pagination_class": LimitOffsetPage, "http_method_names": ["get", "head", "options"]}
    if actions is None:
        return view_class.as_view(**options)
    return view_class.as_view(actions, **options)
