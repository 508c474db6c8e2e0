from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.core.practice.selectors import practice_stats, review_forecast, review_queue
from backend.core.practice.serializers import (
    ForecastDaySerializer,
    ForecastParamsSerializer,
    ReviewQueueParamsSerializer,
    StatsParamsSerializer,
    StatsSerializer,
)
from backend.core.questions.serializers import QuestionSerializer

# --- Practice --------------------------------------------------------------------


def query_params(serializer_class, request) -> dict:
    # An empty value (?until=) is a mistake, not a request for the default.
    blank = [name for name, value in request.query_params.items() if value == ""]
    if blank:
        raise ValidationError({name: ["This field may not be blank."] for name in blank})
    params = serializer_class(data=request.query_params)
    params.is_valid(raise_exception=True)
    return params.validated_data


@extend_schema(tags=["practice"])
class ReviewQueueView(APIView):
    @extend_schema(
        summary="What to practise now",
        parameters=[ReviewQueueParamsSerializer],
        responses=QuestionSerializer(many=True),
    )
    def get(self, request):
        """What to practise now: due questions, most overdue first, then never-attempted ones."""
        params = query_params(ReviewQueueParamsSerializer, request)
        questions = review_queue(owner=request.user, limit=params["limit"])
        return Response(QuestionSerializer(questions, many=True, context={"request": request}).data)


@extend_schema(tags=["practice"])
class ReviewForecastView(APIView):
    @extend_schema(
        summary="How many questions fall due on each coming day",
        parameters=[ForecastParamsSerializer],
        responses=ForecastDaySerializer(many=True),
    )
    def get(self, request):
        """How many questions fall due on each of the next days (UTC; today includes overdue)."""
        params = query_params(ForecastParamsSerializer, request)
        days = review_forecast(owner=request.user, days=params["days"])
        return Response(ForecastDaySerializer(days, many=True).data)


@extend_schema(tags=["practice"])
class StatsView(APIView):
    @extend_schema(
        summary="Your practice statistics",
        parameters=[StatsParamsSerializer],
        responses=StatsSerializer,
    )
    def get(self, request):
        """Progress statistics for a dashboard, in the given time zone."""
        params = query_params(StatsParamsSerializer, request)
        stats = practice_stats(
            owner=request.user,
            tz=params["tz"],
            since=params.get("since"),
            until=params.get("until"),
        )
        # StatsSerializer documents the shape; the dict is rendered as it is (orjson
        # writes its dates), rather than copied field by field first.
        return Response(stats)
