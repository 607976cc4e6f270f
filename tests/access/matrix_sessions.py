"""Access cases of sessions, imports and history (pages and API)."""

from __future__ import annotations

import io
from typing import Any

from tests.access.matrix import Case, logged_in, own_and_other
from tests.sessions.sessiondata import run_bytes

SESSIONS = ("sessions",)


def _upload(w: Any) -> dict[str, Any]:
    return {"files": (io.BytesIO(run_bytes(3, duration_s=300)), "run.fit")}


def _session_cases(method: str, endpoint: str, path: str, success: int, **body: Any) -> list[Case]:
    """A session or job of the runner (own) and of another runner (other)."""
    return [
        Case(
            method,
            endpoint,
            lambda w: path.format(id=w.session_id, job=w.job_id),
            logged_in(success, success, success),
            label="own",
            tags=SESSIONS,
            **body,
        ),
        Case(
            method,
            endpoint,
            lambda w: path.format(id=w.other_session_id, job=w.other_job_id),
            logged_in(404, 404, success),
            label="other",
            tags=SESSIONS,
            **body,
        ),
    ]


def _yes(w: Any) -> dict[str, Any]:
    return {"confirm": "yes"}


def _no_body(w: Any) -> dict[str, Any]:
    return {}


def _deleted_cases(method: str, endpoint: str, path: str, success: int, **body: Any) -> list[Case]:
    """:func:`_session_cases` on sessions deleted within the undo window."""
    return [
        Case(
            c.method, c.endpoint, c.path, c.expect, c.form, c.json, c.label, (*SESSIONS, "deleted")
        )
        for c in _session_cases(method, endpoint, path, success, **body)
    ]


CASES: list[Case] = [
    *own_and_other("GET", "sessions.session_list", lambda r, w: f"/runners/{r}/sessions", 200),
    *own_and_other("GET", "sessions.upload", lambda r, w: f"/runners/{r}/upload", 200),
    *own_and_other(
        "POST", "sessions.upload", lambda r, w: f"/runners/{r}/upload", 302, form=_upload
    ),
    *own_and_other("GET", "sessions.history", lambda r, w: f"/runners/{r}/history", 200),
    *_session_cases("GET", "sessions.job", "/jobs/{job}", 200),
    *_session_cases("GET", "sessions.detail", "/sessions/{id}", 200),
    *_session_cases("GET", "sessions.charts", "/sessions/{id}/charts.json", 200),
    *_session_cases("GET", "sessions.delete_confirm", "/sessions/{id}/delete", 200),
    *_session_cases("POST", "sessions.delete", "/sessions/{id}/delete", 302),
    *_session_cases("POST", "sessions.delete", "/sessions/{id}/delete", 302, form=_yes),
    *_deleted_cases("POST", "sessions.restore", "/sessions/{id}/restore", 302),
    *_deleted_cases(
        "POST", "api_sessions.SessionRestore", "/api/sessions/{id}/restore", 200, json=_no_body
    ),
    Case(
        "POST",
        "sessions.restore",
        lambda w: f"/sessions/{w.session_id}/restore",
        logged_in(404, 404, 404),
        label="not deleted",
        tags=SESSIONS,
    ),
    *_session_cases("POST", "sessions.analyse", "/sessions/{id}/analyse", 302),
    *_session_cases("POST", "sessions.confirm", "/sessions/{id}/confirm", 302),
    *_session_cases(
        "POST", "api_sessions.SessionConfirm", "/api/sessions/{id}/confirm", 200, json=lambda w: {}
    ),
    *_session_cases(
        "POST", "api_sessions.SessionAnalyse", "/api/sessions/{id}/analyse", 200, json=lambda w: {}
    ),
    *own_and_other(
        "GET", "api_sessions.RunnerSessions", lambda r, w: f"/api/runners/{r}/sessions", 200
    ),
    *own_and_other(
        "POST",
        "api_sessions.RunnerSessions",
        lambda r, w: f"/api/runners/{r}/sessions",
        202,
        form=_upload,
    ),
    *own_and_other(
        "GET", "api_sessions.RunnerHistory", lambda r, w: f"/api/runners/{r}/history", 200
    ),
    *_session_cases("GET", "api_sessions.SessionById", "/api/sessions/{id}", 200),
    *_session_cases(
        "DELETE", "api_sessions.SessionById", "/api/sessions/{id}", 204, json=lambda w: {}
    ),
    *_session_cases("GET", "api_sessions.SessionSeries", "/api/sessions/{id}/series", 200),
    *_session_cases("GET", "api_jobs.JobById", "/api/jobs/{job}", 200),
    *own_and_other("GET", "api_sessions.RunnerJobs", lambda r, w: f"/api/runners/{r}/jobs", 200),
]
