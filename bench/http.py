"""HTTP load benchmark: a seeded database, the production server, concurrent clients.

    .venv/bin/python bench/http.py [--runners 50] [--sessions 500] [--clients 20]
                                   [--seconds 10] [--database-url postgresql://…]
                                   [--generator python|wrk] [--server-workers 2]

Seeds RUNNERS runners × SESSIONS sessions (one real import, then copies of its row with
other dates, so every page reads realistic rows), starts `smartrunning serve` with 2
workers, and for each endpoint runs CLIENTS logged-in clients for SECONDS, each sending
its next request as soon as the last one is answered (a closed loop, no think time: the
harshest reading of "20 concurrent clients"; ``--think S`` makes each client pause about
S seconds between requests instead, as people reading pages do). Prints requests/s,
p50/p95/p99 latency and the server's own CPU time per request (its processes' user +
system time over the run, which a busy machine does not inflate as it does latency).
The clients run on the same 2 cores as the server. Goal: p99 under 100 ms for pages at
20 clients on 2 cores. The default clients are Python threads; each pays the GIL for
every answer it reads, so at a few hundred requests a second their own waits enter the
latencies they measure (session detail p99 108 ms measured by them, 51 ms by wrk, same
server). ``--generator wrk`` runs the same closed loop from wrk (``apt-get install wrk``),
whose cost per request is microseconds; the login is still measured from Python.
Traffic goes to 127.0.0.1 only; every loop is bounded in time.

The session detail page fetches its charts (series and route) from a second URL, which
the browser caches under the records' hash; both are measured.
"""

from __future__ import annotations

import sys
from pathlib import Path

# This file must be called http.py, the name of a standard-library package: run as a
# script, its folder comes first on sys.path and would shadow that package. The repository
# root takes its place, for the test-data generators (``tests.core.fitgen``).
if sys.path and Path(sys.path[0]).resolve() == Path(__file__).resolve().parent:
    sys.path[0] = str(Path(__file__).resolve().parents[1])

import argparse
import datetime as dt
import os
import random
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests
import requests.adapters
import sqlalchemy as sa
from tests.core import fitgen
from urllib3.util.retry import Retry

from smartrunning.accounts import actions as accounts
from smartrunning.accounts.models import Role
from smartrunning.app import create_app
from smartrunning.athletes import actions as athlete_services
from smartrunning.athletes.models import (
    Runner,
    Sex,
)
from smartrunning.platform.config import load_settings
from smartrunning.platform.db import db
from smartrunning.sessions import history as history_services
from smartrunning.sessions import jobs as import_jobs
from smartrunning.sessions import uploads
from smartrunning.sessions.models import TrainingSession

PASSWORD = "bench passphrase 1"
CSRF = re.compile(r'name="csrf-token" content="([^"]+)"')


def fresh_postgres(url: str) -> str:
    """An empty ``bench_http`` database on the server of ``url`` (dropped first if there)."""
    server = sa.make_url(url).set(drivername="postgresql+psycopg")
    engine = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(sa.text('DROP DATABASE IF EXISTS "bench_http" WITH (FORCE)'))
        conn.execute(sa.text('CREATE DATABASE "bench_http"'))
    engine.dispose()
    return server.set(database="bench_http").render_as_string(hide_password=False)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def seed(env: dict[str, str], runners: int, sessions: int) -> dict[str, int]:
    os.environ.update(env)
    app = create_app(load_settings())
    today = dt.datetime.now(dt.UTC).date()
    with app.app_context():
        coach = accounts.create_user(
            "bench-coach", PASSWORD, {Role.COACH}, must_change_password=False
        )
        ids = []
        for i in range(runners):
            runner = athlete_services.create_runner(
                f"Bench Runner {i:03d}",
                dt.date(1985 + i % 20, 1 + i % 12, 1 + i % 28),
                Sex.FEMALE if i % 2 else Sex.MALE,
                created_by=coach,
                today=today,
                onboarding_step=None,
            )
            ids.append(runner.id)
        db.session.commit()
        first = db.session.get_one(Runner, ids[0])
        start = dt.datetime.combine(today, dt.time(7), tzinfo=dt.UTC)
        fit = fitgen.run_file(3600, seed=1, start=start)
        job = uploads.create_import(
            first, [("seed.fit", fit)], by=None, source="bench", queue=False
        )
        import_jobs.run_inline(job.id)
        template = db.session.execute(sa.select(TrainingSession)).scalar_one()
        columns = {c.key: getattr(template, c.key) for c in sa.inspect(TrainingSession).columns}
        columns.pop("id")
        rows = []
        for runner_id in ids:
            for k in range(sessions):
                shift = dt.timedelta(days=k)
                rows.append(
                    {
                        **columns,
                        "runner_id": runner_id,
                        "import_file_id": None,
                        "source_sha256": secrets.token_hex(32),
                        "start_time": template.start_time - shift,
                        "end_time": template.end_time - shift,
                        "local_date": template.local_date - shift,
                    }
                )
        db.session.execute(sa.delete(TrainingSession))
        for i in range(0, len(rows), 2000):
            db.session.execute(sa.insert(TrainingSession), rows[i : i + 2000])
        db.session.commit()
        for runner_id in ids:
            runner = db.session.get_one(Runner, runner_id)
            history_services.rebuild_from(runner, template.local_date - dt.timedelta(days=sessions))
        db.session.commit()
        session_id = db.session.execute(
            sa.select(TrainingSession.id).where(TrainingSession.runner_id == ids[0]).limit(1)
        ).scalar_one()
        db.engine.dispose()
    return {"runner_id": ids[0], "session_id": session_id}


def logged_in(base: str) -> requests.Session:
    client = requests.Session()
    # As a browser does: a GET on a kept-alive connection that the server closed at that
    # very moment (its keep-alive timeout, 2 s, passes while the other clients log in) is
    # sent again once on a new connection; the latency counted includes the retry.
    client.mount("http://", requests.adapters.HTTPAdapter(max_retries=Retry(total=1, read=1)))
    token = CSRF.search(client.get(f"{base}/login", timeout=30).text)
    assert token, "no CSRF token on the login page"
    answer = client.post(
        f"{base}/login",
        timeout=30,
        allow_redirects=False,
        data={"username": "bench-coach", "password": PASSWORD, "csrf_token": token.group(1)},
    )
    assert answer.status_code == 302, answer.status_code
    return client


def run_load(
    base: str, path: str | None, clients: int, seconds: float, think: float, server: int
) -> tuple[list[float], float]:
    """Latencies (s) of ``clients`` clients hitting ``path`` (None: the login itself), each
    pausing ``think`` seconds (± 50 %, so they do not march in step) between requests, and
    the CPU seconds of the server (process group ``server``) over the measured window.

    The clients log in and warm up each worker (templates compiled, caches filled) before
    that window: 20 logins hash 20 passwords (~0.2 s of CPU each, by design), which would
    otherwise be charged to the page measured."""
    latencies: list[float] = []
    lock = threading.Lock()
    sessions = [logged_in(base) for _ in range(clients)] if path else []
    if path is not None:  # each client's connection, and so each worker it lands on, warm
        for session in sessions:
            session.get(base + path, timeout=30)
    cpu_before = server_cpu_seconds(server)
    deadline = time.monotonic() + seconds

    def client(index: int) -> None:
        mine: list[float] = []
        pause = random.Random(index)
        time.sleep(pause.uniform(0, think))
        while time.monotonic() < deadline:
            if mine and think:
                time.sleep(pause.uniform(0.5 * think, 1.5 * think))
            start = time.perf_counter()
            if path is None:
                logged_in(base)
            else:
                answer = sessions[index].get(base + path, timeout=30)
                assert answer.status_code == 200, (path, answer.status_code)
            mine.append(time.perf_counter() - start)
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, server_cpu_seconds(server) - cpu_before


WRK_REPORT = """
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) other = 0 end
function response(status, headers, body) if status ~= 200 then other = other + 1 end end
function done(summary, latency, requests)
  local e, not_ok = summary.errors, 0
  for _, thread in ipairs(threads) do not_ok = not_ok + thread:get("other") end
  io.write(string.format("RESULT %d %d %d %d %d %d\\n", summary.requests,
    latency:percentile(50), latency:percentile(95), latency:percentile(99),
    not_ok, e.connect + e.read + e.write + e.timeout))
end
"""
"""wrk's report as one line: requests, p50/p95/p99 (µs), answers other than 200 (a
redirect to the login page if the cookie were refused), socket errors."""


def run_wrk(
    base: str, path: str, clients: int, seconds: float, server: int, folder: Path
) -> tuple[int, list[float], float]:
    """``clients`` connections of wrk (C, 2 threads, closed loop) on ``path`` as the bench
    coach: (requests, [p50, p95, p99] in s, server CPU s). A Python client pays the GIL
    for every response it reads, and 20 of them on the same 2 cores add their own waits to
    the latencies they measure; wrk's cost per request is a few microseconds."""
    session = logged_in(base)
    cookie = "; ".join(f"{name}={value}" for name, value in session.cookies.items())
    # Flask-Login's strong session protection ties the session to the User-Agent.
    headers = ["-H", f"Cookie: {cookie}", "-H", f"User-Agent: {session.headers['User-Agent']}"]
    answer = session.get(base + path, timeout=30, allow_redirects=False)
    assert answer.status_code == 200, (path, answer.status_code)
    script = folder / "report.lua"
    script.write_text(WRK_REPORT)
    command = ["wrk", "-t", "2", "-c", str(clients), *headers, base + path]
    subprocess.run([*command[:1], "-d", "2s", *command[1:]], check=True, capture_output=True)
    cpu_before = server_cpu_seconds(server)
    done = subprocess.run(
        [*command[:1], "-d", f"{seconds:g}s", "-s", str(script), *command[1:]],
        check=True,
        capture_output=True,
        text=True,
    )
    cpu = server_cpu_seconds(server) - cpu_before
    line = next(x for x in done.stdout.splitlines() if x.startswith("RESULT "))
    count, p50, p95, p99, bad, errors = (int(x) for x in line.split()[1:])
    assert bad == 0, f"{path}: {bad} answers other than 200"
    assert errors == 0, f"{path}: {errors} socket errors"
    return count, [p50 / 1e6, p95 / 1e6, p99 / 1e6], cpu


def server_cpu_seconds(group: int) -> float:
    """User + system CPU time so far of every process in process group ``group``."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:  # the process ended meanwhile
            continue
        if int(fields[2]) == group:
            total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runners", type=int, default=50)
    parser.add_argument("--sessions", type=int, default=500)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument(
        "--generator",
        choices=("python", "wrk"),
        default="python",
        help="the load generator: Python threads (default) or wrk, the C tool (apt-get "
        "install wrk), whose own cost does not weigh on the latencies; closed loop only, "
        "and the login stays with Python",
    )
    parser.add_argument(
        "--server-workers", type=int, default=2, help="gunicorn worker processes (default 2)"
    )
    parser.add_argument(
        "--database-url",
        default=None,
        help="a PostgreSQL server (a fresh bench_http database is made); default: SQLite",
    )
    parser.add_argument(
        "--only", default=None, help="comma-separated endpoint names to run (default: all)"
    )
    parser.add_argument(
        "--think",
        type=float,
        default=0.0,
        help="seconds each client pauses between requests, like a person reading the page "
        "(default 0: a closed loop)",
    )
    args = parser.parse_args()
    if args.generator == "wrk":
        if args.think:
            parser.error("--think needs the Python clients (wrk has no pause between requests)")
        if shutil.which("wrk") is None:
            parser.error("wrk is not installed (apt-get install wrk)")
    folder = Path(tempfile.mkdtemp(prefix="sr-bench-"))
    env = {
        "SMARTRUNNING_ENV": "production",
        "SMARTRUNNING_INSTANCE": str(folder / "instance"),
        "SECRET_KEY": secrets.token_urlsafe(48),
        "SESSION_COOKIE_SECURE": "false",
        "LOG_LEVEL": "WARNING",
        "LOGIN_LIMIT_PER_ADDRESS": "100000 per minute",
        "LOGIN_LIMIT_PER_USER": "100000 per minute",
    }
    if args.database_url:
        env["DATABASE_URL"] = fresh_postgres(args.database_url)
    run_env = {**os.environ, **env}
    subprocess.run(
        [sys.executable, "-m", "smartrunning", "init"],
        env=run_env,
        check=True,
        capture_output=True,
        cwd=folder,
    )
    started = time.perf_counter()
    ids = seed(env, args.runners, args.sessions)
    print(
        f"seeded {args.runners} runners × {args.sessions} sessions in "
        f"{time.perf_counter() - started:.1f} s ({env.get('DATABASE_URL', 'SQLite')})"
    )
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            *("-m", "smartrunning", "serve", "--port", str(port)),
            *("--workers", str(args.server_workers)),
        ],
        env=run_env,
        cwd=folder,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if requests.get(base + "/healthz", timeout=2).status_code == 200:
                    break
            except requests.ConnectionError:
                time.sleep(0.2)
        targets: list[tuple[str, str | None]] = [
            ("login", None),
            ("athletes dashboard", "/athletes"),
            ("sessions list", f"/runners/{ids['runner_id']}/sessions"),
            ("session detail", f"/sessions/{ids['session_id']}"),
            ("session charts", f"/sessions/{ids['session_id']}/charts.json"),
            ("history JSON", f"/api/runners/{ids['runner_id']}/history"),
        ]
        if args.only:
            wanted = {name.strip() for name in args.only.split(",")}
            targets = [t for t in targets if t[0] in wanted]
        print(
            f"{args.clients} clients, {args.seconds:g} s each, "
            + (f"pausing {args.think:g} s ± 50 % between requests" if args.think else "no pause")
            + f", load from {args.generator}"
            + f", server: gunicorn {args.server_workers} workers × "
            + f"{load_settings().web_threads} threads"
        )
        print(
            f"{'endpoint':<20} {'requests':>9} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} "
            f"{'p99 ms':>8} {'server CPU ms/req':>18}"
        )
        for name, path in targets:
            if args.generator == "wrk" and path is not None:
                count, quantiles, cpu = run_wrk(
                    base, path, args.clients, args.seconds, server.pid, folder
                )
            else:
                latencies, cpu = run_load(
                    base, path, args.clients, args.seconds, args.think, server.pid
                )
                count = len(latencies)
                quantiles = [percentile(latencies, q) for q in (50, 95, 99)]
            p50, p95, p99 = (q * 1e3 for q in quantiles)
            print(
                f"{name:<20} {count:>9} {count / args.seconds:>8.1f} {p50:>8.1f} {p95:>8.1f} "
                f"{p99:>8.1f} {cpu / count * 1e3:>18.1f}",
                flush=True,
            )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
