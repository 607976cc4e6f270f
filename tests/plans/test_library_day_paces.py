"""A library workout a coach puts on a plan day runs at Daniels' paces for the runner, as the
generator's days do (issue #15): its tempo work at T, its intervals at I, not at the
library's fractions of CS."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask import Flask

from smartrunning.plans import calendar_edits
from smartrunning.plans.basis import plan_day_parameters
from smartrunning.plans.models import Plan
from smartrunning.platform import clock
from smartrunning.platform.db import db
from smartrunning.science.plans.intensity import Intensity
from smartrunning.science.plans.paces import training_speed_mps
from smartrunning.science.workouts import Intervals, Steady
from smartrunning.science.zwo import read_zwo
from smartrunning.workouts.imports import load_default_library
from smartrunning.workouts.models import Workout
from tests.helpers import make_world, with_plans


@pytest.mark.parametrize(
    ("name", "intensity"),
    [("Tempo run 20 min", Intensity.THRESHOLD), ("VO2max 6 × 3 min", Intensity.INTERVAL)],
)
def test_a_library_workout_added_to_a_day_runs_at_daniels_pace(
    app: Flask, name: str, intensity: Intensity
) -> None:
    world = with_plans(app, make_world(app))
    with app.app_context():
        load_default_library()
        workout_id = db.session.execute(
            sa.select(Workout.id).where(Workout.name == name)
        ).scalar_one()
        plan = db.session.get_one(Plan, world.plan_id)
        today = clock.today()
        date = next(d.date for d in plan.days if d.kind != "race" and d.date > today)
        day = calendar_edits.add_workout(plan, date, workout_id)
        params = plan_day_parameters(plan.runner, date, None)
        assert params.cs_mps is not None
        assert params.level is not None
        daniels = training_speed_mps(intensity, params.level)
        written = read_zwo(day.zwo.encode("utf-8"))
        work = [
            s.intensity if isinstance(s, Steady) else s.on_intensity
            for s in written.steps
            if isinstance(s, (Steady, Intervals))
        ]
        assert len(work) == 1
        assert work[0] * params.cs_mps == pytest.approx(daniels)
        paced = [t for t in day.targets if t["part"] in ("step", "on") and t["pace_s_per_km"]]
        assert any(t["pace_s_per_km"][0] < 1000.0 / daniels < t["pace_s_per_km"][1] for t in paced)
