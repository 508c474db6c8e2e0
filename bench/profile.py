"""Where a request's time goes, in-process: cProfile over the test client.

    DATABASE_URL=sqlite:////tmp/iq-bench-500x200.sqlite3 python -m bench.profile USERNAME [N]

Signs in as USERNAME (a real session, as in the bench), requests each endpoint
N times (default 300; log writes N / 5) under cProfile and prints, per endpoint,
the milliseconds per request spent in each layer: the session and user loads,
the middleware, DRF's authentication, permissions and throttles, the view's own
work with its SQL, the serializer and the JSON rendering. Layers nest (the view
holds its SQL and serializer), so the rows do not add up to the total.
"""

import cProfile
import os
import pstats
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
os.environ.setdefault("DJANGO_DEBUG", "false")
os.environ.setdefault(
    "DJANGO_SECRET_KEY", "bench-only-secret-key-" + "x" * 40  # pragma: allowlist secret
)
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "localhost")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("DD_TRACE_ENABLED", "false")

# (layer, file name ending, function name): the cumulative time of these calls.
LAYERS = [
    ("whole request (WSGI handler)", "handlers/base.py", "get_response"),
    ("session load", "backends/db.py", "load"),
    ("user load", "contrib/auth/__init__.py", "get_user"),
    ("session save", "backends/db.py", "save"),
    ("CSRF check", "middleware/csrf.py", "process_view"),
    ("DRF authentication", "rest_framework/request.py", "_authenticate"),
    ("DRF permissions", "rest_framework/views.py", "check_permissions"),
    ("DRF throttles", "rest_framework/views.py", "check_throttles"),
    ("content negotiation", "rest_framework/views.py", "perform_content_negotiation"),
    ("view handler (DRF dispatch)", "rest_framework/views.py", "dispatch"),
    ("SQL: execute", "backends/utils.py", "execute"),
    ("SQL: compile", "sql/compiler.py", "as_sql"),
    ("serializer .data", "rest_framework/serializers.py", "data"),
    ("JSON rendering", "drf_orjson_renderer/renderers.py", "render"),
    ("response: finalize", "rest_framework/views.py", "finalize_response"),
]


def layer_times(stats: pstats.Stats, requests: int) -> dict[str, float]:
    totals = dict.fromkeys((name for name, _, _ in LAYERS), 0.0)
    for (filename, _, function), (_, _, _, cumulative, _) in stats.stats.items():
        for name, ending, wanted in LAYERS:
            if function == wanted and filename.endswith(ending):
                totals[name] = max(totals[name], cumulative)
    return {name: seconds * 1000 / requests for name, seconds in totals.items()}


def main():
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client

    from backend.core.models import Question

    username = sys.argv[1]
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 300
    user = get_user_model().objects.get(username=username)
    question = Question.objects.filter(owner=user).order_by("-created_at", "-id").first()
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    logs = f"/api/questions/{question.pk}/logs/"
    cases = [
        ("list ?limit=50", "GET", "/api/questions/?limit=50", count),
        ("detail", "GET", f"/api/questions/{question.pk}/", count),
        ("logs of one question", "GET", logs, count),
        ("stats", "GET", "/api/stats/?tz=Europe/Paris", count // 3),
        ("log write", "POST", logs, count // 5),
    ]
    results = {}
    for name, method, path, n in cases:
        client.generic(method, path)  # warm the caches outside the profile
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(n):
            if method == "POST":
                client.post(path, {"outcome": "Solved"}, content_type="application/json")
            else:
                client.get(path)
        profiler.disable()
        results[name] = layer_times(pstats.Stats(profiler), n)

    names = list(results)
    print("| layer (ms per request, cProfile) | " + " | ".join(names) + " |")
    print("| --- |" + " ---: |" * len(names))
    for layer, _, _ in LAYERS:
        print(f"| {layer} | " + " | ".join(f"{results[n][layer]:.2f}" for n in names) + " |")


if __name__ == "__main__":
    main()
