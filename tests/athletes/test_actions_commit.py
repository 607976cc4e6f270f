"""The athletes' actions own their transaction (issue #14): what they wrote is committed
when they return, and nothing of it is kept when they refuse."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from smartrunning.accounts.models import User
from smartrunning.athletes import bests, onboarding, parameters
from smartrunning.athletes.models import (
    ParameterKey,
    ParameterSource,
    ParameterVersion,
    PersonalBest,
    Runner,
)
from smartrunning.platform.db import db
from smartrunning.platform.errors import InvalidInput, ServiceError
from tests.helpers import make_world

DAY = dt.date(2026, 6, 1)
TODAY = dt.date(2026, 11, 21)


def _committed(statement: sa.Select[Any]) -> int:
    """A count as another connection sees it: committed rows only."""
    with db.engine.connect() as conn:
        return int(conn.execute(statement).scalar_one())


def _versions(runner_id: int, key: ParameterKey) -> int:
    return _committed(
        sa.select(sa.func.count())
        .select_from(ParameterVersion)
        .where(ParameterVersion.runner_id == runner_id, ParameterVersion.key == key)
    )


def test_save_parameters_keeps_all_or_none(app: Flask) -> None:
    world = make_world(app)
    with app.app_context():
        runner = db.session.get_one(Runner, world.runner_id)
        before = _versions(runner.id, ParameterKey.HRMAX)

        def values() -> Iterator[tuple[ParameterKey, Any]]:  # parses as it goes, as the CLI
            yield ParameterKey.HRMAX, 190
            raise InvalidInput("second value refused")

        with pytest.raises(InvalidInput, match="second value refused"):
            parameters.save_parameters(
                runner, values(), DAY, source=ParameterSource.MEASURED, by=None, today=TODAY
            )
        assert _versions(runner.id, ParameterKey.HRMAX) == before
        saved = parameters.save_parameters(
            runner,
            [(ParameterKey.HRMAX, 191), (ParameterKey.HRREST, 48)],
            DAY,
            source=ParameterSource.MEASURED,
            by=None,
            today=TODAY,
        )
        assert [v.key for v in saved] == [ParameterKey.HRMAX, ParameterKey.HRREST]
        assert _versions(runner.id, ParameterKey.HRMAX) == before + 1
        assert _versions(runner.id, ParameterKey.HRREST) == 1


def test_save_personal_best_commits_and_a_refused_delete_keeps_it(app: Flask) -> None:
    world = make_world(app)
    with app.app_context():
        runner = db.session.get_one(Runner, world.runner_id)
        best = bests.save_personal_best(runner, 10_000.0, 2700.0, DAY, by=None, today=TODAY)
        live = (
            sa.select(sa.func.count())
            .select_from(PersonalBest)
            .where(PersonalBest.id == best.id, PersonalBest.deleted_at.is_(None))
        )
        assert _committed(live) == 1
        with pytest.raises(ServiceError):
            bests.save_personal_best(runner, 10_000.0, 2700.0, TODAY + dt.timedelta(days=1),
                                     by=None, today=TODAY)  # fmt: skip
        bests.delete_personal_best(runner, best.id, by=None)
        assert _committed(live) == 0
        bests.restore_personal_best(runner, best.id, by=None)
        assert _committed(live) == 1


def test_a_wizard_step_keeps_nothing_when_a_value_is_refused(app: Flask) -> None:
    world = make_world(app)
    with app.app_context():
        runner = db.session.get_one(Runner, world.runner_id)
        runner.onboarding_step = 2
        db.session.commit()
        coach = db.session.get_one(User, world.coach)
        model = parameters.parameters_on(runner, TODAY).hr_zone_model.value
        zones = parameters.encode_value(ParameterKey.HR_ZONES, model)
        before = _versions(runner.id, ParameterKey.HRMAX)
        with pytest.raises(InvalidInput):  # resting HR above the maximum
            onboarding.save_heart_rate(
                runner, 185.0, 200.0, zones, model, DAY, by=coach, today=TODAY
            )
        assert _versions(runner.id, ParameterKey.HRMAX) == before
        assert db.session.get_one(Runner, world.runner_id).onboarding_step == 2
        onboarding.save_heart_rate(runner, 185.0, 50.0, zones, model, DAY, by=coach, today=TODAY)
        assert _versions(runner.id, ParameterKey.HRMAX) == before + 1
        assert _versions(runner.id, ParameterKey.HR_ZONES) == 0  # unchanged: not stored
        step = sa.select(Runner.onboarding_step).where(Runner.id == world.runner_id)
        with db.engine.connect() as conn:
            assert conn.execute(step).scalar_one() == 3
