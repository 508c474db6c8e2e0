"""The export/import round trip, for any account Hypothesis can make through the API.

Any account's export imports into a fresh account, which then exports the same
document (ids, the user and the export's time aside); importing it again, into
either account, adds nothing; and every question and attempt the API returns is
written back unchanged with a PUT.
"""

from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backend.core.enums import Difficulty, Outcome, Rating
from backend.test_common.api import assert_written_back_unchanged

EXPORT = "/api/accounts/export/"
IMPORT = "/api/accounts/import/"

# Text a person types: any printable character, no surrogates (not JSON) or controls.
printable = st.characters(exclude_categories=("Cs", "Cc"))
words = st.text(printable, min_size=1, max_size=40).filter(str.strip)
notes = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=80)
sources = st.one_of(
    st.just(""),
    st.builds("https://example.com/{}".format, st.from_regex(r"[a-z0-9/_-]{0,20}", fullmatch=True)),
    words.filter(lambda text: ":" not in text),  # plain text, not a scheme
)
fragments = st.sampled_from(
    [
        "",
        "<p>Two <strong>sum</strong> &amp; more</p>",
        "<ul><li>one</li><li>two</li></ul>\n",
        '<a href="https://example.com">x</a>',
        "<pre><code>if (a &lt; b) {}</code></pre>",
        "<p>a<br>b</p><script>alert(1)</script>",
        "plain text, no tags",
    ]
)
moments = st.datetimes(
    min_value=datetime(1990, 1, 1), max_value=datetime(2026, 11, 1), timezones=st.just(UTC)
)
logs = st.fixed_dictionaries(
    {
        "date_attempted": moments.map(lambda moment: moment.isoformat()),
        "time_spent_min": st.one_of(st.none(), st.integers(0, 1440)),
        "outcome": st.sampled_from(["", *Outcome.values]),
        "rating": st.sampled_from(["", *Rating.values]),
        "solution_approach": notes,
        "self_notes": notes,
    }
)
questions = st.fixed_dictionaries(
    {
        "title": words,
        "source": sources,
        "content": st.lists(fragments, max_size=3).map("".join),
        "difficulty": st.sampled_from(["", *Difficulty.values]),
        "is_active": st.booleans(),
        "tags": st.sets(st.integers(0, 3), max_size=3),
        "logs": st.lists(logs, max_size=3),
    }
)
accounts = st.fixed_dictionaries(
    {
        "tags": st.lists(words, max_size=4, unique_by=str.lower),
        "questions": st.lists(questions, max_size=4),
    }
)


def comparable(document: dict) -> dict:
    return {key: document[key] for key in ("format", "version", "tags", "questions")}


def account_create(client, account: dict) -> None:
    tag_ids = []
    for name in account["tags"]:
        response = client.post("/api/tags/", json={"name": name})
        assert response.status_code in (201, 400), response.text  # a name the API trims alike
        if response.status_code == 201:
            tag_ids.append(response.json()["id"])
    for fields in account["questions"]:
        body = {key: value for key, value in fields.items() if key not in ("tags", "logs")}
        body["tag_ids"] = [tag_ids[n] for n in fields["tags"] if n < len(tag_ids)]
        created = client.post("/api/questions/", json=body)
        assert created.status_code == 201, (body, created.text)
        for log in fields["logs"]:
            response = client.post(f"/api/questions/{created.json()['id']}/logs/", json=log)
            assert response.status_code == 201, (log, response.text)


def imported(client, document: dict) -> dict:
    response = client.post(IMPORT, json=document)
    assert response.status_code == 200, response.text
    return response.json()


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(account=accounts)
def test_any_account_round_trips_and_imports_once(make_user, sign_in, account):
    original, fresh = sign_in(make_user()), sign_in(make_user())
    account_create(original, account)
    exported = original.get(EXPORT).json()

    first = imported(fresh, exported)
    again = fresh.get(EXPORT).json()

    assert comparable(again) == comparable(exported)
    assert first["questions_created"] == len(exported["questions"])
    for client in (fresh, original):
        counts = imported(client, exported)
        assert (counts["tags_created"], counts["questions_created"], counts["logs_created"]) == (
            0,
            0,
            0,
        )
        assert comparable(client.get(EXPORT).json()) == comparable(exported)
    assert_written_back_unchanged(fresh)


def test_dates_anywhere_in_the_range_round_trip(make_user, sign_in):
    """The edges Hypothesis rarely picks: microseconds, the first moment allowed."""
    original, fresh = sign_in(make_user()), sign_in(make_user())
    earliest = datetime(1900, 1, 1, tzinfo=UTC)
    account_create(
        original,
        {
            "tags": [],
            "questions": [
                {
                    "title": "Edges",
                    "source": "",
                    "content": "",
                    "difficulty": "",
                    "is_active": True,
                    "tags": set(),
                    "logs": [
                        {"date_attempted": earliest.isoformat()},
                        {"date_attempted": (earliest + timedelta(microseconds=1)).isoformat()},
                    ],
                }
            ],
        },
    )
    exported = original.get(EXPORT).json()

    imported(fresh, exported)

    assert comparable(fresh.get(EXPORT).json()) == comparable(exported)
    assert imported(fresh, exported)["logs_created"] == 0
