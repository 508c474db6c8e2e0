"""The SQL queries of one request to each benchmarked path, counted in-process.

    python -m bench.queries USERNAME PATHS_JSON

Run by bench/run.py against the benchmark database before the load. Each path
is requested through Django's test client signed in as USERNAME with a real
session, so the count includes the per-request session and user loads; it
prints {path: queries} as JSON. A POST carries the benchmark's log.
"""

import json
import sys

import django


def main():
    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    username, cases = sys.argv[1], json.loads(sys.argv[2])
    client = Client(HTTP_HOST="localhost")
    client.force_login(get_user_model().objects.get(username=username))
    counts = {}
    for name, method, path, body in cases:
        with CaptureQueriesContext(connection) as context:
            if method == "POST":
                response = client.post(path, body, content_type="application/json")
            else:
                response = client.get(path)
        if response.status_code >= 400:
            raise SystemExit(f"{method} {path} answered {response.status_code}")
        counts[name] = len(context.captured_queries)
    print(json.dumps(counts))


if __name__ == "__main__":
    main()
