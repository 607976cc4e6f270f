"""Access cases of the coaching loop: notifications (inbox, choices, unsubscribe),
feedback (RPE, comments on sessions and planned days) and the dashboard's "open" link."""

from __future__ import annotations

from typing import Any

from tests.access.matrix import Case, everyone, logged_in

SESSIONS = ("sessions",)
PLANS = ("plans",)


def _pair(
    method: str,
    endpoint: str,
    path: str,
    own: dict[str, int | str],
    other: dict[str, int | str],
    tags: tuple[str, ...],
    **body: Any,
) -> list[Case]:
    """The runner's own session or planned day, and another runner's."""
    return [
        Case(
            method,
            endpoint,
            lambda w: path.format(s=w.session_id, d=w.plan_day_id, r=w.runner_id),
            own,
            label="own",
            tags=tags,
            **body,
        ),
        Case(
            method,
            endpoint,
            lambda w: path.format(s=w.other_session_id, d=w.other_plan_day_id, r=w.other_runner_id),
            other,
            label="other",
            tags=tags,
            **body,
        ),
    ]


def _same(status: int) -> dict[str, int | str]:
    return logged_in(status, status, status)


def _other(status: int) -> dict[str, int | str]:
    return logged_in(404, 404, status)


_COMMENT = {"form": lambda w: {"body": "How did the hills go?"}}
_COMMENT_JSON = {"json": lambda w: {"body": "How did the hills go?"}}

CASES: list[Case] = [
    Case("GET", "notifications.inbox", lambda w: "/notifications", _same(200)),
    Case(
        "GET",
        "notifications.open_notification",
        lambda w: "/notifications/999999",
        _same(404),
        label="missing or someone else's",
    ),
    Case("POST", "notifications.read_all", lambda w: "/notifications/read", _same(302)),
    Case("GET", "notifications.settings", lambda w: "/notifications/settings", _same(200)),
    Case(
        "POST",
        "notifications.settings",
        lambda w: "/notifications/settings",
        _same(302),
        form=lambda w: {"email": "", "in_app_comment": "on"},
    ),
    Case(
        "GET",
        "notifications.unsubscribe",
        lambda w: "/notifications/unsubscribe/not-a-token",
        everyone(404),
        label="forged token",
    ),
    Case(
        "POST",
        "notifications.unsubscribe",
        lambda w: "/notifications/unsubscribe/not-a-token",
        everyone(404),
        label="forged token",
    ),
    Case("GET", "api_notifications.Inbox", lambda w: "/api/notifications", _same(200)),
    Case(
        "POST",
        "api_notifications.ReadOne",
        lambda w: "/api/notifications/999999/read",
        _same(404),
        json=lambda w: {},
        label="missing or someone else's",
    ),
    Case(
        "POST",
        "api_notifications.ReadAll",
        lambda w: "/api/notifications/read",
        _same(200),
        json=lambda w: {},
    ),
    Case(
        "GET",
        "api_notifications.Preferences",
        lambda w: "/api/notifications/preferences",
        _same(200),
    ),
    Case(
        "PUT",
        "api_notifications.Preferences",
        lambda w: "/api/notifications/preferences",
        _same(200),
        json=lambda w: {"choices": [{"kind": "upload", "in_app": True, "email": False}]},
    ),
    *_pair(
        "GET",
        "feedback.session_feedback",
        "/sessions/{s}/feedback",
        _same(200),
        _other(200),
        SESSIONS,
    ),
    # RPE is the runner's own word: coaches and admins see it but do not give it (403).
    *_pair(
        "POST",
        "feedback.session_feedback_save",
        "/sessions/{s}/feedback",
        logged_in(302, 403, 403),
        logged_in(404, 404, 403),
        SESSIONS,
        form=lambda w: {"rpe": "6", "feeling": "good"},
    ),
    *_pair(
        "POST",
        "feedback.session_comment",
        "/sessions/{s}/comments",
        _same(302),
        _other(302),
        SESSIONS,
        **_COMMENT,
    ),
    *_pair(
        "GET", "feedback.day_comments", "/plan-days/{d}/comments", _same(200), _other(200), PLANS
    ),
    *_pair(
        "POST",
        "feedback.day_comment",
        "/plan-days/{d}/comments",
        _same(302),
        _other(302),
        PLANS,
        **_COMMENT,
    ),
    *_pair(
        "GET",
        "api_feedback.SessionFeedback",
        "/api/sessions/{s}/feedback",
        _same(200),
        _other(200),
        SESSIONS,
    ),
    *_pair(
        "PUT",
        "api_feedback.SessionFeedback",
        "/api/sessions/{s}/feedback",
        logged_in(200, 403, 403),
        logged_in(404, 404, 403),
        SESSIONS,
        json=lambda w: {"rpe": 6},
    ),
    *_pair(
        "GET",
        "api_feedback.SessionComments",
        "/api/sessions/{s}/comments",
        _same(200),
        _other(200),
        SESSIONS,
    ),
    *_pair(
        "POST",
        "api_feedback.SessionComments",
        "/api/sessions/{s}/comments",
        _same(201),
        _other(201),
        SESSIONS,
        **_COMMENT_JSON,
    ),
    *_pair(
        "GET",
        "api_feedback.DayComments",
        "/api/plan-days/{d}/comments",
        _same(200),
        _other(200),
        PLANS,
    ),
    *_pair(
        "POST",
        "api_feedback.DayComments",
        "/api/plan-days/{d}/comments",
        _same(201),
        _other(201),
        PLANS,
        **_COMMENT_JSON,
    ),
    # The dashboard's link: coaches only; another coach's athlete is 404.
    *_pair(
        "GET",
        "coaching.open_athlete",
        "/athletes/{r}/open?to=/sessions/1/feedback",
        logged_in(403, 302, 302),
        logged_in(403, 404, 302),
        (),
    ),
]
