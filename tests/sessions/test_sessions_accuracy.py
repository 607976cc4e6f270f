"""Our totals against the device's own, on every sample activity file (issues #4 and #16).

For every activity file in ``../shared/data/fit`` and ``tests/data/fit`` whose session
messages carry device totals, each session imported through the real pipeline must agree
(the figures and tolerances of ``tests/core/test_fit_agreement.py``, which checks the same
on the decoded and analysed files, hostile ones included): distance within 1 % or 5 m,
timer time within 1 % or 2 s, average and maximum heart rate within 1 bpm. Where the device
itself is wrong or counts another way, the exception is listed in
``fitgen.DEVICE_EXCEPTIONS`` and checked to still disagree, so a new gap fails the test,
and to carry, stored with the session, the note on that figure (with the words listed)
that the session's page shows beside the device's own figure. Two more are checked here
for what they are:

- **timer time, 1-second resolution**: FIT event and record timestamps are whole
  seconds while the device keeps milliseconds, so a timer time from the file is exact to
  ±1 s only (``TIMER_ONE_SECOND``: within 1 s, more than 1 % off).
- **sparse ("smart") recording**: the Forerunner 70 recorded every few seconds; its
  maximum came from a reading it did not record. Such sessions take the device's own
  average and maximum (``SPARSE``), and say so in their notes.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from smartrunning.platform.db import db
from smartrunning.science.device_figures import DEVICE_FIGURES
from smartrunning.science.fit import FitDecodeError, decode_fit
from smartrunning.sessions.models import TrainingSession
from tests.core import fitgen
from tests.core.fitgen import DEVICE_EXCEPTIONS as EXCEPTIONS
from tests.helpers import login, make_runner, make_world
from tests.sessions.sessiondata import LOCAL_FIT_DIR, SHARED_FIT_DIR, by_name, import_inline

TIMER_ONE_SECOND = {
    ("Activity.fit", 0),  # 13 s against 13.749 s
    ("activity-settings.fit", 0),  # the same activity, chained with a settings file
    ("garmin-fenix-5-bike.fit", 0),  # 61 s against 60.363 s
}
LABELS = {f.key: f.label for f in DEVICE_FIGURES}
DEVICE_KEYS = {f.key: f.total for f in DEVICE_FIGURES}
SPARSE = {("antfs-dump.63.fit", 0), ("compressed-speed-distance.fit", 0)}


def _activity_files() -> list[Path]:
    seen: set[str] = set()
    files = []
    for folder in (SHARED_FIT_DIR, LOCAL_FIT_DIR, fitgen.HARVESTED_FIT_DIR):
        for path in sorted(folder.iterdir()):
            if path.suffix.lower() != ".fit":
                continue
            data = path.read_bytes()
            digest = hashlib.sha256(data).hexdigest()
            if digest in seen:
                continue
            seen.add(digest)
            try:
                decoded = decode_fit(data)
            except FitDecodeError:
                continue
            if any(s.totals is not None for s in decoded.sessions):
                files.append(path)
    return files


FILES = _activity_files()


def test_the_sample_files_are_all_there() -> None:
    names = {p.name for p in FILES}
    assert len(FILES) >= 15, names
    assert {"garmin-fenix-5-run.fit", "garmin-edge-500-activity.fit", "Activity.fit"} <= names


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_our_totals_agree_with_the_devices(app: Flask, path: Path) -> None:
    data = path.read_bytes()
    expected = decode_fit(data).sessions
    runner_id = make_runner(app, "Accuracy")
    report = import_inline(app, runner_id, [(path.name, data)])
    (row,) = report["files"]  # type: ignore[misc]
    assert row["status"] == "imported", row
    checked = 0
    with app.app_context():
        sessions = {
            s.segment_index: s
            for s in db.session.execute(
                sa.select(TrainingSession).where(TrainingSession.runner_id == runner_id)
            ).scalars()
        }
        for index, segment in enumerate(expected):
            totals = segment.totals
            if totals is None or index not in sessions:
                continue
            ours = sessions[index]
            key = (path.name, index)
            checked += 1
            figures = {
                "distance": (ours.distance_m, totals.total_distance_m),
                "timer": (ours.timer_time_s, totals.total_timer_time_s),
                "avg_hr": (ours.avg_hr_bpm, totals.avg_heart_rate_bpm or None),
                "max_hr": (ours.max_hr_bpm, totals.max_heart_rate_bpm or None),
            }
            for figure, (value, device) in figures.items():
                if device is None:
                    continue
                agrees = value is not None and abs(value - device) <= _tolerance(figure, device)
                label = LABELS[figure] + ":"
                notes = [n for n in ours.stats["notes"] if n.startswith(label)]
                if (path.name, index, figure) in EXCEPTIONS:
                    assert not agrees, f"{key} {figure} agrees now: remove the exception"
                    # the reason is stored with the session, for its page
                    assert len(notes) == 1, (key, figure, notes)
                    assert EXCEPTIONS[(path.name, index, figure)] in notes[0], notes
                    assert ours.device_totals is not None
                    stored = ours.device_totals[DEVICE_KEYS[figure]]  # shown beside ours
                    assert stored == pytest.approx(device)
                    continue
                assert agrees, f"{key} {figure}: ours {value}, the device's {device}"
                assert not notes, (key, figure, notes)
            if key in TIMER_ONE_SECOND:
                device_timer = totals.total_timer_time_s
                assert device_timer is not None
                assert abs(ours.timer_time_s - device_timer) > 0.01 * device_timer, key
                assert ours.timer_time_s == pytest.approx(device_timer, abs=1.0), key
            if key in SPARSE:
                assert ours.max_hr_bpm == totals.max_heart_rate_bpm, key
                assert any("smart recording" in note for note in ours.stats["notes"]), key
    assert checked, "no session with device totals was compared"


def _tolerance(figure: str, device: float) -> float:
    if figure == "distance":
        return max(0.01 * device, 5.0)
    if figure == "timer":
        return max(0.01 * device, 2.0)
    return 1.0


def test_the_session_page_says_how_the_file_was_read(app: Flask, client: FlaskClient) -> None:
    """Notes from decoding and analysis (issue #16) are listed on the session's page."""
    world = make_world(app)
    report = import_inline(
        app,
        world.runner_id,
        [
            ("fr70.fit", (LOCAL_FIT_DIR / "antfs-dump.63.fit").read_bytes()),
            ("jump.fit", fitgen.clock_jump_years()),
        ],
    )
    ids = {f["file"]: f["session_ids"] for f in report["files"]}  # type: ignore[union-attr,index]
    login(client, "coach")
    fr70 = client.get(f"/sessions/{ids['fr70.fit'][0]}").get_data(as_text=True)
    notes = fr70.split('data-testid="session-notes"', 1)[1].split("</ul>", 1)[0]
    assert "smart recording" in notes
    assert "the watch&#39;s own" in notes
    jump = client.get(f"/sessions/{ids['jump.fit'][0]}").get_data(as_text=True)
    assert "60 sample(s) dated outside the session" in jump


def test_the_session_page_shows_why_ours_differ_from_the_watch(
    app: Flask, client: FlaskClient
) -> None:
    """A figure that disagrees with the device (issue #16) has its reason on the page,
    under the device's totals shown beside ours."""
    world = make_world(app)
    name = "null_compressed_speed_dist.fit"
    data = (fitgen.HARVESTED_FIT_DIR / name).read_bytes()
    report = import_inline(app, world.runner_id, [(name, data)])
    session_ids = by_name(report)[name]["session_ids"]
    assert isinstance(session_ids, list)
    login(client, "coach")
    page = client.get(f"/sessions/{session_ids[0]}").get_data(as_text=True)
    totals = page.split('data-testid="device-totals"', 1)[1].split("</table>", 1)[0]
    assert "30:08" in totals  # the watch's timer
    assert "30:43" in totals  # ours
    notes = page.split('data-testid="session-notes"', 1)[1].split("</ul>", 1)[0]
    assert "Timer time: the watch says 0:30:08, counted to its last sample" in notes
