from django import forms
from django.db.models import F, Q
from django.utils import timezone
from django_filters import rest_framework as filters
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError
from rest_framework.filters import OrderingFilter, SearchFilter

from backend.core.enums import Difficulty, Outcome
from backend.core.models import Tag
from backend.core.questions.serializers import MAX_ID

MAX_SEARCH_WORDS = 10  # each word is one more LIKE over title, content and source
TRUE_FALSE = [("true", "true"), ("false", "false")]


class IdsField(filters.ModelMultipleChoiceFilter.field_class):
    """Ids that do not fit the database's bigint are invalid choices, not a crash."""

    def clean(self, value):
        for item in value or []:
            if not str(item).isdigit() or int(item) > MAX_ID:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": item},
                )
        return super().clean(value)


class IdsFilter(filters.ModelMultipleChoiceFilter):
    field_class = IdsField


class QuestionFilter(filters.FilterSet):
    difficulty = filters.MultipleChoiceFilter(
        choices=Difficulty.choices, help_text="One or several (repeat the parameter)."
    )
    tag = IdsFilter(
        field_name="tags",
        queryset=lambda request: Tag.objects.owned_by(request.user),
        conjoined=True,
        help_text="A tag id; repeat it to ask for questions that have all the given tags.",
    )
    source = filters.CharFilter(lookup_expr="icontains", help_text="Contains, ignoring case.")
    outcome = filters.ChoiceFilter(
        field_name="last_outcome",
        choices=Outcome.choices,
        help_text="The outcome of the latest attempt.",
    )
    # ChoiceFilter rather than BooleanFilter: a value other than true/false is
    # a 400 instead of being silently ignored.
    is_active = filters.ChoiceFilter(choices=TRUE_FALSE, method="filter_is_active")
    attempted = filters.ChoiceFilter(
        choices=TRUE_FALSE, method="filter_attempted", help_text="Has at least one log."
    )
    due = filters.ChoiceFilter(
        choices=TRUE_FALSE, method="filter_due", help_text="Due for review now."
    )

    def filter_is_active(self, questions, name, value):
        return questions.filter(is_active=value == "true")

    def filter_attempted(self, questions, name, value):
        attempted = Q(attempts_count__gt=0)
        return questions.filter(attempted if value == "true" else ~attempted)

    def filter_due(self, questions, name, value):
        due = Q(next_review_at__lte=timezone.now())
        return questions.filter(due if value == "true" else ~due | Q(next_review_at=None))


class QuestionFilterBackend(DjangoFilterBackend):
    """django-filter's backend, skipped when the request names none of the filters.

    Building a FilterSet (a deep copy of every filter, a form to validate) costs a
    page of 50 questions more than its own queries do, and without parameters every
    filter leaves the queryset as it is.
    """

    def filter_queryset(self, request, queryset, view):
        if request.query_params.keys().isdisjoint(view.filterset_class.base_filters):
            return queryset
        return super().filter_queryset(request, queryset, view)


class BoundedSearchFilter(SearchFilter):
    """DRF's SearchFilter, with at most MAX_SEARCH_WORDS words (a 400 beyond), and its
    errors keyed by the parameter, as every other query parameter's are."""

    search_description = (
        f"Words that must each appear in the title, content or source (ignoring case); "
        f"at most {MAX_SEARCH_WORDS}."
    )

    def get_search_terms(self, request):
        try:
            terms = super().get_search_terms(request)
        except ValidationError as error:  # DRF's own check (a NUL) names no parameter
            raise ValidationError({self.search_param: error.detail}) from None
        if len(terms) > MAX_SEARCH_WORDS:
            raise ValidationError(
                {self.search_param: [f"Use at most {MAX_SEARCH_WORDS} words, not {len(terms)}."]}
            )
        return terms


class StrictOrderingFilter(OrderingFilter):
    """DRF's OrderingFilter, but an unknown field is a 400 rather than ignored,
    empty values sort last in both directions (as on every database), and ties
    are broken by id so that pages never overlap."""

    def get_ordering(self, request, queryset, view):
        param = request.query_params.get(self.ordering_param)
        if not param:
            return None
        names = [name.strip() for name in param.split(",") if name.strip()]
        unknown = [name for name in names if name.lstrip("-") not in view.ordering_fields]
        if unknown or not names:
            allowed = ", ".join(view.ordering_fields)
            raise ValidationError(
                {
                    self.ordering_param: [
                        f"Unknown field {(unknown or [param])[0]!r}; use {allowed}."
                    ]
                }
            )
        return names

    def filter_queryset(self, request, queryset, view):
        names = self.get_ordering(request, queryset, view)
        if not names:
            return queryset
        ordering = [
            (
                F(name[1:]).desc(nulls_last=True)
                if name.startswith("-")
                else F(name).asc(nulls_last=True)
            )
            for name in names
        ]
        return queryset.order_by(*ordering, "-id")
