from rest_framework.exceptions import ValidationError
from rest_framework.pagination import LimitOffsetPagination


class OptionalLimitOffsetPagination(LimitOffsetPagination):
    """Plain JSON arrays unless the caller asks for a page with ``?limit=``.

    The SPA relies on lists being arrays; ``?limit=&offset=`` switches to DRF's
    envelope (``count``, ``next``, ``previous``, ``results``). The limit is
    capped at ``max_limit``; a limit or offset that is not a whole number is a 400.
    A view that knows its list's length without a COUNT returns it from
    ``count_without_query()`` (None when it does not).
    """

    default_limit = None
    max_limit = 1000
    skip_by_id_after = 1000  # rows; deeper pages take one more query

    def paginate_queryset(self, queryset, request, view=None):
        """DRF's, but a page nearer the end of the list than its start is read
        backwards: the database steps over the rows after it instead of the many
        more before it, so the deepest pages cost what the first ones do."""
        self.request = request
        self.offset = self.get_offset(request)  # checked even without a limit
        self.limit = self.get_limit(request)
        if self.limit is None:
            return None
        known = getattr(view, "count_without_query", lambda: None)()
        self.count = self.get_count(queryset) if known is None else known
        if self.count > self.limit and self.template is not None:
            self.display_page_controls = True
        if self.count == 0 or self.offset > self.count:
            return []
        end = min(self.offset + self.limit, self.count)
        rows_after = self.count - end
        # Reversing is exact only for a total order: every list ends its ordering
        # with the id (see StrictOrderingFilter).
        backwards = rows_after < self.offset and queryset.ordered
        ordered = queryset.reverse() if backwards else queryset
        start, stop = (rows_after, self.count - self.offset) if backwards else (self.offset, end)
        if start > self.skip_by_id_after:
            # Step over the skipped rows in an index of ids, not in whole rows;
            # then read the page's rows by id (unordered: ordered, SQLite would
            # walk the ordering's index through every row of the user's).
            ids = list(ordered.values_list("pk", flat=True)[start:stop])
            rows = ordered.order_by().in_bulk(ids)
            page = [rows[pk] for pk in ids]
        else:
            page = list(ordered[start:stop])
        return page[::-1] if backwards else page

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
