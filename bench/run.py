"""`make bench`: load the API and a hand-written baseline under gunicorn, side by side.

    python -m bench.run [--users 500] [--questions 200] [--logs-per-user 1000]
                        [--heavy-questions 3000] [--heavy-logs 20000] [--duration 9]

Seeds a fresh benchmark database (PostgreSQL when DATABASE_URL points there, else
a SQLite file) through create_fake_data: many typical users (200 questions and
1,000 logs each by default, 3 of 30 tags per question) and one heavy user (3,000
questions, 20,000 logs). Counts each endpoint's queries in-process, starts the
app with 2 workers, loads each endpoint as the typical and as the heavy user
from a separate process (wrk when installed, else a Python load generator),
prints the tables and the targets and writes them to docs/performance.md.
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

from bench.load import request_path

ROOT = Path(__file__).resolve().parent.parent
# pragma: allowlist nextline secret
PASSWORD = "bench-password-not-secret"  # nosec B105 # a throwaway local benchmark user
ROUNDS = 3
COOLDOWN_SECONDS = 2


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=500, help="Typical users to seed.")
    parser.add_argument("--questions", type=int, default=200, help="Questions per typical user.")
    parser.add_argument("--logs-per-user", type=int, default=1000, help="Logs per typical user.")
    parser.add_argument(
        "--heavy-questions", type=int, default=3000, help="Questions of the heavy user."
    )
    parser.add_argument("--heavy-logs", type=int, default=20000, help="Logs of the heavy user.")
    parser.add_argument(
        "--duration", type=int, default=9, help="Seconds of load per endpoint and side."
    )
    parser.add_argument("--connections", type=int, default=8, help="Concurrent connections.")
    parser.add_argument("--workers", type=int, default=2, help="Server worker processes.")
    parser.add_argument(
        "--server", choices=["gunicorn", "uvicorn"], default="gunicorn", help="WSGI or ASGI."
    )
    parser.add_argument("--output", default=str(ROOT / "docs" / "performance.md"))
    parser.add_argument("--no-write", action="store_true", help="Print only.")
    args = parser.parse_args()
    if min(args.users, args.questions, args.heavy_questions) < 1:
        parser.error("--users, --questions and --heavy-questions must be at least 1")
    return args


# --- The benchmark database -------------------------------------------------------


def bench_database_url(label: str) -> str:
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        import psycopg2

        base, _, _ = url.rpartition("/")
        name = f"iq_bench_{label}"
        admin = psycopg2.connect(f"{base}/postgres")
        admin.autocommit = True
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            cursor.execute(f'CREATE DATABASE "{name}"')
        admin.close()
        return f"{base}/{name}"
    path = Path(tempfile.gettempdir()) / f"iq-bench-{label}.sqlite3"
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


def manage(env: dict, *args: str, cwd: Path = ROOT, python: str = sys.executable) -> str:
    result = subprocess.run(  # nosec B603
        [python, "manage.py", *args],
        cwd=cwd,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout


def seed_users(env: dict, *options: str, **kwargs) -> list[str]:
    """create_fake_data with 30 tags per user, 3 on each question; the new usernames."""
    output = manage(
        env,
        "create_fake_data",
        "--tags=30",
        "--tags-per-question=3",
        f"--password={PASSWORD}",
        *options,
        **kwargs,
    )
    return re.findall(r"^  (\S+)$", output, re.MULTILINE)


def seed(env: dict, args) -> tuple[str, str, float]:
    """The typical users, then the heavy one; (a typical username, the heavy one, seconds)."""
    manage(env, "migrate", "--noinput", "-v", "0")
    started = time.monotonic()
    typical = seed_users(
        env,
        f"--users={args.users}",
        f"--questions={args.questions}",
        f"--logs-per-user={args.logs_per_user}",
        "--seed=1",
    )
    heavy = seed_users(
        env,
        "--users=1",
        f"--questions={args.heavy_questions}",
        f"--logs-per-user={args.heavy_logs}",
        "--seed=2",
    )
    return typical[0], heavy[0], time.monotonic() - started


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


def start_server(
    env: dict,
    server: str,
    workers: int,
    port: int,
    cwd: Path = ROOT,
    python: str = sys.executable,
    keep_alive: bool = False,
) -> subprocess.Popen:
    if server == "gunicorn":
        command = [
            python,
            "-m",
            "gunicorn",
            "backend.wsgi",
            f"--bind=127.0.0.1:{port}",
            f"--workers={workers}",
            "--access-logfile=/dev/null",
            # Keep-alive pins each of wrk's connections to one worker; closing after
            # each response lets both workers share the load evenly.
            *([] if keep_alive else ["--keep-alive=0"]),
        ]
    else:
        command = [
            python,
            "-m",
            "uvicorn",
            "backend.asgi:application",
            "--host=127.0.0.1",
            f"--port={port}",
            f"--workers={workers}",
            "--no-access-log",
            "--log-level=warning",
        ]
    process = subprocess.Popen(command, cwd=cwd, env=env)  # nosec B603
    deadline = time.monotonic() + 60
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

# Each request takes the next of the paths in turn (one path for a read).
WRK_SCRIPT = """
wrk.method = "{method}"
wrk.body = {body}
{headers}
local paths = {{{paths}}}
local sent = 0
request = function()
  sent = sent + 1
  return wrk.format(nil, paths[(sent % #paths) + 1])
end
"""


def run_wrk(urls, method, body, headers, duration, connections):
    header_lines = "\n".join(f'wrk.headers["{k}"] = "{v}"' for k, v in headers.items())
    paths = ", ".join(json.dumps(request_path(url)) for url in urls)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(
            WRK_SCRIPT.format(
                method=method,
                body=json.dumps(json.dumps(body)) if body is not None else "nil",
                headers=header_lines,
                paths=paths,
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
            urls[0],
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


def run_python_load(urls, method, body, headers, duration, connections):
    """Fallback when wrk is not installed: one load process, `connections` threads."""
    command = [
        sys.executable,
        "-m",
        "bench.load",
        json.dumps(urls),
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
    requests_total = sum(run["requests"] for run in runs)
    return {
        "rps": statistics.median(run["rps"] for run in runs),
        "p50": statistics.median(run["p50"] for run in runs),
        "p99": statistics.median(run["p99"] for run in runs),
        "errors": sum(run["errors"] for run in runs),
        "requests": requests_total,
        # The server's CPU per request served: unlike throughput, it hardly moves when
        # other jobs take CPU time from the machine, so it compares two sides more steadily.
        "cpu_ms": sum(run["cpu_ms"] for run in runs) / requests_total if requests_total else 0,
    }


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process and its children (gunicorn's workers)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    pids = [pid]
    for task in Path(f"/proc/{pid}/task").iterdir():
        pids += [int(child) for child in (task / "children").read_text().split()]
    for each in pids:
        fields = Path(f"/proc/{each}/stat").read_text().rpartition(")")[2].split()
        total += (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
    return total


def load(server_pid, urls, method, body, headers, duration, connections):
    """Load ``urls`` (the same path, or a write's paths taken in turn) for ``duration`` s;
    with the server's CPU time over the load (``cpu_ms``)."""
    runner = run_wrk if shutil.which("wrk") else run_python_load
    before = cpu_seconds(server_pid)
    result = runner(urls, method, body, headers, duration, connections)
    result["cpu_ms"] = (cpu_seconds(server_pid) - before) * 1000
    return result


# --- The run ----------------------------------------------------------------------


LOG = {"outcome": "Solved", "time_spent_min": 12}
STATS_PATH = "/api/stats/?tz=Europe/Paris"


def endpoints(question_ids: list[int]):
    """(name, API paths, baseline paths or None, method, body) for each measured endpoint.

    A read loads one path; the log write takes the newest page's questions in
    turn, as a user logs attempts at many questions (about 5 logs each), not
    hundreds at one. Stats have no hand-written twin (their logic is the app's
    own); they are measured on their own and against the list page's latency.
    """
    api, baseline = "/api", "/bench/baseline"
    newest = question_ids[0]
    logs = f"/questions/{newest}/logs/"
    writes = [f"/questions/{pk}/logs/" for pk in question_ids]
    return [
        ("list ?limit=50", ["/api/questions/?limit=50"], [f"{baseline}/questions/?limit=50"]),
        ("detail", [f"{api}/questions/{newest}/"], [f"{baseline}/questions/{newest}/"]),
        ("logs of one question", [api + logs], [baseline + logs]),
        ("stats ?tz=Europe/Paris", [STATS_PATH], None),
        ("review queue", [f"{api}/review/"], [f"{baseline}/review/"]),
        ("forecast", [f"{api}/review/forecast/"], [f"{baseline}/review/forecast/"]),
        (
            "log write (POST)",
            [api + path for path in writes],
            [baseline + path for path in writes],
            "POST",
            LOG,
        ),
    ]


def count_queries(env: dict, username: str, cases) -> dict[str, int]:
    """Each endpoint's queries for one request, session and user loads included."""
    requests_ = [(case[0], case[3] if len(case) > 3 else "GET", case[1][0], LOG) for case in cases]
    output = subprocess.run(  # nosec B603
        [sys.executable, "-m", "bench.queries", username, json.dumps(requests_)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(output)


def check_same_json(base, headers, api_path: str, baseline_path: str):
    api = requests.get(base + api_path, headers=headers, timeout=60).json()
    baseline = requests.get(base + baseline_path, headers=headers, timeout=60).json()
    if isinstance(baseline, dict):  # a page: its links name the baseline's own path
        for link in ("next", "previous"):
            if baseline.get(link):
                baseline[link] = baseline[link].replace("/bench/baseline/", "/api/")
    if api != baseline:
        raise SystemExit(f"baseline JSON differs from the API for {api_path}")


def measure(base, server_pid, headers, api_paths, baseline_paths, method, body, args, label):
    """Load the API and its baseline in alternating rounds; the medians of each side.

    Alternating short rounds means a noisy neighbour slows both alike, and the
    medians compare like with like.
    """
    rounds = {"api": [], "baseline": []}
    sides = [("api", api_paths), ("baseline", baseline_paths)][: 2 if baseline_paths else 1]
    for round_ in range(ROUNDS):
        for side, paths in sides if round_ % 2 == 0 else sides[::-1]:
            print(f"  {label} [{side}] round {round_ + 1}/{ROUNDS} ...", flush=True)
            send_headers = {**headers, "Content-Type": "application/json"}
            seconds = max(1, args.duration // ROUNDS)
            rounds[side].append(
                load(
                    server_pid,
                    [base + path for path in paths],
                    method,
                    body,
                    send_headers,
                    seconds,
                    args.connections,
                )
            )
            # Requests still queued when the load stops must not slow the next run.
            time.sleep(COOLDOWN_SECONDS)
    return {side: summarize(runs) for side, runs in rounds.items() if runs}


def bench_user(base, server_pid, env, username, args, label):
    """Every endpoint as one user: [(name, queries, api, baseline or None)]."""
    headers = sign_in(base, username)
    newest = requests.get(f"{base}/api/questions/?limit=50", headers=headers, timeout=30)
    cases = endpoints([question["id"] for question in newest.json()["results"]])
    queries = count_queries(env, username, cases)
    rows = []
    for name, api_paths, baseline_paths, *write in cases:
        method, body = write if write else ("GET", None)
        if method == "GET" and baseline_paths:
            check_same_json(base, headers, api_paths[0], baseline_paths[0])
        results = measure(
            base,
            server_pid,
            headers,
            api_paths,
            baseline_paths,
            method,
            body,
            args,
            f"{label}: {name}",
        )
        rows.append((name, queries[name], results["api"], results.get("baseline")))
    return rows


def main():
    args = parse_args()
    label = f"{args.users}x{args.questions}"
    database_url = bench_database_url(label)
    engine = "PostgreSQL" if database_url.startswith("postgres") else "SQLite"
    env = server_env(database_url)
    print(
        f"Seeding {args.users} users with {args.questions} questions and {args.logs_per_user}"
        f" logs each, and a heavy user ({args.heavy_questions} questions, {args.heavy_logs}"
        f" logs), into {engine} ...",
        flush=True,
    )
    typical, heavy, seed_seconds = seed(env, args)
    print(f"Seeded in {seed_seconds:.1f} s; users {typical} and {heavy}", flush=True)
    if engine == "PostgreSQL":
        vacuum_analyze(database_url)

    port = 18000 + os.getpid() % 1000
    base = f"http://127.0.0.1:{port}"
    server = start_server(env, args.server, args.workers, port)
    try:
        results = {
            "typical": bench_user(base, server.pid, env, typical, args, "typical"),
            "heavy": bench_user(base, server.pid, env, heavy, args, "heavy"),
        }
    finally:
        server.terminate()
        server.wait(timeout=30)

    report = render_report(results, engine)
    print(report)
    if not args.no_write:
        write_report(args, engine, seed_seconds, report)


def render_table(rows) -> str:
    lines = [
        "| endpoint | queries | API req/s | API p50 ms | API p99 ms | API errors "
        "| API CPU ms/request | baseline req/s | baseline p50 ms | baseline p99 ms "
        "| baseline CPU ms/request | API/baseline | API/baseline by CPU |",
        "| --- |" + " ---: |" * 12,
    ]
    for name, queries, api, baseline in rows:
        line = (
            f"| {name} | {queries} | {api['rps']:.0f} | {api['p50']:.1f} | {api['p99']:.1f} "
            f"| {api['errors']} | {api['cpu_ms']:.1f} "
        )
        if baseline:
            line += (
                f"| {baseline['rps']:.0f} | {baseline['p50']:.1f} | {baseline['p99']:.1f} "
                f"| {baseline['cpu_ms']:.1f} | {ratio(api, baseline):.2f} "
                f"| {cpu_ratio(api, baseline):.2f} |"
            )
        else:
            line += "| – | – | – | – | – | – |"
        lines.append(line)
    return "\n".join(lines)


def ratio(api: dict, baseline: dict) -> float:
    """The API's throughput as a share of the baseline's."""
    return api["rps"] / baseline["rps"] if baseline["rps"] else 0


def cpu_ratio(api: dict, baseline: dict) -> float:
    """The same share read from the server's CPU per request (the app's side only on
    PostgreSQL, whose own processes are not the server's children)."""
    return baseline["cpu_ms"] / api["cpu_ms"] if api["cpu_ms"] else 0


def targets(results, engine) -> list[tuple[str, str, bool]]:
    """(target, what was measured, met) for issue 19's speed targets."""
    typical = {name: (api, baseline) for name, _, api, baseline in results["typical"]}
    heavy = {name: (api, baseline) for name, _, api, baseline in results["heavy"]}
    list_p50 = typical["list ?limit=50"][0]["p50"]
    reads = [name for name in typical if not name.startswith("log write")]
    slowest = max(reads, key=lambda name: typical[name][0]["p50"])
    slowest_p50 = typical[slowest][0]["p50"]
    checks = [
        (
            "typical user: every read's p50 <= 1.5x the list page's",
            f"slowest: {slowest}, {slowest_p50:.1f} ms = {slowest_p50 / list_p50:.2f}x "
            f"the list's {list_p50:.1f} ms",
            slowest_p50 <= 1.5 * list_p50,
        ),
        (
            "heavy user: stats p50 < 60 ms",
            f"{heavy['stats ?tz=Europe/Paris'][0]['p50']:.1f} ms",
            heavy["stats ?tz=Europe/Paris"][0]["p50"] < 60,
        ),
    ]
    for who, rows in (("typical", typical), ("heavy", heavy)):
        names = ("list ?limit=50", "detail", "logs of one question")
        ratios = {name: ratio(*rows[name]) for name in names}
        checks.append(
            (
                f"{who} user: list, detail, logs >= 0.6x the baseline (throughput; by CPU)",
                ", ".join(
                    f"{name} {ratios[name]:.2f} ({cpu_ratio(*rows[name]):.2f})" for name in names
                ),
                min(ratios.values()) >= 0.6,
            )
        )
    if engine == "SQLite":
        write = typical["log write (POST)"][0]["p99"]
        checks.append(
            ("log write p99 < 500 ms (8 connections, SQLite)", f"{write:.0f} ms", write < 500)
        )
    return checks


def render_report(results, engine) -> str:
    checks = "\n".join(
        f"| {target} | {measured} | {'yes' if met else '**no**'} |"
        for target, measured, met in targets(results, engine)
    )
    return (
        f"Typical user:\n\n{render_table(results['typical'])}\n\n"
        f"Heavy user:\n\n{render_table(results['heavy'])}\n\n"
        f"| target | measured | met |\n| --- | --- | --- |\n{checks}"
    )


def write_report(args, engine, seed_seconds, report):
    """Replace this configuration's section of docs/performance.md, keeping the others."""
    output = Path(args.output)
    text = output.read_text() if output.exists() else "# Performance\n"
    heading = (
        f"### {engine}, {args.server}, {args.users} users of {args.questions} questions "
        f"and {args.logs_per_user} logs, one of {args.heavy_questions} and {args.heavy_logs}"
    )
    loader = "wrk" if shutil.which("wrk") else "the Python load generator (bench/load.py)"
    section = (
        f"{heading}\n\n"
        f"Measured {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC on {os.cpu_count()}"
        f" CPUs ({platform.machine()}, Python {platform.python_version()}); {args.workers} "
        f"workers, {args.connections} connections, {args.duration} s per endpoint and side "
        f"({ROUNDS} alternating rounds, medians) with {loader}. "
        f"Seeding took {seed_seconds:.0f} s.\n\n{report}\n"
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
