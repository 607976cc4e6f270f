"""Suggestions: a fitted critical speed offered to the coach while a measured one is in force.

Measured beats fitted (``bests``): while a CS a person entered (or accepted) is in force, a
refit of the runner's bests does not become a version but a ``ParameterSuggestion``
(:func:`suggest`), and the runner's coaches are told. A coach accepts it (it becomes the
value from its date, :func:`accept_suggestion`) or dismisses it (:func:`dismiss_suggestion`);
either decision closes the older open suggestions too, and a decided value is not offered
again for the same day. Refitting deletes the open suggestions it replaces
(:func:`delete_open`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa

from smartrunning.accounts.models import User
from smartrunning.athletes import parameters as parameter_services
from smartrunning.athletes import rules
from smartrunning.athletes.models import (
    ParameterKey,
    ParameterSource,
    ParameterSuggestion,
    ParameterVersion,
    Runner,
    SuggestionStatus,
)
from smartrunning.notifications import hooks
from smartrunning.platform import display
from smartrunning.platform.db import db, now_utc
from smartrunning.platform.errors import Conflict, NotFound
from smartrunning.platform.formatting import format_pace, pace_label
from smartrunning.platform.transactions import transaction

__all__ = [
    "accept_suggestion",
    "delete_open",
    "dismiss_suggestion",
    "open_suggestions",
    "suggest",
    "suggestion_json",
]


def suggest(
    runner: Runner,
    day: dt.date,
    value: dict[str, float],
    *,
    source: ParameterSource,
    details: dict[str, Any],
    note: str,
) -> None:
    """Offer ``value`` (a fit: its ``source``, ``details`` and ``note``) from ``day``, and
    tell the runner's coaches, unless the same was already accepted or dismissed on that
    day, or a later suggestion was decided (a decision closes the older ones too)."""
    decided = db.session.execute(
        sa.select(ParameterSuggestion).where(
            ParameterSuggestion.runner_id == runner.id,
            ParameterSuggestion.key == ParameterKey.CRITICAL_SPEED,
            ParameterSuggestion.valid_from >= day,
            ParameterSuggestion.status != SuggestionStatus.OPEN,
        )
    ).scalars()
    for row in decided:
        if row.valid_from > day or all(
            abs(row.value[k] - value[k]) < 1e-3 * max(1.0, value[k]) for k in value
        ):
            return
    db.session.add(
        ParameterSuggestion(
            runner_id=runner.id,
            key=ParameterKey.CRITICAL_SPEED,
            valid_from=day,
            value=value,
            source=source,
            details=details,
            note=note[:200],
        )
    )
    db.session.flush()

    def suggestion(prefs: display.DisplayPrefs) -> str:
        """The suggestion in one coach's units."""
        pace = f"{format_pace(value['cs_mps'], prefs.units)} {pace_label(prefs.units)}"
        return (
            f"Critical speed {pace} (D′ {value['d_prime_m']:.0f} m) from {day:%d %b %Y}, "
            f"{note}. Accept or dismiss it on the profile."
        )

    hooks.parameter_suggestion(
        rules.coach_ids(runner.id),
        runner.name,
        suggestion,
        f"/runners/{runner.id}#cs-from-{day.isoformat()}",  # told once per day suggested
    )


_DELETE_OPEN_SUGGESTIONS = (
    sa.delete(ParameterSuggestion)
    .where(
        ParameterSuggestion.runner_id == sa.bindparam("runner"),
        ParameterSuggestion.key == ParameterKey.CRITICAL_SPEED,
        ParameterSuggestion.status == SuggestionStatus.OPEN,
        ParameterSuggestion.valid_from >= sa.bindparam("from_date"),
    )
    .execution_options(synchronize_session="fetch")
)


def delete_open(runner: Runner, from_date: dt.date) -> None:
    """Delete the runner's open CS suggestions valid from ``from_date`` on (to be refitted)."""
    db.session.execute(_DELETE_OPEN_SUGGESTIONS, {"runner": runner.id, "from_date": from_date})


def open_suggestions(runner: Runner) -> list[ParameterSuggestion]:
    """The runner's open CS suggestions, newest first."""
    return list(
        db.session.execute(
            sa.select(ParameterSuggestion)
            .where(
                ParameterSuggestion.runner_id == runner.id,
                ParameterSuggestion.status == SuggestionStatus.OPEN,
            )
            .order_by(ParameterSuggestion.valid_from.desc(), ParameterSuggestion.id.desc())
        ).scalars()
    )


def suggestion_json(s: ParameterSuggestion) -> dict[str, Any]:
    return {
        "id": s.id,
        "key": s.key.value,
        "valid_from": s.valid_from,
        "value": s.value,
        "source": s.source.value,
        "note": s.note,
        "details": s.details,
        "status": s.status.value,
        "created_at": s.created_at,
        "decided_at": s.decided_at,
    }


def _suggestion(runner: Runner, suggestion_id: int) -> ParameterSuggestion:
    row = db.session.get(ParameterSuggestion, suggestion_id)
    if row is None or row.runner_id != runner.id:
        raise NotFound("No such suggestion.")
    if row.status is not SuggestionStatus.OPEN:
        raise Conflict(f"This suggestion was already {row.status.value}.", field="suggestion")
    return row


def _close(
    runner: Runner, row: ParameterSuggestion, status: SuggestionStatus, by: User | None
) -> None:
    """Close ``row`` and every older open suggestion (dismissed: superseded by the decision)."""
    now = now_utc()
    for other in open_suggestions(runner):
        if other.id == row.id or other.valid_from <= row.valid_from:
            other.status = status if other.id == row.id else SuggestionStatus.DISMISSED
            other.decided_at = now
            other.decided_by_id = by.id if by else None
    db.session.flush()


def accept_suggestion(
    runner: Runner, suggestion_id: int, *, by: User | None, today: dt.date
) -> ParameterVersion:
    """Make an open suggestion the value from its date (a person's decision: later fits
    become suggestions again); older open suggestions are dismissed. Commits (refused:
    rolled back)."""
    with transaction():
        row = _suggestion(runner, suggestion_id)
        who = by.username if by else "the command line"
        version = parameter_services.set_parameter(
            runner,
            row.key,
            row.value,
            row.valid_from,
            source=row.source,
            by=by,
            today=today,
            details=row.details,
            note=f"accepted by {who}: {row.note}",
        )
        _close(runner, row, SuggestionStatus.ACCEPTED, by)
    return version


def dismiss_suggestion(runner: Runner, suggestion_id: int, *, by: User | None) -> None:
    """Keep the value in force; the suggestion (and older open ones) are dismissed.
    Commits (refused: rolled back)."""
    with transaction():
        _close(runner, _suggestion(runner, suggestion_id), SuggestionStatus.DISMISSED, by)
