"""Every FIT file in some folders through the real import, against the device (issue #16).

    .venv/bin/python -m bench.agreement FOLDER [FOLDER …] [--shuffle SEED] [--verbose]

Each ``*.fit`` / ``*.fit.gz`` under the folders (not in sub-folders; duplicates by content left
out) is imported as a new user would upload it (``imports.create_import`` and
``run_inline``: the app's own decoding, checks, analysis and storage, on a fresh SQLite
instance, one runner per file so that files from different people do not meet as
duplicates). Prints, per file, its status and reason as the user sees them; then, per
session that has device totals as garmin-fit-sdk reads them (fitdecode where the SDK
cannot read the file), whether our stored figures agree: distance within 1 % or 5 m,
timer time within 1 % or 2 s, average and maximum heart rate within 1 bpm. A session
that disagrees must carry a note saying why (``science.device_figures.device_figure_notes``):
each disagreement is printed with it, and those without one are counted.

Files are imported in folder order, or shuffled with ``--shuffle SEED``. Exits 1 when a
disagreement has no reason on its session or a file crashed the import.

Measured (issue #16) over ../shared/data/fit, tests/data/fit and tests/data/fit/harvested
(45 distinct files: 32 imported, 9 not activities, 4 failed with a reason): 35 device
sessions; distance 34/34, timer 34/35, average HR 18/21, maximum HR 21/21, all four 31/35,
each of the 4 disagreements with its note; the same with ``--shuffle 1``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import random
import sys
import tempfile
from collections import Counter
from pathlib import Path

import sqlalchemy as sa
from flask_migrate import upgrade
from tests.settings import make_settings

from smartrunning.app import create_app
from smartrunning.athletes import actions as athletes
from smartrunning.athletes.models import Runner, Sex
from smartrunning.platform import clock
from smartrunning.platform.db import MIGRATIONS_DIR, db
from smartrunning.science.device_figures import DEVICE_FIGURES, figure_agrees
from smartrunning.science.fit import DecodedFile, DecoderName, FitDecodeError, decode_fit
from smartrunning.sessions import import_reports, uploads
from smartrunning.sessions import jobs as import_jobs
from smartrunning.sessions.models import ImportJob, TrainingSession


def _files(folders: list[Path]) -> list[Path]:
    seen: set[str] = set()
    out = []
    for folder in folders:
        for path in sorted(folder.iterdir()):
            name = path.name.lower()
            if not path.is_file() or not (name.endswith(".fit") or name.endswith(".fit.gz")):
                continue
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            if digest not in seen:
                seen.add(digest)
                out.append(path)
    return out


def _reference(data: bytes, name: str) -> DecodedFile | None:
    if name.lower().endswith(".gz"):
        import gzip

        try:
            data = gzip.decompress(data)
        except OSError:
            return None
    decoders: tuple[DecoderName, ...] = ("garmin-fit-sdk", "fitdecode")
    for decoder in decoders:
        try:
            return decode_fit(data, decoder=decoder)
        except FitDecodeError:
            continue
    return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folders", nargs="+", type=Path)
    parser.add_argument("--shuffle", type=int, default=None)
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    files = _files(args.folders)
    if args.shuffle is not None:
        random.Random(args.shuffle).shuffle(files)
    statuses: Counter[str] = Counter()
    reasons: Counter[str] = Counter()
    figure_counts = {f: [0, 0] for f in DEVICE_FIGURES}
    sessions_total = sessions_all4 = unexplained = 0
    with tempfile.TemporaryDirectory() as folder:
        app = create_app(make_settings(Path(folder), None))
        with app.app_context():
            upgrade(directory=str(MIGRATIONS_DIR))
            for path in files:
                data = path.read_bytes()
                runner = athletes.create_runner(
                    f"Bench {path.name[:40]}",
                    dt.date(1990, 1, 1),
                    Sex.FEMALE,
                    created_by=None,
                    today=clock.today(),
                )
                db.session.commit()
                runner_id = runner.id
                try:
                    job = uploads.create_import(
                        db.session.get_one(Runner, runner_id),
                        [(path.name, data)],
                        by=None,
                        source="bench",
                        queue=False,
                    )
                    job_id = job.id
                    import_jobs.run_inline(job_id)
                    report = import_reports.job_report(db.session.get_one(ImportJob, job_id))
                except Exception as exc:
                    db.session.rollback()
                    statuses["crashed"] += 1
                    print(f"{path}: CRASHED {type(exc).__name__}: {exc}")
                    continue
                rows = [r for r in report.files if r["kind"] != "archive"] or report.files
                for row in rows:
                    statuses[row["status"]] += 1
                    if row["status"] != "imported":
                        reasons[row["reason"] or "(no reason)"] += 1
                    print(
                        f"{path}: {row['status']}"
                        + (f" — {row['reason']}" if row["reason"] else "")
                    )
                reference = _reference(data, path.name)
                if reference is None or not reference.is_activity:
                    continue
                ours = {
                    s.segment_index: s
                    for s in db.session.execute(
                        sa.select(TrainingSession).where(TrainingSession.runner_id == runner_id)
                    ).scalars()
                }
                for index, device in enumerate(reference.sessions):
                    if device.totals is None:
                        continue
                    sessions_total += 1
                    session = ours.get(index)
                    notes = list((session.stats or {}).get("notes", [])) if session else []
                    all_agree = True
                    for figure in DEVICE_FIGURES:
                        expected = figure.device(device.totals)
                        if expected is None:
                            continue
                        value = figure.ours(session) if session is not None else None
                        agrees = figure_agrees(figure.key, value, expected)
                        figure_counts[figure][0] += agrees
                        figure_counts[figure][1] += 1
                        if not agrees:
                            all_agree = False
                            why = [n for n in notes if n.startswith(figure.label)]
                            unexplained += not why
                            print(
                                f"  session {index} {figure.key}: ours {value}, device {expected}"
                                f" — {why[0] if why else 'NO REASON ON THE SESSION'}"
                            )
                    sessions_all4 += all_agree
    print()
    print(f"files: {len(files)}; " + ", ".join(f"{k} {v}" for k, v in statuses.most_common()))
    for reason, count in reasons.most_common():
        print(f"  {count} × {reason}")
    print(f"device sessions: {sessions_total}")
    for figure, (ok, n) in figure_counts.items():
        print(f"  {figure.key:9s} {ok}/{n}")
    share = 100 * sessions_all4 / sessions_total if sessions_total else 0.0
    print(f"  all four  {sessions_all4}/{sessions_total} ({share:.1f} %)")
    print(f"disagreements without a reason on the session: {unexplained}")
    return 1 if unexplained or statuses["crashed"] else 0


if __name__ == "__main__":
    sys.exit(main())
