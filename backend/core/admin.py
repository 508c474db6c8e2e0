from django import forms
from django.contrib import admin
from django.db import transaction

from backend.core.imports import admin as imports_admin  # noqa: F401 (registers ImportJobAdmin)
from backend.core.models import Question, QuestionLog, Tag, question_slug
from backend.core.questions.services import question_log_delete, question_log_save


class OwnerFixedOnChange:
    """A question's tags and logs belong to its owner, so owners are chosen once, on add."""

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        return [*readonly, "owner"] if obj else readonly


# --- Tags ---------------------------------------------------------------------


@admin.register(Tag)
class TagAdmin(OwnerFixedOnChange, admin.ModelAdmin):
    list_display = ["name", "owner", "created_at"]
    list_select_related = ["owner"]
    search_fields = ["name", "owner__username"]
    autocomplete_fields = ["owner"]


# --- Questions ----------------------------------------------------------------


class QuestionAdminForm(forms.ModelForm):
    def clean(self):
        cleaned_data = super().clean()
        # On change the owner is read-only, so it comes from the instance.
        owner = cleaned_data.get("owner")
        owner_id = owner.pk if owner else self.instance.owner_id
        tags = cleaned_data.get("tags") or []
        if owner_id and any(tag.owner_id != owner_id for tag in tags):
            self.add_error("tags", "Pick only tags that belong to the question's owner.")
        return cleaned_data


class QuestionLogInline(admin.TabularInline):
    model = QuestionLog
    extra = 0
    exclude = ["owner"]  # always the question's owner (QuestionOwnerField)
    ordering = ["-date_attempted", "-id"]


@admin.register(Question)
class QuestionAdmin(OwnerFixedOnChange, admin.ModelAdmin):
    form = QuestionAdminForm
    inlines = [QuestionLogInline]
    list_display = [
        "title",
        "owner",
        "difficulty",
        "is_active",
        "attempts_count",
        "solved_count",
        "last_attempted_at",
        "created_at",
    ]
    list_filter = ["difficulty", "tags", "is_active", "owner"]
    list_select_related = ["owner"]
    search_fields = ["title", "content", "source"]
    autocomplete_fields = ["owner", "tags"]
    readonly_fields = ["slug", "attempts_count", "solved_count", "last_attempted_at"]

    def save_model(self, request, obj, form, change):
        if change:
            Question.objects.filter(pk=obj.pk).lock()
        else:
            obj.slug = question_slug(obj.title)
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        # The admin runs the whole save in one transaction, and save_model's write
        # already holds the question's row, so this recount sees every log.
        super().save_related(request, form, formsets, change)
        Question.objects.filter(pk=form.instance.pk).refresh_aggregates()


# --- Question logs ------------------------------------------------------------


@admin.register(QuestionLog)
class QuestionLogAdmin(admin.ModelAdmin):
    list_display = ["question", "owner", "date_attempted", "outcome", "time_spent_min"]
    list_filter = ["outcome"]
    list_select_related = ["question", "owner"]
    search_fields = ["question__title", "solution_approach", "self_notes"]
    autocomplete_fields = ["question"]
    readonly_fields = ["owner"]  # the question's (QuestionOwnerField)

    def save_model(self, request, obj, form, change):
        # A log moved to another question changes the aggregates of both.
        previous_question_id = form.initial.get("question") if change else None
        question_log_save(obj, previous_question_id=previous_question_id)

    def delete_model(self, request, obj):
        question_log_delete(obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            question_ids = set(queryset.values_list("question_id", flat=True))
            questions = Question.objects.filter(pk__in=question_ids)
            questions.lock()
            queryset.delete()
            questions.refresh_aggregates()
