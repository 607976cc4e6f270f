"""Helpers for the scale-out system test: real processes with their logs in files, a small
HTTP client for the API (stdlib only), the generated runs and the state to compare."""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from smartrunning.science.records import COLUMNS, Records
from tests.core.fitgen import synthetic_run
from tests.core.fitwriter import Segment, encode_activity
from tests.sessions.sessiondata import DAY0

# --- processes --------------------------------------------------------------------------


@dataclass
class Process:
    """A ``smartrunning`` command in its own process group, its output in ``log``."""

    name: str
    popen: subprocess.Popen[bytes]
    log: Path

    @property
    def pid(self) -> int:
        return self.popen.pid

    def alive(self) -> bool:
        return self.popen.poll() is None

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def kill(self, sig: signal.Signals = signal.SIGKILL) -> None:
        if self.alive():
            os.killpg(self.pid, sig)

    def stop(self) -> None:
        """SIGTERM the group, SIGKILL after 20 s; always reaps the process."""
        if self.alive():
            try:
                os.killpg(self.pid, signal.SIGTERM)
                self.popen.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.popen.wait()


@dataclass
class Cluster:
    """The processes of one test; ``close`` stops them all, ``logs`` tells what they said."""

    env: dict[str, str]
    cwd: Path
    processes: list[Process] = field(default_factory=list)

    def start(self, name: str, *args: str) -> Process:
        log = self.cwd / f"{name}.log"
        with log.open("wb") as out:
            popen = subprocess.Popen(
                [sys.executable, "-m", "smartrunning", *args],
                env=self.env,
                cwd=self.cwd,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        process = Process(name, popen, log)
        self.processes.append(process)
        return process

    def close(self) -> None:
        for process in self.processes:
            process.stop()

    def logs(self, tail: int = 150) -> str:
        parts = []
        for p in self.processes:
            lines = p.output().splitlines()
            state = "running" if p.alive() else f"exit code {p.popen.returncode}"
            parts.append(f"----- {p.name} (pid {p.pid}, {state}), last {tail} lines -----")
            parts.extend(lines[-tail:])
        return "\n".join(parts)

    def check_alive(self, *processes: Process) -> None:
        for p in processes:
            if not p.alive():
                raise AssertionError(f"{p.name} exited with {p.popen.returncode}")


def wait_for_line(process: Process, text: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while text not in process.output():
        if not process.alive():
            raise AssertionError(f"{process.name} exited before printing {text!r}")
        if time.monotonic() > deadline:
            raise AssertionError(f"{process.name} did not print {text!r} within {seconds} s")
        time.sleep(0.1)


# --- the API ----------------------------------------------------------------------------


class ApiError(AssertionError):
    pass


@dataclass
class Api:
    """JSON over HTTP with a bearer token (urllib: no client library needed)."""

    base: str
    token: str
    timeout: float = 120

    def call(
        self,
        method: str,
        path: str,
        *,
        json_body: Any = None,
        body: bytes | None = None,
        content_type: str | None = None,
    ) -> tuple[int, Any]:
        headers = {"Authorization": f"Bearer {self.token}", "Accept": "application/json"}
        if json_body is not None:
            body = json.dumps(json_body).encode()
            content_type = "application/json"
        if content_type:
            headers["Content-Type"] = content_type
        request = urllib.request.Request(  # noqa: S310 (http to our own test server)
            self.base + path, data=body, headers=headers, method=method
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                status, raw = response.status, response.read()
        except urllib.error.HTTPError as exc:
            status, raw = exc.code, exc.read()
        try:
            data = json.loads(raw) if raw else None
        except ValueError:
            data = raw.decode(errors="replace")
        return status, data

    def get(self, path: str) -> Any:
        status, data = self.call("GET", path)
        if status != 200:
            raise ApiError(f"GET {path}: {status} {data}")
        return data

    def post_json(self, path: str, payload: Any, expect: int = 201) -> Any:
        status, data = self.call("POST", path, json_body=payload)
        if status != expect:
            raise ApiError(f"POST {path}: {status} {data}")
        return data

    def upload(self, runner_id: int, files: list[tuple[str, bytes]]) -> tuple[int, Any]:
        """POST the files as multipart ``files``; the status and answer (202 and the job)."""
        boundary = uuid.uuid4().hex
        parts = []
        for name, data in files:
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="files"; '
                f'filename="{name}"\r\nContent-Type: application/octet-stream\r\n\r\n'.encode()
                + data
                + b"\r\n"
            )
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        return self.call(
            "POST",
            f"/api/runners/{runner_id}/sessions",
            body=body,
            content_type=f"multipart/form-data; boundary={boundary}",
        )


# --- the runs ---------------------------------------------------------------------------


def run_plan(count: int) -> list[tuple[str, int, int, float]]:
    """(name, day, hour, speed factor) of ``count`` runs: mostly easy, with a faster run every
    20 (each faster than the last, run hard: ``HARD_HR_BPM`` higher), so bests and CS/D′ keep
    changing (a training effort anchors CS only when its heart rate says it was maximal);
    some days have two runs (07:00 and 16:00 UTC)."""
    plan = []
    for i in range(count):
        day, hour = (4 * i) // 5, 0
        if i and (4 * (i - 1)) // 5 == day:
            hour = 9
        factor = 1.0 + 0.02 * (i // 20) if i % 20 == 7 else 0.94 + 0.01 * ((7 * i) % 5)
        plan.append((f"run{i:03d}.fit", day, hour, factor))
    return plan


def run_file(day: int, factor: float, *, hour: int, seed: int, duration_s: int) -> bytes:
    """A synthetic run ``factor`` times as fast, one record every 2 s (smart recording:
    half the records of 1 Hz, so 200 files are written quickly)."""
    start = DAY0 + dt.timedelta(days=day, hours=hour)
    r = synthetic_run(duration_s, start=start, seed=seed)
    columns = {name: getattr(r, name)[::2] for name in COLUMNS}
    columns["speed_mps"] = columns["speed_mps"] * factor
    columns["distance_m"] = columns["distance_m"] * factor
    if factor >= 1.0:  # the hard runs: heart rate near maximum (~93 % of HRmax)
        columns["heart_rate_bpm"] = columns["heart_rate_bpm"] + HARD_HR_BPM
    return encode_activity([Segment(Records(**columns))])


HARD_HR_BPM = 35.0
"""How much higher the heart rate of a hard run is than the generator's (about 140 bpm at
its easy pace): above 90 % of the runners' estimated HRmax (~188 bpm) and their threshold
HR, so its efforts anchor CS (athletes.bests: the maximality rule)."""


def make_runs(count: int, duration_s: int = 600) -> list[tuple[str, bytes]]:
    return [
        (name, run_file(day, factor, hour=hour, seed=1000 + i, duration_s=duration_s))
        for i, (name, day, hour, factor) in enumerate(run_plan(count))
    ]


# --- what is derived for a runner, through the API --------------------------------------


def derived_state(api: Api, runner_id: int) -> dict[str, list[Any]]:
    """Bests, CS/D′ versions, history days and session loads, without ids."""
    bests = sorted(
        (b["distance_m"], b["date"], b["time_s"], b["source"], b["is_record"])
        for b in api.get(f"/api/runners/{runner_id}/bests")
    )
    cs = sorted(
        (v["valid_from"], v["source"], v["value"]["cs_mps"], v["value"]["d_prime_m"])
        for v in api.get(f"/api/runners/{runner_id}/parameters/critical_speed")
    )
    history = api.get(f"/api/runners/{runner_id}/history")
    days = [sorted(d.items()) for d in history["days"]]
    weeks = [sorted(w.items()) for w in history["weeks"]]
    sessions: list[Any] = []
    page = 1
    while True:
        answer = api.get(
            f"/api/runners/{runner_id}/sessions?sort=start_time&dir=asc&page={page}&page_size=200"
        )
        sessions.extend(
            sorted((k, v) for k, v in s.items() if k not in ("id", "runner_id")) for s in answer
        )
        if len(answer) < 200:  # the last page (totals are in the X-Pagination header)
            break
        page += 1
    return {"bests": bests, "cs": cs, "days": days, "weeks": weeks, "sessions": sessions}


def close_enough(a: Any, b: Any, rel: float = 1e-9) -> bool:
    """Equal, floats within ``rel`` (relative; absolute near zero), recursively."""
    if isinstance(a, float) or isinstance(b, float):
        if not isinstance(a, int | float) or not isinstance(b, int | float):
            return False
        return math.isclose(a, b, rel_tol=rel, abs_tol=1e-12)
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return len(a) == len(b) and all(close_enough(x, y, rel) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(close_enough(a[k], b[k], rel) for k in a)
    return bool(a == b)


def first_difference(a: Any, b: Any, rel: float = 1e-9) -> str:
    """Where ``a`` and ``b`` first differ (for assertion messages)."""
    if isinstance(a, list | tuple) and isinstance(b, list | tuple) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            if not close_enough(x, y, rel):
                return f"[{i}]: {x!r} != {y!r}"
    return f"{a!r} != {b!r}" if len(repr(a)) < 400 else f"lengths {len(a)} != {len(b)}"


def utc_now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%H:%M:%S.%f")[:-3]
