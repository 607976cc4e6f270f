"""The workout library's services: the JSON form, who may do what, delete or archive,
listing, and targets resolved for a runner (imports: ``test_workout_imports``)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from smartrunning.accounts.models import (
    Role,
    User,
)
from smartrunning.athletes import parameters as parameter_services
from smartrunning.athletes.models import (
    ParameterKey,
    ParameterSource,
    Runner,
)
from smartrunning.platform.db import db
from smartrunning.platform.errors import (
    InvalidInput,
    NotFound,
)
from smartrunning.science.zwo import read_zwo
from smartrunning.workouts import actions as workout_services
from smartrunning.workouts import imports as workout_imports
from smartrunning.workouts import structure as workout_json
from smartrunning.workouts import targets as workout_targets
from smartrunning.workouts.models import Workout
from tests.helpers import make_runner, make_user

DATA = Path(__file__).resolve().parent.parent / "data" / "zwo"
STEADY = b"""<workout_file><name>%s</name><sportType>run</sportType><tags><tag name="kind:easy"/>
</tags><workout><SteadyState Duration="600" Power="0.8"/></workout></workout_file>"""


def zwo(name: str) -> bytes:
    return STEADY % name.encode()


# --- the JSON form -------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["tolerant.zwo", "distance.zwo", "mixed-units.zwo"])
def test_json_form_round_trips_everything_a_zwo_file_carries(name: str) -> None:
    content = read_zwo((DATA / name).read_bytes())
    data = workout_json.structure_to_json(content)
    again = workout_json.structure_from_json(data)
    assert again == content


def _base(**steps: Any) -> dict[str, Any]:
    step = {"type": "steady", "duration": 600, "unit": "s", "intensity": 0.8} | steps
    return {"name": "Bad", "sport": "run", "steps": [step]}


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ([], "workout", "JSON object"),
        ({"name": "x", "steps": []}, "steps", "at least one step"),
        ({"name": "x", "steps": "steady"}, "steps", "at least one step"),
        ({"name": "", "steps": _base()["steps"]}, "name", "name"),
        ({"name": "x" * 201, "steps": _base()["steps"]}, "name", "at most 200"),
        (_base() | {"sport": "swim"}, "sport", "run or bike"),
        (_base(type="sprint"), "steps.0.type", "type must be one of"),
        (_base(intensity=9.5), "steps.0.intensity", "between 0 % and 500 %"),
        (_base(intensity="fast"), "steps.0.intensity", "must be a number"),
        (_base(intensity=True), "steps.0.intensity", "must be a number"),
        (_base(duration=-5), "steps.0.duration", "above 0"),
        (_base(duration=0), "steps.0.duration", "above 0"),
        (_base(duration=100_000), "steps.0.duration", "at most 24 h"),
        (_base(unit="km"), "steps.0.unit", "unit must be"),
        (_base(unit="m", intensity=0.05), "steps.0.intensity", "between 10 %"),
        (
            {"name": "x", "steps": [{"type": "intervals", "repeat": 0, "unit": "s"}]},
            "steps.0.repeat",
            "1 to 500",
        ),
        (
            {"name": "x", "steps": [{"type": "intervals", "repeat": 2.5}]},
            "steps.0.repeat",
            "whole number",
        ),
        (_base() | {"tags": ["kind:" + "x" * 60]}, "tags", "kind: tag"),
        (_base() | {"tags": ["t" * 101]}, "tags", "at most 100"),
        (_base() | {"tags": 5}, "tags", "list of text"),
        (_base(attributes=[["Power", "2"]]), "workout", "cannot be written"),
        (_base(attributes="x"), "steps.0.attributes", "pairs"),
        (_base(events=[{"offset": -1, "message": "x"}]), "steps.0.events.0", "out of range"),
        (_base() | {"description": "\x00"}, "workout", "not allowed"),
        (_base() | {"name": 12}, "name", "must be text"),
    ],
)
def test_bad_json_is_refused_naming_the_field(data: Any, field: str, message: str) -> None:
    with pytest.raises(InvalidInput) as error:
        workout_json.structure_from_json(data)
    assert error.value.field == field
    assert message in error.value.message


# --- who may do what, and delete or archive -------------------------------------------------


def test_who_may_create_and_edit(app: Flask) -> None:
    admin_id = make_user(app, "ada", Role.ADMIN)
    coach_id = make_user(app, "kim", Role.COACH)
    other_id = make_user(app, "lee", Role.COACH)
    runner_id = make_user(app, "rui", Role.RUNNER)
    with app.app_context():
        admin, coach, other, runner = (
            db.session.get_one(User, i) for i in (admin_id, coach_id, other_id, runner_id)
        )
        content = workout_json.parse_zwo(zwo("Owned"))
        owned = workout_services.create_workout(content, by=coach)
        default = workout_services.create_workout(content, by=None, is_default=True)
        assert [workout_services.can_create(u) for u in (admin, coach, other, runner)] == [
            True,
            True,
            True,
            False,
        ]
        assert [workout_services.can_edit(u, owned) for u in (admin, coach, other, runner)] == [
            True,
            True,
            False,
            False,
        ]
        assert [workout_services.can_edit(u, default) for u in (admin, coach, other, runner)] == [
            True,
            False,
            False,
            False,
        ]


def test_a_referenced_workout_is_archived_and_an_unused_one_deleted(app: Flask) -> None:
    """Any table with a foreign key to workouts.id (a plan's day, later) keeps a workout."""
    plan_days = sa.Table(
        "test_plan_days",
        db.metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("workout_id", sa.ForeignKey("workouts.id", ondelete="RESTRICT")),
    )
    try:
        with app.app_context():
            plan_days.create(db.engine)
            used = workout_services.create_workout(workout_json.parse_zwo(zwo("Used")), by=None)
            unused = workout_services.create_workout(workout_json.parse_zwo(zwo("Free")), by=None)
            db.session.execute(plan_days.insert().values(id=1, workout_id=used.id))
            assert workout_services.reference_count(used) == 1
            assert workout_services.reference_count(unused) == 0
            assert workout_services.delete_workout(used) == "archived"
            assert workout_services.delete_workout(unused) == "deleted"
            db.session.commit()
            assert db.session.get(Workout, unused.id) is None
            kept = workout_services.get_workout(used.id, include_archived=True)
            assert kept.archived
            assert kept.tags == ["kind:easy"]
            assert workout_services.list_workouts().total == 0
            assert workout_services.tag_counts() == []
            with pytest.raises(NotFound):
                workout_services.delete_workout(kept)
            db.session.remove()
            plan_days.drop(db.engine)
    finally:
        db.metadata.remove(plan_days)


def test_update_replaces_content_and_tags_and_keeps_the_id(app: Flask) -> None:
    with app.app_context():
        workout = workout_services.create_workout(workout_json.parse_zwo(zwo("Before")), by=None)
        data = workout_json.structure_to_json(workout_services.structure(workout))
        data |= {"name": "After", "tags": ["kind:easy", "kind:tempo", "hill"]}
        data["steps"][0]["intensity"] = 0.9
        workout_services.update_workout(workout, workout_json.structure_from_json(data))
        db.session.commit()
        db.session.expire_all()
        again = workout_services.get_workout(workout.id)
        assert again.name == "After"
        assert again.tags == ["kind:easy", "kind:tempo", "hill"]
        assert again.kind == "easy"
        assert workout_services.structure(again).steps[0].intensity == 0.9  # type: ignore[union-attr]
        assert read_zwo(again.zwo.encode()).name == "After"


def test_copy_is_owned_by_the_copier(app: Flask) -> None:
    coach_id = make_user(app, "kim", Role.COACH)
    with app.app_context():
        coach = db.session.get_one(User, coach_id)
        default = workout_services.create_workout(
            workout_json.parse_zwo(zwo("Shipped")), by=None, is_default=True
        )
        copy = workout_services.copy_workout(default, by=coach)
        assert copy.name == "Shipped (copy)"
        assert copy.owner_id == coach_id
        assert not copy.is_default
        assert workout_services.can_edit(coach, copy)


# --- listing -----------------------------------------------------------------------------


def test_list_filters_by_search_tag_sport_and_kind_and_pages(app: Flask) -> None:
    with app.app_context():
        workout_imports.load_default_library()
        bike = (DATA / "bike-no-sport.zwo").read_bytes()
        workout_imports.import_files([("bike.zwo", bike)], by=None)
        library = workout_services.list_workouts
        assert library().total == 39
        found = library(workout_services.WorkoutFilter(search="STRIDES"))
        assert {w.name for w in found.items} == {
            "Easy 35 min + 6 strides",
            "Easy 5 km + 8 × 100 m strides",
        }
        by_description = library(workout_services.WorkoutFilter(search="steep hill"))
        assert [w.name for w in by_description.items] == ["Hill sprints 8 × 10 s"]
        assert library(workout_services.WorkoutFilter(search="100%_")).total == 0
        tagged = library(workout_services.WorkoutFilter(tag="kind:vo2max"))
        assert tagged.total == 5
        assert all("kind:vo2max" in w.tags for w in tagged.items)
        assert library(workout_services.WorkoutFilter(kind="vo2max")).total == 5
        assert [
            w.sport.value for w in library(workout_services.WorkoutFilter(sport="bike")).items
        ] == ["bike"]
        page = library(page=2, page_size=10)
        assert (page.total, page.pages, len(page.items)) == (39, 4, 10)
        names = [w.name for w in library(page_size=100).items]
        assert names == sorted(names, key=str.lower)
        with pytest.raises(InvalidInput):
            library(workout_services.WorkoutFilter(sport="swim"))
        with pytest.raises(InvalidInput):
            library(page=0)
        assert dict(workout_services.tag_counts())["kind:easy"] == 4


def test_the_list_takes_five_queries_whatever_its_size(app: Flask) -> None:
    coach_id = make_user(app, "kim", Role.COACH)
    with app.app_context():
        coach = db.session.get_one(User, coach_id)
        workout_imports.load_default_library()
        for n in range(5):
            workout_services.create_workout(workout_json.parse_zwo(zwo(f"Own {n}")), by=coach)
        db.session.commit()
        db.session.expunge_all()
        statements: list[str] = []

        def count(*args: object) -> None:
            statements.append(str(args[2]))

        sa.event.listen(db.engine, "before_cursor_execute", count)
        try:
            own = workout_services.WorkoutFilter(owner_id=coach_id)
            small = workout_services.list_workouts(own, page_size=2)
            for w in small.items:
                _ = (w.tags, w.owner)
            few = len(statements)
            db.session.expunge_all()
            big = workout_services.list_workouts(page_size=50)
            for w in big.items:
                _ = (w.tags, w.owner, workout_services.structure(w).steps)
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", count)
        # count, page, tags, owners, owners' roles: the same for 2 rows or 43.
        assert few == 5, statements
        assert len(statements) == 10, statements


def test_running_library_gives_ids_and_structures_for_plans(app: Flask) -> None:
    with app.app_context():
        workout_imports.load_default_library()
        workout_imports.import_files(
            [("b.zwo", (DATA / "bike-no-sport.zwo").read_bytes())], by=None
        )
        library = workout_services.running_library()
        assert len(library) == 38
        workout_id, content = library[0]
        assert content == workout_services.structure(db.session.get_one(Workout, workout_id))
        assert all(c.sport == "run" for _, c in library)


# --- targets for a runner --------------------------------------------------------------------


def test_targets_use_the_parameters_valid_on_the_day(app: Flask) -> None:
    runner_id = make_runner(app, "Rita")
    with app.app_context():
        runner = db.session.get_one(Runner, runner_id)
        parameter_services.set_parameter(
            runner,
            ParameterKey.CRITICAL_SPEED,
            {"cs_mps": 4.0, "d_prime_m": 200},
            dt.date(2026, 3, 1),
            source=ParameterSource.MEASURED,
            by=None,
            today=dt.date(2026, 11, 21),
        )
        parameter_services.set_parameter(
            runner,
            ParameterKey.HRMAX,
            190,
            dt.date(2026, 3, 1),
            source=ParameterSource.MEASURED,
            by=None,
            today=dt.date(2026, 11, 21),
        )
        data = b"""<workout_file><name>T</name><sportType>run</sportType><workout>
        <SteadyState Duration="1200" Power="0.95"/></workout></workout_file>"""
        workout = workout_services.create_workout(workout_json.parse_zwo(data), by=None)
        after = workout_targets.resolve_for_runner(workout, runner, dt.date(2026, 6, 1))
        (row,) = after.resolved.steps
        assert row.pace_s_per_km == pytest.approx((1000 / 3.8, 1000 / 3.8))
        # CS 4 m/s, D′ 200 m: 5 km in 20:00, VDOT 49.8; 3.8 m/s costs 85 % of it:
        # Daniels' threshold, 88–92 % of HRmax 190.
        assert row.hr_bpm == pytest.approx((167.2, 174.8))
        assert after.resolved.total_distance_m == pytest.approx(1200 * 3.8)
        before = workout_targets.resolve_for_runner(workout, runner, dt.date(2026, 2, 1))
        default_cs = before.resolved.cs_mps
        assert default_cs == pytest.approx(3.33)
        assert before.resolved.steps[0].pace_s_per_km == pytest.approx((1000 / (0.95 * 3.33),) * 2)
        with pytest.raises(InvalidInput):
            workout_targets.resolve_for_runner(workout, runner, dt.date(1980, 1, 1))
        nobody = workout_targets.resolve_for_runner(workout, None, dt.date(2026, 6, 1))
        assert nobody.resolved.steps[0].pace_s_per_km is None
        assert nobody.resolved.total_duration_s == pytest.approx(1200.0)
