"""Reads that need more than a queryset."""

from collections import defaultdict
from collections.abc import Sequence

from django.db.models.functions import Lower

from backend.core.models import Question


def tag_summaries(question_ids: Sequence[int]) -> dict[int, list[dict]]:
    """``{question id: [{"id", "name"}, …]}`` by tag name, in one query.

    Plain dicts from the through table rather than prefetched Tag instances: on
    a page of questions, building a related manager and model per tag cost more
    than the rest of the request.
    """
    summaries = defaultdict(list)
    rows = (
        Question.tags.through.objects.filter(question_id__in=question_ids)
        .order_by(Lower("tag__name"), "tag_id")
        .values_list("question_id", "tag_id", "tag__name")
    )
    for question_id, tag_id, name in rows:
        summaries[question_id].append({"id": tag_id, "name": name})
    return summaries
