"""The stats' running tallies checked against a count of every log."""

from datetime import date
from zoneinfo import ZoneInfo

from backend.core.selectors import practice_stats

# Whole hours, half and three-quarter hours, daylight saving time.
ZONES = ["UTC", "Europe/Berlin", "Asia/Kolkata", "America/St_Johns", "Pacific/Chatham"]
FIRST_DAY = date.min


def assert_tallies_match_the_logs(user) -> None:
    """All-time stats come from the tallies; a period from the first day on is
    counted from the logs themselves: the two must agree in every time zone."""
    for zone in ZONES:
        tz = ZoneInfo(zone)
        tallied = practice_stats(owner=user, tz=tz, since=None, until=None)
        counted = practice_stats(owner=user, tz=tz, since=FIRST_DAY, until=None)
        assert tallied == counted, zone
