"""`make bench`: load the API and a hand-written baseline under gunicorn, side by side.

    python -m bench.run [--questions 1000] [--duration 10] [--connections 8] [--server uvicorn]

Seeds one user with N questions through create_fake_data (3 tags each out of 30,
3 logs each) into a fresh benchmark database (PostgreSQL when DATABASE_URL points
there, else a SQLite file), starts the app with 2 workers, loads each endpoint
from a separate process (wrk when installed, else a Python load generator),
prints a table and writes it to docs/performance.md.
"""

import argparse
import datetime
import json
import os
import platform
import re
import shutil
import statistics
import subprocess  # nosec B404 # the benchmark starts its own servers and load generator
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
# pragma: allowlist nextline secret
PASSWORD = "bench-password-not-secret"  # nosec B105 # a throwaway local benchmark user
ROUNDS = 3
COOLDOWN_SECONDS = 2


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--questions", type=int, default=1000, help="Questions to seed (<= 100000)."
    )
    parser.add_argument(
        "--duration", type=int, default=12, help="Seconds of load per endpoint and side."
    )
    parser.add_argument("--connections", type=int, default=8, help="Concurrent connections.")
    parser.add_argument("--workers", type=int, default=2, help="Server worker processes.")
    parser.add_argument(
        "--server", choices=["gunicorn", "uvicorn"], default="gunicorn", help="WSGI or ASGI."
    )
    parser.add_argument("--output", default=str(ROOT / "docs" / "performance.md"))
    parser.add_argument("--no-write", action="store_true", help="Print only.")
    args = parser.parse_args()
    if not 1 <= args.questions <= 100_000:
        parser.error("--questions must be between 1 and 100000")
    return args


# --- The benchmark database -------------------------------------------------------


def bench_database_url(questions: int) -> str:
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        import psycopg2

        base, _, _ = url.rpartition("/")
        name = f"iq_bench_{questions}"
        admin = psycopg2.connect(f"{base}/postgres")
        admin.autocommit = True
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            cursor.execute(f'CREATE DATABASE "{name}"')
        admin.close()
        return f"{base}/{name}"
    path = Path(tempfile.gettempdir()) / f"iq-bench-{questions}.sqlite3"
    for stale in path.parent.glob(path.name + "*"):
        stale.unlink()
    return f"sqlite:///{path}"


def server_env(database_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": database_url,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "bench-only-secret-key-" + "x" * 40,  # pragma: allowlist secret
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "LOG_LEVEL": "WARNING",
        "DD_TRACE_ENABLED": "false",
    }


def manage(env: dict, *args: str) -> str:
    result = subprocess.run(  # nosec B603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout


def seed(env: dict, questions: int) -> tuple[str, float]:
    manage(env, "migrate", "--noinput", "-v", "0")
    started = time.monotonic()
    output = manage(
        env,
        "create_fake_data",
        "--users=1",
        f"--questions={questions}",
        "--tags=30",
        "--tags-per-question=3",
        "--logs=3",
        "--exact-logs",
        "--seed=1",
        f"--password={PASSWORD}",
    )
    seconds = time.monotonic() - started
    username = re.search(r"^  (\S+)$", output, re.MULTILINE).group(1)
    return username, seconds


def vacuum_analyze(database_url: str) -> None:
    """Do what autovacuum does on a live server soon after a bulk load: without
    planner statistics PostgreSQL takes 100,000 rows for a few hundred and sorts
    instead of using the indexes (a 10 ms page took 90 ms), and without a
    visibility map an index-only scan reads the table too. Some setups (CI,
    this machine) run with autovacuum off."""
    import psycopg2

    connection = psycopg2.connect(database_url)
    connection.autocommit = True  # VACUUM cannot run inside a transaction
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    connection.close()


# --- The server -------------------------------------------------------------------


def start_server(env: dict, server: str, workers: int, port: int) -> subprocess.Popen:
    if server == "gunicorn":
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "backend.wsgi",
            f"--bind=127.0.0.1:{port}",
            f"--workers={workers}",
            "--access-logfile=/dev/null",
            # Keep-alive pins each of wrk's connections to one worker; closing after
            # each response lets both workers share the load evenly.
            "--keep-alive=0",
        ]
    else:
        command = [
            sys.executable,
            "-m",
            "uvicorn",
            "backend.asgi:application",
            "--host=127.0.0.1",
            f"--port={port}",
            f"--workers={workers}",
            "--no-access-log",
            "--log-level=warning",
        ]
    process = subprocess.Popen(command, cwd=ROOT, env=env)  # nosec B603
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            requests.get(f"http://127.0.0.1:{port}/api/health/", timeout=2)
            return process
        except requests.ConnectionError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("the server did not start")


def sign_in(base: str, username: str) -> dict[str, str]:
    """Sign in and return the headers that carry the session and CSRF token."""
    session = requests.Session()
    token = session.get(f"{base}/api/accounts/csrf/", timeout=10).json()["csrfToken"]
    cookie = f"csrftoken={token}"
    response = session.post(
        f"{base}/api/accounts/login/",
        json={"username": username, "password": PASSWORD},
        headers={"X-CSRFToken": token, "Cookie": cookie},
        timeout=30,
    )
    response.raise_for_status()
    sessionid = response.cookies["sessionid"]
    token = response.cookies["csrftoken"]
    return {"Cookie": f"sessionid={sessionid}; csrftoken={token}", "X-CSRFToken": token}


# --- Load -------------------------------------------------------------------------

WRK_SCRIPT = """
wrk.method = "{method}"
wrk.body = {body}
{headers}
"""


def run_wrk(url, method, body, headers, duration, connections):
    header_lines = "\n".join(f'wrk.headers["{k}"] = "{v}"' for k, v in headers.items())
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(
            WRK_SCRIPT.format(
                method=method,
                body=json.dumps(json.dumps(body)) if body is not None else "nil",
                headers=header_lines,
            )
        )
    output = subprocess.run(  # nosec B603 B607
        [
            "wrk",
            f"--threads={min(2, connections)}",
            f"--connections={connections}",
            f"--duration={duration}s",
            "--timeout=30s",
            "--latency",
            f"--script={script.name}",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    os.unlink(script.name)

    def latency(percent):
        match = re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s)", output, re.MULTILINE)
        value, unit = float(match.group(1)), match.group(2)
        return value * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    requests_total = int(re.search(r"(\d+) requests in", output).group(1))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    errors = int(non_2xx.group(1)) if non_2xx else 0
    if socket_errors:
        errors += sum(int(n) for n in socket_errors.groups())
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50": latency(50),
        "p99": latency(99),
        "errors": errors,
        "requests": requests_total,
    }


def run_python_load(url, method, body, headers, duration, connections):
    """Fallback when wrk is not installed: one load process, `connections` threads."""
    command = [
        sys.executable,
        "-m",
        "bench.load",
        url,
        method,
        json.dumps(body),
        json.dumps(headers),
        str(duration),
        str(connections),
    ]
    output = subprocess.run(  # nosec B603
        command, cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    return json.loads(output)


def summarize(runs: list[dict]) -> dict:
    return {
        "rps": statistics.median(run["rps"] for run in runs),
        "p50": statistics.median(run["p50"] for run in runs),
        "p99": statistics.median(run["p99"] for run in runs),
        "errors": sum(run["errors"] for run in runs),
        "requests": sum(run["requests"] for run in runs),
    }


def load(url, method, body, headers, duration, connections):
    runner = run_wrk if shutil.which("wrk") else run_python_load
    return runner(url, method, body, headers, duration, connections)


# --- The run ----------------------------------------------------------------------


def endpoints(questions: int, question_id: int):
    """(name, API path, baseline path, method, body) for each measured endpoint."""
    cases = [
        (
            "question list ?limit=50",
            "/api/questions/?limit=50",
            "/bench/baseline/questions/?limit=50",
        ),
        (
            "question list ?limit=50&offset=middle",
            f"/api/questions/?limit=50&offset={questions // 100 * 50}",
            f"/bench/baseline/questions/?limit=50&offset={questions // 100 * 50}",
        ),
        (
            "question list ?limit=50&offset=deep",
            f"/api/questions/?limit=50&offset={max(0, questions - 50)}",
            f"/bench/baseline/questions/?limit=50&offset={max(0, questions - 50)}",
        ),
    ]
    if questions <= 1000:
        cases.append(("question list (full)", "/api/questions/", "/bench/baseline/questions/"))
    cases += [
        (
            "question detail",
            f"/api/questions/{question_id}/",
            f"/bench/baseline/questions/{question_id}/",
        ),
        (
            "log list",
            f"/api/questions/{question_id}/logs/",
            f"/bench/baseline/questions/{question_id}/logs/",
        ),
    ]
    # Practice endpoints have no hand-written twin; they are measured on their own.
    cases += [
        ("review queue", "/api/review/", None),
        ("stats", "/api/stats/?tz=Europe/Berlin", None),
    ]
    reads = [(name, api, baseline, "GET", None) for name, api, baseline in cases]
    log = {"outcome": "Solved", "time_spent_min": 12}
    write = (
        "log create",
        f"/api/questions/{question_id}/logs/",
        f"/bench/baseline/questions/{question_id}/logs/",
        "POST",
        log,
    )
    return [*reads, write]


def check_same_json(base, headers, api_path, baseline_path):
    api = requests.get(base + api_path, headers=headers, timeout=60).json()
    baseline = requests.get(base + baseline_path, headers=headers, timeout=60).json()
    if isinstance(baseline, dict):  # a page: its links name the baseline's own path
        for link in ("next", "previous"):
            if baseline.get(link):
                baseline[link] = baseline[link].replace("/bench/baseline/", "/api/")
    if api != baseline:
        raise SystemExit(f"baseline JSON differs from the API for {api_path}")


def main():
    args = parse_args()
    database_url = bench_database_url(args.questions)
    engine = "PostgreSQL" if database_url.startswith("postgres") else "SQLite"
    env = server_env(database_url)
    print(f"Seeding {args.questions} questions into {engine} ...", flush=True)
    username, seed_seconds = seed(env, args.questions)
    print(f"Seeded in {seed_seconds:.1f} s; user {username}", flush=True)
    if engine == "PostgreSQL":
        vacuum_analyze(database_url)

    port = 18000 + os.getpid() % 1000
    base = f"http://127.0.0.1:{port}"
    server = start_server(env, args.server, args.workers, port)
    rows = []
    try:
        headers = sign_in(base, username)
        newest = requests.get(f"{base}/api/questions/?limit=1", headers=headers, timeout=30)
        question_id = newest.json()["results"][0]["id"]
        for name, api_path, baseline_path, method, body in endpoints(args.questions, question_id):
            if method == "GET" and baseline_path:
                check_same_json(base, headers, api_path, baseline_path)
            # Alternate the two sides in short rounds: a noisy neighbour then
            # slows both alike, and the medians compare like with like.
            rounds = {"api": [], "baseline": []}
            for round_ in range(ROUNDS):
                sides = [("api", api_path), ("baseline", baseline_path)][
                    : 2 if baseline_path else 1
                ]
                for side, path in sides if round_ % 2 == 0 else sides[::-1]:
                    print(f"  {name} [{side}] round {round_ + 1}/{ROUNDS} ...", flush=True)
                    send_headers = {**headers, "Content-Type": "application/json"}
                    rounds[side].append(
                        load(
                            base + path,
                            method,
                            body,
                            send_headers,
                            max(1, args.duration // ROUNDS),
                            args.connections,
                        )
                    )
                    # Requests still queued when the load stops must not slow the next run.
                    time.sleep(COOLDOWN_SECONDS)
            results = {side: summarize(runs) for side, runs in rounds.items() if runs}
            rows.append((name, results["api"], results.get("baseline")))
    finally:
        server.terminate()
        server.wait(timeout=30)

    table = render_table(rows)
    print(table)
    if not args.no_write:
        write_report(args, engine, seed_seconds, table)


def render_table(rows) -> str:
    lines = [
        "| endpoint | API req/s | API p50 ms | API p99 ms | API errors "
        "| baseline req/s | baseline p50 ms | baseline p99 ms | ratio API/baseline |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, api, baseline in rows:
        line = (
            f"| {name} | {api['rps']:.0f} | {api['p50']:.1f} | {api['p99']:.1f} | {api['errors']} "
        )
        if baseline:
            ratio = api["rps"] / baseline["rps"] if baseline["rps"] else 0
            line += (
                f"| {baseline['rps']:.0f} | {baseline['p50']:.1f} | {baseline['p99']:.1f} "
                f"| {ratio:.2f} |"
            )
        else:
            line += "| – | – | – | – |"
        lines.append(line)
    return "\n".join(lines)


def write_report(args, engine, seed_seconds, table):
    """Replace this configuration's section of docs/performance.md, keeping the others."""
    output = Path(args.output)
    text = output.read_text() if output.exists() else "# Performance\n"
    heading = f"### {engine}, {args.server}, {args.questions} questions"
    loader = "wrk" if shutil.which("wrk") else "the Python load generator (bench/load.py)"
    section = (
        f"{heading}\n\n"
        f"Measured {datetime.date.today().isoformat()} on {os.cpu_count()} CPUs "
        f"({platform.machine()}, Python {platform.python_version()}); {args.workers} workers, "
        f"{args.connections} connections, {args.duration} s per endpoint and side "
        f"({ROUNDS} alternating rounds, medians) with {loader}. "
        f"Seeding took {seed_seconds:.1f} s.\n\n{table}\n"
    )
    pattern = re.compile(rf"^{re.escape(heading)}\n.*?(?=^### |^## |\Z)", re.MULTILINE | re.DOTALL)
    if pattern.search(text):
        text = pattern.sub(lambda _: section + "\n", text)
    else:
        marker = "<!-- bench results -->"
        if marker in text:
            text = text.replace(marker, f"{marker}\n\n{section}")
        else:
            text += f"\n{section}"
    output.write_text(text.rstrip() + "\n")
    print(f"Wrote {output}")


if __name__ == "__main__":
    main()
