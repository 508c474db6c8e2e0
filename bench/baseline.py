"""A hand-written baseline for the benchmark: plain Django views, ``.values()``
queries and ``JsonResponse``, no DRF. They return the same JSON as the API for
the same user, so the API's overhead can be measured against them."""

import json
from collections import Counter, defaultdict
from datetime import UTC, datetime, time, timedelta
from urllib.parse import urlencode

from django.db import transaction
from django.db.models import Count
from django.db.models.functions import Lower, TruncDate
from django.http import HttpResponseNotAllowed, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone

from backend.core.models import Question, QuestionLog

QUESTION_FIELDS = [
    "id",
    "title",
    "slug",
    "content",
    "source",
    "difficulty",
    "is_active",
    "created_at",
    "updated_at",
    "attempts_count",
    "solved_count",
    "last_attempted_at",
    "next_review_at",
    "review_state",
]
LOG_FIELDS = [
    "id",
    "question",
    "date_attempted",
    "time_spent_min",
    "outcome",
    "rating",
    "solution_approach",
    "self_notes",
]


def iso(value):
    """DRF's datetime format: ISO 8601 with "Z" for UTC."""
    if value is None:
        return None
    text = value.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def forbidden():
    return JsonResponse({"detail": "Authentication credentials were not provided."}, status=403)


def questions_json(rows):
    tags = defaultdict(list)
    through = Question.tags.through.objects.filter(question_id__in=[row["id"] for row in rows])
    for question_id, tag_id, name in through.order_by(Lower("tag__name"), "tag_id").values_list(
        "question_id", "tag_id", "tag__name"
    ):
        tags[question_id].append({"id": tag_id, "name": name})
    return [
        {
            "id": row["id"],
            "title": row["title"],
            "slug": row["slug"],
            "content": row["content"],
            "source": row["source"],
            "difficulty": row["difficulty"],
            "is_active": row["is_active"],
            "tags": tags[row["id"]],
            "created_at": iso(row["created_at"]),
            "updated_at": iso(row["updated_at"]),
            "attempts_count": row["attempts_count"],
            "solved_count": row["solved_count"],
            "last_attempted_at": iso(row["last_attempted_at"]),
            "next_review_at": iso(row["next_review_at"]),
            "review_state": row["review_state"],
        }
        for row in rows
    ]


def question_list(request):
    if not request.user.is_authenticated:
        return forbidden()
    questions = Question.objects.filter(owner=request.user).order_by("-created_at", "-id")
    if "limit" not in request.GET:
        return JsonResponse(questions_json(list(questions.values(*QUESTION_FIELDS))), safe=False)
    limit, offset = int(request.GET["limit"]), int(request.GET.get("offset", 0))
    rows = list(questions.values(*QUESTION_FIELDS)[offset : offset + limit])
    count = questions.count()
    return JsonResponse(
        {
            "count": count,
            "next": page_link(request, limit, offset + limit) if offset + limit < count else None,
            "previous": page_link(request, limit, max(offset - limit, 0)) if offset else None,
            "results": questions_json(rows),
        }
    )


def page_link(request, limit: int, offset: int) -> str:
    """DRF's link to another page: the query sorted, no offset for the first page."""
    query = {**request.GET.dict(), "limit": limit, "offset": offset}
    if not offset:
        del query["offset"]
    return request.build_absolute_uri(request.path) + "?" + urlencode(sorted(query.items()))


def question_detail(request, pk):
    if not request.user.is_authenticated:
        return forbidden()
    row = get_object_or_404(
        Question.objects.filter(owner=request.user).values(*QUESTION_FIELDS), pk=pk
    )
    return JsonResponse(questions_json([row])[0])


def log_json(row, title):
    return {
        "id": row["id"],
        "question": row["question"],
        "title": title,
        "date_attempted": iso(row["date_attempted"]),
        "time_spent_min": row["time_spent_min"],
        "outcome": row["outcome"],
        "rating": row["rating"],
        "solution_approach": row["solution_approach"],
        "self_notes": row["self_notes"],
    }


def question_logs(request, question_id):
    if not request.user.is_authenticated:
        return forbidden()
    question = get_object_or_404(
        Question.objects.filter(owner=request.user).only("id", "title", "owner_id"), pk=question_id
    )
    logs = QuestionLog.objects.filter(question_id=question.pk)
    if request.method == "GET":
        rows = logs.order_by("-date_attempted", "-id").values(*LOG_FIELDS)
        return JsonResponse([log_json(row, question.title) for row in rows], safe=False)
    if request.method != "POST":
        return HttpResponseNotAllowed(["GET", "POST"])
    data = json.loads(request.body)
    with transaction.atomic():
        Question.objects.filter(pk=question.pk).lock()
        log = QuestionLog(
            question=question,
            outcome=data.get("outcome", ""),
            time_spent_min=data.get("time_spent_min"),
        )
        log.save()
        Question.objects.filter(pk=question.pk).refresh_aggregates()
    row = logs.values(*LOG_FIELDS).get(pk=log.pk)
    return JsonResponse(log_json(row, question.title), status=201)


def review_queue(request):
    if not request.user.is_authenticated:
        return forbidden()
    limit = int(request.GET.get("limit", 20))
    active = Question.objects.filter(owner=request.user, is_active=True)
    due = list(
        active.filter(next_review_at__lte=timezone.now())
        .order_by("next_review_at", "id")
        .values(*QUESTION_FIELDS)[:limit]
    )
    if len(due) < limit:
        never = active.filter(attempts_count=0).order_by("created_at", "id")
        due += never.values(*QUESTION_FIELDS)[: limit - len(due)]
    return JsonResponse(questions_json(due), safe=False)


def review_forecast(request):
    if not request.user.is_authenticated:
        return forbidden()
    days = int(request.GET.get("days", 14))
    today = timezone.now().date()
    end = datetime.combine(today + timedelta(days=days), time.min, tzinfo=UTC)
    rows = (
        Question.objects.filter(owner=request.user, is_active=True, next_review_at__lt=end)
        .annotate(day=TruncDate("next_review_at", tzinfo=UTC))
        .values("day")
        .annotate(due=Count("id"))
        .order_by()
    )
    counts = Counter()
    for row in rows:
        counts[max(row["day"], today)] += row["due"]
    dates = [today + timedelta(days=n) for n in range(days)]
    return JsonResponse(
        [{"date": day.isoformat(), "due": counts[day]} for day in dates], safe=False
    )
