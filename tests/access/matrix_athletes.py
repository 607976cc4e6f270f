"""Access cases of critical-speed suggestions, of marking a session as a race and of the
response model."""

from __future__ import annotations

from tests.access.matrix import Case, logged_in, own_and_other
from tests.access.matrix_sessions import _session_cases

SUGGESTIONS = ("suggestions",)


def _suggestion_cases(
    method: str, endpoint: str, path: str, success: int, runner: int, **body: object
) -> list[Case]:
    """The runner's own suggestion (``runner``: what the runner gets) and another's."""
    return [
        Case(
            method,
            endpoint,
            lambda w: path.format(r=w.runner_id, id=w.suggestion_id),
            logged_in(runner, success, success),
            label="own",
            tags=SUGGESTIONS,
            **body,  # type: ignore[arg-type]
        ),
        Case(
            method,
            endpoint,
            lambda w: path.format(r=w.other_runner_id, id=w.other_suggestion_id),
            logged_in(404, 404, success),
            label="other",
            tags=SUGGESTIONS,
            **body,  # type: ignore[arg-type]
        ),
        Case(
            method,
            endpoint,
            lambda w: path.format(r=w.runner_id, id=w.other_suggestion_id),
            logged_in(runner if runner != success else 404, 404, 404),
            label="another runner's suggestion under my id",
            tags=SUGGESTIONS,
            **body,  # type: ignore[arg-type]
        ),
    ]


CASES: list[Case] = [
    *_suggestion_cases(
        "GET", "api_athletes.Suggestions", "/api/runners/{r}/cs-suggestions", 200, runner=200
    )[:2],
    *_suggestion_cases(
        "POST",
        "api_athletes.SuggestionAccept",
        "/api/runners/{r}/cs-suggestions/{id}/accept",
        201,
        runner=403,
        json=lambda w: {},
    ),
    *_suggestion_cases(
        "POST",
        "api_athletes.SuggestionDismiss",
        "/api/runners/{r}/cs-suggestions/{id}/dismiss",
        204,
        runner=403,
        json=lambda w: {},
    ),
    *_suggestion_cases(
        "POST",
        "athletes.suggestion_accept",
        "/runners/{r}/cs-suggestions/{id}/accept",
        302,
        runner=403,
    ),
    *_suggestion_cases(
        "POST",
        "athletes.suggestion_dismiss",
        "/runners/{r}/cs-suggestions/{id}/dismiss",
        302,
        runner=403,
    ),
    *_session_cases(
        "POST",
        "sessions.performance",
        "/sessions/{id}/performance",
        302,
        form=lambda w: {"performance": "race"},
    ),
    *_session_cases(
        "POST",
        "api_sessions.SessionPerformance",
        "/api/sessions/{id}/performance",
        200,
        json=lambda w: {"performance": "race"},
    ),
    *own_and_other(
        "GET",
        "api_response_model.ResponseModel",
        lambda r, w: f"/api/runners/{r}/response-model",
        200,
    ),
]
