"""Session pages and API: upload answers, filters, sorting, paging, deletion, history."""

from __future__ import annotations

import datetime as dt
import html
import io
import json
import re
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask

from smartrunning.platform import clock
from smartrunning.platform.db import db
from smartrunning.sessions.models import TrainingSession
from tests.helpers import csrf_token, login, make_world, post_form
from tests.sessions.sessiondata import import_inline, run_bytes

DATA = Path(__file__).resolve().parents[1] / "data" / "fit"


def _text(response: object) -> str:
    return response.get_data(as_text=True)  # type: ignore[attr-defined,no-any-return]


def _table(page: str, testid: str) -> str:
    """The HTML of the page's table with this ``data-testid``, up to its end."""
    table = page[page.index(f'data-testid="{testid}"') :]
    return table[: table.index("</table>")]


@pytest.fixture
def three_sessions(app: Flask) -> tuple[int, list[int]]:
    world = make_world(app)
    report = import_inline(
        app,
        world.runner_id,
        [
            ("a.fit", run_bytes(0, duration_s=1200, seed=1)),
            ("b.fit", run_bytes(2, duration_s=2400, seed=2)),
            ("c.fit", run_bytes(5, duration_s=600, seed=3, sport="cycling")),
        ],
    )
    ids = [sid for f in report["files"] for sid in f["session_ids"]]  # type: ignore[union-attr]
    assert len(ids) == 3
    return world.runner_id, ids


def test_list_filters_sorts_and_pages(app: Flask, three_sessions: tuple[int, list[int]]) -> None:
    runner_id, _ = three_sessions
    client = app.test_client()
    login(client, "coach")
    api = client.get(f"/api/runners/{runner_id}/sessions?sport=running&sort=distance&dir=desc")
    assert api.status_code == 200
    items = api.json
    assert [i["sport"] for i in items] == ["running", "running"]
    assert items[0]["distance_m"] > items[1]["distance_m"]
    paged = client.get(f"/api/runners/{runner_id}/sessions?page_size=2&page=2")
    totals = json.loads(paged.headers["X-Pagination"])
    assert (totals["total"], totals["total_pages"], len(paged.json)) == (3, 2, 1)
    dated = client.get(f"/api/runners/{runner_id}/sessions?from=2024-03-02&to=2024-03-04")
    assert json.loads(dated.headers["X-Pagination"])["total"] == 1
    assert len(dated.json) == 1
    past_the_end = client.get(f"/api/runners/{runner_id}/sessions?page=99")
    assert past_the_end.json == []
    assert json.loads(past_the_end.headers["X-Pagination"])["total"] == 3
    too_big = client.get(f"/api/runners/{runner_id}/sessions?page_size=201")
    assert too_big.status_code == 422
    page = _text(client.get(f"/runners/{runner_id}/sessions?sport=cycling"))
    assert page.count('href="/sessions/') == 1
    bad = client.get(f"/api/runners/{runner_id}/sessions?sort=colour")
    assert bad.status_code == 422
    assert bad.json["error"]["code"] == "unprocessable_entity"
    bad_date = client.get(f"/runners/{runner_id}/sessions?from=yesterday")
    assert bad_date.status_code == 400
    assert "from must be a date YYYY-MM-DD." in _text(bad_date)


def test_upload_page_answers_json_for_scripts_and_redirects_forms(app: Flask) -> None:
    world = make_world(app)
    client = app.test_client()
    login(client, "runner")
    token = csrf_token(client)
    form = client.post(
        f"/runners/{world.runner_id}/upload",
        data={"csrf_token": token, "files": (io.BytesIO(run_bytes(0, duration_s=300)), "a.fit")},
    )
    assert form.status_code == 302
    assert re.fullmatch(r"/jobs/\d+", form.location)
    xhr = client.post(
        f"/runners/{world.runner_id}/upload",
        data={"csrf_token": token, "files": (io.BytesIO(run_bytes(1, duration_s=300)), "b.fit")},
        headers={"Accept": "application/json"},
    )
    assert xhr.status_code == 202
    status = client.get(xhr.json["status_url"])
    assert status.json["files_total"] == 1
    assert status.json["files"][0]["file"] == "b.fit"
    job_page = _text(client.get(xhr.json["job_url"]))
    assert "b.fit" in job_page


def test_upload_without_files_is_refused_clearly(app: Flask) -> None:
    world = make_world(app)
    client = app.test_client()
    login(client, "coach")
    page = post_form(client, f"/runners/{world.runner_id}/upload")
    assert page.status_code == 302
    assert "Choose at least one .fit or .zip file." in _text(client.get(page.location))
    token = csrf_token(client)
    api = client.post(f"/api/runners/{world.runner_id}/sessions", data={"csrf_token": token})
    assert api.status_code == 422
    assert api.json["error"]["message"] == "Choose at least one .fit or .zip file."


def test_oversized_upload_gets_413_page_or_json(app: Flask) -> None:
    world = make_world(app)
    app.config["MAX_CONTENT_LENGTH"] = 10_000
    client = app.test_client()
    login(client, "coach")
    token = csrf_token(client)
    big = {"csrf_token": token, "files": (io.BytesIO(b"x" * 50_000), "big.fit")}
    page = client.post(f"/runners/{world.runner_id}/upload", data=big)
    assert page.status_code == 413
    assert "too large" in _text(page)
    big = {"csrf_token": token, "files": (io.BytesIO(b"x" * 50_000), "big.fit")}
    api = client.post(f"/api/runners/{world.runner_id}/sessions", data=big)
    assert api.status_code == 413
    assert api.json["error"]["code"] == "request_entity_too_large"


def test_deleting_a_session_removes_it_and_its_bests(
    app: Flask, three_sessions: tuple[int, list[int]]
) -> None:
    runner_id, ids = three_sessions
    client = app.test_client()
    login(client, "coach")
    detail = client.get(f"/api/sessions/{ids[1]}").json
    assert any(e["personal_best_id"] for e in detail["best_efforts"])
    response = post_form(client, f"/sessions/{ids[1]}/delete", {"confirm": "yes"})
    assert response.location == f"/runners/{runner_id}/sessions"
    assert client.get(f"/api/sessions/{ids[1]}").status_code == 404
    bests = client.get(f"/api/runners/{runner_id}/bests").json
    assert all(
        b["source"] != "session"
        or b["id"] not in (e["personal_best_id"] for e in detail["best_efforts"])
        for b in bests
    )


def test_history_page_and_api(app: Flask, three_sessions: tuple[int, list[int]]) -> None:
    runner_id, _ = three_sessions
    client = app.test_client()
    login(client, "runner")
    history = client.get(f"/api/runners/{runner_id}/history").json
    assert history["days"][0]["day"] == "2024-03-01"
    assert history["days"][0]["load"] > 0
    assert sum(w["sessions"] for w in history["weeks"]) == 3
    page = _text(client.get(f"/runners/{runner_id}/history"))
    assert "Fitness (CTL)" in page
    assert 'id="history-data"' in page


def _history_days(page: str) -> list[str]:
    found = re.search(r'id="history-data">(.*?)</script>', page, re.S)
    assert found, page
    return [d["day"] for d in json.loads(found.group(1))["days"]]


def test_history_page_shows_a_period_the_last_year_by_default(
    app: Flask, three_sessions: tuple[int, list[int]]
) -> None:
    runner_id, _ = three_sessions
    client = app.test_client()
    login(client, "coach")
    today = clock.today()
    year = _text(client.get(f"/runners/{runner_id}/history"))
    days = _history_days(year)
    assert (days[0], days[-1]) == ((today - dt.timedelta(days=365)).isoformat(), today.isoformat())
    assert f'aria-current="page" href="/runners/{runner_id}/history?range=1y">1 year' in year
    # The sessions (March 2024) are older than the period: the page says so and links to all.
    assert "the latest was on 2024-03-06" in year
    assert f'href="/runners/{runner_id}/history?range=all">Show all' in year
    every = _text(client.get(f"/runners/{runner_id}/history?range=all"))
    assert _history_days(every)[0] == "2024-03-01"
    assert 'data-testid="history-quiet"' not in every
    three = _history_days(_text(client.get(f"/runners/{runner_id}/history?range=3m")))
    assert three[0] == (today - dt.timedelta(days=91)).isoformat()
    bad = client.get(f"/runners/{runner_id}/history?range=decade")
    assert bad.status_code == 400
    assert "range must be one of 3m, 6m, 1y, all" in _text(bad)


def test_admin_dashboard_shows_imports_and_queue_health(
    app: Flask, three_sessions: tuple[int, list[int]]
) -> None:
    client = app.test_client()
    login(client, "admin")
    page = _text(client.get("/admin/"))
    title = page.split("<title>", 1)[1].split("</title>", 1)[0]
    assert title == "Admin · SmartRunning"  # the imports table once sat in the title block
    body = page.split("<body", 1)[1]
    assert body.count('data-testid="queue-health"') == 1
    assert "reachable" in body
    assert "Rita Runner" in body
    assert "imported 3" in body


def test_detail_page_fetches_its_charts_which_the_browser_may_cache(
    app: Flask, three_sessions: tuple[int, list[int]]
) -> None:
    _, ids = three_sessions
    client = app.test_client()
    login(client, "runner")
    page = _text(client.get(f"/sessions/{ids[1]}"))
    found = re.search(r'data-charts-url="([^"]+)"', page)
    assert found, "the detail page names its charts URL"
    url = found.group(1).replace("&amp;", "&")
    charts = client.get(url)
    assert charts.status_code == 200
    assert charts.mimetype == "application/json"
    assert charts.json["series"]["points"] == 600
    assert len(charts.json["series"]["heart_rate_bpm"]) == 600
    assert 2 <= len(charts.json["track"]["points"]) <= 1000
    assert "private" in charts.headers["Cache-Control"]
    etag = charts.headers["ETag"]
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.get_data() == b""
    # The same answer as the API's series: one set of numbers.
    assert charts.json["series"] == client.get(f"/api/sessions/{ids[1]}/series").json
    # Another session's records have another tag.
    other = re.search(r'data-charts-url="([^"]+)"', _text(client.get(f"/sessions/{ids[0]}")))
    assert other
    assert other.group(1) != found.group(1)
    assert (
        client.get(f"/sessions/{ids[0]}/charts.json", headers={"If-None-Match": etag}).status_code
        == 200
    )


def test_charts_are_kept_per_process_under_the_records_hash(
    app: Flask, three_sessions: tuple[int, list[int]]
) -> None:
    """The charts' JSON is built once per records hash: a second request gives the same
    bytes without reading the records again, and other records get their own."""
    from smartrunning.sessions import views

    _, ids = three_sessions
    client = app.test_client()
    login(client, "runner")
    views._charts_body.cache_clear()
    first = client.get(f"/sessions/{ids[1]}/charts.json")
    assert views._charts_body.cache_info().misses == 1
    second = client.get(f"/sessions/{ids[1]}/charts.json")
    assert views._charts_body.cache_info().hits == 1
    assert first.get_data() == second.get_data()
    other = client.get(f"/sessions/{ids[0]}/charts.json")
    assert views._charts_body.cache_info().misses == 2
    assert other.json["series"] != first.json["series"]
    # Another runner's session answers 404 even when its charts are in the cache.
    client = app.test_client()
    login(client, "otherrunner")
    assert client.get(f"/sessions/{ids[1]}/charts.json").status_code == 404


def test_heart_rate_loads_use_a_default_resting_hr_until_one_is_entered(
    app: Flask, three_sessions: tuple[int, list[int]]
) -> None:
    _, ids = three_sessions
    client = app.test_client()
    login(client, "coach")
    detail = client.get(f"/api/sessions/{ids[0]}").json
    assert detail["params"]["hrrest_bpm"] == 60.0
    assert detail["params"]["hrrest_default"] is True
    assert detail["loads"]["trimp"] > 0
    assert detail["loads"]["hrss"] > 0
    page = _text(client.get(f"/sessions/{ids[0]}"))
    assert "TRIMP and HRSS use a resting HR of 60 bpm until the runner" in page


def test_analyse_again_recomputes_a_session_from_its_records(
    app: Flask, three_sessions: tuple[int, list[int]]
) -> None:
    _, ids = three_sessions
    client = app.test_client()
    login(client, "runner")
    before = client.get(f"/api/sessions/{ids[1]}").json
    with app.app_context():  # a stored value gone wrong (e.g. restored from elsewhere)
        db.session.execute(
            sa.update(TrainingSession)
            .where(TrainingSession.id == ids[1])
            .values(distance_m=1.0, load=999.0)
        )
        db.session.commit()
    assert client.get(f"/api/sessions/{ids[1]}").json["distance_m"] == 1.0
    token = csrf_token(client)
    again = client.post(f"/api/sessions/{ids[1]}/analyse", headers={"X-CSRFToken": token})
    assert again.status_code == 200
    assert again.json["distance_m"] == before["distance_m"]
    assert again.json["loads"] == before["loads"]
    page = client.post(f"/sessions/{ids[1]}/analyse", data={"csrf_token": token})
    assert page.status_code == 302
    assert "Analysed again" in _text(client.get(page.location))
    assert (
        client.post("/api/sessions/999999/analyse", headers={"X-CSRFToken": token}).status_code
        == 404
    )
    assert client.post(f"/sessions/{ids[1]}/analyse").status_code == 400  # no CSRF token


def test_a_runners_jobs_are_listed_newest_first(
    app: Flask, three_sessions: tuple[int, list[int]]
) -> None:
    runner_id, _ = three_sessions
    client = app.test_client()
    login(client, "coach")
    jobs = client.get(f"/api/runners/{runner_id}/jobs").json
    assert len(jobs) == 1
    assert jobs[0]["status"] == "done"
    assert jobs[0]["files_total"] == 3
    assert jobs[0]["by_status"] == {"imported": 3}
    assert "files" not in jobs[0]
    assert client.get(f"/api/jobs/{jobs[0]['id']}").json["files_done"] == 3
    for bad in ("0", "201", "many"):
        answer = client.get(f"/api/runners/{runner_id}/jobs?limit={bad}")
        assert answer.status_code == 422, bad
        assert "limit" in answer.json["error"]["details"]["query"]


def test_detail_page_sets_the_watch_totals_beside_ours(
    app: Flask, three_sessions: tuple[int, list[int]]
) -> None:
    _, ids = three_sessions
    client = app.test_client()
    login(client, "coach")
    detail = client.get(f"/api/sessions/{ids[1]}").json
    device = detail["device_totals"]
    page = _text(client.get(f"/sessions/{ids[1]}"))
    table = _table(page, "device-totals")
    cells = [
        re.sub(r"\s+", " ", c).strip()
        for c in re.findall(r"<t[dh](?:\s[^>]*)?>(.*?)</t[dh]>", table)
    ]
    rows = {cells[i]: (cells[i + 1], cells[i + 2]) for i in range(3, len(cells), 3)}
    assert cells[:3] == ["", "Watch", "Ours"]
    watch_km = f"{device['total_distance_m'] / 1000:.2f} km"
    assert rows["Distance"] == (watch_km, f"{detail['distance_m'] / 1000:.2f} km")
    assert rows["Maximum HR"] == (
        f"{device['max_heart_rate_bpm']:.0f} bpm",
        f"{detail['max_hr']:.0f} bpm",
    )
    assert rows["Energy"][1] == "–"  # the watch's estimate; we make none


def test_upload_page_lists_recent_imports_with_their_results(app: Flask) -> None:
    world = make_world(app)
    import_inline(
        app,
        world.runner_id,
        [("a.fit", run_bytes(0, duration_s=600)), ("bad.fit", b"not a FIT file at all")],
    )
    client = app.test_client()
    login(client, "coach")
    page = _text(client.get(f"/runners/{world.runner_id}/upload"))
    table = _table(page, "recent-jobs")
    assert "2 / 2" in table
    assert "imported 1" in table
    assert '<span class="text-danger fw-semibold">failed 1</span>' in table
    assert re.search(r'href="/jobs/\d+"', table)


def test_import_results_read_in_words_on_the_job_upload_and_admin_pages(app: Flask) -> None:
    """A file's status is stored as the API gives it (``not_activity``); pages say it in
    words, and give the job page's script the same words for its updates."""
    world = make_world(app)
    settings = (DATA / "Settings.fit").read_bytes()
    report = import_inline(
        app, world.runner_id, [("a.fit", run_bytes(0, duration_s=600)), ("s.fit", settings)]
    )
    assert {f["status"] for f in report["files"]} == {"imported", "not_activity"}  # type: ignore[index, union-attr]
    client = app.test_client()
    login(client, "coach")
    job = _text(client.get(f"/jobs/{report['id']}"))
    upload = _text(client.get(f"/runners/{world.runner_id}/upload"))
    login(client, "admin")
    admin = _text(client.get("/admin/"))

    assert "not an activity" in _table(job, "job-files")
    assert "not an activity: 1" in job
    assert "not an activity 1" in _table(upload, "recent-jobs")
    assert "not an activity 1" in admin
    words = json.loads(html.unescape(re.search(r'data-status-words="([^"]*)"', job)[1]))  # type: ignore[index]
    assert words["file"]["not_activity"] == "not an activity"
    for page in (_table(job, "job-files"), _table(upload, "recent-jobs")):
        assert "not_activity" not in page.replace('data-status="not_activity"', "")
