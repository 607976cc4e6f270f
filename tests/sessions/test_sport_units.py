"""Each sport on the session pages in its own units and words (issue #16, item 6)."""

from __future__ import annotations

import re

import pytest
from flask import Flask

from tests.helpers import login, make_world
from tests.sessions.sessiondata import SHARED_FIT_DIR, import_inline, run_bytes
from tests.sessions.sportdata import sport_file


def _text(response: object) -> str:
    return response.get_data(as_text=True)  # type: ignore[attr-defined,no-any-return]


def _testid(page: str, testid: str) -> str:
    """The text of the element with this ``data-testid`` (tags stripped)."""
    match = re.search(rf'data-testid="{testid}"[^>]*>(.*?)</(?:div|h1|span|td)>', page, re.S)
    assert match is not None, testid
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()


@pytest.fixture
def sessions(app: Flask) -> dict[str, int]:
    world = make_world(app)
    report = import_inline(
        app,
        world.runner_id,
        [
            ("swim.fit", sport_file("swim")),
            ("ride.fit", sport_file("ride")),
            ("row.fit", sport_file("row")),
            ("run.fit", run_bytes(1, duration_s=1800)),
        ],
    )
    ids = {f["file"]: f["session_ids"] for f in report["files"]}  # type: ignore[union-attr,index]
    assert all(len(v) == 1 for v in ids.values()), report
    return {name.removesuffix(".fit"): v[0] for name, v in ids.items()} | {
        "runner": world.runner_id
    }


@pytest.mark.parametrize(
    ("kind", "title", "sport", "speed", "distance"),
    [
        ("swim", "Morning swim", "Pool swimming", r"^1:4[456] /100 m$", r"^1(49\d|50\d) m$"),
        ("ride", "Evening ride", "Cycling", r"^(29\.\d|30\.\d) km/h$", r"^(29\.9\d|30\.0\d) km$"),
        (
            "row",
            "Afternoon indoor row",
            "Indoor rowing",
            r"^2:0[456] /500 m$",
            r"^(49[5-9]\d|50[0-4]\d) m$",
        ),
    ],
)
def test_each_sport_in_its_own_units(
    app: Flask,
    sessions: dict[str, int],
    kind: str,
    title: str,
    sport: str,
    speed: str,
    distance: str,
) -> None:
    client = app.test_client()
    login(client, "coach")
    page = _text(client.get(f"/sessions/{sessions[kind]}"))
    assert _testid(page, "session-title") == title
    assert _testid(page, "session-sport") == sport
    assert re.match(speed, _testid(page, "session-speed")), _testid(page, "session-speed")
    assert re.match(distance, _testid(page, "session-distance"))
    # No running figures outside running: no grade-adjusted pace, EF, decoupling, /km.
    assert 'data-testid="grade-adjusted"' not in page
    assert 'data-testid="efficiency"' not in page
    assert 'data-testid="best-efforts"' not in page  # running's
    assert "/km" not in page
    for enum_name in ("fitness_equipment", "indoor_rowing", "lap_swimming", "Fitness_equipment"):
        assert enum_name not in page.replace('data-testid="', "")


def test_moving_time_only_where_it_means_something(app: Flask, sessions: dict[str, int]) -> None:
    client = app.test_client()
    login(client, "coach")
    times = {
        kind: _testid(_text(client.get(f"/sessions/{sessions[kind]}")), "session-times")
        for kind in ("swim", "ride", "row", "run")
    }
    assert times["swim"].startswith("elapsed")
    assert times["row"].startswith("elapsed")
    assert times["ride"].startswith("moving 59:5")
    assert times["run"].startswith("moving ")


def test_running_keeps_pace_per_km_and_grade_adjusted_pace(
    app: Flask, sessions: dict[str, int]
) -> None:
    client = app.test_client()
    login(client, "coach")
    page = _text(client.get(f"/sessions/{sessions['run']}"))
    assert _testid(page, "session-title") == "Morning run"
    assert _testid(page, "session-speed").endswith(" /km")
    assert _testid(page, "grade-adjusted").startswith("grade-adjusted ")


def test_the_list_names_sessions_and_sports_in_words(app: Flask, sessions: dict[str, int]) -> None:
    client = app.test_client()
    login(client, "coach")
    page = _text(client.get(f"/runners/{sessions['runner']}/sessions"))
    for words in (
        "Morning swim",
        "Evening ride",
        "Afternoon indoor row",
        "Morning run",
        "Pool swimming",
        "Indoor rowing",
        "Cycling",
        "/100 m",
        "km/h",
        "/500 m",
    ):
        assert words in page, words
    assert ">fitness_equipment<" not in page
    assert ">Fitness equipment</option>" in page  # the filter keeps the sport's own value


def test_a_real_pool_swim_shows_the_swimmers_pace_without_rests(app: Flask) -> None:
    """Garmin's pool swim (../shared/data/fit): 1700 m in 25 m lengths, timer 58 min with
    the rests; the watch's own average, 0.965 m/s over the lengths swum, is 1:44 /100 m."""
    world = make_world(app)
    data = (SHARED_FIT_DIR / "activity_poolswim_with_hr.fit").read_bytes()
    report = import_inline(app, world.runner_id, [("pool.fit", data)])
    (session_id,) = report["files"][0]["session_ids"]  # type: ignore[index]
    client = app.test_client()
    login(client, "coach")
    page = _text(client.get(f"/sessions/{session_id}"))
    assert _testid(page, "session-sport") == "Pool swimming"
    assert _testid(page, "session-distance") == "1700 m"
    assert _testid(page, "session-speed").endswith(" /100 m")
    assert _testid(page, "swimming-pace") == "swimming 1:44 /100 m, rests left out"
    # 1700 m at 0.965 m/s: 29:22 of swimming; no "moving" from a speed stream it lacks.
    assert _testid(page, "session-times").startswith("swimming 29:22 · elapsed ")
    assert "/km" not in page


def test_the_api_gives_the_sport_in_words_and_the_title(
    app: Flask, sessions: dict[str, int]
) -> None:
    client = app.test_client()
    login(client, "coach")
    listed = client.get(f"/api/runners/{sessions['runner']}/sessions").json
    words = {(s["title"], s["sport_label"], s["sport"]) for s in listed}
    assert ("Afternoon indoor row", "Indoor rowing", "fitness_equipment") in words
    assert ("Morning swim", "Pool swimming", "swimming") in words
    one = client.get(f"/api/sessions/{sessions['ride']}").json
    assert (one["title"], one["sport_label"]) == ("Evening ride", "Cycling")


def test_a_swim_in_a_yard_pool_is_paced_per_100_yards(app: Flask) -> None:
    """The device's ``pool_length_unit`` (FIT display_measure) decides: statute is yards."""
    world = make_world(app)
    report = import_inline(
        app,
        world.runner_id,
        [
            ("yards.fit", sport_file("swim", pool_length_unit="statute")),
            ("metres.fit", sport_file("swim", day=1, pool_length_unit="metric")),
        ],
    )
    ids = {f["file"]: f["session_ids"][0] for f in report["files"]}  # type: ignore[union-attr,index]
    client = app.test_client()
    login(client, "coach")
    yards = _text(client.get(f"/sessions/{ids['yards.fit']}"))
    metres = _text(client.get(f"/sessions/{ids['metres.fit']}"))
    # 1:45 /100 m is 1:36 /100 yd (91.44 m).
    assert re.match(r"^1:3[567] /100 yd$", _testid(yards, "session-speed")), _testid(
        yards, "session-speed"
    )
    assert re.match(r"^1:4[456] /100 m$", _testid(metres, "session-speed"))
