"""Splits in the reader's units (issue #19 item 7): a reader in miles gets one row per
mile, a reader in km one per km; swims keep their metre splits."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient

from smartrunning.accounts.models import User
from smartrunning.platform.db import db
from tests.helpers import login, make_world
from tests.sessions.sessiondata import import_inline, run_bytes


def _split_rows(page: str) -> tuple[str, list[str]]:
    """The table's split unit and each row's distance cell."""
    table = re.search(r'data-testid="splits" data-split-unit="(\w+)">(.*?)</table>', page, re.S)
    assert table is not None
    rows = re.findall(r"<tr><td>\d+</td><td>([^<]*)</td>", table.group(2))
    return table.group(1), rows


def test_a_reader_in_miles_gets_mile_splits_and_one_in_km_km_splits(
    app: Flask, client: FlaskClient
) -> None:
    world = make_world(app)
    report = import_inline(app, world.runner_id, [("run.fit", run_bytes(1, duration_s=1800))])
    session_id = report["files"][0]["session_ids"][0]  # type: ignore[index]
    login(client, "runner")
    page = client.get(f"/sessions/{session_id}").get_data(as_text=True)
    unit, km_rows = _split_rows(page)
    assert unit == "km"
    assert "Splits (km)" in page
    assert all(r == "1.00 km" for r in km_rows[:-1])
    assert len(km_rows) >= 3
    with app.app_context():
        db.session.get_one(User, world.runner).units = "mi"
        db.session.commit()
    page = client.get(f"/sessions/{session_id}").get_data(as_text=True)
    unit, mi_rows = _split_rows(page)
    assert unit == "mi"
    assert "Splits (mi)" in page
    assert all(r == "1.00 mi" for r in mi_rows[:-1])
    assert len(mi_rows) >= 2
    total_km = sum(float(r.split()[0]) for r in km_rows)
    total_mi = sum(float(r.split()[0]) for r in mi_rows)
    assert abs(total_mi * 1.609344 - total_km) < 0.02
    assert len(mi_rows) < len(km_rows)
