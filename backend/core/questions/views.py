from functools import cached_property

from django.db import IntegrityError, transaction
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.generics import get_object_or_404
from rest_framework.permissions import SAFE_METHODS

from backend.core.models import TAG_NAME_TAKEN, Question, QuestionLog, Tag
from backend.core.questions.filters import (
    BoundedSearchFilter,
    QuestionFilter,
    QuestionFilterBackend,
    StrictOrderingFilter,
)
from backend.core.questions.serializers import (
    QuestionLogSerializer,
    QuestionSerializer,
    TagSerializer,
)
from backend.core.questions.services import (
    question_create,
    question_log_delete,
    question_log_save,
    question_update,
    tag_delete,
)
from backend.core.views import ID_PATTERN
from backend.ownership import OwnedMixin

# --- Tags ----------------------------------------------------------------------


class TagMixin(OwnedMixin):
    queryset = Tag.objects.all()
    serializer_class = TagSerializer

    def perform_create(self, serializer):
        save_tag(serializer, owner=self.request.user)

    def perform_update(self, serializer):
        save_tag(serializer)

    def perform_destroy(self, instance):
        tag_delete(instance)


def save_tag(serializer, **fields):
    try:
        with transaction.atomic():
            serializer.save(**fields)
    except IntegrityError:
        # Another request created the same name between validation and insert.
        raise ValidationError({"name": [TAG_NAME_TAKEN]}) from None


@extend_schema(tags=["tags"])
@extend_schema_view(
    get=extend_schema(summary="List your tags", description="All your tags, by name."),
    post=extend_schema(
        summary="Create a tag",
        description="The name must be new among your tags, ignoring case.",
    ),
)
class TagListCreateView(TagMixin, generics.ListCreateAPIView):
    """Your tags, by name."""


@extend_schema(tags=["tags"])
@extend_schema_view(
    get=extend_schema(summary="Get one of your tags", description="The tag with this id."),
    put=extend_schema(
        summary="Replace a tag",
        description="Sets its name (new among your tags, ignoring case) and description.",
    ),
    patch=extend_schema(
        summary="Change some of a tag's fields", description="Only the fields sent change."
    ),
    delete=extend_schema(
        summary="Delete a tag",
        description="Deletes the tag and detaches it from your questions; the questions stay.",
    ),
)
class TagDetailView(TagMixin, generics.RetrieveUpdateDestroyAPIView):
    """One of your tags. Deleting it detaches it from your questions."""


# --- Questions -----------------------------------------------------------------


@extend_schema(tags=["questions"])
@extend_schema_view(
    # django-filter's schema types is_active by its model field; the filter takes text.
    list=extend_schema(
        summary="List your questions",
        description=(
            "Newest first, with their tags and attempt aggregates. Filter with the "
            "parameters, search the title, content and source with `search`, and sort "
            "with `ordering`."
        ),
        parameters=[OpenApiParameter("is_active", OpenApiTypes.STR, enum=["true", "false"])],
    ),
    create=extend_schema(
        summary="Create a question",
        description="Its slug is made from the title; `tag_ids` attaches your tags.",
    ),
    retrieve=extend_schema(
        summary="Get one of your questions",
        description="With its tags, attempt aggregates and review schedule.",
    ),
    update=extend_schema(
        summary="Replace a question",
        description="Sets every writable field; `tag_ids`, when sent, replaces its tags.",
    ),
    partial_update=extend_schema(
        summary="Change some of a question's fields",
        description="Only the fields sent change; `tag_ids`, when sent, replaces its tags.",
    ),
    destroy=extend_schema(
        summary="Delete a question",
        description="Deletes the question and every attempt logged for it.",
    ),
)
class QuestionViewSet(OwnedMixin, viewsets.ModelViewSet):
    """Your questions, newest first, with their tags and attempt aggregates."""

    queryset = Question.objects.order_by("-created_at", "-id")
    serializer_class = QuestionSerializer
    lookup_value_regex = ID_PATTERN
    filter_backends = [QuestionFilterBackend, BoundedSearchFilter, StrictOrderingFilter]
    filterset_class = QuestionFilter
    search_fields = ["title", "content", "source"]
    ordering_fields = [
        "created_at",
        "title",
        "last_attempted_at",
        "attempts_count",
        "solved_count",
        "next_review_at",
    ]

    def get_queryset(self):
        questions = super().get_queryset()
        # A write reads the tags after it, for the response.
        return questions.with_tags() if self.request.method in SAFE_METHODS else questions

    def filter_queryset(self, queryset):
        # Filters, search and ordering are for lists: a detail ignores them.
        return super().filter_queryset(queryset) if self.action == "list" else queryset

    def perform_create(self, serializer):
        fields = dict(serializer.validated_data)
        tags = fields.pop("tag_ids", None)
        serializer.instance = question_create(owner=self.request.user, tags=tags, **fields)

    def perform_update(self, serializer):
        fields = dict(serializer.validated_data)
        tags = fields.pop("tag_ids", None)
        question_update(question=serializer.instance, tags=tags, **fields)


# --- Question logs (nested under a question) -------------------------------------


class QuestionLogMixin:
    serializer_class = QuestionLogSerializer

    @cached_property
    def question(self) -> Question:
        """The question in the URL; another user's question is a 404."""
        return get_object_or_404(
            Question.objects.owned_by(self.request.user).only("id", "title", "owner_id"),
            pk=self.kwargs["question_id"],
        )

    def get_queryset(self):
        # Through the question's manager, each log's .question is this instance: no join.
        return self.question.logs.order_by("-date_attempted", "-id")

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "question": self.question}

    def perform_create(self, serializer):
        fields = dict(serializer.validated_data)
        fields.pop("question_id", None)
        serializer.instance = question_log_save(QuestionLog(question=self.question, **fields))

    def perform_update(self, serializer):
        log = serializer.instance
        for name, value in serializer.validated_data.items():
            if name != "question_id":
                setattr(log, name, value)
        question_log_save(log)

    def perform_destroy(self, instance):
        question_log_delete(instance)


@extend_schema(tags=["question logs"])
@extend_schema_view(
    get=extend_schema(
        summary="List the attempts at one of your questions",
        description="Newest first, by the time the attempt began.",
    ),
    post=extend_schema(
        summary="Log an attempt at one of your questions",
        description="Updates the question's aggregates and schedules its next review.",
    ),
)
class QuestionLogListCreateView(OwnedMixin, QuestionLogMixin, generics.ListCreateAPIView):
    """Attempts at one of your questions, newest first."""


@extend_schema(tags=["question logs"])
@extend_schema_view(
    get=extend_schema(
        summary="Get one attempt", description="One attempt at the question in the URL."
    ),
    put=extend_schema(
        summary="Replace an attempt",
        description="Sets every writable field; the question's aggregates and schedule follow.",
    ),
    patch=extend_schema(
        summary="Change some of an attempt's fields",
        description="Only the fields sent change; the question's aggregates and schedule follow.",
    ),
    delete=extend_schema(
        summary="Delete an attempt",
        description="The question's aggregates and review schedule are recomputed without it.",
    ),
)
class QuestionLogDetailView(OwnedMixin, QuestionLogMixin, generics.RetrieveUpdateDestroyAPIView):
    """One attempt at one of your questions."""
