"""End-to-end ingest benchmark: a ZIP of generated runs through the real queue and workers.

    .venv/bin/python bench/ingest.py [--files 300] [--minutes 60] [--workers 1,2]
        [--uploads zip,single] [--rounds 3] [--database-url postgresql://…] [--redis-url redis://…]

1. Generates ``--files`` realistic 1 Hz runs (HR, speed, GPS, altitude, cadence, power;
   ``tests.core.fitgen.synthetic_run`` written by ``encode_activity``), one a day, cached in
   the temporary folder (``smartrunning-bench``), and writes them into one ZIP (deflate).
2. Measures the raw decode rate of the same files by the decoder alone
   (``science.fit.decode_fit`` on bytes in memory, one process: framing, the library,
   sessions, laps and events, our checks), and for scale the library's bare pass over
   the records (``fitfast.records``), which gives only the record columns.
3. For each worker count: a fresh instance (SQLite by default, or a fresh PostgreSQL
   database; the SQLite queue, or Redis), ``smartrunning init``, a runner, N
   ``smartrunning worker --workers 1`` processes, then ``smartrunning import --via queue``
   of the ZIP. End to end is the job's own time, from its creation (before the ZIP is
   stored) to done (archive stored, expanded, every file decoded, analysed and stored,
   the chronological recomputation and history included); the CLI's wall time, with
   its Python start-up, is printed beside it. The workers' CPU time over the import is
   printed too (robust when other work shares the machine): it is counted from when
   every worker has printed its start-up line and its CPU time stands still, so that
   start-up is not counted as import work.
4. ``--uploads single`` sends the same files the way a watch syncs: one upload (one job)
   per file, each sent when the one before is done (``uploads.create_import`` from this
   process, queued once committed as the API's are, so no CLI start-up per file). Its
   workers' CPU per file, beside the ZIP's, is the cost of a job of one file.
5. For each kind of upload, the same import in this process with the queue's tasks run
   at once (Huey's immediate mode): CPU and SQL statements per file of the tasks alone
   (``jobs.submit`` onwards; storing the upload is not counted), free of the workers'
   polling and of other processes' load.

Each round first prints what the machine's two cores give two CPU-bound processes
(a loop run alone, then in two processes at once): on a shared virtual machine that is
not always 2×, and it bounds the 2-worker speed-up.

Prints files/s, records/s and MB/s end to end, the peak RSS of the importing CLI and of
each worker, the raw decode rate, and the ratios (end to end ÷ raw decode; N workers ÷
one worker). The issue's goals: end to end ≥ ½ raw decode; memory not growing with the
ZIP; two workers ≥ 1.7 × one; a file uploaded alone costs ≤ 1.5 × the CPU of a file
in a ZIP.
"""

from __future__ import annotations

import sys
from pathlib import Path

# Run as a script, this folder comes first on sys.path, and its http.py would shadow the
# standard library's package of that name (which Flask imports). The repository root takes
# its place, for the test-data generators (``tests.core``).
if sys.path and Path(sys.path[0]).resolve() == Path(__file__).resolve().parent:
    sys.path[0] = str(Path(__file__).resolve().parents[1])

import argparse
import datetime as dt
import json
import os
import resource
import signal
import statistics
import subprocess
import tempfile
import time
import zipfile
from concurrent.futures import ProcessPoolExecutor

import fitfast
import sqlalchemy as sa
from flask import Flask
from tests.core.fitgen import synthetic_run
from tests.core.fitwriter import Segment, encode_activity

from smartrunning.app import create_app
from smartrunning.athletes.models import Runner
from smartrunning.platform.config import load_settings
from smartrunning.platform.db import db
from smartrunning.platform.queue import get_queue
from smartrunning.science.fit import decode_fit
from smartrunning.sessions import jobs
from smartrunning.sessions import uploads as upload_services
from smartrunning.sessions.models import FileStatus, ImportFile, ImportJob, JobStatus

CACHE = Path(tempfile.gettempdir()) / "smartrunning-bench"
START = dt.datetime(2022, 1, 3, 6, 30, tzinfo=dt.UTC)


def _one(args: tuple[int, int, Path]) -> None:
    index, minutes, path = args
    if path.exists():
        return
    start = START + dt.timedelta(days=index, minutes=(index * 37) % 600)
    records = synthetic_run(minutes * 60, start=start, seed=index)
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(encode_activity([Segment(records)]))
    tmp.rename(path)


def generate(count: int, minutes: int) -> list[Path]:
    folder = CACHE / f"runs-{minutes}min"
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / f"run{i:05d}.fit" for i in range(count)]
    todo = [(i, minutes, p) for i, p in enumerate(paths) if not p.exists()]
    if todo:
        print(f"generating {len(todo)} FIT files of {minutes} min …", flush=True)
        with ProcessPoolExecutor() as pool:
            list(pool.map(_one, todo, chunksize=8))
    return paths


def write_zip(paths: list[Path], target: Path, copies: int = 1) -> None:
    """The runs in one ZIP; ``copies`` > 1 adds identical copies under other names (a big
    ZIP for the memory check without generating more runs; copies are duplicates)."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for copy in range(copies):
            folder = "activities" if copy == 0 else f"copy{copy}"
            for path in paths:
                archive.write(path, f"export/{folder}/{path.name}")


def raw_decode(paths: list[Path]) -> dict[str, float]:
    data = [p.read_bytes() for p in paths]
    best = best_cpu = float("inf")
    records = 0
    for _ in range(2):
        began, began_cpu = time.perf_counter(), time.process_time()
        records = 0
        for blob in data:
            decoded = decode_fit(blob)
            records += sum(len(s.records) for s in decoded.sessions)
        best = min(best, time.perf_counter() - began)
        best_cpu = min(best_cpu, time.process_time() - began_cpu)
    library = float("inf")
    for _ in range(2):
        began = time.perf_counter()
        for blob in data:
            fitfast.records(blob)
        library = min(library, time.perf_counter() - began)
    size = sum(len(b) for b in data)
    return {
        "library_files_per_s": len(data) / library,
        "seconds": best,
        "files_per_s": len(data) / best,
        "records_per_s": records / best,
        "mb_per_s": size / 1e6 / best,
        "records": records,
        "files_per_cpu_s": len(data) / best_cpu,
    }


def _env(instance: Path, database_url: str | None, redis_url: str | None) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SMARTRUNNING_", "DATABASE_URL", "REDIS_URL", "SECRET_KEY"))
    }
    env.update(SMARTRUNNING_ENV="development", SMARTRUNNING_INSTANCE=str(instance))
    if database_url:
        env["DATABASE_URL"] = database_url
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env


def _cli(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "smartrunning", *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"smartrunning {' '.join(args)} failed:\n{done.stderr}")
    return done.stdout


def _fresh_postgres(url: str) -> str:
    server = sa.make_url(url).set(drivername="postgresql+psycopg")
    engine = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(sa.text('DROP DATABASE IF EXISTS "bench_ingest" WITH (FORCE)'))
        conn.execute(sa.text('CREATE DATABASE "bench_ingest"'))
    engine.dispose()
    return server.set(database="bench_ingest").render_as_string(hide_password=False)


def _job_seconds(url: str) -> float:
    """The jobs' own duration: the first created (before its upload is stored) to the last
    done (after its chronological recomputation), from their timestamps in the database."""
    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.connect() as conn:
        created, finished = conn.execute(
            sa.text("SELECT min(created_at), max(finished_at) FROM import_jobs")
        ).one()
    engine.dispose()
    if isinstance(created, str):  # SQLite returns text
        created, finished = dt.datetime.fromisoformat(created), dt.datetime.fromisoformat(finished)
    return float((finished - created).total_seconds())


def _bench_app(instance: Path, url: str | None, redis_url: str | None) -> Flask:
    """The app on the bench's instance, in this process (to upload as the API does)."""
    return create_app(
        load_settings(
            SMARTRUNNING_ENV="development",
            SMARTRUNNING_INSTANCE=instance,
            DATABASE_URL=url,
            REDIS_URL=redis_url,
        )
    )


def _statuses() -> dict[str, int]:
    """Files by final status (archives that were expanded left out)."""
    rows = db.session.execute(
        sa.select(ImportFile.status, sa.func.count(ImportFile.id))
        .where(ImportFile.status != FileStatus.EXPANDED)
        .group_by(ImportFile.status)
    ).all()
    return {status.value: count for status, count in rows}


def upload_one_by_one(app: Flask, runner_id: int, paths: list[Path]) -> dict[str, int]:
    """Each file its own job, sent when the one before is done (a watch syncing one
    activity at a time); returns the files by status."""
    with app.app_context():
        runner = db.session.get_one(Runner, runner_id)
        for path in paths:
            with path.open("rb") as handle:
                job = upload_services.create_import(
                    runner, [(path.name, handle)], by=None, source="api"
                )
            job_id = job.id
            while True:
                db.session.rollback()  # see the workers' commits
                status = db.session.execute(
                    sa.select(ImportJob.status).where(ImportJob.id == job_id)
                ).scalar_one()
                if status is JobStatus.DONE:
                    break
                # Not much more often: on two cores, a busier poll slows the worker measured.
                time.sleep(0.02)
        return _statuses()


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (``/proc/<pid>/stat``)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _wait_idle(procs: list[subprocess.Popen[bytes]], logs: list[Path]) -> None:
    """Until every worker has started (its first line) and its start-up work is over (its
    CPU time stands still for a second), so that start-up is not counted as import work."""
    deadline = time.monotonic() + 120
    while not all(log.exists() and log.read_bytes().strip() for log in logs):
        if time.monotonic() > deadline or any(p.poll() is not None for p in procs):
            raise SystemExit("the workers did not start")
        time.sleep(0.2)
    before = sum(_cpu_seconds(p.pid) for p in procs)
    while time.monotonic() < deadline:
        time.sleep(1.0)
        now = sum(_cpu_seconds(p.pid) for p in procs)
        if now - before < 0.05 * len(procs):
            return
        before = now


def _peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _flush_redis(redis_url: str) -> None:
    import redis

    redis.Redis.from_url(redis_url).flushdb()


def _fresh_instance(
    folder: str, database_url: str | None, redis_url: str | None
) -> tuple[Path, str | None, dict[str, str], int]:
    """A migrated instance with one runner: (instance, database URL, CLI env, runner id)."""
    instance = Path(folder) / "instance"
    url = _fresh_postgres(database_url) if database_url else None
    if redis_url:
        _flush_redis(redis_url)
    env = _env(instance, url, redis_url)
    _cli(env, "init")
    runner = json.loads(
        _cli(
            env,
            *("runner", "create", "--name", "Bench", "--birth-date", "1988-05-05"),
            *("--sex", "m", "--json"),
        )
    )
    return instance, url, env, int(runner["id"])


def _import_zip(env: dict[str, str], runner_id: int, archive: Path) -> tuple[dict[str, int], float]:
    """``smartrunning import --via queue`` of the ZIP: files by status, the CLI's peak RSS."""
    cli = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "smartrunning",
            "import",
            "--runner",
            str(runner_id),
            "--via",
            "queue",
            "--json",
            str(archive),
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    out, err = cli.communicate()
    if cli.returncode != 0:
        raise SystemExit(f"import failed:\n{err}")
    statuses: dict[str, int] = {}
    for line in (json.loads(line) for line in out.splitlines() if line.strip()):
        statuses[line["status"]] = statuses.get(line["status"], 0) + 1
    return statuses, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def end_to_end(
    uploads: str,
    paths: list[Path],
    archive: Path,
    workers: int,
    database_url: str | None,
    redis_url: str | None,
) -> dict[str, object]:
    """The files imported through ``workers`` worker processes, as one ZIP (``uploads``
    "zip") or one upload per file ("single")."""
    with tempfile.TemporaryDirectory(prefix="bench-ingest-") as folder:
        instance, url, env, runner_id = _fresh_instance(folder, database_url, redis_url)
        app = _bench_app(instance, url, redis_url) if uploads == "single" else None
        logs = [Path(folder) / f"worker{i}.out" for i in range(workers)]
        procs = []
        for log in logs:
            with log.open("wb") as out:
                procs.append(
                    subprocess.Popen(
                        [sys.executable, "-m", "smartrunning", "worker", "--workers", "1"],
                        env=env,
                        stdout=out,
                        stderr=subprocess.DEVNULL,
                        start_new_session=True,
                    )
                )
        try:
            _wait_idle(procs, logs)
            idle_cpu = sum(_cpu_seconds(p.pid) for p in procs)
            began = time.perf_counter()
            if app is None:
                statuses, cli_rss = _import_zip(env, runner_id, archive)
            else:
                statuses, cli_rss = upload_one_by_one(app, runner_id, paths), 0.0
            cli_seconds = time.perf_counter() - began
            worker_rss = [_peak_rss_mb(p.pid) for p in procs]
            worker_cpu = sum(_cpu_seconds(p.pid) for p in procs) - idle_cpu
        finally:
            for proc in procs:
                os.killpg(proc.pid, signal.SIGTERM)
            for proc in procs:
                proc.wait(timeout=60)
            if app is not None:
                with app.app_context():
                    db.engine.dispose()
        seconds = _job_seconds(url or f"sqlite:///{instance / 'smartrunning.sqlite3'}")
        return {
            "workers": workers,
            "seconds": seconds,
            "cli_seconds": cli_seconds,
            "worker_cpu_s": worker_cpu,
            "statuses": statuses,
            "cli_peak_rss_mb": cli_rss,
            "worker_peak_rss_mb": worker_rss,
        }


def in_process(
    uploads: str, paths: list[Path], archive: Path, database_url: str | None
) -> dict[str, object]:
    """The import's tasks run in this process, each at once (Huey's immediate mode): CPU
    seconds and SQL statements of ``jobs.submit`` onwards (storing the uploads excluded)."""
    statements = 0

    def count(*_args: object) -> None:
        nonlocal statements
        statements += 1

    cpu = 0.0
    submitted = 0
    with tempfile.TemporaryDirectory(prefix="bench-inproc-") as folder:
        instance, url, _cli_env, runner_id = _fresh_instance(folder, database_url, None)
        app = _bench_app(instance, url, None)
        with app.app_context():
            get_queue().huey.immediate = True
            runner = db.session.get_one(Runner, runner_id)
            files = [(archive.name, archive)] if uploads == "zip" else [(p.name, p) for p in paths]
            sa.event.listen(db.engine, "before_cursor_execute", count)
            try:
                for name, path in files:
                    with path.open("rb") as handle:  # queued below, to time it alone
                        job = upload_services.create_import(
                            runner, [(name, handle)], by=None, source="api", queue=False
                        )
                    job_id = job.id
                    before = statements
                    began = time.process_time()
                    jobs.submit(job_id)
                    cpu += time.process_time() - began
                    submitted += statements - before
            finally:
                sa.event.remove(db.engine, "before_cursor_execute", count)
            db.session.rollback()
            statuses = _statuses()
            done = db.session.execute(
                sa.select(sa.func.count(ImportJob.id)).where(ImportJob.status == JobStatus.DONE)
            ).scalar_one()
            db.engine.dispose()
    if done != len(files):
        raise SystemExit(f"in process: {done} of {len(files)} jobs done ({statuses})")
    return {"cpu_s": cpu, "statements": submitted, "statuses": statuses}


def _spin(_: int) -> float:
    """Seconds of a fixed pure-Python loop (the machine's own speed, no I/O)."""
    began = time.perf_counter()
    x = 0
    for i in range(6_000_000):
        x += i * i
    return time.perf_counter() - began


def machine_scaling() -> float:
    """Throughput of two processes running the same loop at once ÷ one alone: what this
    machine's two cores give two CPU-bound processes (a shared or virtual machine's
    "cores" do not always give 2×), the ceiling of the 2-worker speed-up."""
    alone = _spin(0)
    with ProcessPoolExecutor(2) as pool:
        together = max(pool.map(_spin, [0, 1]))
    return 2 * alone / together


_LABELS = {"zip": "one ZIP", "single": "one upload per file"}


def run_round(
    paths: list[Path], archive: Path, fit_bytes: int, args: argparse.Namespace
) -> dict[str, list[float]]:
    """One raw decode, then per kind of upload one import per worker count and one in this
    process; prints each and returns the figures the medians are taken of (keyed by kind):
    end to end ÷ raw decode and workers' CPU ms per file per worker count, N workers ÷ the
    first count, and in process CPU ms and SQL statements per file."""
    scaling = machine_scaling()
    print(f"machine: two CPU-bound processes run {scaling:.2f}× one (the 2-worker ceiling)")
    raw = raw_decode(paths)
    print(
        f"raw decode (decode_fit, 1 process): {raw['files_per_s']:.1f} files/s, "
        f"{raw['records_per_s']:,.0f} records/s, {raw['mb_per_s']:.1f} MB/s; "
        f"{raw['files_per_cpu_s']:.1f} files per CPU-second",
        flush=True,
    )
    print(
        f"    of which the library's one pass (fitfast.records, the record columns alone): "
        f"{raw['library_files_per_s']:.1f} files/s",
        flush=True,
    )
    figures: dict[str, list[float]] = {"machine_scaling": [scaling]}
    for uploads in args.uploads.split(","):
        files = len(paths) * (args.copies if uploads == "zip" else 1)
        results = []
        for count in (int(w) for w in args.workers.split(",")):
            result = end_to_end(uploads, paths, archive, count, args.database_url, args.redis_url)
            seconds = float(result["seconds"])  # type: ignore[arg-type]
            files_s = files / seconds
            result.update(files_per_s=files_s, ratio_to_raw=files_s / raw["files_per_s"])
            worker_cpu = float(result["worker_cpu_s"])  # type: ignore[arg-type]
            per_cpu = files / worker_cpu
            result["cpu_ms_per_file"] = 1000 * worker_cpu / files
            results.append(result)
            rss = ", ".join(f"{r:.0f}" for r in result["worker_peak_rss_mb"])  # type: ignore[attr-defined]
            cli_rss = f"CLI {result['cli_peak_rss_mb']:.0f} MB, " if uploads == "zip" else ""
            sender = (
                f"CLI with start-up {float(result['cli_seconds']):.1f} s"  # type: ignore[arg-type]
                if uploads == "zip"
                else f"uploads sent over {float(result['cli_seconds']):.1f} s"  # type: ignore[arg-type]
            )
            print(
                f"{_LABELS[uploads]}, end to end, {count} worker(s): {seconds:.1f} s "
                f"({sender}), {files_s:.1f} files/s, "
                f"{raw['records'] / seconds:,.0f} records/s, "
                f"{fit_bytes / 1e6 / seconds:.1f} MB/s; "
                f"÷ raw decode = {files_s / raw['files_per_s']:.2f}; peak RSS: {cli_rss}"
                f"workers {rss} MB; {result['statuses']}",
                flush=True,
            )
            print(
                f"    workers' CPU: {worker_cpu:.1f} s, {1000 * worker_cpu / files:.1f} ms per "
                f"file, {per_cpu:.1f} files per CPU-second ÷ raw decode per CPU-second = "
                f"{per_cpu / raw['files_per_cpu_s']:.2f} (robust to other load on the machine; "
                "the database server's CPU not counted)",
                flush=True,
            )
        if len(results) > 1:
            base = float(results[0]["files_per_s"])  # type: ignore[arg-type]
            for result in results[1:]:
                print(
                    f"    {result['workers']} workers ÷ {results[0]['workers']}: "
                    f"{float(result['files_per_s']) / base:.2f}×"  # type: ignore[arg-type]
                )
        inproc = in_process(uploads, paths, archive, args.database_url)
        cpu_ms = 1000 * float(inproc["cpu_s"]) / files  # type: ignore[arg-type]
        sql = float(inproc["statements"]) / files  # type: ignore[arg-type]
        print(
            f"{_LABELS[uploads]}, in process (tasks run at once): {cpu_ms:.1f} ms of CPU and "
            f"{sql:.1f} SQL statements per file; {inproc['statuses']}",
            flush=True,
        )
        figures[f"ratios_to_raw:{uploads}"] = [float(r["ratio_to_raw"]) for r in results]  # type: ignore[arg-type]
        figures[f"cpu_ms_per_file:{uploads}"] = [float(r["cpu_ms_per_file"]) for r in results]  # type: ignore[arg-type]
        figures[f"speedups:{uploads}"] = [
            float(r["files_per_s"]) / float(results[0]["files_per_s"])  # type: ignore[arg-type]
            for r in results[1:]
        ]
        figures[f"inproc_cpu_ms:{uploads}"] = [cpu_ms]
        figures[f"inproc_sql:{uploads}"] = [sql]
    if "cpu_ms_per_file:zip" in figures and "cpu_ms_per_file:single" in figures:
        zip_ms, single_ms = figures["inproc_cpu_ms:zip"][0], figures["inproc_cpu_ms:single"][0]
        workers_ratio = figures["cpu_ms_per_file:single"][0] / figures["cpu_ms_per_file:zip"][0]
        figures["single_to_zip"] = [single_ms / zip_ms]
        figures["single_to_zip_workers"] = [workers_ratio]
        print(
            f"one upload per file ÷ one ZIP, CPU per file: {single_ms / zip_ms:.2f}× in process, "
            f"{workers_ratio:.2f}× in the workers ({args.workers.split(',')[0]} worker(s)) "
            "(goal ≤ 1.5×)",
            flush=True,
        )
    return figures


def _median_line(label: str, values: list[float], unit: str = "") -> None:
    print(
        f"    {label}: {statistics.median(values):.2f}{unit} "
        f"(rounds: {', '.join(f'{x:.2f}' for x in values)})"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=300)
    parser.add_argument("--minutes", type=int, default=60, help="length of each run")
    parser.add_argument("--workers", default="1,2", help="worker counts to run, e.g. 1,2")
    parser.add_argument(
        "--uploads",
        default="zip",
        help="how the files arrive, e.g. zip,single: zip (one ZIP of them all, one job), "
        "single (one upload and job per file, each sent when the one before is done, as a "
        "watch syncs)",
    )
    parser.add_argument("--database-url", default=None, help="PostgreSQL server (a fresh DB)")
    parser.add_argument("--redis-url", default=None, help="Redis for the queue")
    parser.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="repeat the raw decode and the imports this many times and print the medians "
        "(a shared machine's speed drifts by ±10 %% from minute to minute)",
    )
    parser.add_argument(
        "--copies",
        type=int,
        default=1,
        help="put each run this many times in the ZIP (a large ZIP for the memory check; "
        "the copies are duplicates, so the rates are not comparable)",
    )
    args = parser.parse_args()
    if not set(args.uploads.split(",")) <= set(_LABELS):
        parser.error(f"--uploads: choose among {', '.join(_LABELS)}")

    paths = generate(args.files, args.minutes)
    fit_bytes = sum(p.stat().st_size for p in paths)
    with tempfile.TemporaryDirectory(prefix="bench-zip-") as folder:
        archive = Path(folder) / "export.zip"
        write_zip(paths, archive, args.copies)
        zip_mb = archive.stat().st_size / 1e6
        print(
            f"{len(paths)} files, {fit_bytes / 1e6:.1f} MB of FIT, ZIP {zip_mb:.1f} MB; "
            f"database {'PostgreSQL' if args.database_url else 'SQLite'}, "
            f"queue {'Redis' if args.redis_url else 'SQLite (Huey)'}",
            flush=True,
        )
        rounds = [run_round(paths, archive, fit_bytes, args) for _ in range(args.rounds)]
        if args.rounds > 1:
            print(f"median of {args.rounds} rounds (each against its own raw decode):")
            _median_line(
                "machine, two processes ÷ one", [r["machine_scaling"][0] for r in rounds], "×"
            )
            counts = [int(w) for w in args.workers.split(",")]
            for uploads in args.uploads.split(","):
                label = _LABELS[uploads]
                for i, count in enumerate(counts):
                    _median_line(
                        f"{label}, {count} worker(s) ÷ raw decode",
                        [r[f"ratios_to_raw:{uploads}"][i] for r in rounds],
                    )
                    _median_line(
                        f"{label}, {count} worker(s), workers' CPU ms per file",
                        [r[f"cpu_ms_per_file:{uploads}"][i] for r in rounds],
                    )
                for i, count in enumerate(counts[1:], start=1):
                    _median_line(
                        f"{label}, {count} workers ÷ {counts[0]}",
                        [r[f"speedups:{uploads}"][i - 1] for r in rounds],
                        "×",
                    )
                _median_line(
                    f"{label}, in process, CPU ms per file",
                    [r[f"inproc_cpu_ms:{uploads}"][0] for r in rounds],
                )
                _median_line(
                    f"{label}, in process, SQL statements per file",
                    [r[f"inproc_sql:{uploads}"][0] for r in rounds],
                )
            if "single_to_zip" in rounds[0]:
                _median_line(
                    "one upload per file ÷ one ZIP, in process CPU per file",
                    [r["single_to_zip"][0] for r in rounds],
                    "×",
                )
                _median_line(
                    f"one upload per file ÷ one ZIP, workers' CPU per file ({counts[0]} worker(s))",
                    [r["single_to_zip_workers"][0] for r in rounds],
                    "×",
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
