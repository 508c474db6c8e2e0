"""A small closed-loop load generator, used by bench/run.py when wrk is not installed.

    python -m bench.load URLS_JSON METHOD BODY_JSON HEADERS_JSON SECONDS CONNECTIONS

Each of CONNECTIONS threads keeps one HTTP/1.1 connection and sends requests
back to back for SECONDS, to each of the URLS (one host) in turn; prints
requests/s, p50, p99 (ms) and errors as JSON.
"""

import http.client
import itertools
import json
import sys
import threading
import time
from urllib.parse import urlsplit


def request_path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def worker(urls, method, body, headers, deadline, latencies, errors):
    parts = urlsplit(urls[0])
    paths = itertools.cycle([request_path(url) for url in urls])
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    payload = json.dumps(body).encode() if body is not None else None
    while time.monotonic() < deadline:
        started = time.perf_counter()
        try:
            connection.request(method, next(paths), body=payload, headers=headers)
            response = connection.getresponse()
            response.read()
            if response.status >= 400:
                errors.append(response.status)
        except OSError as error:
            errors.append(str(error))
            connection.close()
            connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        latencies.append((time.perf_counter() - started) * 1000)
    connection.close()


def percentile(sorted_values, percent):
    if not sorted_values:
        return 0.0
    index = min(len(sorted_values) - 1, round(percent / 100 * (len(sorted_values) - 1)))
    return sorted_values[index]


def main():
    urls, method, body, headers, seconds, connections = sys.argv[1:7]
    urls, body, headers = json.loads(urls), json.loads(body), json.loads(headers)
    seconds, connections = float(seconds), int(connections)
    latencies, errors = [], []
    deadline = time.monotonic() + seconds
    threads = [
        threading.Thread(
            target=worker, args=(urls, method, body, headers, deadline, latencies, errors)
        )
        for _ in range(connections)
    ]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    latencies.sort()
    print(
        json.dumps(
            {
                "rps": len(latencies) / elapsed,
                "p50": percentile(latencies, 50),
                "p99": percentile(latencies, 99),
                "errors": len(errors),
                "requests": len(latencies),
            }
        )
    )


if __name__ == "__main__":
    main()
