"""BaseModelSerializer's shortcuts (see its docstring) must keep DRF's output and
give every serializer fields of its own. The API tests check the output over
HTTP; these compare it with DRF's own code on every kind of value."""

from datetime import UTC, datetime

import pytest
from rest_framework import serializers

from backend.core.models import Question, QuestionLog, Tag
from backend.core.selectors import QUESTION_LIST_FIELDS
from backend.core.serializers import QuestionLogSerializer, QuestionSerializer, unchanged_type


def drf_representation(serializer, instance) -> dict:
    return serializers.Serializer.to_representation(serializer, instance)


@pytest.fixture
def question(make_user):
    owner = make_user()
    question = Question.objects.create(
        owner=owner, title="Two sum", slug="two-sum", difficulty="Easy", source="LeetCode"
    )
    question.tags.set([Tag.objects.create(owner=owner, name="arrays")])
    QuestionLog.objects.create(
        owner=owner,
        question=question,
        date_attempted=datetime(2026, 3, 1, 9, 30, tzinfo=UTC),
        time_spent_min=None,  # None is not handed to the field
        outcome="Solved",
        rating="easy",
        self_notes="hash map",
    )
    Question.objects.filter(pk=question.pk).refresh_aggregates()
    question.refresh_from_db()
    return question


@pytest.mark.django_db
def test_a_question_is_represented_as_drf_would(question):
    serializer = QuestionSerializer()
    expected = drf_representation(serializer, question)
    assert expected["last_attempted_at"] == "2026-03-01T09:30:00Z"
    assert serializer.to_representation(question) == expected

    row = Question.objects.filter(pk=question.pk).values(*QUESTION_LIST_FIELDS).get()
    row["tag_summaries"] = expected["tags"]  # as the list serializer attaches them
    assert serializer.to_representation(row) == expected


@pytest.mark.django_db
def test_a_log_is_represented_as_drf_would(question):
    log = question.logs.get()
    serializer = QuestionLogSerializer()
    expected = drf_representation(serializer, log)
    assert expected["title"] == "Two sum" and expected["time_spent_min"] is None
    assert serializer.to_representation(log) == expected


def test_each_serializer_binds_fields_of_its_own():
    first, second = QuestionSerializer(), QuestionSerializer()
    for name, field in first.fields.items():
        assert field is not second.fields[name]
        assert field.parent is first and second.fields[name].parent is second
    child = first.fields["tag_ids"].child  # a field holding a field
    assert child is not second.fields["tag_ids"].child
    assert child.parent is first.fields["tag_ids"]


def test_only_choices_keyed_by_strings_pass_strings_through():
    # DRF maps the string "1" to the key 1; for string keys it maps a string to itself.
    assert unchanged_type(serializers.ChoiceField(choices=[(1, "one")])) is None
    assert unchanged_type(serializers.ChoiceField(choices=["a", "b"])) is str
