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

    def get_paginated_response_schema(self, schema):
        return {"oneOf": [schema, super().get_paginated_response_schema(schema)]}

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.limit_query_param:
                parameter["description"] = (
                    f"Page size, at least 1; larger values than {self.max_limit} are capped. "
                    "Without it the list is a plain array."
                )
                parameter["schema"]["minimum"] = 1
            else:
                parameter["schema"]["minimum"] = 0
        return parameters
