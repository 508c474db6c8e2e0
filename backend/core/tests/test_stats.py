"""GET /api/stats/: exact numbers for a known data set."""

from collections import Counter
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from backend.core.models import Question, QuestionLog
from backend.core.practice.selectors import attempts_per_day
from backend.test_common.api import create_log, create_question, create_tag

BERLIN = ZoneInfo("Europe/Berlin")
# Whole hours, half and three-quarter hours, daylight saving time, a day apart.
ZONES = ["UTC", "Europe/Berlin", "Asia/Kolkata", "America/St_Johns", "Pacific/Chatham"]


def at(day_offset: int, hour: int, tz=ZoneInfo("UTC")) -> str:
    """An ISO time ``day_offset`` days from today (in ``tz``) at ``hour`` o'clock there."""
    day = timezone.now().astimezone(tz).date() + timedelta(days=day_offset)
    return datetime.combine(day, time(hour), tzinfo=tz).isoformat()


@pytest.fixture
def history(owner, outsider):
    arrays, graphs = create_tag(owner, "arrays"), create_tag(owner, "graphs")
    easy = create_question(owner, "Two Sum", difficulty="Easy", tag_ids=[arrays["id"]])["id"]
    medium = create_question(
        owner, "Islands", difficulty="Medium", tag_ids=[arrays["id"], graphs["id"]]
    )["id"]
    hard = create_question(owner, "Dijkstra", difficulty="Hard")["id"]
    create_question(owner, "Never tried", difficulty="Easy")
    # Days -4, -3, -2 and today have attempts; -1 has none (in UTC).
    create_log(owner, easy, outcome="Failed", time_spent_min=30, date_attempted=at(-4, 12))
    create_log(owner, easy, outcome="Solved", time_spent_min=10, date_attempted=at(-3, 12))
    create_log(owner, medium, outcome="Failed", time_spent_min=40, date_attempted=at(-2, 12))
    create_log(owner, medium, outcome="Failed", date_attempted=at(-2, 13))
    create_log(owner, medium, outcome="Solved", time_spent_min=20, date_attempted=at(0, 0))
    create_log(owner, hard, outcome="Partial", time_spent_min=60, date_attempted=at(0, 1))
    theirs = create_question(outsider, "Not yours")["id"]
    create_log(outsider, theirs, outcome="Failed", time_spent_min=999)
    return {"easy": easy, "medium": medium, "hard": hard}


def test_stats_for_a_known_history(owner, history):
    response = owner.get("/api/stats/")

    assert response.status_code == 200
    stats = response.json()
    assert stats["totals"] == {"questions": 4, "attempts": 6, "solved_questions": 2, "minutes": 160}
    assert stats["by_difficulty"] == [
        {"difficulty": "Easy", "attempts": 2, "solved": 1, "solve_rate": 0.5, "avg_minutes": 20.0},
        {
            "difficulty": "Medium",
            "attempts": 3,
            "solved": 1,
            "solve_rate": 0.3333,
            "avg_minutes": 30.0,
        },
        {"difficulty": "Hard", "attempts": 1, "solved": 0, "solve_rate": 0.0, "avg_minutes": 60.0},
    ]
    tags = {row["tag"]: row for row in stats["by_tag"]}
    assert [row["tag"] for row in stats["by_tag"]] == ["arrays", "graphs"]  # most attempts first
    assert tags["arrays"] | {"tag_id": 0} == {
        "tag_id": 0,
        "tag": "arrays",
        "attempts": 5,
        "solved": 2,
        "solve_rate": 0.4,
        "avg_minutes": 25.0,
    }
    assert (tags["graphs"]["attempts"], tags["graphs"]["solved"]) == (3, 1)
    assert stats["streaks"] == {"current": 1, "longest": 3}
    assert stats["most_failed"] == [
        {"id": history["medium"], "title": "Islands", "failed": 2},
        {"id": history["easy"], "title": "Two Sum", "failed": 1},
    ]


def day(offset: int) -> str:
    return (timezone.now().date() + timedelta(days=offset)).isoformat()


def test_daily_attempts_list_the_days_with_attempts_of_the_last_year(owner, history):
    old = create_question(owner, "Long ago")["id"]
    create_log(owner, old, date_attempted=at(-365, 12))  # the first day of the 366
    create_log(owner, old, date_attempted=at(-366, 12))  # a day too old

    daily = owner.get("/api/stats/").json()["daily"]

    assert daily == [
        {"date": day(-365), "attempts": 1},
        {"date": day(-4), "attempts": 1},
        {"date": day(-3), "attempts": 1},
        {"date": day(-2), "attempts": 2},
        {"date": day(0), "attempts": 2},
    ]


def test_daily_attempts_end_at_until_and_follow_the_time_zone(owner, history):
    # In Kolkata (UTC+5:30) the two attempts at 00:00 and 01:00 UTC today are today too;
    # at UTC-10 (Honolulu) they were yesterday.
    until = day(-1)

    honolulu = owner.get(f"/api/stats/?tz=Pacific/Honolulu&until={until}").json()["daily"]

    assert honolulu[-1] == {"date": until, "attempts": 2}
    assert [row["date"] for row in honolulu] == sorted(row["date"] for row in honolulu)


def test_weekly_attempts_cover_twelve_iso_weeks_with_zeros(owner, history):
    weekly = owner.get("/api/stats/").json()["weekly"]

    assert len(weekly) == 12
    today = timezone.now().date()
    this_week = today - timedelta(days=today.weekday())
    assert weekly[-1]["start"] == this_week.isoformat()
    year, week, _ = this_week.isocalendar()
    assert weekly[-1]["week"] == f"{year}-W{week:02d}"
    assert weekly[0]["start"] == (this_week - timedelta(weeks=11)).isoformat()
    assert sum(row["attempts"] for row in weekly) == 6
    assert all(row["attempts"] == 0 for row in weekly[:-2])


def test_days_are_counted_in_the_given_time_zone(owner):
    question = create_question(owner)["id"]
    # 23:30 in Berlin on two consecutive days: in UTC these are the same two
    # days at 21:30/22:30, but 00:30 Berlin is still the previous day in UTC.
    create_log(owner, question, outcome="Solved", date_attempted=at(-1, 0, BERLIN))
    create_log(owner, question, outcome="Solved", date_attempted=at(-1, 23, BERLIN))

    berlin = owner.get("/api/stats/?tz=Europe/Berlin").json()["streaks"]
    utc = owner.get("/api/stats/").json()["streaks"]

    assert berlin == {"current": 1, "longest": 1}  # one Berlin day: yesterday
    assert utc["longest"] == 2  # 00:00 Berlin is 22:00 or 23:00 UTC the day before


@pytest.mark.parametrize(
    "zone, after_midnight, later_that_day",
    [
        # 00:30 on 2 June at UTC+4, Moscow's offset from 2011 to 2014 (+3 today).
        ("Europe/Moscow", "2012-06-01T20:30:00Z", "2012-06-02T12:00:00Z"),
        # 00:15 on 2 May at UTC+6:30, India's war time (+5:30 today).
        ("Asia/Kolkata", "1943-05-01T17:45:00Z", "1943-05-02T06:00:00Z"),
    ],
)
def test_days_are_counted_with_the_offset_the_zone_had_then(
    owner, zone, after_midnight, later_that_day
):
    question = create_question(owner)["id"]
    create_log(owner, question, outcome="Solved", date_attempted=after_midnight)
    create_log(owner, question, outcome="Solved", date_attempted=later_that_day)
    create_log(owner, question, outcome="Solved", date_attempted=at(0, 12))

    local = owner.get(f"/api/stats/?tz={zone}").json()
    utc = owner.get("/api/stats/").json()

    assert local["streaks"]["longest"] == 1  # both on one local day
    assert utc["streaks"]["longest"] == 2  # on two UTC days
    assert local == owner.get(f"/api/stats/?tz={zone}&since=1900-01-01").json()


def test_since_and_until_limit_the_attempts(owner, history):
    since, until = at(-3, 0)[:10], at(-2, 0)[:10]

    stats = owner.get(f"/api/stats/?since={since}&until={until}").json()

    assert stats["totals"]["attempts"] == 3
    assert stats["totals"]["questions"] == 4  # questions are not dated
    assert stats["streaks"]["longest"] == 2


@pytest.mark.parametrize("zone", ["Asia/Kolkata", "Pacific/Kiritimati", "Etc/GMT%2B12"])
def test_a_period_from_the_first_to_the_last_possible_day_counts_everything(owner, history, zone):
    everything = owner.get(f"/api/stats/?tz={zone}").json()

    response = owner.get(f"/api/stats/?tz={zone}&since=1900-01-01&until=9999-12-31")

    assert response.status_code == 200
    assert response.json() == everything
    assert everything["totals"]["attempts"] == 6


def test_an_empty_account_has_zeros(owner):
    stats = owner.get("/api/stats/").json()

    assert stats["totals"] == {"questions": 0, "attempts": 0, "solved_questions": 0, "minutes": 0}
    assert [row["attempts"] for row in stats["by_difficulty"]] == [0, 0, 0]
    assert stats["by_tag"] == stats["most_failed"] == []
    assert stats["streaks"] == {"current": 0, "longest": 0}
    assert len(stats["weekly"]) == 12


@pytest.mark.parametrize(
    "query, field",
    [
        ("tz=Mars/Olympus", "tz"),
        ("tz=../../etc/passwd", "tz"),
        ("since=yesterday", "since"),
        ("until=2026-02-30", "until"),
        ("since=2026-05-02&until=2026-05-01", "until"),
    ],
)
def test_invalid_parameters_are_400_naming_the_field(owner, query, field):
    response = owner.get(f"/api/stats/?{query}")

    assert response.status_code == 400
    assert list(response.json()) == [field]


def test_all_time_stats_follow_every_kind_of_write(owner, outsider, history):
    """All time is summed from the questions' aggregates, a period counted from
    the logs: after edits, deletions, moved tags and difficulties, both count
    the same in every zone."""
    tags = {tag["name"]: tag["id"] for tag in owner.get("/api/tags/").json()}
    strings = create_tag(owner, "strings")["id"]
    easy_logs = owner.get(f"/api/questions/{history['easy']}/logs/").json()
    medium_logs = owner.get(f"/api/questions/{history['medium']}/logs/").json()
    writes = [
        # Across a daylight saving change, with the minutes dropped.
        owner.patch(
            f"/api/questions/{history['easy']}/logs/{easy_logs[0]['id']}/",
            json={"date_attempted": "2021-03-28T00:50:00Z", "time_spent_min": None},
        ),
        owner.patch(
            f"/api/questions/{history['easy']}/logs/{easy_logs[1]['id']}/",
            json={"outcome": "Solved", "time_spent_min": 15},
        ),
        owner.delete(f"/api/questions/{history['medium']}/logs/{medium_logs[0]['id']}/"),
        owner.patch(
            f"/api/questions/{history['medium']}/",
            json={"difficulty": "", "tag_ids": [tags["graphs"], strings]},
        ),
        owner.patch(f"/api/questions/{history['easy']}/", json={"difficulty": "Hard"}),
        owner.delete(f"/api/tags/{tags['arrays']}/"),
        owner.delete(f"/api/questions/{history['hard']}/"),
    ]
    create_log(owner, history["easy"], outcome="Failed", date_attempted="1999-12-31T23:59:00Z")
    create_log(owner, history["medium"], outcome="Solved", date_attempted="2024-02-29T10:44:00Z")
    # Minutes from local midnight on the days Berlin's and St. John's clocks change.
    for moment in ["2021-03-27T23:10:00Z", "2021-10-30T22:10:00Z", "2021-10-31T22:50:00Z"]:
        create_log(owner, history["medium"], outcome="Partial", date_attempted=moment)
    create_log(owner, history["medium"], date_attempted="2021-11-07T02:40:00Z")
    assert [response.status_code for response in writes] == [200, 200, 204, 200, 200, 204, 204]

    stats = owner.get("/api/stats/?tz=Asia/Kolkata").json()
    period = owner.get("/api/stats/?tz=Asia/Kolkata&since=1900-01-01").json()
    assert stats == period
    assert stats["totals"]["attempts"] == 10
    assert [row["tag"] for row in stats["by_tag"]] == ["graphs", "strings"]
    for client in [owner, outsider]:
        for zone in ZONES:
            everything = client.get(f"/api/stats/?tz={zone}").json()
            assert everything == client.get(f"/api/stats/?tz={zone}&since=1900-01-01").json()


# Zones and moments where a day's edge is easy to get wrong: offsets off the
# quarter-hour (local mean time, Monrovia until 1972), war time, a zone that
# skipped a day (Apia, 2011-12-30), and both ends of daylight saving time.
TRICKY_ZONES = [
    "Europe/Amsterdam",
    "Africa/Monrovia",
    "Asia/Kolkata",
    "Pacific/Apia",
    "Europe/Berlin",
    "America/St_Johns",
    "Pacific/Chatham",
    "Australia/Lord_Howe",
    "Etc/GMT+12",
]
TRICKY_MOMENTS = [
    "1900-01-01T00:00:00Z",
    "1910-06-01T23:40:00Z",
    "1937-06-30T23:41:00Z",
    "1943-05-01T17:45:00Z",
    "1965-03-01T00:30:00Z",
    "1971-12-31T23:50:00Z",
    "2011-12-29T10:30:00Z",
    "2011-12-30T10:30:00Z",
    "2021-03-27T23:10:00Z",
    "2021-03-28T00:59:59Z",
    "2021-03-28T01:00:00Z",
    "2021-10-30T22:10:00Z",
    "2021-10-31T00:59:59Z",
    "2021-10-31T01:00:00Z",
    "2021-11-07T02:40:00Z",
]


@pytest.mark.django_db
@pytest.mark.parametrize("zone", TRICKY_ZONES)
def test_each_log_counts_on_its_local_day(make_user, zone):
    owner = make_user()
    question = Question.objects.create(owner=owner, title="Edges", slug=f"edges-{owner.pk}")
    moments = [datetime.fromisoformat(moment) for moment in TRICKY_MOMENTS]
    QuestionLog.objects.bulk_create(
        QuestionLog(owner=owner, question=question, date_attempted=moment)
        for moment in moments + moments[-3:]  # some days with two
    )
    tz = ZoneInfo(zone)

    days = attempts_per_day(QuestionLog.objects.owned_by(owner), tz)

    assert days == Counter(moment.astimezone(tz).date() for moment in moments + moments[-3:])
