"""The API against the seed's original implementation, side by side on this machine.

    python -m bench.original [--commit f57723d] [--duration 9] [--keep]

The original is the commit that first served the questions and logs with orjson
(f57723d). It is checked out with ``git worktree`` into a temporary directory
with its own venv (its requirements.txt), never into this tree. Both apps get a
SQLite file with one user of 100 questions, 3 tags (of 30) and 3 logs each,
run under gunicorn with 2 workers and their shipped gunicorn.conf.py (4 threads
each), and are loaded with wrk at 8 connections in alternating rounds: the list
of 100, one question's detail, its logs, and a log write (to the 50 newest
questions in turn). Also reported: the
servers' CPU time per request (the master's and workers' user + system time over
the load, from /proc).
"""

import argparse
import os
import subprocess  # nosec B404 # the benchmark starts its own servers and git
import sys
import tempfile
import time
from pathlib import Path

import requests

from bench.run import (
    COOLDOWN_SECONDS,
    LOG,
    ROOT,
    ROUNDS,
    load,
    seed_users,
    server_env,
    sign_in,
    start_server,
    summarize,
)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--commit", default="f57723d", help="The original implementation.")
    parser.add_argument("--duration", type=int, default=9, help="Seconds per endpoint and side.")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--keep", action="store_true", help="Keep the checkout and its venv.")
    return parser.parse_args()


def checkout(commit: str) -> Path:
    """A worktree of ``commit`` with its own venv, reused when it is already there."""
    directory = Path(tempfile.gettempdir()) / f"iq-original-{commit}"
    if not directory.exists():
        subprocess.run(  # nosec B603 B607
            ["git", "worktree", "add", "--detach", str(directory), commit], cwd=ROOT, check=True
        )
    python = directory / ".venv" / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(directory / ".venv")], check=True)
        subprocess.run(  # nosec B603
            [str(python), "-m", "pip", "install", "--quiet", "--require-hashes", "-r"]
            + [str(directory / "requirements.txt")],
            check=True,
        )
    return directory


def prepare(name: str, cwd: Path, python: str, port: int):
    """Seed one app's SQLite file and start it; (server, base URL, headers, the ids of
    the 50 newest questions, newest first)."""
    path = Path(tempfile.gettempdir()) / f"iq-bench-original-{name}.sqlite3"
    for stale in path.parent.glob(path.name + "*"):
        stale.unlink()
    env = server_env(f"sqlite:///{path}")
    if name == "original":
        env["DJANGO_SETTINGS_MODULE"] = "backend.settings"  # it has no bench settings
    subprocess.run(  # nosec B603
        [python, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=cwd, env=env, check=True
    )
    options = ["--users=1", "--questions=100", "--logs=3", "--exact-logs", "--seed=1"]
    username = seed_users(env, *options, cwd=cwd, python=python)[0]
    server = start_server(env, "gunicorn", 2, port, cwd=cwd, python=python)
    base = f"http://127.0.0.1:{port}"
    headers = sign_in(base, username)
    newest = requests.get(f"{base}/api/questions/?limit=50", headers=headers, timeout=30)
    return server, base, headers, [question["id"] for question in newest.json()["results"]]


def main():
    args = parse_args()
    original_dir = checkout(args.commit)
    port = 19000 + os.getpid() % 500
    apps = {
        "current": prepare("current", ROOT, sys.executable, port),
        "original": prepare(
            "original", original_dir, str(original_dir / ".venv" / "bin" / "python"), port + 1
        ),
    }
    rows = []
    try:
        for name, path, method in [
            ("list of 100", "/api/questions/", "GET"),
            ("detail", "/api/questions/{id}/", "GET"),
            ("logs of one question", "/api/questions/{id}/logs/", "GET"),
            ("log write (POST)", "/api/questions/{id}/logs/", "POST"),
        ]:
            runs = {"current": [], "original": []}
            order = list(apps)
            for round_ in range(ROUNDS):
                for side in order if round_ % 2 == 0 else order[::-1]:
                    server, base, headers, question_ids = apps[side]
                    print(f"  {name} [{side}] round {round_ + 1}/{ROUNDS} ...", flush=True)
                    # Reads load the newest question; writes take the 50 newest in turn.
                    targets = question_ids if method == "POST" else question_ids[:1]
                    runs[side].append(
                        load(
                            server.pid,
                            [base + path.format(id=pk) for pk in targets],
                            method,
                            LOG if method == "POST" else None,
                            {**headers, "Content-Type": "application/json"},
                            max(1, args.duration // ROUNDS),
                            args.connections,
                        )
                    )
                    time.sleep(COOLDOWN_SECONDS)
            summary = {side: summarize(results) for side, results in runs.items()}
            rows.append((name, summary["current"], summary["original"]))
    finally:
        for server, *_ in apps.values():
            server.terminate()
            server.wait(timeout=30)
        if not args.keep:
            subprocess.run(  # nosec B603 B607
                ["git", "worktree", "remove", "--force", str(original_dir)], cwd=ROOT, check=False
            )
    print(render(rows, args.commit))


def render(rows, commit: str) -> str:
    lines = [
        f"| endpoint | req/s now | p99 ms now | CPU ms/request now | req/s {commit} "
        f"| p99 ms {commit} | CPU ms/request {commit} | throughput now/{commit} |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, now, then in rows:
        ratio = now["rps"] / then["rps"] if then["rps"] else 0
        lines.append(
            f"| {name} | {now['rps']:.0f} | {now['p99']:.0f} | {now['cpu_ms']:.1f} "
            f"| {then['rps']:.0f} | {then['p99']:.0f} | {then['cpu_ms']:.1f} | {ratio:.2f} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
